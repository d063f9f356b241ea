package core

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// EventStoreUpdated: an admin changed the store's settings.
const EventStoreUpdated = "store.updated"

// Bounds of the store settings an admin may set. They keep every TTL in a
// range where the product still works (a 1-second access token is an
// outage; a 10-year refresh token is a permanent credential) and the
// password policy within NIST 800-63B's (DESIGN §3).
const (
	minAccessTokenTTL  = time.Minute
	maxAccessTokenTTL  = 24 * time.Hour
	minRefreshTokenTTL = time.Hour
	maxRefreshTokenTTL = 365 * 24 * time.Hour
	minResetTokenTTL   = 5 * time.Minute
	maxResetTokenTTL   = time.Hour
	maxShopName        = 200
	maxAllowedOrigins  = 100
)

// ShopUpdate is an admin's partial update of a store's settings; nil means
// "leave as is". A TTL cannot be set back to "the deployment default": the
// store keeps the value it was given.
type ShopUpdate struct {
	Name             *string
	AllowedOrigins   *[]string // replaces the list; the reset page's origin is always kept
	PasswordResetURL *string
	AccessTokenTTL   *time.Duration // 1m–24h (and at most the deployment's MaxAccessTokenTTL)
	RefreshTokenTTL  *time.Duration // 1h–365d
	RefreshIdleTTL   *time.Duration // 1h–365d, and not above the refresh-token TTL
	ResetTokenTTL    *time.Duration // 5m–60m
	EmailExistsCheck *bool
	// MinPasswordLength is 8–15: NIST's floor, and a ceiling past which a
	// store would turn away passphrases from password managers' defaults.
	MinPasswordLength *int
	// MedusaTokenTTL is the lifetime of Medusa-dialect access tokens:
	// 1m up to the deployment's MaxAccessTokenTTL.
	MedusaTokenTTL *time.Duration
	// WelcomeMail turns the welcome mail after a sign-up on or off.
	WelcomeMail *bool
}

// names lists the wire names of the fields u sets, for the event.
func (u ShopUpdate) names() []string {
	out := []string{}
	add := func(set bool, name string) {
		if set {
			out = append(out, name)
		}
	}
	add(u.Name != nil, "name")
	add(u.AllowedOrigins != nil, "allowed_origins")
	add(u.PasswordResetURL != nil, "password_reset_url")
	add(u.AccessTokenTTL != nil, "access_token_ttl_seconds")
	add(u.RefreshTokenTTL != nil, "refresh_token_ttl_seconds")
	add(u.RefreshIdleTTL != nil, "refresh_idle_ttl_seconds")
	add(u.ResetTokenTTL != nil, "reset_token_ttl_seconds")
	add(u.EmailExistsCheck != nil, "email_exists_check")
	add(u.MinPasswordLength != nil, "min_password_length")
	add(u.MedusaTokenTTL != nil, "medusa_token_ttl_seconds")
	add(u.WelcomeMail != nil, "welcome_mail")
	return out
}

// applyShopUpdate checks u and writes it into sh, returning every invalid
// field at once.
func (s *Service) applyShopUpdate(sh *Shop, u ShopUpdate) error {
	var f fields
	if u.Name != nil {
		name := strings.TrimSpace(*u.Name)
		f.required("name", name, maxShopName)
		sh.Name = name
	}
	if u.AllowedOrigins != nil {
		if len(*u.AllowedOrigins) > maxAllowedOrigins {
			f.add("allowed_origins", FieldTooLong, "allowed_origins has more than 100 origins")
		} else if origins, err := normalizeOrigins(*u.AllowedOrigins); err != nil {
			f.add("allowed_origins", FieldInvalid, err.Error())
		} else {
			sh.AllowedOrigins = origins
		}
	}
	if u.PasswordResetURL != nil {
		if !isHTTPURL(*u.PasswordResetURL) || len(*u.PasswordResetURL) > 2000 {
			f.add("password_reset_url", FieldInvalid, "must be an absolute http(s) URL")
		} else {
			sh.PasswordResetURL = *u.PasswordResetURL
		}
	}
	ttl := func(field string, v *time.Duration, lo, hi time.Duration, dst *time.Duration) {
		if v == nil {
			return
		}
		if *v < lo || *v > hi {
			f.add(field, FieldInvalid, field+" must be between "+seconds(lo)+" and "+seconds(hi))
			return
		}
		*dst = *v
	}
	ttl("access_token_ttl_seconds", u.AccessTokenTTL, minAccessTokenTTL, min(maxAccessTokenTTL, s.cfg.MaxAccessTokenTTL), &sh.Settings.AccessTokenTTL)
	ttl("refresh_token_ttl_seconds", u.RefreshTokenTTL, minRefreshTokenTTL, maxRefreshTokenTTL, &sh.Settings.RefreshTokenTTL)
	ttl("refresh_idle_ttl_seconds", u.RefreshIdleTTL, minRefreshTokenTTL, maxRefreshTokenTTL, &sh.Settings.RefreshIdleTTL)
	ttl("reset_token_ttl_seconds", u.ResetTokenTTL, minResetTokenTTL, maxResetTokenTTL, &sh.Settings.ResetTokenTTL)
	ttl("medusa_token_ttl_seconds", u.MedusaTokenTTL, minAccessTokenTTL, s.cfg.MaxAccessTokenTTL, &sh.Settings.MedusaTokenTTL)
	if u.EmailExistsCheck != nil {
		sh.Settings.EmailExistsCheck = *u.EmailExistsCheck
	}
	if u.WelcomeMail != nil {
		sh.Settings.WelcomeMailOff = !*u.WelcomeMail
	}
	if u.MinPasswordLength != nil {
		if n := *u.MinPasswordLength; n < MinPasswordLengthFloor || n > MinPasswordLengthCeiling {
			f.add("min_password_length", FieldInvalid, "min_password_length must be between 8 and 15")
		} else {
			sh.Settings.MinPasswordLength = n
		}
	}
	if len(f) == 0 && (u.RefreshIdleTTL != nil || u.RefreshTokenTTL != nil) {
		// An idle limit beyond the absolute one would never apply, which
		// is surely not what the admin meant.
		if st := s.settings(sh); st.RefreshIdleTTL > st.RefreshTokenTTL {
			f.add("refresh_idle_ttl_seconds", FieldInvalid, "refresh_idle_ttl_seconds must not exceed refresh_token_ttl_seconds")
		}
	}
	// The reset page's own origin is always an allowed redirect target, as
	// at creation.
	if o := originOf(sh.PasswordResetURL); o != "" && !contains(sh.AllowedOrigins, o) {
		sh.AllowedOrigins = append(sh.AllowedOrigins, o)
	}
	return f.err()
}

func seconds(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) + " s" }

// UpdateShopSettings applies an admin's partial update of the store's
// settings and emits store.updated with the names of the fields written.
// This node forgets its cached copy of the store at once; other nodes
// pick the change up when their cached copy expires (30 s).
func (s *Service) UpdateShopSettings(ctx context.Context, shopID string, u ShopUpdate) (*Shop, error) {
	var sh *Shop
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if sh, err = tx.GetShop(ctx, shopID); err != nil {
			return err
		}
		if err := s.applyShopUpdate(sh, u); err != nil {
			return err
		}
		sh.UpdatedAt = s.now()
		if err := tx.UpdateShop(ctx, sh); err != nil {
			return err
		}
		return s.emit(ctx, tx, shopID, EventStoreUpdated, shopID, map[string]any{"fields": u.names()})
	})
	if err != nil {
		return nil, err
	}
	s.shops.drop(shopID)
	return sh, nil
}

// AdminShop reads a store afresh (not from the per-request cache), for
// the admin API.
func (s *Service) AdminShop(ctx context.Context, shopID string) (*Shop, error) {
	return s.store.GetShop(ctx, shopID)
}

// EffectiveSettings are the settings in force for a store: its own, with
// the deployment defaults where it has none, bounded by the deployment's
// limits.
func (s *Service) EffectiveSettings(sh *Shop) ShopSettings { return s.settings(sh) }
