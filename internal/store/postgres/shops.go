package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/core"
)

const shopColumns = `id, name, allowed_origins, password_reset_url,
	access_token_ttl_ms, refresh_token_ttl_ms, refresh_idle_ttl_ms, reset_token_ttl_ms,
	email_exists_check, min_password_length, created_at, updated_at,
	medusa_token_ttl_ms, welcome_mail_off`

// CreateShop inserts s; a taken id is core.ErrConflict.
func (r repo) CreateShop(ctx context.Context, s *core.Shop) error {
	_, err := r.checkedExec(ctx, `INSERT INTO shops (`+shopColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		s.ID, s.Name, encodeOrigins(s.AllowedOrigins), s.PasswordResetURL,
		millis(s.Settings.AccessTokenTTL), millis(s.Settings.RefreshTokenTTL),
		millis(s.Settings.RefreshIdleTTL), millis(s.Settings.ResetTokenTTL),
		s.Settings.EmailExistsCheck, s.Settings.MinPasswordLength,
		s.CreatedAt, s.UpdatedAt,
		millis(s.Settings.MedusaTokenTTL), s.Settings.WelcomeMailOff)
	if err != nil {
		return fmt.Errorf("postgres: create shop: %w", translate(err))
	}
	return nil
}

// GetShop returns the shop with id, or core.ErrNotFound.
func (r repo) GetShop(ctx context.Context, id string) (*core.Shop, error) {
	s, err := scanShop(r.q.QueryRow(ctx, `SELECT `+shopColumns+` FROM shops WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get shop: %w", err)
	}
	return s, nil
}

// UpdateShop writes every field of s except CreatedAt, which records a fact.
func (r repo) UpdateShop(ctx context.Context, s *core.Shop) error {
	return execOne(ctx, r.q, "update shop", `UPDATE shops SET
		name = $1, allowed_origins = $2, password_reset_url = $3,
		access_token_ttl_ms = $4, refresh_token_ttl_ms = $5, refresh_idle_ttl_ms = $6, reset_token_ttl_ms = $7,
		email_exists_check = $8, min_password_length = $9, updated_at = $10,
		medusa_token_ttl_ms = $12, welcome_mail_off = $13
		WHERE id = $11`,
		s.Name, encodeOrigins(s.AllowedOrigins), s.PasswordResetURL,
		millis(s.Settings.AccessTokenTTL), millis(s.Settings.RefreshTokenTTL),
		millis(s.Settings.RefreshIdleTTL), millis(s.Settings.ResetTokenTTL),
		s.Settings.EmailExistsCheck, s.Settings.MinPasswordLength,
		s.UpdatedAt, s.ID,
		millis(s.Settings.MedusaTokenTTL), s.Settings.WelcomeMailOff)
}

// OldestShop returns the shop created first (ties broken by id, so the answer
// is stable), or core.ErrNotFound when there is none.
func (r repo) OldestShop(ctx context.Context) (*core.Shop, error) {
	s, err := scanShop(r.q.QueryRow(ctx, `SELECT `+shopColumns+` FROM shops ORDER BY created_at, id LIMIT 1`))
	if err != nil {
		return nil, fmt.Errorf("postgres: oldest shop: %w", err)
	}
	return s, nil
}

func scanShop(row pgx.Row) (*core.Shop, error) {
	var (
		s                            core.Shop
		origins                      []string
		access, refresh, idle, reset int64
		minLen                       int32
		created, updated             time.Time
		medusaTTL                    int64
	)
	err := row.Scan(&s.ID, &s.Name, &origins, &s.PasswordResetURL,
		&access, &refresh, &idle, &reset, &s.Settings.EmailExistsCheck, &minLen, &created, &updated,
		&medusaTTL, &s.Settings.WelcomeMailOff)
	if err != nil {
		return nil, translate(err)
	}
	s.AllowedOrigins = decodeOrigins(origins)
	s.Settings.AccessTokenTTL = fromMillis(access)
	s.Settings.RefreshTokenTTL = fromMillis(refresh)
	s.Settings.RefreshIdleTTL = fromMillis(idle)
	s.Settings.ResetTokenTTL = fromMillis(reset)
	s.Settings.MinPasswordLength = int(minLen)
	s.Settings.MedusaTokenTTL = fromMillis(medusaTTL)
	s.CreatedAt, s.UpdatedAt = utc(created), utc(updated)
	return &s, nil
}

const apiKeyColumns = `id, shop_id, kind, hash, hint, created_at, revoked_at`

// CreateAPIKey inserts k; a taken id or hash is core.ErrConflict, an unknown
// shop core.ErrNotFound.
func (r repo) CreateAPIKey(ctx context.Context, k *core.APIKey) error {
	_, err := r.checkedExec(ctx, `INSERT INTO api_keys (`+apiKeyColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		k.ID, k.ShopID, string(k.Kind), k.Hash, k.Hint, k.CreatedAt, k.RevokedAt)
	if err != nil {
		return fmt.Errorf("postgres: create api key: %w", translate(err))
	}
	return nil
}

// GetAPIKeyByHash finds a key, revoked or not (the caller decides what a
// revoked key means), by the SHA-256 of its value.
func (r repo) GetAPIKeyByHash(ctx context.Context, hash []byte) (*core.APIKey, error) {
	var (
		k       core.APIKey
		kind    string
		created time.Time
		revoked *time.Time
	)
	err := r.q.QueryRow(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE hash = $1`, hash).
		Scan(&k.ID, &k.ShopID, &kind, &k.Hash, &k.Hint, &created, &revoked)
	if err != nil {
		return nil, fmt.Errorf("postgres: get api key: %w", translate(err))
	}
	k.Kind = core.KeyKind(kind)
	k.CreatedAt, k.RevokedAt = utc(created), utcPtr(revoked)
	return &k, nil
}
