package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/core"
)

const refreshTokenColumns = `id, session_id, hash, parent_id, created_at, rotated_at`

// CreateRefreshToken inserts t. A taken id or hash, or a second child of the
// same parent, is core.ErrConflict; an unknown session core.ErrNotFound.
func (r repo) CreateRefreshToken(ctx context.Context, t *core.RefreshToken) error {
	_, err := r.checkedExec(ctx, `INSERT INTO refresh_tokens (`+refreshTokenColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		t.ID, t.SessionID, t.Hash, nullString(t.ParentID), t.CreatedAt, t.RotatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create refresh token: %w", translate(err))
	}
	return nil
}

// GetRefreshTokenByHash finds a token by the SHA-256 of its value. Inside
// InTx it locks the row (FOR UPDATE) until the transaction ends, so of two
// nodes refreshing the same token the second waits, then reads the row as
// the first left it (rotated) and takes the reuse path, rather than both
// rotating it. At READ COMMITTED PostgreSQL re-reads a row it waited for,
// which is why InTx pins that level.
func (r repo) GetRefreshTokenByHash(ctx context.Context, hash []byte) (*core.RefreshToken, error) {
	t, err := scanRefreshToken(r.q.QueryRow(ctx,
		`SELECT `+refreshTokenColumns+` FROM refresh_tokens WHERE hash = $1`+r.forUpdate(), hash))
	if err != nil {
		return nil, fmt.Errorf("postgres: get refresh token: %w", err)
	}
	return t, nil
}

// GetRefreshTokenChild returns the token that replaced id, which the refresh
// flow hands back when a client lost the response to a rotation.
func (r repo) GetRefreshTokenChild(ctx context.Context, id string) (*core.RefreshToken, error) {
	t, err := scanRefreshToken(r.q.QueryRow(ctx,
		`SELECT `+refreshTokenColumns+` FROM refresh_tokens WHERE parent_id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get refresh token child: %w", err)
	}
	return t, nil
}

// MarkRefreshTokenRotated sets RotatedAt only while it is unset, so of two
// concurrent rotations exactly one wins and the other gets core.ErrConflict
// (reuse detection), even outside InTx: the loser's UPDATE waits for the
// winner's row lock and then finds rotated_at set.
func (r repo) MarkRefreshTokenRotated(ctx context.Context, id string, at time.Time) error {
	return setOnce(ctx, r.q, "mark refresh token rotated",
		`UPDATE refresh_tokens SET rotated_at = $1 WHERE id = $2 AND rotated_at IS NULL`,
		`SELECT 1 FROM refresh_tokens WHERE id = $1`, id, at)
}

func scanRefreshToken(row pgx.Row) (*core.RefreshToken, error) {
	var (
		t       core.RefreshToken
		parent  *string
		rotated *time.Time
	)
	if err := row.Scan(&t.ID, &t.SessionID, &t.Hash, &parent, &t.CreatedAt, &rotated); err != nil {
		return nil, translate(err)
	}
	if parent != nil {
		t.ParentID = *parent
	}
	t.CreatedAt, t.RotatedAt = utc(t.CreatedAt), utcPtr(rotated)
	return &t, nil
}

const passwordResetColumns = `id, shop_id, customer_id, hash, created_at, expires_at, used_at,
	binding_client_id, binding_challenge, binding_cross_device`

// CreatePasswordReset inserts p; a customer missing from p.ShopID is
// core.ErrNotFound.
func (r repo) CreatePasswordReset(ctx context.Context, p *core.PasswordReset) error {
	_, err := r.checkedExec(ctx, `INSERT INTO password_resets (`+passwordResetColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		p.ID, p.ShopID, p.CustomerID, p.Hash, p.CreatedAt, p.ExpiresAt, p.UsedAt,
		p.Binding.ClientID, p.Binding.Challenge, p.Binding.CrossDevice)
	if err != nil {
		return fmt.Errorf("postgres: create password reset: %w", translate(err))
	}
	return nil
}

// GetPasswordResetByHash finds a reset, used or not, by the SHA-256 of its
// token; expiry and use are core's to judge. Inside InTx it locks the row,
// like GetRefreshTokenByHash, so two requests consuming the same link are
// serialised and the second sees it used.
func (r repo) GetPasswordResetByHash(ctx context.Context, hash []byte) (*core.PasswordReset, error) {
	var (
		p    core.PasswordReset
		used *time.Time
	)
	err := r.q.QueryRow(ctx, `SELECT `+passwordResetColumns+` FROM password_resets WHERE hash = $1`+r.forUpdate(), hash).
		Scan(&p.ID, &p.ShopID, &p.CustomerID, &p.Hash, &p.CreatedAt, &p.ExpiresAt, &used,
			&p.Binding.ClientID, &p.Binding.Challenge, &p.Binding.CrossDevice)
	if err != nil {
		return nil, fmt.Errorf("postgres: get password reset: %w", translate(err))
	}
	p.CreatedAt, p.ExpiresAt, p.UsedAt = utc(p.CreatedAt), utc(p.ExpiresAt), utcPtr(used)
	return &p, nil
}

// UsePasswordReset consumes the reset once: like MarkRefreshTokenRotated, the
// conditional update makes a second use core.ErrConflict.
func (r repo) UsePasswordReset(ctx context.Context, id string, at time.Time) error {
	return setOnce(ctx, r.q, "use password reset",
		`UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL`,
		`SELECT 1 FROM password_resets WHERE id = $1`, id, at)
}

// InvalidatePasswordResets marks the customer's unused resets used, so a
// reset link mailed before a password change no longer works. Resets already
// used keep their time.
func (r repo) InvalidatePasswordResets(ctx context.Context, shopID, customerID string, at time.Time) error {
	_, err := r.q.Exec(ctx, `UPDATE password_resets SET used_at = $1
		WHERE shop_id = $2 AND customer_id = $3 AND used_at IS NULL`, at, shopID, customerID)
	if err != nil {
		return fmt.Errorf("postgres: invalidate password resets: %w", translate(err))
	}
	return nil
}

// setOnce runs update (which sets a column only while it is NULL) for id.
// When it changes nothing, probe tells the two reasons apart: the row is
// missing (core.ErrNotFound) or was already set (core.ErrConflict).
func setOnce(ctx context.Context, q querier, op, update, probe, id string, at time.Time) error {
	tag, err := q.Exec(ctx, update, at, id)
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", op, translate(err))
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	ok, err := exists(ctx, q, probe, id)
	switch {
	case err != nil:
		return fmt.Errorf("postgres: %s: %w", op, err)
	case !ok:
		return fmt.Errorf("postgres: %s: %w", op, core.ErrNotFound)
	}
	return fmt.Errorf("postgres: %s: %w", op, core.ErrConflict)
}
