package storetest

import (
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// eventPublishCases read the outbox across every shop, so each gets a
// fresh store (see needsFreshStore).
func eventPublishCases() []methodCases {
	return []methodCases{
		{"ClaimUnpublishedEvents", []testCase{
			{"leases_oldest_first_until_the_lease_runs_out", func(t *testing.T, s core.Store) {
				a, b := eventFixture(newShop(t, s).ID, "x", 1), eventFixture(newShop(t, s).ID, "y", 2)
				must(t, s.AppendEvent(t.Context(), b)) // appended out of id order
				must(t, s.AppendEvent(t.Context(), a))
				got, err := s.ClaimUnpublishedEvents(t.Context(), at(time.Second), at(time.Minute), 10)
				must(t, err)
				if len(got) != 2 || got[0].ID != a.ID || got[1].ID != b.ID {
					t.Fatalf("claimed %v, want [%s %s]", eventIDs(got), a.ID, b.ID)
				}
				wantEqual(t, &got[0], a)
				again, err := s.ClaimUnpublishedEvents(t.Context(), at(2*time.Second), at(2*time.Minute), 10)
				must(t, err)
				if len(again) != 0 {
					t.Fatalf("leased events claimed twice: %v", eventIDs(again))
				}
				later, err := s.ClaimUnpublishedEvents(t.Context(), at(time.Minute), at(2*time.Minute), 10)
				must(t, err)
				if len(later) != 2 {
					t.Fatalf("expired leases reclaimed %v, want both", eventIDs(later))
				}
			}},
			{"respects_the_limit", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				for i := range 3 {
					must(t, s.AppendEvent(t.Context(), eventFixture(sh.ID, "x", i)))
				}
				got, err := s.ClaimUnpublishedEvents(t.Context(), at(time.Second), at(time.Minute), 2)
				must(t, err)
				if len(got) != 2 {
					t.Fatalf("claimed %d, want 2", len(got))
				}
				rest, err := s.ClaimUnpublishedEvents(t.Context(), at(time.Second), at(time.Minute), 10)
				must(t, err)
				if len(rest) != 1 {
					t.Fatalf("second claim took %d, want the 1 left", len(rest))
				}
			}},
			{"independent_of_webhook_dispatch", func(t *testing.T, s core.Store) {
				e := eventFixture(newShop(t, s).ID, "x", 1)
				must(t, s.AppendEvent(t.Context(), e))
				must(t, s.MarkEventsDispatched(t.Context(), []string{e.ID}, at(time.Second)))
				got, err := s.ClaimUnpublishedEvents(t.Context(), at(time.Second), at(time.Minute), 10)
				must(t, err)
				if len(got) != 1 || got[0].ID != e.ID {
					t.Fatalf("a dispatched event was not claimable for publishing: %v", eventIDs(got))
				}
				undispatched, err := s.UndispatchedEvents(t.Context(), 10)
				must(t, err)
				if len(undispatched) != 0 {
					t.Fatalf("claiming for publishing undid the dispatch: %v", eventIDs(undispatched))
				}
			}},
			{"concurrent_claims_never_overlap", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				for i := range 6 {
					must(t, s.AppendEvent(t.Context(), eventFixture(sh.ID, "x", i)))
				}
				claimsNeverOverlap(t, 6, func() ([]string, error) {
					got, err := s.ClaimUnpublishedEvents(t.Context(), at(time.Second), at(time.Minute), 3)
					return eventIDs(got), err
				})
			}},
		}},
		{"MarkEventsPublished", []testCase{
			{"published_events_are_never_claimed_again", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				a, b := eventFixture(sh.ID, "x", 1), eventFixture(sh.ID, "x", 2)
				must(t, s.AppendEvent(t.Context(), a))
				must(t, s.AppendEvent(t.Context(), b))
				_, err := s.ClaimUnpublishedEvents(t.Context(), at(time.Second), at(time.Minute), 10)
				must(t, err)
				must(t, s.MarkEventsPublished(t.Context(), []string{a.ID}, at(2*time.Second)))
				got, err := s.ClaimUnpublishedEvents(t.Context(), at(time.Hour), at(2*time.Hour), 10)
				must(t, err)
				if len(got) != 1 || got[0].ID != b.ID {
					t.Fatalf("after publishing %s, claimed %v, want only %s", a.ID, eventIDs(got), b.ID)
				}
			}},
			{"empty_list_is_a_no_op", func(t *testing.T, s core.Store) {
				must(t, s.MarkEventsPublished(t.Context(), nil, at(0)))
			}},
		}},
		{"ReleaseEventClaims", []testCase{
			{"makes_own_claims_claimable_at_once", func(t *testing.T, s core.Store) {
				e := eventFixture(newShop(t, s).ID, "x", 1)
				must(t, s.AppendEvent(t.Context(), e))
				_, err := s.ClaimUnpublishedEvents(t.Context(), at(time.Second), at(time.Minute), 10)
				must(t, err)
				must(t, s.ReleaseEventClaims(t.Context(), []string{e.ID}, at(time.Minute)))
				got, err := s.ClaimUnpublishedEvents(t.Context(), at(2*time.Second), at(2*time.Minute), 10)
				must(t, err)
				if len(got) != 1 || got[0].ID != e.ID {
					t.Fatalf("released event not claimable: %v", eventIDs(got))
				}
			}},
			{"leaves_another_claim_alone", func(t *testing.T, s core.Store) {
				e := eventFixture(newShop(t, s).ID, "x", 1)
				must(t, s.AppendEvent(t.Context(), e))
				// Node A's lease ran out and node B claimed the event.
				_, err := s.ClaimUnpublishedEvents(t.Context(), at(time.Second), at(time.Minute), 10)
				must(t, err)
				_, err = s.ClaimUnpublishedEvents(t.Context(), at(time.Minute), at(2*time.Minute), 10)
				must(t, err)
				must(t, s.ReleaseEventClaims(t.Context(), []string{e.ID}, at(time.Minute))) // A's late release
				got, err := s.ClaimUnpublishedEvents(t.Context(), at(time.Minute+time.Second), at(3*time.Minute), 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("a stale release freed another node's claim: %v", eventIDs(got))
				}
			}},
			{"empty_list_is_a_no_op", func(t *testing.T, s core.Store) {
				must(t, s.ReleaseEventClaims(t.Context(), nil, at(0)))
			}},
		}},
	}
}
