package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/clientele/clientele/internal/core"
)

const shopColumns = `id, name, allowed_origins, password_reset_url,
	access_token_ttl_ms, refresh_token_ttl_ms, refresh_idle_ttl_ms, reset_token_ttl_ms,
	email_exists_check, min_password_length, created_at, updated_at,
	medusa_token_ttl_ms, welcome_mail_off`

// CreateShop inserts s; a taken id is core.ErrConflict.
func (r repo) CreateShop(ctx context.Context, s *core.Shop) error {
	origins, err := encodeOrigins(s.AllowedOrigins)
	if err != nil {
		return err
	}
	_, err = r.w.ExecContext(ctx, `INSERT INTO shops (`+shopColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.Name, origins, s.PasswordResetURL,
		millis(s.Settings.AccessTokenTTL), millis(s.Settings.RefreshTokenTTL),
		millis(s.Settings.RefreshIdleTTL), millis(s.Settings.ResetTokenTTL),
		bit(s.Settings.EmailExistsCheck), s.Settings.MinPasswordLength,
		micros(s.CreatedAt), micros(s.UpdatedAt),
		millis(s.Settings.MedusaTokenTTL), bit(s.Settings.WelcomeMailOff))
	if err != nil {
		return fmt.Errorf("sqlite: create shop: %w", translate(err))
	}
	return nil
}

// GetShop returns the shop with id, or core.ErrNotFound.
func (r repo) GetShop(ctx context.Context, id string) (*core.Shop, error) {
	s, err := scanShop(r.r.QueryRowContext(ctx, `SELECT `+shopColumns+` FROM shops WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get shop: %w", err)
	}
	return s, nil
}

// UpdateShop writes every field of s except CreatedAt, which records a fact.
func (r repo) UpdateShop(ctx context.Context, s *core.Shop) error {
	origins, err := encodeOrigins(s.AllowedOrigins)
	if err != nil {
		return err
	}
	return execOne(ctx, r.w, "update shop", `UPDATE shops SET
		name = ?, allowed_origins = ?, password_reset_url = ?,
		access_token_ttl_ms = ?, refresh_token_ttl_ms = ?, refresh_idle_ttl_ms = ?, reset_token_ttl_ms = ?,
		email_exists_check = ?, min_password_length = ?, updated_at = ?,
		medusa_token_ttl_ms = ?, welcome_mail_off = ?
		WHERE id = ?`,
		s.Name, origins, s.PasswordResetURL,
		millis(s.Settings.AccessTokenTTL), millis(s.Settings.RefreshTokenTTL),
		millis(s.Settings.RefreshIdleTTL), millis(s.Settings.ResetTokenTTL),
		bit(s.Settings.EmailExistsCheck), s.Settings.MinPasswordLength,
		micros(s.UpdatedAt),
		millis(s.Settings.MedusaTokenTTL), bit(s.Settings.WelcomeMailOff), s.ID)
}

// OldestShop returns the shop created first (ties broken by id, so the answer
// is stable), or core.ErrNotFound when there is none.
func (r repo) OldestShop(ctx context.Context) (*core.Shop, error) {
	s, err := scanShop(r.r.QueryRowContext(ctx, `SELECT `+shopColumns+` FROM shops ORDER BY created_at, id LIMIT 1`))
	if err != nil {
		return nil, fmt.Errorf("sqlite: oldest shop: %w", err)
	}
	return s, nil
}

func scanShop(sc scanner) (*core.Shop, error) {
	var (
		s                            core.Shop
		origins                      string
		access, refresh, idle, reset int64
		emailCheck, minLen           int64
		created, updated             int64
		medusaTTL, welcomeOff        int64
	)
	err := sc.Scan(&s.ID, &s.Name, &origins, &s.PasswordResetURL,
		&access, &refresh, &idle, &reset, &emailCheck, &minLen, &created, &updated,
		&medusaTTL, &welcomeOff)
	if err != nil {
		return nil, translate(err)
	}
	if s.AllowedOrigins, err = decodeOrigins(origins); err != nil {
		return nil, err
	}
	s.Settings = core.ShopSettings{
		AccessTokenTTL:    fromMillis(access),
		RefreshTokenTTL:   fromMillis(refresh),
		RefreshIdleTTL:    fromMillis(idle),
		ResetTokenTTL:     fromMillis(reset),
		EmailExistsCheck:  emailCheck != 0,
		MinPasswordLength: int(minLen),
		MedusaTokenTTL:    fromMillis(medusaTTL),
		WelcomeMailOff:    welcomeOff != 0,
	}
	s.CreatedAt, s.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &s, nil
}

const apiKeyColumns = `id, shop_id, kind, hash, hint, created_at, revoked_at`

// CreateAPIKey inserts k; a taken id or hash is core.ErrConflict, an unknown
// shop core.ErrNotFound.
func (r repo) CreateAPIKey(ctx context.Context, k *core.APIKey) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO api_keys (`+apiKeyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.ShopID, string(k.Kind), k.Hash, k.Hint, micros(k.CreatedAt), nullMicros(k.RevokedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create api key: %w", translate(err))
	}
	return nil
}

// GetAPIKeyByHash finds a key, revoked or not (the caller decides what a
// revoked key means), by the SHA-256 of its value.
func (r repo) GetAPIKeyByHash(ctx context.Context, hash []byte) (*core.APIKey, error) {
	var (
		k       core.APIKey
		kind    string
		created int64
		revoked sql.NullInt64
	)
	err := r.r.QueryRowContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE hash = ?`, hash).
		Scan(&k.ID, &k.ShopID, &kind, &k.Hash, &k.Hint, &created, &revoked)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get api key: %w", translate(err))
	}
	k.Kind = core.KeyKind(kind)
	k.CreatedAt, k.RevokedAt = fromMicros(created), fromNullMicros(revoked)
	return &k, nil
}
