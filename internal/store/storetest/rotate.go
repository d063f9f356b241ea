package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// rotatorCases cover core.RefreshRotator, the optional one-statement
// rotation; on a backend whose transactions do not offer it they skip.
func rotatorCases() []methodCases {
	// rotate runs the fast path in a transaction that commits.
	rotate := func(t *testing.T, s core.Store, shopID string, hash []byte, child *core.RefreshToken) (rt *core.RefreshToken, sess *core.Session, err error) {
		t.Helper()
		txErr := s.InTx(t.Context(), func(tx core.Store) error {
			r, ok := tx.(core.RefreshRotator)
			if !ok {
				t.Skip("this backend has no RefreshRotator")
			}
			rt, sess, err = r.RotateRefreshTokenByHash(t.Context(), shopID, hash, child, at(time.Hour))
			return nil
		})
		must(t, txErr)
		return rt, sess, err
	}
	setup := func(t *testing.T, s core.Store) (*core.Shop, *core.Session, *core.RefreshToken) {
		sh, c := newShopCustomer(t, s)
		sess := newSession(t, s, sh.ID, c.ID)
		return sh, sess, newRefreshToken(t, s, sess.ID, "")
	}
	child := func() *core.RefreshToken {
		return &core.RefreshToken{ID: newID("rt_"), Hash: newHash(), CreatedAt: at(time.Hour)}
	}
	// unchanged fails when rt or sess changed in the store.
	unchanged := func(t *testing.T, s core.Store, sess *core.Session, rt *core.RefreshToken, kid *core.RefreshToken) {
		t.Helper()
		got, err := s.GetRefreshTokenByHash(t.Context(), rt.Hash)
		must(t, err)
		wantEqual(t, got, rt)
		gs, err := s.GetSession(t.Context(), sess.ShopID, sess.ID)
		must(t, err)
		wantEqual(t, gs, sess)
		if _, err := s.GetRefreshTokenByHash(t.Context(), kid.Hash); !errors.Is(err, core.ErrNotFound) {
			t.Fatalf("child written: %v", err)
		}
	}
	return []methodCases{
		{"RotateRefreshTokenByHash", []testCase{
			{"rotates", func(t *testing.T, s core.Store) {
				sh, sess, rt := setup(t, s)
				kid := child()
				gotRT, gotSess, err := rotate(t, s, sh.ID, rt.Hash, kid)
				must(t, err)
				wantEqual(t, gotRT, rt)     // as it was
				wantEqual(t, gotSess, sess) // as it was
				after, err := s.GetRefreshTokenByHash(t.Context(), rt.Hash)
				must(t, err)
				if after.RotatedAt == nil || !after.RotatedAt.Equal(at(time.Hour)) {
					t.Fatalf("rotated_at = %v", after.RotatedAt)
				}
				got, err := s.GetRefreshTokenChild(t.Context(), rt.ID)
				must(t, err)
				wantEqual(t, got, &core.RefreshToken{ID: kid.ID, SessionID: sess.ID, Hash: kid.Hash, ParentID: rt.ID, CreatedAt: at(time.Hour)})
				gs, err := s.GetSession(t.Context(), sh.ID, sess.ID)
				must(t, err)
				if !gs.LastUsedAt.Equal(at(time.Hour)) {
					t.Fatalf("session not touched: %v", gs.LastUsedAt)
				}
			}},
			{"already_rotated", func(t *testing.T, s core.Store) {
				sh, sess, rt := setup(t, s)
				must(t, s.MarkRefreshTokenRotated(t.Context(), rt.ID, at(time.Minute)))
				rt.RotatedAt = ptr(at(time.Minute))
				kid := child()
				_, _, err := rotate(t, s, sh.ID, rt.Hash, kid)
				wantErr(t, err, core.ErrNotFound)
				unchanged(t, s, sess, rt, kid)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				_, sess, rt := setup(t, s)
				other := newShop(t, s)
				kid := child()
				_, _, err := rotate(t, s, other.ID, rt.Hash, kid)
				wantErr(t, err, core.ErrNotFound)
				unchanged(t, s, sess, rt, kid)
			}},
			{"unknown_hash", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				_, _, err := rotate(t, s, sh.ID, newHash(), child())
				wantErr(t, err, core.ErrNotFound)
			}},
			{"concurrent_one_winner", func(t *testing.T, s core.Store) {
				sh, _, rt := setup(t, s)
				rotate(t, s, sh.ID, newHash(), child()) // skips without a RefreshRotator
				errs := concurrently(8, func(int) error {
					var err error
					txErr := s.InTx(t.Context(), func(tx core.Store) error {
						r, ok := tx.(core.RefreshRotator)
						if !ok {
							return core.ErrNotFound
						}
						_, _, err = r.RotateRefreshTokenByHash(t.Context(), sh.ID, rt.Hash, child(), at(time.Hour))
						return nil
					})
					if txErr != nil {
						return txErr
					}
					return err
				})
				oneWinner(t, errs, core.ErrNotFound)
			}},
		}},
	}
}
