package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// wantRefreshToken fails unless the stored token equals want.
func wantRefreshToken(t *testing.T, s core.Store, want *core.RefreshToken) {
	t.Helper()
	got, err := s.GetRefreshTokenByHash(t.Context(), want.Hash)
	must(t, err)
	wantEqual(t, got, want)
}

// newTokenSession returns a session (with its shop and customer) to hang
// refresh tokens on.
func newTokenSession(t *testing.T, s core.Store) *core.Session {
	t.Helper()
	sh, c := newShopCustomer(t, s)
	return newSession(t, s, sh.ID, c.ID)
}

// Rotate is the storage half of a refresh as core runs it: find the
// presented token, mark it rotated and create its child, in one transaction.
// Backends use it in their benchmarks so they measure the same work.
func Rotate(ctx context.Context, s core.Store, hash []byte, child *core.RefreshToken) error {
	return s.InTx(ctx, func(tx core.Store) error {
		parent, err := tx.GetRefreshTokenByHash(ctx, hash)
		if err != nil {
			return err
		}
		if err := tx.MarkRefreshTokenRotated(ctx, parent.ID, child.CreatedAt); err != nil {
			return err
		}
		child.SessionID, child.ParentID = parent.SessionID, parent.ID
		return tx.CreateRefreshToken(ctx, child)
	})
}

func refreshTokenCases() []methodCases {
	return []methodCases{
		{"CreateRefreshToken", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				se := newTokenSession(t, s)
				root := refreshTokenFixture(se.ID, "")
				root.RotatedAt = ptr(at(time.Hour))
				must(t, s.CreateRefreshToken(t.Context(), root))
				child := refreshTokenFixture(se.ID, root.ID)
				child.CreatedAt = at(time.Hour)
				must(t, s.CreateRefreshToken(t.Context(), child))
				wantRefreshToken(t, s, root)
				wantRefreshToken(t, s, child)
			}},
			{"duplicate_hash", func(t *testing.T, s core.Store) {
				se := newTokenSession(t, s)
				first := newRefreshToken(t, s, se.ID, "")
				dup := refreshTokenFixture(se.ID, "")
				dup.Hash = first.Hash
				wantErr(t, s.CreateRefreshToken(t.Context(), dup), core.ErrConflict)
				wantRefreshToken(t, s, first)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				se := newTokenSession(t, s)
				first := newRefreshToken(t, s, se.ID, "")
				dup := refreshTokenFixture(se.ID, "")
				dup.ID = first.ID
				wantErr(t, s.CreateRefreshToken(t.Context(), dup), core.ErrConflict)
				_, err := s.GetRefreshTokenByHash(t.Context(), dup.Hash)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"second_child", func(t *testing.T, s core.Store) {
				// A token is replaced at most once; a second child would be a
				// second live branch of the family.
				se := newTokenSession(t, s)
				root := newRefreshToken(t, s, se.ID, "")
				newRefreshToken(t, s, se.ID, root.ID)
				again := refreshTokenFixture(se.ID, root.ID)
				wantErr(t, s.CreateRefreshToken(t.Context(), again), core.ErrConflict)
			}},
			{"unknown_session", func(t *testing.T, s core.Store) {
				rt := refreshTokenFixture(newID("ses_"), "")
				wantErr(t, s.CreateRefreshToken(t.Context(), rt), core.ErrNotFound)
			}},
		}},
		{"GetRefreshTokenByHash", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				se := newTokenSession(t, s)
				newRefreshToken(t, s, se.ID, "")
				_, err := s.GetRefreshTokenByHash(t.Context(), newHash())
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetRefreshTokenChild", []testCase{
			{"found", func(t *testing.T, s core.Store) {
				se := newTokenSession(t, s)
				root := newRefreshToken(t, s, se.ID, "")
				child := newRefreshToken(t, s, se.ID, root.ID)
				newRefreshToken(t, s, se.ID, child.ID) // grandchild
				got, err := s.GetRefreshTokenChild(t.Context(), root.ID)
				must(t, err)
				wantEqual(t, got, child)
			}},
			{"no_child", func(t *testing.T, s core.Store) {
				se := newTokenSession(t, s)
				root := newRefreshToken(t, s, se.ID, "")
				_, err := s.GetRefreshTokenChild(t.Context(), root.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				_, err := s.GetRefreshTokenChild(t.Context(), newID("rt_"))
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"MarkRefreshTokenRotated", []testCase{
			{"marks", func(t *testing.T, s core.Store) {
				se := newTokenSession(t, s)
				rt := newRefreshToken(t, s, se.ID, "")
				keep := newRefreshToken(t, s, se.ID, "")
				must(t, s.MarkRefreshTokenRotated(t.Context(), rt.ID, at(time.Hour)))
				rt.RotatedAt = ptr(at(time.Hour))
				wantRefreshToken(t, s, rt)
				wantRefreshToken(t, s, keep)
			}},
			{"already_rotated", func(t *testing.T, s core.Store) {
				se := newTokenSession(t, s)
				rt := newRefreshToken(t, s, se.ID, "")
				must(t, s.MarkRefreshTokenRotated(t.Context(), rt.ID, at(time.Hour)))
				wantErr(t, s.MarkRefreshTokenRotated(t.Context(), rt.ID, at(2*time.Hour)), core.ErrConflict)
				rt.RotatedAt = ptr(at(time.Hour))
				wantRefreshToken(t, s, rt)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				err := s.MarkRefreshTokenRotated(t.Context(), newID("rt_"), at(time.Hour))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"concurrent_rotation", func(t *testing.T, s core.Store) {
				// 50 refreshes of the same token race; the transaction must
				// let exactly one rotate it, and the rest see a conflict
				// (reuse) with their child rolled back.
				se := newTokenSession(t, s)
				parent := newRefreshToken(t, s, se.ID, "")
				children := make([]*core.RefreshToken, 50)
				for i := range children {
					children[i] = refreshTokenFixture(se.ID, parent.ID)
					children[i].CreatedAt = at(time.Hour)
				}
				errs := concurrently(len(children), func(i int) error {
					return Rotate(t.Context(), s, parent.Hash, children[i])
				})
				w := oneWinner(t, errs, core.ErrConflict)

				parent.RotatedAt = ptr(at(time.Hour))
				wantRefreshToken(t, s, parent)
				got, err := s.GetRefreshTokenChild(t.Context(), parent.ID)
				must(t, err)
				wantEqual(t, got, children[w])
				for i, c := range children {
					if i == w {
						continue
					}
					if _, err := s.GetRefreshTokenByHash(t.Context(), c.Hash); err == nil {
						t.Fatalf("losing child %d was stored", i)
					}
				}
			}},
		}},
	}
}

func passwordResetCases() []methodCases {
	// wantReset fails unless the stored reset equals want.
	wantReset := func(t *testing.T, s core.Store, want *core.PasswordReset) {
		t.Helper()
		got, err := s.GetPasswordResetByHash(t.Context(), want.Hash)
		must(t, err)
		wantEqual(t, got, want)
	}
	return []methodCases{
		{"CreatePasswordReset", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				wantReset(t, s, newPasswordReset(t, s, sh.ID, c.ID))
			}},
			{"bound", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				for _, b := range []core.ResetBinding{
					{ClientID: "client-a", Challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
					{ClientID: "client-b", CrossDevice: true},
					{ClientID: "client-c", Challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", CrossDevice: true},
				} {
					p := passwordResetFixture(sh.ID, c.ID)
					p.Binding = b
					must(t, s.CreatePasswordReset(t.Context(), p))
					wantReset(t, s, p)
				}
			}},
			{"used", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				p := passwordResetFixture(sh.ID, c.ID)
				p.UsedAt = ptr(at(time.Minute))
				must(t, s.CreatePasswordReset(t.Context(), p))
				wantReset(t, s, p)
			}},
			{"duplicate_hash", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				first := newPasswordReset(t, s, sh.ID, c.ID)
				dup := passwordResetFixture(sh.ID, c.ID)
				dup.Hash = first.Hash
				wantErr(t, s.CreatePasswordReset(t.Context(), dup), core.ErrConflict)
				wantReset(t, s, first)
			}},
			{"unknown_customer", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				p := passwordResetFixture(sh.ID, newID("cus_"))
				wantErr(t, s.CreatePasswordReset(t.Context(), p), core.ErrNotFound)
			}},
			{"customer_of_another_store", func(t *testing.T, s core.Store) {
				_, c := newShopCustomer(t, s)
				other := newShop(t, s)
				p := passwordResetFixture(other.ID, c.ID)
				wantErr(t, s.CreatePasswordReset(t.Context(), p), core.ErrNotFound)
			}},
		}},
		{"GetPasswordResetByHash", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				newPasswordReset(t, s, sh.ID, c.ID)
				_, err := s.GetPasswordResetByHash(t.Context(), newHash())
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"UsePasswordReset", []testCase{
			{"uses", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				p := newPasswordReset(t, s, sh.ID, c.ID)
				keep := newPasswordReset(t, s, sh.ID, c.ID)
				must(t, s.UsePasswordReset(t.Context(), p.ID, at(time.Minute)))
				p.UsedAt = ptr(at(time.Minute))
				wantReset(t, s, p)
				wantReset(t, s, keep)
			}},
			{"already_used", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				p := newPasswordReset(t, s, sh.ID, c.ID)
				must(t, s.UsePasswordReset(t.Context(), p.ID, at(time.Minute)))
				wantErr(t, s.UsePasswordReset(t.Context(), p.ID, at(2*time.Minute)), core.ErrConflict)
				p.UsedAt = ptr(at(time.Minute))
				wantReset(t, s, p)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				wantErr(t, s.UsePasswordReset(t.Context(), newID("prt_"), at(time.Minute)), core.ErrNotFound)
			}},
			{"concurrent", func(t *testing.T, s core.Store) {
				// A reset link clicked twice at once sets one password.
				sh, c := newShopCustomer(t, s)
				p := newPasswordReset(t, s, sh.ID, c.ID)
				errs := concurrently(20, func(int) error {
					return s.UsePasswordReset(t.Context(), p.ID, at(time.Minute))
				})
				oneWinner(t, errs, core.ErrConflict)
				p.UsedAt = ptr(at(time.Minute))
				wantReset(t, s, p)
			}},
		}},
		{"InvalidatePasswordResets", []testCase{
			{"marks_unused", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				open1 := newPasswordReset(t, s, sh.ID, c.ID)
				open2 := newPasswordReset(t, s, sh.ID, c.ID)
				used := newPasswordReset(t, s, sh.ID, c.ID)
				must(t, s.UsePasswordReset(t.Context(), used.ID, at(time.Minute)))
				someone := newCustomer(t, s, sh.ID, "someone@example.com")
				theirs := newPasswordReset(t, s, sh.ID, someone.ID)

				must(t, s.InvalidatePasswordResets(t.Context(), sh.ID, c.ID, at(time.Hour)))
				open1.UsedAt, open2.UsedAt = ptr(at(time.Hour)), ptr(at(time.Hour))
				used.UsedAt = ptr(at(time.Minute))
				wantReset(t, s, open1)
				wantReset(t, s, open2)
				wantReset(t, s, used)
				wantReset(t, s, theirs)
			}},
			{"none", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				must(t, s.InvalidatePasswordResets(t.Context(), sh.ID, c.ID, at(time.Hour)))
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				p := newPasswordReset(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				must(t, s.InvalidatePasswordResets(t.Context(), other.ID, c.ID, at(time.Hour)))
				wantReset(t, s, p)
			}},
		}},
	}
}
