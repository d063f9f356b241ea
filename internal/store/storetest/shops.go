package storetest

import (
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

func shopCases() []methodCases {
	return []methodCases{
		{"CreateShop", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				want := newShop(t, s)
				got, err := s.GetShop(t.Context(), want.ID)
				must(t, err)
				wantEqual(t, got, want)
			}},
			{"zero_settings", func(t *testing.T, s core.Store) {
				// Zero settings mean "deployment default" and must stay zero.
				want := shopFixture()
				want.Settings = core.ShopSettings{}
				want.AllowedOrigins, want.PasswordResetURL = nil, ""
				must(t, s.CreateShop(t.Context(), want))
				got, err := s.GetShop(t.Context(), want.ID)
				must(t, err)
				wantEqual(t, got, want)
			}},
			{"empty_origins_read_as_nil", func(t *testing.T, s core.Store) {
				sh := shopFixture()
				sh.AllowedOrigins = []string{}
				must(t, s.CreateShop(t.Context(), sh))
				got, err := s.GetShop(t.Context(), sh.ID)
				must(t, err)
				if got.AllowedOrigins != nil {
					t.Fatalf("AllowedOrigins = %#v, want nil", got.AllowedOrigins)
				}
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				first := newShop(t, s)
				dup := shopFixture()
				dup.ID, dup.Name = first.ID, "Impostor"
				wantErr(t, s.CreateShop(t.Context(), dup), core.ErrConflict)
				got, err := s.GetShop(t.Context(), first.ID)
				must(t, err)
				wantEqual(t, got, first)
			}},
		}},
		{"GetShop", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				newShop(t, s)
				_, err := s.GetShop(t.Context(), newID("sto_"))
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"UpdateShop", []testCase{
			{"every_field", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				other := newShop(t, s)
				want := *sh
				want.Name = "Renamed"
				want.AllowedOrigins = []string{"https://new.example"}
				want.PasswordResetURL = "https://new.example/reset"
				want.Settings = core.ShopSettings{
					AccessTokenTTL:    5 * time.Minute,
					RefreshTokenTTL:   24 * time.Hour,
					RefreshIdleTTL:    time.Hour,
					ResetTokenTTL:     10 * time.Minute,
					EmailExistsCheck:  false,
					MinPasswordLength: 8,
					WelcomeMailOff:    true,
				}
				want.UpdatedAt = at(time.Hour)
				must(t, s.UpdateShop(t.Context(), &want))
				got, err := s.GetShop(t.Context(), sh.ID)
				must(t, err)
				wantEqual(t, got, &want)
				// The other shop is untouched.
				got, err = s.GetShop(t.Context(), other.ID)
				must(t, err)
				wantEqual(t, got, other)
			}},
			{"created_at_fixed", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				upd := *sh
				upd.CreatedAt = at(24 * time.Hour)
				must(t, s.UpdateShop(t.Context(), &upd))
				got, err := s.GetShop(t.Context(), sh.ID)
				must(t, err)
				wantEqual(t, got.CreatedAt, sh.CreatedAt)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				sh := shopFixture()
				wantErr(t, s.UpdateShop(t.Context(), sh), core.ErrNotFound)
				_, err := s.GetShop(t.Context(), sh.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"OldestShop", []testCase{
			{"empty", func(t *testing.T, s core.Store) {
				_, err := s.OldestShop(t.Context())
				wantErr(t, err, core.ErrNotFound)
			}},
			{"first_created", func(t *testing.T, s core.Store) {
				// Inserted out of creation order, so insertion order cannot
				// pass for creation order.
				var want *core.Shop
				for _, d := range []time.Duration{time.Hour, -time.Hour, 2 * time.Hour} {
					sh := shopFixture()
					sh.CreatedAt = at(d)
					must(t, s.CreateShop(t.Context(), sh))
					if d < 0 {
						want = sh
					}
				}
				got, err := s.OldestShop(t.Context())
				must(t, err)
				wantEqual(t, got, want)
			}},
		}},
	}
}

func apiKeyCases() []methodCases {
	return []methodCases{
		{"CreateAPIKey", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				want := apiKeyFixture(sh.ID, core.KeyPublishable)
				must(t, s.CreateAPIKey(t.Context(), want))
				got, err := s.GetAPIKeyByHash(t.Context(), want.Hash)
				must(t, err)
				wantEqual(t, got, want)
			}},
			{"revoked_secret_key", func(t *testing.T, s core.Store) {
				// A revoked key is still found: the caller decides what
				// revocation means.
				sh := newShop(t, s)
				want := apiKeyFixture(sh.ID, core.KeySecret)
				want.Hint = "sk_test_xy"
				want.RevokedAt = ptr(at(time.Hour))
				must(t, s.CreateAPIKey(t.Context(), want))
				got, err := s.GetAPIKeyByHash(t.Context(), want.Hash)
				must(t, err)
				wantEqual(t, got, want)
			}},
			{"duplicate_hash", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				first := apiKeyFixture(sh.ID, core.KeyPublishable)
				must(t, s.CreateAPIKey(t.Context(), first))
				dup := apiKeyFixture(sh.ID, core.KeySecret)
				dup.Hash = first.Hash
				wantErr(t, s.CreateAPIKey(t.Context(), dup), core.ErrConflict)
				got, err := s.GetAPIKeyByHash(t.Context(), first.Hash)
				must(t, err)
				wantEqual(t, got, first)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				first := apiKeyFixture(sh.ID, core.KeyPublishable)
				must(t, s.CreateAPIKey(t.Context(), first))
				dup := apiKeyFixture(sh.ID, core.KeyPublishable)
				dup.ID = first.ID
				wantErr(t, s.CreateAPIKey(t.Context(), dup), core.ErrConflict)
				_, err := s.GetAPIKeyByHash(t.Context(), dup.Hash)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"unknown_shop", func(t *testing.T, s core.Store) {
				k := apiKeyFixture(newID("sto_"), core.KeyPublishable)
				wantErr(t, s.CreateAPIKey(t.Context(), k), core.ErrNotFound)
			}},
		}},
		{"GetAPIKeyByHash", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				must(t, s.CreateAPIKey(t.Context(), apiKeyFixture(sh.ID, core.KeyPublishable)))
				_, err := s.GetAPIKeyByHash(t.Context(), newHash())
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
	}
}
