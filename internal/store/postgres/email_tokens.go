package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const emailTokenColumns = `id, shop_id, customer_id, purpose, email, subject, hash, created_at, expires_at, used_at`

// CreateEmailToken inserts t. A customer missing from t.ShopID is
// core.ErrNotFound; a taken id or hash core.ErrConflict.
func (r repo) CreateEmailToken(ctx context.Context, t *core.EmailToken) error {
	_, err := r.checkedExec(ctx, `INSERT INTO email_tokens (`+emailTokenColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		t.ID, t.ShopID, t.CustomerID, string(t.Purpose), t.Email, t.Subject, t.Hash, t.CreatedAt, t.ExpiresAt, t.UsedAt)
	if err != nil {
		return fmt.Errorf("postgres: create email token: %w", translate(err))
	}
	return nil
}

// GetEmailTokenByHash finds a token, used or not, by the SHA-256 of its
// value; its shop, purpose, expiry and use are core's to judge. Inside
// InTx it locks the row, like GetPasswordResetByHash, so two requests
// consuming the same link are serialised and the second sees it used.
func (r repo) GetEmailTokenByHash(ctx context.Context, hash []byte) (*core.EmailToken, error) {
	var (
		t       core.EmailToken
		purpose string
		used    *time.Time
	)
	err := r.q.QueryRow(ctx, `SELECT `+emailTokenColumns+` FROM email_tokens WHERE hash = $1`+r.forUpdate(), hash).
		Scan(&t.ID, &t.ShopID, &t.CustomerID, &purpose, &t.Email, &t.Subject, &t.Hash, &t.CreatedAt, &t.ExpiresAt, &used)
	if err != nil {
		return nil, fmt.Errorf("postgres: get email token: %w", translate(err))
	}
	t.Purpose = core.VerificationPurpose(purpose)
	t.CreatedAt, t.ExpiresAt, t.UsedAt = utc(t.CreatedAt), utc(t.ExpiresAt), utcPtr(used)
	return &t, nil
}

// UseEmailToken consumes the token once: the conditional update makes a
// second use core.ErrConflict, and an unknown id core.ErrNotFound.
func (r repo) UseEmailToken(ctx context.Context, id string, at time.Time) error {
	return setOnce(ctx, r.q, "use email token",
		`UPDATE email_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL`,
		`SELECT 1 FROM email_tokens WHERE id = $1`, id, at)
}

// InvalidateEmailTokens marks the customer's unused tokens of the purpose
// used; tokens already used keep their time.
func (r repo) InvalidateEmailTokens(ctx context.Context, shopID, customerID string, purpose core.VerificationPurpose, at time.Time) error {
	_, err := r.q.Exec(ctx, `UPDATE email_tokens SET used_at = $1
		WHERE shop_id = $2 AND customer_id = $3 AND purpose = $4 AND used_at IS NULL`,
		at, shopID, customerID, string(purpose))
	if err != nil {
		return fmt.Errorf("postgres: invalidate email tokens: %w", translate(err))
	}
	return nil
}
