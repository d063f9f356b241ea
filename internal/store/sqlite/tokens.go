package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const refreshTokenColumns = `id, session_id, hash, parent_id, created_at, rotated_at`

// CreateRefreshToken inserts t. A taken id or hash, or a second child of the
// same parent, is core.ErrConflict; an unknown session core.ErrNotFound.
func (r repo) CreateRefreshToken(ctx context.Context, t *core.RefreshToken) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO refresh_tokens (`+refreshTokenColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		t.ID, t.SessionID, t.Hash, nullString(t.ParentID), micros(t.CreatedAt), nullMicros(t.RotatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create refresh token: %w", translate(err))
	}
	return nil
}

// GetRefreshTokenByHash finds a token by the SHA-256 of its value. Inside
// InTx the transaction already holds SQLite's write lock (BEGIN IMMEDIATE),
// which is the row lock the port asks for: no other writer can rotate the
// token before this transaction ends.
func (r repo) GetRefreshTokenByHash(ctx context.Context, hash []byte) (*core.RefreshToken, error) {
	t, err := scanRefreshToken(r.r.QueryRowContext(ctx,
		`SELECT `+refreshTokenColumns+` FROM refresh_tokens WHERE hash = ?`, hash))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get refresh token: %w", err)
	}
	return t, nil
}

// GetRefreshTokenChild returns the token that replaced id, which the refresh
// flow hands back when a client lost the response to a rotation.
func (r repo) GetRefreshTokenChild(ctx context.Context, id string) (*core.RefreshToken, error) {
	t, err := scanRefreshToken(r.r.QueryRowContext(ctx,
		`SELECT `+refreshTokenColumns+` FROM refresh_tokens WHERE parent_id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get refresh token child: %w", err)
	}
	return t, nil
}

// MarkRefreshTokenRotated sets RotatedAt only while it is unset, so of two
// concurrent rotations exactly one wins and the other gets core.ErrConflict
// (reuse detection), even outside InTx.
func (r repo) MarkRefreshTokenRotated(ctx context.Context, id string, at time.Time) error {
	return setOnce(ctx, r.w, "mark refresh token rotated",
		`UPDATE refresh_tokens SET rotated_at = ? WHERE id = ? AND rotated_at IS NULL`,
		`SELECT 1 FROM refresh_tokens WHERE id = ?`, id, at)
}

func scanRefreshToken(sc scanner) (*core.RefreshToken, error) {
	var (
		t       core.RefreshToken
		parent  sql.NullString
		created int64
		rotated sql.NullInt64
	)
	if err := sc.Scan(&t.ID, &t.SessionID, &t.Hash, &parent, &created, &rotated); err != nil {
		return nil, translate(err)
	}
	t.ParentID = parent.String
	t.CreatedAt, t.RotatedAt = fromMicros(created), fromNullMicros(rotated)
	return &t, nil
}

const passwordResetColumns = `id, shop_id, customer_id, hash, created_at, expires_at, used_at,
	binding_client_id, binding_challenge, binding_cross_device`

// CreatePasswordReset inserts p; a customer missing from p.ShopID is
// core.ErrNotFound.
func (r repo) CreatePasswordReset(ctx context.Context, p *core.PasswordReset) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO password_resets (`+passwordResetColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.ShopID, p.CustomerID, p.Hash, micros(p.CreatedAt), micros(p.ExpiresAt), nullMicros(p.UsedAt),
		p.Binding.ClientID, p.Binding.Challenge, bit(p.Binding.CrossDevice))
	if err != nil {
		return fmt.Errorf("sqlite: create password reset: %w", translate(err))
	}
	return nil
}

// GetPasswordResetByHash finds a reset, used or not, by the SHA-256 of its
// token; expiry and use are core's to judge.
func (r repo) GetPasswordResetByHash(ctx context.Context, hash []byte) (*core.PasswordReset, error) {
	var (
		p                core.PasswordReset
		created, expires int64
		used             sql.NullInt64
		crossDevice      int64
	)
	err := r.r.QueryRowContext(ctx, `SELECT `+passwordResetColumns+` FROM password_resets WHERE hash = ?`, hash).
		Scan(&p.ID, &p.ShopID, &p.CustomerID, &p.Hash, &created, &expires, &used,
			&p.Binding.ClientID, &p.Binding.Challenge, &crossDevice)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get password reset: %w", translate(err))
	}
	p.CreatedAt, p.ExpiresAt, p.UsedAt = fromMicros(created), fromMicros(expires), fromNullMicros(used)
	p.Binding.CrossDevice = crossDevice == 1
	return &p, nil
}

// UsePasswordReset consumes the reset once: like MarkRefreshTokenRotated, the
// conditional update makes a second use core.ErrConflict.
func (r repo) UsePasswordReset(ctx context.Context, id string, at time.Time) error {
	return setOnce(ctx, r.w, "use password reset",
		`UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL`,
		`SELECT 1 FROM password_resets WHERE id = ?`, id, at)
}

// InvalidatePasswordResets marks the customer's unused resets used, so a
// reset link mailed before a password change no longer works. Resets already
// used keep their time.
func (r repo) InvalidatePasswordResets(ctx context.Context, shopID, customerID string, at time.Time) error {
	_, err := r.w.ExecContext(ctx, `UPDATE password_resets SET used_at = ?
		WHERE shop_id = ? AND customer_id = ? AND used_at IS NULL`, micros(at), shopID, customerID)
	if err != nil {
		return fmt.Errorf("sqlite: invalidate password resets: %w", translate(err))
	}
	return nil
}

// setOnce runs update (which sets a column only while it is NULL) for id.
// When it changes nothing, probe tells the two reasons apart: the row is
// missing (core.ErrNotFound) or was already set (core.ErrConflict).
func setOnce(ctx context.Context, q querier, op, update, probe, id string, at time.Time) error {
	res, err := q.ExecContext(ctx, update, micros(at), id)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", op, translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", op, translate(err))
	}
	if n == 1 {
		return nil
	}
	ok, err := exists(ctx, q, probe, id)
	switch {
	case err != nil:
		return fmt.Errorf("sqlite: %s: %w", op, err)
	case !ok:
		return fmt.Errorf("sqlite: %s: %w", op, core.ErrNotFound)
	}
	return fmt.Errorf("sqlite: %s: %w", op, core.ErrConflict)
}
