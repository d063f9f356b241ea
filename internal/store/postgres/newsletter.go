package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const newsletterColumns = `id, shop_id, email, email_normalized, customer_id, verified_at, token_hash, token_purpose,
	token_expires_at, created_at, updated_at`

// CreateNewsletterSubscriber inserts n. A taken e-mail of the shop, a
// customer with a subscription already or a taken token hash is
// core.ErrConflict; a customer missing from the shop core.ErrNotFound.
func (r repo) CreateNewsletterSubscriber(ctx context.Context, n *core.NewsletterSubscriber) error {
	_, err := r.checkedExec(ctx, `INSERT INTO newsletter_subscribers (`+newsletterColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		n.ID, n.ShopID, n.Email, n.EmailNormalized, nullString(n.CustomerID), n.VerifiedAt, nullHash(n.TokenHash),
		string(n.TokenPurpose), n.TokenExpiresAt, n.CreatedAt, n.UpdatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create newsletter subscriber: %w", translate(err))
	}
	return nil
}

// GetNewsletterSubscriber finds the shop's subscription by id.
func (r repo) GetNewsletterSubscriber(ctx context.Context, shopID, id string) (*core.NewsletterSubscriber, error) {
	return r.newsletterWhere(ctx, `shop_id = $1 AND id = $2`, shopID, id)
}

// GetNewsletterSubscriberByEmail finds the shop's subscription of an e-mail.
func (r repo) GetNewsletterSubscriberByEmail(ctx context.Context, shopID, emailNormalized string) (*core.NewsletterSubscriber, error) {
	return r.newsletterWhere(ctx, `shop_id = $1 AND email_normalized = $2`, shopID, emailNormalized)
}

// GetNewsletterSubscriberByCustomer finds the subscription linked to the
// shop's customer.
func (r repo) GetNewsletterSubscriberByCustomer(ctx context.Context, shopID, customerID string) (*core.NewsletterSubscriber, error) {
	return r.newsletterWhere(ctx, `shop_id = $1 AND customer_id = $2`, shopID, customerID)
}

// GetNewsletterSubscriberByTokenHash finds the shop's subscription whose
// outstanding token hashes to hash.
func (r repo) GetNewsletterSubscriberByTokenHash(ctx context.Context, shopID string, hash []byte) (*core.NewsletterSubscriber, error) {
	return r.newsletterWhere(ctx, `shop_id = $1 AND token_hash = $2`, shopID, hash)
}

func (r repo) newsletterWhere(ctx context.Context, where string, args ...any) (*core.NewsletterSubscriber, error) {
	var (
		n                core.NewsletterSubscriber
		customer         *string
		purpose          string
		verified, tokExp *time.Time
	)
	err := r.q.QueryRow(ctx, `SELECT `+newsletterColumns+` FROM newsletter_subscribers WHERE `+where, args...).
		Scan(&n.ID, &n.ShopID, &n.Email, &n.EmailNormalized, &customer, &verified, &n.TokenHash, &purpose,
			&tokExp, &n.CreatedAt, &n.UpdatedAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: get newsletter subscriber: %w", translate(err))
	}
	if customer != nil {
		n.CustomerID = *customer
	}
	n.TokenPurpose = core.NewsletterTokenPurpose(purpose)
	n.VerifiedAt, n.TokenExpiresAt = utcPtr(verified), utcPtr(tokExp)
	n.CreatedAt, n.UpdatedAt = utc(n.CreatedAt), utc(n.UpdatedAt)
	if len(n.TokenHash) == 0 {
		n.TokenHash = nil
	}
	return &n, nil
}

// UpdateNewsletterSubscriber writes every mutable field of n.
func (r repo) UpdateNewsletterSubscriber(ctx context.Context, n *core.NewsletterSubscriber) error {
	tag, err := r.checkedExec(ctx, `UPDATE newsletter_subscribers
		SET email = $1, email_normalized = $2, customer_id = $3, verified_at = $4, token_hash = $5, token_purpose = $6,
		    token_expires_at = $7, updated_at = $8
		WHERE shop_id = $9 AND id = $10`,
		n.Email, n.EmailNormalized, nullString(n.CustomerID), n.VerifiedAt, nullHash(n.TokenHash),
		string(n.TokenPurpose), n.TokenExpiresAt, n.UpdatedAt, n.ShopID, n.ID)
	if err != nil {
		return fmt.Errorf("postgres: update newsletter subscriber: %w", translate(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: update newsletter subscriber: %w", core.ErrNotFound)
	}
	return nil
}

// DeleteNewsletterSubscriber removes the shop's subscription.
func (r repo) DeleteNewsletterSubscriber(ctx context.Context, shopID, id string) error {
	return execOne(ctx, r.q, "delete newsletter subscriber",
		`DELETE FROM newsletter_subscribers WHERE shop_id = $1 AND id = $2`, shopID, id)
}

// nullHash stores an absent hash as NULL, which unique keys skip.
func nullHash(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
