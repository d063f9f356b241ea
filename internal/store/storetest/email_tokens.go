package storetest

import (
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

func emailTokenFixture(shopID, customerID string, purpose core.VerificationPurpose) *core.EmailToken {
	return &core.EmailToken{
		ID:         newID("etk_"),
		ShopID:     shopID,
		CustomerID: customerID,
		Purpose:    purpose,
		Email:      "New.Address@Example.com",
		Subject:    "ord_1,ord_2",
		Hash:       newHash(),
		CreatedAt:  at(0),
		ExpiresAt:  at(24 * time.Hour),
	}
}

func newEmailToken(t *testing.T, s core.Store, shopID, customerID string, purpose core.VerificationPurpose) *core.EmailToken {
	t.Helper()
	tok := emailTokenFixture(shopID, customerID, purpose)
	must(t, s.CreateEmailToken(t.Context(), tok))
	return tok
}

// wantEmailToken fails unless the stored token equals want.
func wantEmailToken(t *testing.T, s core.Store, want *core.EmailToken) {
	t.Helper()
	got, err := s.GetEmailTokenByHash(t.Context(), want.Hash)
	must(t, err)
	wantEqual(t, got, want)
}

// emailTokenCases returns the cases of e-mail tokens.
func emailTokenCases() []methodCases {
	return []methodCases{
		{"CreateEmailToken", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				for _, p := range []core.VerificationPurpose{core.PurposeVerifyEmail, core.PurposeChangeEmail, core.PurposeClaimOrders} {
					wantEmailToken(t, s, newEmailToken(t, s, sh.ID, c.ID, p))
				}
			}},
			{"duplicate_hash", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				tok := newEmailToken(t, s, sh.ID, c.ID, core.PurposeVerifyEmail)
				dup := emailTokenFixture(sh.ID, c.ID, core.PurposeVerifyEmail)
				dup.Hash = tok.Hash
				wantErr(t, s.CreateEmailToken(t.Context(), dup), core.ErrConflict)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				_, c := newShopCustomer(t, s)
				other := newShop(t, s)
				tok := emailTokenFixture(other.ID, c.ID, core.PurposeVerifyEmail)
				wantErr(t, s.CreateEmailToken(t.Context(), tok), core.ErrNotFound)
				_, err := s.GetEmailTokenByHash(t.Context(), tok.Hash)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"cascades_with_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				tok := newEmailToken(t, s, sh.ID, c.ID, core.PurposeVerifyEmail)
				must(t, s.DeleteCustomer(t.Context(), sh.ID, c.ID))
				_, err := s.GetEmailTokenByHash(t.Context(), tok.Hash)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetEmailTokenByHash", []testCase{
			{"unknown", func(t *testing.T, s core.Store) {
				_, err := s.GetEmailTokenByHash(t.Context(), newHash())
				wantErr(t, err, core.ErrNotFound)
			}},
			{"returns_used_tokens_with_their_shop", func(t *testing.T, s core.Store) {
				// Use, expiry and the shop are core's to judge, so a used
				// token still reads back, with the shop it belongs to.
				sh, c := newShopCustomer(t, s)
				tok := newEmailToken(t, s, sh.ID, c.ID, core.PurposeChangeEmail)
				must(t, s.UseEmailToken(t.Context(), tok.ID, at(time.Minute)))
				tok.UsedAt = ptr(at(time.Minute))
				wantEmailToken(t, s, tok)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				// Lookups by hash are global (the hash is unguessable); the
				// shop comes back for core to compare.
				sh, c := newShopCustomer(t, s)
				newShop(t, s)
				tok := newEmailToken(t, s, sh.ID, c.ID, core.PurposeVerifyEmail)
				got, err := s.GetEmailTokenByHash(t.Context(), tok.Hash)
				must(t, err)
				if got.ShopID != sh.ID {
					t.Fatalf("shop = %s, want %s", got.ShopID, sh.ID)
				}
			}},
		}},
		{"UseEmailToken", []testCase{
			{"once", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				tok := newEmailToken(t, s, sh.ID, c.ID, core.PurposeVerifyEmail)
				must(t, s.UseEmailToken(t.Context(), tok.ID, at(time.Minute)))
				wantErr(t, s.UseEmailToken(t.Context(), tok.ID, at(2*time.Minute)), core.ErrConflict)
				tok.UsedAt = ptr(at(time.Minute))
				wantEmailToken(t, s, tok)
			}},
			{"unknown", func(t *testing.T, s core.Store) {
				wantErr(t, s.UseEmailToken(t.Context(), newID("etk_"), at(0)), core.ErrNotFound)
			}},
			{"parallel_one_winner", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				tok := newEmailToken(t, s, sh.ID, c.ID, core.PurposeChangeEmail)
				errs := concurrently(10, func(i int) error {
					return s.InTx(t.Context(), func(tx core.Store) error {
						if _, err := tx.GetEmailTokenByHash(t.Context(), tok.Hash); err != nil {
							return err
						}
						return tx.UseEmailToken(t.Context(), tok.ID, at(time.Duration(i+1)*time.Second))
					})
				})
				oneWinner(t, errs, core.ErrConflict)
			}},
		}},
		{"InvalidateEmailTokens", []testCase{
			{"marks_unused_of_the_purpose", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := newEmailToken(t, s, sh.ID, c.ID, core.PurposeVerifyEmail)
				b := newEmailToken(t, s, sh.ID, c.ID, core.PurposeVerifyEmail)
				used := newEmailToken(t, s, sh.ID, c.ID, core.PurposeVerifyEmail)
				must(t, s.UseEmailToken(t.Context(), used.ID, at(time.Minute)))
				change := newEmailToken(t, s, sh.ID, c.ID, core.PurposeChangeEmail)
				must(t, s.InvalidateEmailTokens(t.Context(), sh.ID, c.ID, core.PurposeVerifyEmail, at(time.Hour)))
				a.UsedAt, b.UsedAt, used.UsedAt = ptr(at(time.Hour)), ptr(at(time.Hour)), ptr(at(time.Minute))
				for _, tok := range []*core.EmailToken{a, b, used, change} {
					wantEmailToken(t, s, tok)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				other := newShop(t, s)
				tok := newEmailToken(t, s, sh.ID, c.ID, core.PurposeVerifyEmail)
				must(t, s.InvalidateEmailTokens(t.Context(), other.ID, c.ID, core.PurposeVerifyEmail, at(time.Hour)))
				wantEmailToken(t, s, tok)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				typed, _ := newEmail()
				otherCust := newCustomer(t, s, sh.ID, typed)
				tok := newEmailToken(t, s, sh.ID, c.ID, core.PurposeVerifyEmail)
				must(t, s.InvalidateEmailTokens(t.Context(), sh.ID, otherCust.ID, core.PurposeVerifyEmail, at(time.Hour)))
				wantEmailToken(t, s, tok)
			}},
		}},
	}
}
