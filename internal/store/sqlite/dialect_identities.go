package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const pendingIdentityColumns = `id, shop_id, email, email_normalized, password_hash, customer_id, created_at, expires_at`

// CreatePendingIdentity inserts p after deleting an expired open identity
// of the same e-mail; the partial unique index turns a live one into
// core.ErrConflict, so two racing sign-ups cannot both win.
func (r repo) CreatePendingIdentity(ctx context.Context, p *core.PendingIdentity) error {
	_, err := r.w.ExecContext(ctx, `DELETE FROM pending_identities
		WHERE shop_id = ? AND email_normalized = ? AND customer_id IS NULL AND expires_at <= ?`,
		p.ShopID, p.EmailNormalized, micros(p.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create pending identity: %w", translate(err))
	}
	_, err = r.w.ExecContext(ctx, `INSERT INTO pending_identities (`+pendingIdentityColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.ShopID, p.Email, p.EmailNormalized, p.PasswordHash, nullString(p.CustomerID), micros(p.CreatedAt), micros(p.ExpiresAt))
	if err != nil {
		return fmt.Errorf("sqlite: create pending identity: %w", translate(err))
	}
	return nil
}

// GetPendingIdentity returns the shop's identity id, expired or not.
func (r repo) GetPendingIdentity(ctx context.Context, shopID, id string) (*core.PendingIdentity, error) {
	p, err := scanPendingIdentity(r.r.QueryRowContext(ctx, `SELECT `+pendingIdentityColumns+`
		FROM pending_identities WHERE shop_id = ? AND id = ?`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get pending identity: %w", err)
	}
	return p, nil
}

// GetPendingIdentityByEmail returns the shop's open identity of the e-mail.
func (r repo) GetPendingIdentityByEmail(ctx context.Context, shopID, emailNormalized string) (*core.PendingIdentity, error) {
	p, err := scanPendingIdentity(r.r.QueryRowContext(ctx, `SELECT `+pendingIdentityColumns+`
		FROM pending_identities WHERE shop_id = ? AND email_normalized = ? AND customer_id IS NULL`, shopID, emailNormalized))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get pending identity by email: %w", err)
	}
	return p, nil
}

// AttachPendingIdentity sets the customer once; the conditional update
// makes a second attach core.ErrConflict.
func (r repo) AttachPendingIdentity(ctx context.Context, shopID, id, customerID string) error {
	res, err := r.w.ExecContext(ctx, `UPDATE pending_identities SET customer_id = ?
		WHERE shop_id = ? AND id = ? AND customer_id IS NULL`, customerID, shopID, id)
	if err != nil {
		return fmt.Errorf("sqlite: attach pending identity: %w", translate(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: attach pending identity: %w", translate(err))
	} else if n == 1 {
		return nil
	}
	ok, err := exists(ctx, r.w, `SELECT 1 FROM pending_identities WHERE shop_id = ? AND id = ?`, shopID, id)
	if err != nil {
		return fmt.Errorf("sqlite: attach pending identity: %w", err)
	}
	if ok {
		return fmt.Errorf("sqlite: attach pending identity: %w", core.ErrConflict)
	}
	return fmt.Errorf("sqlite: attach pending identity: %w", core.ErrNotFound)
}

// PurgePendingIdentities deletes the shop's identities expired by before.
func (r repo) PurgePendingIdentities(ctx context.Context, shopID string, before time.Time) (int, error) {
	return r.purge(ctx, "purge pending identities", `DELETE FROM pending_identities WHERE shop_id = ? AND expires_at <= ?`, shopID, before)
}

// CreateSessionCookie inserts c when its session belongs to c.ShopID;
// otherwise nothing is written and the answer is core.ErrNotFound.
func (r repo) CreateSessionCookie(ctx context.Context, c *core.SessionCookie) error {
	res, err := r.w.ExecContext(ctx, `INSERT INTO session_cookies (hash, shop_id, session_id, created_at, expires_at)
		SELECT ?, shop_id, id, ?, ? FROM sessions WHERE shop_id = ? AND id = ?`,
		c.Hash, micros(c.CreatedAt), micros(c.ExpiresAt), c.ShopID, c.SessionID)
	if err != nil {
		return fmt.Errorf("sqlite: create session cookie: %w", translate(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: create session cookie: %w", translate(err))
	} else if n == 0 {
		return fmt.Errorf("sqlite: create session cookie: %w", core.ErrNotFound)
	}
	return nil
}

// GetSessionCookie finds the shop's cookie by the SHA-256 of its value.
func (r repo) GetSessionCookie(ctx context.Context, shopID string, hash []byte) (*core.SessionCookie, error) {
	var (
		c                core.SessionCookie
		created, expires int64
	)
	err := r.r.QueryRowContext(ctx, `SELECT hash, shop_id, session_id, created_at, expires_at
		FROM session_cookies WHERE shop_id = ? AND hash = ?`, shopID, hash).
		Scan(&c.Hash, &c.ShopID, &c.SessionID, &created, &expires)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get session cookie: %w", translate(err))
	}
	c.CreatedAt, c.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &c, nil
}

// DeleteSessionCookie forgets one cookie of the shop.
func (r repo) DeleteSessionCookie(ctx context.Context, shopID string, hash []byte) error {
	_, err := r.w.ExecContext(ctx, `DELETE FROM session_cookies WHERE shop_id = ? AND hash = ?`, shopID, hash)
	if err != nil {
		return fmt.Errorf("sqlite: delete session cookie: %w", translate(err))
	}
	return nil
}

// PurgeSessionCookies deletes the shop's cookies expired by before.
func (r repo) PurgeSessionCookies(ctx context.Context, shopID string, before time.Time) (int, error) {
	return r.purge(ctx, "purge session cookies", `DELETE FROM session_cookies WHERE shop_id = ? AND expires_at <= ?`, shopID, before)
}

func (r repo) purge(ctx context.Context, op, query, shopID string, before time.Time) (int, error) {
	res, err := r.w.ExecContext(ctx, query, shopID, micros(before))
	if err != nil {
		return 0, fmt.Errorf("sqlite: %s: %w", op, translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: %s: %w", op, translate(err))
	}
	return int(n), nil
}

func scanPendingIdentity(row *sql.Row) (*core.PendingIdentity, error) {
	var (
		p                core.PendingIdentity
		customer         sql.NullString
		created, expires int64
	)
	err := row.Scan(&p.ID, &p.ShopID, &p.Email, &p.EmailNormalized, &p.PasswordHash, &customer, &created, &expires)
	if err != nil {
		return nil, translate(err)
	}
	p.CustomerID = customer.String
	p.CreatedAt, p.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &p, nil
}
