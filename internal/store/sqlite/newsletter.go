package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/clientele/clientele/internal/core"
)

const newsletterColumns = `id, shop_id, email, email_normalized, customer_id, verified_at, token_hash, token_purpose,
	token_expires_at, created_at, updated_at`

// CreateNewsletterSubscriber inserts n. A taken e-mail of the shop, a
// customer with a subscription already or a taken token hash is
// core.ErrConflict; a customer missing from the shop core.ErrNotFound.
func (r repo) CreateNewsletterSubscriber(ctx context.Context, n *core.NewsletterSubscriber) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO newsletter_subscribers (`+newsletterColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.ID, n.ShopID, n.Email, n.EmailNormalized, nullString(n.CustomerID), nullMicros(n.VerifiedAt), nullHash(n.TokenHash),
		string(n.TokenPurpose), nullMicros(n.TokenExpiresAt), micros(n.CreatedAt), micros(n.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create newsletter subscriber: %w", translate(err))
	}
	return nil
}

// GetNewsletterSubscriber finds the shop's subscription by id.
func (r repo) GetNewsletterSubscriber(ctx context.Context, shopID, id string) (*core.NewsletterSubscriber, error) {
	return r.newsletterWhere(ctx, `shop_id = ? AND id = ?`, shopID, id)
}

// GetNewsletterSubscriberByEmail finds the shop's subscription of an e-mail.
func (r repo) GetNewsletterSubscriberByEmail(ctx context.Context, shopID, emailNormalized string) (*core.NewsletterSubscriber, error) {
	return r.newsletterWhere(ctx, `shop_id = ? AND email_normalized = ?`, shopID, emailNormalized)
}

// GetNewsletterSubscriberByCustomer finds the subscription linked to the
// shop's customer.
func (r repo) GetNewsletterSubscriberByCustomer(ctx context.Context, shopID, customerID string) (*core.NewsletterSubscriber, error) {
	return r.newsletterWhere(ctx, `shop_id = ? AND customer_id = ?`, shopID, customerID)
}

// GetNewsletterSubscriberByTokenHash finds the shop's subscription whose
// outstanding token hashes to hash.
func (r repo) GetNewsletterSubscriberByTokenHash(ctx context.Context, shopID string, hash []byte) (*core.NewsletterSubscriber, error) {
	return r.newsletterWhere(ctx, `shop_id = ? AND token_hash = ?`, shopID, hash)
}

func (r repo) newsletterWhere(ctx context.Context, where string, args ...any) (*core.NewsletterSubscriber, error) {
	var (
		n                core.NewsletterSubscriber
		customer         sql.NullString
		purpose          string
		verified, tokExp sql.NullInt64
		created, updated int64
	)
	err := r.r.QueryRowContext(ctx, `SELECT `+newsletterColumns+` FROM newsletter_subscribers WHERE `+where, args...).
		Scan(&n.ID, &n.ShopID, &n.Email, &n.EmailNormalized, &customer, &verified, &n.TokenHash, &purpose,
			&tokExp, &created, &updated)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get newsletter subscriber: %w", translate(err))
	}
	n.CustomerID, n.TokenPurpose = customer.String, core.NewsletterTokenPurpose(purpose)
	n.VerifiedAt, n.TokenExpiresAt = fromNullMicros(verified), fromNullMicros(tokExp)
	n.CreatedAt, n.UpdatedAt = fromMicros(created), fromMicros(updated)
	if len(n.TokenHash) == 0 {
		n.TokenHash = nil
	}
	return &n, nil
}

// UpdateNewsletterSubscriber writes every mutable field of n.
func (r repo) UpdateNewsletterSubscriber(ctx context.Context, n *core.NewsletterSubscriber) error {
	return execOne(ctx, r.w, "update newsletter subscriber", `UPDATE newsletter_subscribers
		SET email = ?, email_normalized = ?, customer_id = ?, verified_at = ?, token_hash = ?, token_purpose = ?,
		    token_expires_at = ?, updated_at = ?
		WHERE shop_id = ? AND id = ?`,
		n.Email, n.EmailNormalized, nullString(n.CustomerID), nullMicros(n.VerifiedAt), nullHash(n.TokenHash),
		string(n.TokenPurpose), nullMicros(n.TokenExpiresAt), micros(n.UpdatedAt), n.ShopID, n.ID)
}

// DeleteNewsletterSubscriber removes the shop's subscription.
func (r repo) DeleteNewsletterSubscriber(ctx context.Context, shopID, id string) error {
	return execOne(ctx, r.w, "delete newsletter subscriber",
		`DELETE FROM newsletter_subscribers WHERE shop_id = ? AND id = ?`, shopID, id)
}

// nullHash stores an absent hash as NULL, which unique keys skip.
func nullHash(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
