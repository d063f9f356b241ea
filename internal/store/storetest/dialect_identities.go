package storetest

import (
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

func pendingIdentityFixture(shopID string) *core.PendingIdentity {
	typed, norm := newEmail()
	return &core.PendingIdentity{
		ID:              newID("authid_"),
		ShopID:          shopID,
		Email:           typed,
		EmailNormalized: norm,
		PasswordHash:    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
		CreatedAt:       at(0),
		ExpiresAt:       at(time.Hour),
	}
}

func newPendingIdentity(t *testing.T, s core.Store, shopID string) *core.PendingIdentity {
	t.Helper()
	p := pendingIdentityFixture(shopID)
	must(t, s.CreatePendingIdentity(t.Context(), p))
	return p
}

func sessionCookieFixture(shopID, sessionID string) *core.SessionCookie {
	return &core.SessionCookie{Hash: newHash(), ShopID: shopID, SessionID: sessionID, CreatedAt: at(0), ExpiresAt: at(30 * 24 * time.Hour)}
}

// newSessionCookie makes a shop, a customer, a session and a cookie bound to it.
func newSessionCookie(t *testing.T, s core.Store) (*core.Shop, *core.Session, *core.SessionCookie) {
	t.Helper()
	sh, c := newShopCustomer(t, s)
	sess := newSession(t, s, sh.ID, c.ID)
	ck := sessionCookieFixture(sh.ID, sess.ID)
	must(t, s.CreateSessionCookie(t.Context(), ck))
	return sh, sess, ck
}

// dialectIdentityCases returns the cases of pending identities and session
// cookies (two-step sign-up and cookie sessions shared by every node).
func dialectIdentityCases() []methodCases {
	return []methodCases{
		{"CreatePendingIdentity", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				p := newPendingIdentity(t, s, sh.ID)
				got, err := s.GetPendingIdentity(t.Context(), sh.ID, p.ID)
				must(t, err)
				wantEqual(t, got, p)
			}},
			{"live_same_email_conflicts", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				p := newPendingIdentity(t, s, sh.ID)
				dup := pendingIdentityFixture(sh.ID)
				dup.Email, dup.EmailNormalized = p.Email, p.EmailNormalized
				dup.CreatedAt = p.ExpiresAt.Add(-time.Microsecond)
				wantErr(t, s.CreatePendingIdentity(t.Context(), dup), core.ErrConflict)
			}},
			{"expired_same_email_is_replaced", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				p := newPendingIdentity(t, s, sh.ID)
				next := pendingIdentityFixture(sh.ID)
				next.Email, next.EmailNormalized = p.Email, p.EmailNormalized
				next.CreatedAt, next.ExpiresAt = p.ExpiresAt, p.ExpiresAt.Add(time.Hour)
				must(t, s.CreatePendingIdentity(t.Context(), next))
				_, err := s.GetPendingIdentity(t.Context(), sh.ID, p.ID)
				wantErr(t, err, core.ErrNotFound)
				got, err := s.GetPendingIdentityByEmail(t.Context(), sh.ID, p.EmailNormalized)
				must(t, err)
				wantEqual(t, got, next)
			}},
			{"completed_same_email_does_not_block", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				p := newPendingIdentity(t, s, sh.ID)
				c := newCustomer(t, s, sh.ID, p.Email)
				must(t, s.AttachPendingIdentity(t.Context(), sh.ID, p.ID, c.ID))
				next := pendingIdentityFixture(sh.ID)
				next.Email, next.EmailNormalized = p.Email, p.EmailNormalized
				must(t, s.CreatePendingIdentity(t.Context(), next))
			}},
			{"same_email_on_another_store", func(t *testing.T, s core.Store) {
				p := newPendingIdentity(t, s, newShop(t, s).ID)
				other := pendingIdentityFixture(newShop(t, s).ID)
				other.Email, other.EmailNormalized = p.Email, p.EmailNormalized
				must(t, s.CreatePendingIdentity(t.Context(), other))
			}},
			{"unknown_shop", func(t *testing.T, s core.Store) {
				wantErr(t, s.CreatePendingIdentity(t.Context(), pendingIdentityFixture(newID("sto_"))), core.ErrNotFound)
			}},
			{"concurrent_same_email", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				ps := make([]*core.PendingIdentity, 8)
				for i := range ps {
					ps[i] = pendingIdentityFixture(sh.ID)
					ps[i].Email, ps[i].EmailNormalized = ps[0].Email, ps[0].EmailNormalized
				}
				errs := concurrently(len(ps), func(i int) error {
					return s.CreatePendingIdentity(t.Context(), ps[i])
				})
				w := oneWinner(t, errs, core.ErrConflict)
				got, err := s.GetPendingIdentityByEmail(t.Context(), sh.ID, ps[0].EmailNormalized)
				must(t, err)
				wantEqual(t, got, ps[w])
			}},
			{"concurrent_same_email_over_an_expired_one", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				old := newPendingIdentity(t, s, sh.ID)
				ps := make([]*core.PendingIdentity, 8)
				for i := range ps {
					ps[i] = pendingIdentityFixture(sh.ID)
					ps[i].Email, ps[i].EmailNormalized = old.Email, old.EmailNormalized
					ps[i].CreatedAt, ps[i].ExpiresAt = old.ExpiresAt, old.ExpiresAt.Add(time.Hour)
				}
				errs := concurrently(len(ps), func(i int) error {
					return s.CreatePendingIdentity(t.Context(), ps[i])
				})
				w := oneWinner(t, errs, core.ErrConflict)
				got, err := s.GetPendingIdentityByEmail(t.Context(), sh.ID, old.EmailNormalized)
				must(t, err)
				wantEqual(t, got, ps[w])
			}},
		}},
		{"GetPendingIdentity", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				_, err := s.GetPendingIdentity(t.Context(), newShop(t, s).ID, newID("authid_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				p := newPendingIdentity(t, s, newShop(t, s).ID)
				_, err := s.GetPendingIdentity(t.Context(), newShop(t, s).ID, p.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"completed_reads_back_with_its_customer", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				p := newPendingIdentity(t, s, sh.ID)
				c := newCustomer(t, s, sh.ID, p.Email)
				must(t, s.AttachPendingIdentity(t.Context(), sh.ID, p.ID, c.ID))
				got, err := s.GetPendingIdentity(t.Context(), sh.ID, p.ID)
				must(t, err)
				p.CustomerID = c.ID
				wantEqual(t, got, p)
			}},
		}},
		{"GetPendingIdentityByEmail", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				_, norm := newEmail()
				_, err := s.GetPendingIdentityByEmail(t.Context(), newShop(t, s).ID, norm)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				p := newPendingIdentity(t, s, newShop(t, s).ID)
				_, err := s.GetPendingIdentityByEmail(t.Context(), newShop(t, s).ID, p.EmailNormalized)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"completed_is_not_open", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				p := newPendingIdentity(t, s, sh.ID)
				c := newCustomer(t, s, sh.ID, p.Email)
				must(t, s.AttachPendingIdentity(t.Context(), sh.ID, p.ID, c.ID))
				_, err := s.GetPendingIdentityByEmail(t.Context(), sh.ID, p.EmailNormalized)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"AttachPendingIdentity", []testCase{
			{"once", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				p := newPendingIdentity(t, s, sh.ID)
				c := newCustomer(t, s, sh.ID, p.Email)
				must(t, s.AttachPendingIdentity(t.Context(), sh.ID, p.ID, c.ID))
				wantErr(t, s.AttachPendingIdentity(t.Context(), sh.ID, p.ID, c.ID), core.ErrConflict)
			}},
			{"concurrent", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				p := newPendingIdentity(t, s, sh.ID)
				c := newCustomer(t, s, sh.ID, p.Email)
				errs := concurrently(6, func(int) error {
					return s.AttachPendingIdentity(t.Context(), sh.ID, p.ID, c.ID)
				})
				oneWinner(t, errs, core.ErrConflict)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				wantErr(t, s.AttachPendingIdentity(t.Context(), sh.ID, newID("authid_"), c.ID), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				p := newPendingIdentity(t, s, newShop(t, s).ID)
				other, c := newShopCustomer(t, s)
				wantErr(t, s.AttachPendingIdentity(t.Context(), other.ID, p.ID, c.ID), core.ErrNotFound)
			}},
			{"of_another_customer_store", func(t *testing.T, s core.Store) {
				// The customer must be of the identity's store.
				sh := newShop(t, s)
				p := newPendingIdentity(t, s, sh.ID)
				_, foreign := newShopCustomer(t, s)
				if err := s.AttachPendingIdentity(t.Context(), sh.ID, p.ID, foreign.ID); err == nil {
					t.Fatal("attached a customer of another store")
				}
				got, err := s.GetPendingIdentity(t.Context(), sh.ID, p.ID)
				must(t, err)
				wantEqual(t, got.CustomerID, "")
			}},
			{"cascades_with_customer", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				p := newPendingIdentity(t, s, sh.ID)
				c := newCustomer(t, s, sh.ID, p.Email)
				must(t, s.AttachPendingIdentity(t.Context(), sh.ID, p.ID, c.ID))
				must(t, s.DeleteCustomer(t.Context(), sh.ID, c.ID))
				_, err := s.GetPendingIdentity(t.Context(), sh.ID, p.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"PurgePendingIdentities", []testCase{
			{"expired_only_of_the_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				old := newPendingIdentity(t, s, sh.ID)
				live := pendingIdentityFixture(sh.ID)
				live.ExpiresAt = at(3 * time.Hour)
				must(t, s.CreatePendingIdentity(t.Context(), live))
				foreign := newPendingIdentity(t, s, other.ID)
				n, err := s.PurgePendingIdentities(t.Context(), sh.ID, at(2*time.Hour))
				must(t, err)
				wantEqual(t, n, 1)
				_, err = s.GetPendingIdentity(t.Context(), sh.ID, old.ID)
				wantErr(t, err, core.ErrNotFound)
				_, err = s.GetPendingIdentity(t.Context(), sh.ID, live.ID)
				must(t, err)
				_, err = s.GetPendingIdentity(t.Context(), other.ID, foreign.ID)
				must(t, err)
			}},
		}},
		{"CreateSessionCookie", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh, _, ck := newSessionCookie(t, s)
				got, err := s.GetSessionCookie(t.Context(), sh.ID, ck.Hash)
				must(t, err)
				wantEqual(t, got, ck)
			}},
			{"duplicate_hash", func(t *testing.T, s core.Store) {
				sh, sess, ck := newSessionCookie(t, s)
				dup := sessionCookieFixture(sh.ID, sess.ID)
				dup.Hash = ck.Hash
				wantErr(t, s.CreateSessionCookie(t.Context(), dup), core.ErrConflict)
			}},
			{"session_on_another_store", func(t *testing.T, s core.Store) {
				_, sess, _ := newSessionCookie(t, s)
				other := newShop(t, s)
				ck := sessionCookieFixture(other.ID, sess.ID)
				wantErr(t, s.CreateSessionCookie(t.Context(), ck), core.ErrNotFound)
				_, err := s.GetSessionCookie(t.Context(), other.ID, ck.Hash)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"unknown_session", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				wantErr(t, s.CreateSessionCookie(t.Context(), sessionCookieFixture(sh.ID, newID("ses_"))), core.ErrNotFound)
			}},
			{"cascades_with_customer", func(t *testing.T, s core.Store) {
				sh, sess, ck := newSessionCookie(t, s)
				must(t, s.DeleteCustomer(t.Context(), sh.ID, sess.CustomerID))
				_, err := s.GetSessionCookie(t.Context(), sh.ID, ck.Hash)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetSessionCookie", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				_, err := s.GetSessionCookie(t.Context(), newShop(t, s).ID, newHash())
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				_, _, ck := newSessionCookie(t, s)
				_, err := s.GetSessionCookie(t.Context(), newShop(t, s).ID, ck.Hash)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"DeleteSessionCookie", []testCase{
			{"forgets", func(t *testing.T, s core.Store) {
				sh, _, ck := newSessionCookie(t, s)
				must(t, s.DeleteSessionCookie(t.Context(), sh.ID, ck.Hash))
				_, err := s.GetSessionCookie(t.Context(), sh.ID, ck.Hash)
				wantErr(t, err, core.ErrNotFound)
				must(t, s.DeleteSessionCookie(t.Context(), sh.ID, ck.Hash))
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, _, ck := newSessionCookie(t, s)
				must(t, s.DeleteSessionCookie(t.Context(), newShop(t, s).ID, ck.Hash))
				_, err := s.GetSessionCookie(t.Context(), sh.ID, ck.Hash)
				must(t, err)
			}},
		}},
		{"PurgeSessionCookies", []testCase{
			{"expired_only_of_the_store", func(t *testing.T, s core.Store) {
				sh, sess, old := newSessionCookie(t, s)
				live := sessionCookieFixture(sh.ID, sess.ID)
				live.ExpiresAt = old.ExpiresAt.Add(time.Hour)
				must(t, s.CreateSessionCookie(t.Context(), live))
				other, _, foreign := newSessionCookie(t, s)
				n, err := s.PurgeSessionCookies(t.Context(), sh.ID, old.ExpiresAt)
				must(t, err)
				wantEqual(t, n, 1)
				_, err = s.GetSessionCookie(t.Context(), sh.ID, old.Hash)
				wantErr(t, err, core.ErrNotFound)
				_, err = s.GetSessionCookie(t.Context(), sh.ID, live.Hash)
				must(t, err)
				_, err = s.GetSessionCookie(t.Context(), other.ID, foreign.Hash)
				must(t, err)
			}},
		}},
	}
}
