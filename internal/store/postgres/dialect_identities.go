package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/core"
)

const pendingIdentityColumns = `id, shop_id, email, email_normalized, password_hash, customer_id, created_at, expires_at`

// CreatePendingIdentity inserts p after deleting an expired open identity
// of the same e-mail; the partial unique index turns a live one into
// core.ErrConflict, so two racing sign-ups cannot both win.
func (r repo) CreatePendingIdentity(ctx context.Context, p *core.PendingIdentity) error {
	_, err := r.q.Exec(ctx, `DELETE FROM pending_identities
		WHERE shop_id = $1 AND email_normalized = $2 AND customer_id IS NULL AND expires_at <= $3`,
		p.ShopID, p.EmailNormalized, p.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create pending identity: %w", translate(err))
	}
	_, err = r.checkedExec(ctx, `INSERT INTO pending_identities (`+pendingIdentityColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		p.ID, p.ShopID, p.Email, p.EmailNormalized, p.PasswordHash, nullString(p.CustomerID), p.CreatedAt, p.ExpiresAt)
	if err != nil {
		return fmt.Errorf("postgres: create pending identity: %w", translate(err))
	}
	return nil
}

// GetPendingIdentity returns the shop's identity id, expired or not.
func (r repo) GetPendingIdentity(ctx context.Context, shopID, id string) (*core.PendingIdentity, error) {
	p, err := scanPendingIdentity(r.q.QueryRow(ctx, `SELECT `+pendingIdentityColumns+`
		FROM pending_identities WHERE shop_id = $1 AND id = $2`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get pending identity: %w", err)
	}
	return p, nil
}

// GetPendingIdentityByEmail returns the shop's open identity of the e-mail.
func (r repo) GetPendingIdentityByEmail(ctx context.Context, shopID, emailNormalized string) (*core.PendingIdentity, error) {
	p, err := scanPendingIdentity(r.q.QueryRow(ctx, `SELECT `+pendingIdentityColumns+`
		FROM pending_identities WHERE shop_id = $1 AND email_normalized = $2 AND customer_id IS NULL`, shopID, emailNormalized))
	if err != nil {
		return nil, fmt.Errorf("postgres: get pending identity by email: %w", err)
	}
	return p, nil
}

// AttachPendingIdentity sets the customer once; the conditional update
// makes a second attach core.ErrConflict.
func (r repo) AttachPendingIdentity(ctx context.Context, shopID, id, customerID string) error {
	tag, err := r.checkedExec(ctx, `UPDATE pending_identities SET customer_id = $1
		WHERE shop_id = $2 AND id = $3 AND customer_id IS NULL`, customerID, shopID, id)
	if err != nil {
		return fmt.Errorf("postgres: attach pending identity: %w", translate(err))
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	ok, err := exists(ctx, r.q, `SELECT 1 FROM pending_identities WHERE shop_id = $1 AND id = $2`, shopID, id)
	if err != nil {
		return fmt.Errorf("postgres: attach pending identity: %w", err)
	}
	if ok {
		return fmt.Errorf("postgres: attach pending identity: %w", core.ErrConflict)
	}
	return fmt.Errorf("postgres: attach pending identity: %w", core.ErrNotFound)
}

// PurgePendingIdentities deletes the shop's identities expired by before.
func (r repo) PurgePendingIdentities(ctx context.Context, shopID string, before time.Time) (int, error) {
	return r.purge(ctx, "purge pending identities", `DELETE FROM pending_identities WHERE shop_id = $1 AND expires_at <= $2`, shopID, before)
}

// CreateSessionCookie inserts c when its session belongs to c.ShopID;
// otherwise nothing is written and the answer is core.ErrNotFound.
func (r repo) CreateSessionCookie(ctx context.Context, c *core.SessionCookie) error {
	tag, err := r.checkedExec(ctx, `INSERT INTO session_cookies (hash, shop_id, session_id, created_at, expires_at)
		SELECT $1, shop_id, id, $2, $3 FROM sessions WHERE shop_id = $4 AND id = $5`,
		c.Hash, c.CreatedAt, c.ExpiresAt, c.ShopID, c.SessionID)
	if err != nil {
		return fmt.Errorf("postgres: create session cookie: %w", translate(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: create session cookie: %w", core.ErrNotFound)
	}
	return nil
}

// GetSessionCookie finds the shop's cookie by the SHA-256 of its value.
func (r repo) GetSessionCookie(ctx context.Context, shopID string, hash []byte) (*core.SessionCookie, error) {
	var c core.SessionCookie
	err := r.q.QueryRow(ctx, `SELECT hash, shop_id, session_id, created_at, expires_at
		FROM session_cookies WHERE shop_id = $1 AND hash = $2`, shopID, hash).
		Scan(&c.Hash, &c.ShopID, &c.SessionID, &c.CreatedAt, &c.ExpiresAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: get session cookie: %w", translate(err))
	}
	c.CreatedAt, c.ExpiresAt = utc(c.CreatedAt), utc(c.ExpiresAt)
	return &c, nil
}

// DeleteSessionCookie forgets one cookie of the shop.
func (r repo) DeleteSessionCookie(ctx context.Context, shopID string, hash []byte) error {
	_, err := r.q.Exec(ctx, `DELETE FROM session_cookies WHERE shop_id = $1 AND hash = $2`, shopID, hash)
	if err != nil {
		return fmt.Errorf("postgres: delete session cookie: %w", translate(err))
	}
	return nil
}

// PurgeSessionCookies deletes the shop's cookies expired by before.
func (r repo) PurgeSessionCookies(ctx context.Context, shopID string, before time.Time) (int, error) {
	return r.purge(ctx, "purge session cookies", `DELETE FROM session_cookies WHERE shop_id = $1 AND expires_at <= $2`, shopID, before)
}

func (r repo) purge(ctx context.Context, op, sql, shopID string, before time.Time) (int, error) {
	tag, err := r.q.Exec(ctx, sql, shopID, before)
	if err != nil {
		return 0, fmt.Errorf("postgres: %s: %w", op, translate(err))
	}
	return int(tag.RowsAffected()), nil
}

func scanPendingIdentity(row pgx.Row) (*core.PendingIdentity, error) {
	var (
		p        core.PendingIdentity
		customer *string
	)
	err := row.Scan(&p.ID, &p.ShopID, &p.Email, &p.EmailNormalized, &p.PasswordHash, &customer, &p.CreatedAt, &p.ExpiresAt)
	if err != nil {
		return nil, translate(err)
	}
	if customer != nil {
		p.CustomerID = *customer
	}
	p.CreatedAt, p.ExpiresAt = utc(p.CreatedAt), utc(p.ExpiresAt)
	return &p, nil
}
