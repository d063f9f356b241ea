package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// wantSession fails unless the stored session equals want.
func wantSession(t *testing.T, s core.Store, want *core.Session) {
	t.Helper()
	got, err := s.GetSession(t.Context(), want.ShopID, want.ID)
	must(t, err)
	wantEqual(t, got, want)
}

// sessionIDs returns the ids of ss in order.
func sessionIDs(ss []core.Session) []string {
	ids := make([]string, len(ss))
	for i, s := range ss {
		ids[i] = s.ID
	}
	return ids
}

func sessionCases() []methodCases {
	return []methodCases{
		{"CreateSession", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				wantSession(t, s, newSession(t, s, sh.ID, c.ID))
			}},
			{"revoked", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				se := sessionFixture(sh.ID, c.ID)
				se.RevokedAt, se.RevokeReason = ptr(at(time.Hour)), "logout"
				must(t, s.CreateSession(t.Context(), se))
				wantSession(t, s, se)
			}},
			{"guest", func(t *testing.T, s core.Store) {
				// Guest sessions (DESIGN §3) have no customer.
				sh := newShop(t, s)
				wantSession(t, s, newSession(t, s, sh.ID, ""))
			}},
			{"guest_id_round_trip", func(t *testing.T, s core.Store) {
				// A guest session carries its guest id ...
				sh, c := newShopCustomer(t, s)
				guest := sessionFixture(sh.ID, "")
				guest.GuestID = newID("gst_")
				must(t, s.CreateSession(t.Context(), guest))
				wantSession(t, s, guest)
				// ... and so does the customer session a guest's login
				// started, which the customer's list shows with it.
				linked := sessionFixture(sh.ID, c.ID)
				linked.GuestID = guest.GuestID
				must(t, s.CreateSession(t.Context(), linked))
				wantSession(t, s, linked)
				got, err := s.ListSessions(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, []core.Session{*linked})
				// Revoking keeps it.
				must(t, s.RevokeSession(t.Context(), sh.ID, guest.ID, at(time.Hour), "guest_linked"))
				guest.RevokedAt, guest.RevokeReason = ptr(at(time.Hour)), "guest_linked"
				wantSession(t, s, guest)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				first := newSession(t, s, sh.ID, c.ID)
				dup := sessionFixture(sh.ID, c.ID)
				dup.ID, dup.UserAgent = first.ID, "impostor"
				wantErr(t, s.CreateSession(t.Context(), dup), core.ErrConflict)
				wantSession(t, s, first)
			}},
			{"unknown_customer", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				se := sessionFixture(sh.ID, newID("cus_"))
				wantErr(t, s.CreateSession(t.Context(), se), core.ErrNotFound)
			}},
			{"customer_of_another_store", func(t *testing.T, s core.Store) {
				// A session must not pair one shop with another shop's customer.
				_, c := newShopCustomer(t, s)
				other := newShop(t, s)
				se := sessionFixture(other.ID, c.ID)
				wantErr(t, s.CreateSession(t.Context(), se), core.ErrNotFound)
			}},
		}},
		{"GetSession", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				newSession(t, s, sh.ID, c.ID)
				_, err := s.GetSession(t.Context(), sh.ID, newID("ses_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				se := newSession(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				_, err := s.GetSession(t.Context(), other.ID, se.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"ListSessions", []testCase{
			{"newest_first_without_revoked", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				mk := func(created time.Duration, revoked bool) *core.Session {
					se := sessionFixture(sh.ID, c.ID)
					se.CreatedAt = at(created)
					if revoked {
						se.RevokedAt, se.RevokeReason = ptr(at(created+time.Minute)), "logout"
					}
					must(t, s.CreateSession(t.Context(), se))
					return se
				}
				// Inserted out of order; the expired one is still listed
				// (expiry is core's call), the revoked one is not.
				mid := mk(2*time.Hour, false)
				old := mk(time.Hour, false)
				mk(4*time.Hour, true)
				expired := sessionFixture(sh.ID, c.ID)
				expired.CreatedAt, expired.ExpiresAt = at(-48*time.Hour), at(-24*time.Hour)
				must(t, s.CreateSession(t.Context(), expired))
				newest := mk(3*time.Hour, false)
				// Another customer's session is not listed.
				someone := newCustomer(t, s, sh.ID, "someone@example.com")
				newSession(t, s, sh.ID, someone.ID)

				got, err := s.ListSessions(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, []core.Session{*newest, *mid, *old, *expired})
			}},
			{"none", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				got, err := s.ListSessions(t.Context(), sh.ID, c.ID)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("got %d sessions, want none", len(got))
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				newSession(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				got, err := s.ListSessions(t.Context(), other.ID, c.ID)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another store listed %v", sessionIDs(got))
				}
			}},
		}},
		{"TouchSession", []testCase{
			{"sets_last_used", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				se := newSession(t, s, sh.ID, c.ID)
				must(t, s.TouchSession(t.Context(), sh.ID, se.ID, at(5*time.Hour)))
				se.LastUsedAt = at(5 * time.Hour)
				wantSession(t, s, se)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				wantErr(t, s.TouchSession(t.Context(), sh.ID, newID("ses_"), at(time.Hour)), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				se := newSession(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				wantErr(t, s.TouchSession(t.Context(), other.ID, se.ID, at(5*time.Hour)), core.ErrNotFound)
				wantSession(t, s, se)
			}},
		}},
		{"RevokeSession", []testCase{
			{"revokes", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				se := newSession(t, s, sh.ID, c.ID)
				keep := newSession(t, s, sh.ID, c.ID)
				must(t, s.RevokeSession(t.Context(), sh.ID, se.ID, at(time.Hour), "logout"))
				se.RevokedAt, se.RevokeReason = ptr(at(time.Hour)), "logout"
				wantSession(t, s, se)
				wantSession(t, s, keep)
			}},
			{"already_revoked", func(t *testing.T, s core.Store) {
				// A second revocation is a no-op: the first time and reason stay.
				sh, c := newShopCustomer(t, s)
				se := newSession(t, s, sh.ID, c.ID)
				must(t, s.RevokeSession(t.Context(), sh.ID, se.ID, at(time.Hour), "logout"))
				must(t, s.RevokeSession(t.Context(), sh.ID, se.ID, at(2*time.Hour), "reuse_detected"))
				se.RevokedAt, se.RevokeReason = ptr(at(time.Hour)), "logout"
				wantSession(t, s, se)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				err := s.RevokeSession(t.Context(), sh.ID, newID("ses_"), at(time.Hour), "logout")
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				se := newSession(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				err := s.RevokeSession(t.Context(), other.ID, se.ID, at(time.Hour), "logout")
				wantErr(t, err, core.ErrNotFound)
				wantSession(t, s, se)
			}},
		}},
		{"RevokeCustomerSessions", []testCase{
			{"revokes_all_live", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				live := []*core.Session{newSession(t, s, sh.ID, c.ID), newSession(t, s, sh.ID, c.ID)}
				done := sessionFixture(sh.ID, c.ID)
				done.RevokedAt, done.RevokeReason = ptr(at(time.Minute)), "logout"
				must(t, s.CreateSession(t.Context(), done))
				someone := newCustomer(t, s, sh.ID, "someone@example.com")
				bystander := newSession(t, s, sh.ID, someone.ID)

				ids, err := s.RevokeCustomerSessions(t.Context(), sh.ID, c.ID, "", at(time.Hour), "password_changed")
				must(t, err)
				slices.Sort(ids)
				want := []string{live[0].ID, live[1].ID}
				slices.Sort(want)
				wantEqual(t, ids, want)
				for _, se := range live {
					se.RevokedAt, se.RevokeReason = ptr(at(time.Hour)), "password_changed"
					wantSession(t, s, se)
				}
				// Already revoked: not returned, first revocation kept.
				wantSession(t, s, done)
				wantSession(t, s, bystander)
			}},
			{"except_current", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				current := newSession(t, s, sh.ID, c.ID)
				other := newSession(t, s, sh.ID, c.ID)
				ids, err := s.RevokeCustomerSessions(t.Context(), sh.ID, c.ID, current.ID, at(time.Hour), "password_changed")
				must(t, err)
				wantEqual(t, ids, []string{other.ID})
				wantSession(t, s, current)
				other.RevokedAt, other.RevokeReason = ptr(at(time.Hour)), "password_changed"
				wantSession(t, s, other)
			}},
			{"none", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				ids, err := s.RevokeCustomerSessions(t.Context(), sh.ID, c.ID, "", at(time.Hour), "logout_all")
				must(t, err)
				if len(ids) != 0 {
					t.Fatalf("revoked %v, want none", ids)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				se := newSession(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				ids, err := s.RevokeCustomerSessions(t.Context(), other.ID, c.ID, "", at(time.Hour), "logout_all")
				must(t, err)
				if len(ids) != 0 {
					t.Fatalf("another store revoked %v", ids)
				}
				wantSession(t, s, se)
			}},
		}},
		{"RevokedSince", []testCase{
			{"across_stores", func(t *testing.T, s core.Store) {
				a, ca := newShopCustomer(t, s)
				b, cb := newShopCustomer(t, s)
				revoke := func(shopID, customerID string, when time.Duration) *core.Session {
					se := newSession(t, s, shopID, customerID)
					must(t, s.RevokeSession(t.Context(), shopID, se.ID, at(when), "logout"))
					return se
				}
				revoke(a.ID, ca.ID, time.Hour) // before since
				onBoundary := revoke(a.ID, ca.ID, 2*time.Hour)
				later := revoke(b.ID, cb.ID, 3*time.Hour)
				newSession(t, s, b.ID, cb.ID) // live

				got, err := s.RevokedSince(t.Context(), at(2*time.Hour))
				must(t, err)
				slices.SortFunc(got, func(x, y core.Revocation) int { return x.RevokedAt.Compare(y.RevokedAt) })
				wantEqual(t, got, []core.Revocation{
					{SessionID: onBoundary.ID, RevokedAt: at(2 * time.Hour)},
					{SessionID: later.ID, RevokedAt: at(3 * time.Hour)},
				})
			}},
			{"none", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				se := newSession(t, s, sh.ID, c.ID)
				must(t, s.RevokeSession(t.Context(), sh.ID, se.ID, at(time.Hour), "logout"))
				got, err := s.RevokedSince(t.Context(), at(time.Hour+time.Microsecond))
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("got %v, want none", got)
				}
			}},
		}},
	}
}
