package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const emailTokenColumns = `id, shop_id, customer_id, purpose, email, subject, hash, created_at, expires_at, used_at`

// CreateEmailToken inserts t. A customer missing from t.ShopID is
// core.ErrNotFound; a taken id or hash core.ErrConflict.
func (r repo) CreateEmailToken(ctx context.Context, t *core.EmailToken) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO email_tokens (`+emailTokenColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.ShopID, t.CustomerID, string(t.Purpose), t.Email, t.Subject, t.Hash,
		micros(t.CreatedAt), micros(t.ExpiresAt), nullMicros(t.UsedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create email token: %w", translate(err))
	}
	return nil
}

// GetEmailTokenByHash finds a token, used or not, by the SHA-256 of its
// value; its shop, purpose, expiry and use are core's to judge. Inside
// InTx the transaction holds SQLite's write lock, which serialises two
// confirmations of one token.
func (r repo) GetEmailTokenByHash(ctx context.Context, hash []byte) (*core.EmailToken, error) {
	var (
		t                core.EmailToken
		purpose          string
		created, expires int64
		used             sql.NullInt64
	)
	err := r.r.QueryRowContext(ctx, `SELECT `+emailTokenColumns+` FROM email_tokens WHERE hash = ?`, hash).
		Scan(&t.ID, &t.ShopID, &t.CustomerID, &purpose, &t.Email, &t.Subject, &t.Hash, &created, &expires, &used)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get email token: %w", translate(err))
	}
	t.Purpose = core.VerificationPurpose(purpose)
	t.CreatedAt, t.ExpiresAt, t.UsedAt = fromMicros(created), fromMicros(expires), fromNullMicros(used)
	return &t, nil
}

// UseEmailToken consumes the token once: the conditional update makes a
// second use core.ErrConflict, and an unknown id core.ErrNotFound.
func (r repo) UseEmailToken(ctx context.Context, id string, at time.Time) error {
	return setOnce(ctx, r.w, "use email token",
		`UPDATE email_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL`,
		`SELECT 1 FROM email_tokens WHERE id = ?`, id, at)
}

// InvalidateEmailTokens marks the customer's unused tokens of the purpose
// used; tokens already used keep their time.
func (r repo) InvalidateEmailTokens(ctx context.Context, shopID, customerID string, purpose core.VerificationPurpose, at time.Time) error {
	_, err := r.w.ExecContext(ctx, `UPDATE email_tokens SET used_at = ?
		WHERE shop_id = ? AND customer_id = ? AND purpose = ? AND used_at IS NULL`,
		micros(at), shopID, customerID, string(purpose))
	if err != nil {
		return fmt.Errorf("sqlite: invalidate email tokens: %w", translate(err))
	}
	return nil
}
