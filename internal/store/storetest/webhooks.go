package storetest

import (
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

func endpointFixture(shopID string) *core.WebhookEndpoint {
	return &core.WebhookEndpoint{
		ID: newID("whe"), ShopID: shopID, URL: "https://hooks.example.com/" + newID("x"), Secret: "whsec_c2VjcmV0",
		EventTypes: []string{"customer.created"}, CreatedAt: at(0), UpdatedAt: at(0),
	}
}

func newEndpoint(t *testing.T, s core.Store, shopID string) *core.WebhookEndpoint {
	t.Helper()
	e := endpointFixture(shopID)
	must(t, s.CreateWebhookEndpoint(t.Context(), e))
	return e
}

func deliveryFixture(shopID, endpointID, eventID string) *core.WebhookDelivery {
	return &core.WebhookDelivery{
		ID: newID("whd"), ShopID: shopID, EndpointID: endpointID, EventID: eventID, Status: core.DeliveryPending,
		NextAttemptAt: at(time.Second), CreatedAt: at(0), UpdatedAt: at(0),
	}
}

// newDelivery makes a shop, endpoint, event and a pending delivery due at
// at(1s).
func newDelivery(t *testing.T, s core.Store) *core.WebhookDelivery {
	t.Helper()
	sh := newShop(t, s)
	ep := newEndpoint(t, s, sh.ID)
	ev := eventFixture(sh.ID, "customer.created", 1)
	must(t, s.AppendEvent(t.Context(), ev))
	d := deliveryFixture(sh.ID, ep.ID, ev.ID)
	must(t, s.CreateWebhookDelivery(t.Context(), d))
	return d
}

// webhookEndpointCases cover the endpoint rows (shared store).
func webhookEndpointCases() []methodCases {
	return []methodCases{
		{"CreateWebhookEndpoint", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				e := endpointFixture(sh.ID)
				e.FailingSince = ptr(at(time.Minute))
				must(t, s.CreateWebhookEndpoint(t.Context(), e))
				got, err := s.GetWebhookEndpoint(t.Context(), sh.ID, e.ID)
				must(t, err)
				wantEqual(t, got, e)
			}},
			{"unknown_shop", func(t *testing.T, s core.Store) {
				wantErr(t, s.CreateWebhookEndpoint(t.Context(), endpointFixture(newID("sto"))), core.ErrNotFound)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				e := newEndpoint(t, s, sh.ID)
				wantErr(t, s.CreateWebhookEndpoint(t.Context(), e), core.ErrConflict)
			}},
		}},
		{"GetWebhookEndpoint", []testCase{
			{"on_another_store", func(t *testing.T, s core.Store) {
				e := newEndpoint(t, s, newShop(t, s).ID)
				_, err := s.GetWebhookEndpoint(t.Context(), newShop(t, s).ID, e.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"ListWebhookEndpoints", []testCase{
			{"oldest_first_own_store_only", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				a, b := newEndpoint(t, s, sh.ID), newEndpoint(t, s, sh.ID)
				newEndpoint(t, s, newShop(t, s).ID)
				got, err := s.ListWebhookEndpoints(t.Context(), sh.ID)
				must(t, err)
				if len(got) != 2 || got[0].ID != a.ID || got[1].ID != b.ID {
					t.Fatalf("got %+v", got)
				}
			}},
			{"empty_is_not_nil", func(t *testing.T, s core.Store) {
				got, err := s.ListWebhookEndpoints(t.Context(), newShop(t, s).ID)
				must(t, err)
				if got == nil || len(got) != 0 {
					t.Fatalf("got %#v", got)
				}
			}},
		}},
		{"UpdateWebhookEndpoint", []testCase{
			{"writes_changeable_fields", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				e := newEndpoint(t, s, sh.ID)
				e.URL, e.EventTypes, e.Disabled, e.DisabledReason = "https://new.example.com/h", []string{}, true, "why"
				e.FailingSince, e.UpdatedAt = ptr(at(time.Hour)), at(2*time.Hour)
				must(t, s.UpdateWebhookEndpoint(t.Context(), e))
				got, err := s.GetWebhookEndpoint(t.Context(), sh.ID, e.ID)
				must(t, err)
				wantEqual(t, got, e)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				e := newEndpoint(t, s, newShop(t, s).ID)
				orig := *e
				e.ShopID, e.URL = newShop(t, s).ID, "https://evil.example.com"
				wantErr(t, s.UpdateWebhookEndpoint(t.Context(), e), core.ErrNotFound)
				got, err := s.GetWebhookEndpoint(t.Context(), orig.ShopID, orig.ID)
				must(t, err)
				wantEqual(t, got, &orig)
			}},
		}},
		{"DeleteWebhookEndpoint", []testCase{
			{"deletes_with_deliveries", func(t *testing.T, s core.Store) {
				d := newDelivery(t, s)
				must(t, s.DeleteWebhookEndpoint(t.Context(), d.ShopID, d.EndpointID))
				_, err := s.GetWebhookEndpoint(t.Context(), d.ShopID, d.EndpointID)
				wantErr(t, err, core.ErrNotFound)
				got, err := s.ListWebhookDeliveries(t.Context(), d.ShopID, d.EndpointID, "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("deliveries survived: %d", len(got))
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				e := newEndpoint(t, s, newShop(t, s).ID)
				wantErr(t, s.DeleteWebhookEndpoint(t.Context(), newShop(t, s).ID, e.ID), core.ErrNotFound)
				_, err := s.GetWebhookEndpoint(t.Context(), e.ShopID, e.ID)
				must(t, err)
			}},
		}},
		{"CreateWebhookDelivery", []testCase{
			{"round_trip_and_once_per_event", func(t *testing.T, s core.Store) {
				d := newDelivery(t, s)
				again := deliveryFixture(d.ShopID, d.EndpointID, d.EventID)
				must(t, s.CreateWebhookDelivery(t.Context(), again))
				got, err := s.ListWebhookDeliveries(t.Context(), d.ShopID, d.EndpointID, "", 10)
				must(t, err)
				if len(got) != 1 {
					t.Fatalf("got %d deliveries", len(got))
				}
				wantEqual(t, &got[0], d)
			}},
			{"endpoint_of_another_store", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				ev := eventFixture(sh.ID, "x", 1)
				must(t, s.AppendEvent(t.Context(), ev))
				foreign := newEndpoint(t, s, newShop(t, s).ID)
				must(t, s.CreateWebhookDelivery(t.Context(), deliveryFixture(sh.ID, foreign.ID, ev.ID)))
				got, err := s.ListWebhookDeliveries(t.Context(), sh.ID, foreign.ID, "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatal("a delivery was made to another store's endpoint")
				}
			}},
		}},
		{"FinishWebhookAttempt", []testCase{
			{"writes_outcome", func(t *testing.T, s core.Store) {
				d := newDelivery(t, s)
				d.Status, d.Attempts, d.NextAttemptAt, d.LastStatus, d.LastError, d.UpdatedAt = core.DeliveryFailed, 3, at(time.Hour), 500, "boom", at(time.Minute)
				must(t, s.FinishWebhookAttempt(t.Context(), d))
				got, err := s.ListWebhookDeliveries(t.Context(), d.ShopID, d.EndpointID, "", 10)
				must(t, err)
				wantEqual(t, &got[0], d)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				d := newDelivery(t, s)
				d.ShopID = newShop(t, s).ID
				d.Status = core.DeliverySucceeded
				wantErr(t, s.FinishWebhookAttempt(t.Context(), d), core.ErrNotFound)
			}},
		}},
		{"ListWebhookDeliveries", []testCase{
			{"pages_own_store_only", func(t *testing.T, s core.Store) {
				d := newDelivery(t, s)
				got, err := s.ListWebhookDeliveries(t.Context(), newShop(t, s).ID, d.EndpointID, "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatal("another store listed the deliveries")
				}
				got, err = s.ListWebhookDeliveries(t.Context(), d.ShopID, d.EndpointID, d.ID, 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatal("cursor not applied")
				}
			}},
		}},
		{"RequeueWebhookDeliveries", []testCase{
			{"requeues_and_creates_missing", func(t *testing.T, s core.Store) {
				d := newDelivery(t, s)
				d.Status, d.Attempts, d.UpdatedAt = core.DeliveryFailed, 8, at(time.Minute)
				must(t, s.FinishWebhookAttempt(t.Context(), d))
				older := eventFixture(d.ShopID, "customer.updated", 2) // never fanned out to the endpoint
				must(t, s.AppendEvent(t.Context(), older))
				n, err := s.RequeueWebhookDeliveries(t.Context(), d.ShopID, d.EndpointID, "", at(0), at(time.Hour), at(2*time.Hour))
				must(t, err)
				if n != 2 {
					t.Fatalf("requeued %d, want 2", n)
				}
				got, err := s.ListWebhookDeliveries(t.Context(), d.ShopID, d.EndpointID, "", 10)
				must(t, err)
				for _, g := range got {
					if g.Status != core.DeliveryPending || !g.NextAttemptAt.Equal(at(2*time.Hour)) {
						t.Fatalf("delivery %+v not requeued", g)
					}
				}
			}},
			{"one_event_only", func(t *testing.T, s core.Store) {
				d := newDelivery(t, s)
				other := eventFixture(d.ShopID, "customer.updated", 2)
				must(t, s.AppendEvent(t.Context(), other))
				n, err := s.RequeueWebhookDeliveries(t.Context(), d.ShopID, d.EndpointID, d.EventID, time.Time{}, at(1000*time.Hour), at(time.Hour))
				must(t, err)
				if n != 1 {
					t.Fatalf("requeued %d, want 1", n)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				d := newDelivery(t, s)
				_, err := s.RequeueWebhookDeliveries(t.Context(), newShop(t, s).ID, d.EndpointID, "", at(0), at(time.Hour), at(time.Hour))
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
	}
}

// webhookRelayCases read across every shop, so each gets a fresh store.
func webhookRelayCases() []methodCases {
	return []methodCases{
		{"UndispatchedEvents", []testCase{
			{"oldest_first_until_marked", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				a, b := eventFixture(sh.ID, "x", 1), eventFixture(newShop(t, s).ID, "y", 2)
				must(t, s.AppendEvent(t.Context(), a))
				must(t, s.AppendEvent(t.Context(), b))
				got, err := s.UndispatchedEvents(t.Context(), 10)
				must(t, err)
				if len(got) != 2 || got[0].ID != a.ID || got[1].ID != b.ID {
					t.Fatalf("got %v", eventIDs(got))
				}
				wantEqual(t, &got[0], a)
				must(t, s.MarkEventsDispatched(t.Context(), []string{a.ID}, at(time.Minute)))
				got, err = s.UndispatchedEvents(t.Context(), 10)
				must(t, err)
				if len(got) != 1 || got[0].ID != b.ID {
					t.Fatalf("after marking: %v", eventIDs(got))
				}
			}},
		}},
		{"MarkEventsDispatched", []testCase{
			{"empty_list_is_a_no_op", func(t *testing.T, s core.Store) {
				must(t, s.MarkEventsDispatched(t.Context(), nil, at(0)))
			}},
		}},
		{"ClaimWebhookDeliveries", []testCase{
			{"leases_due_and_returns_event_and_endpoint", func(t *testing.T, s core.Store) {
				d := newDelivery(t, s)
				notDue := newDelivery(t, s)
				notDue.NextAttemptAt = at(time.Hour)
				must(t, s.FinishWebhookAttempt(t.Context(), notDue))
				got, err := s.ClaimWebhookDeliveries(t.Context(), at(time.Second), at(31*time.Second), 10)
				must(t, err)
				if len(got) != 1 || got[0].ID != d.ID {
					t.Fatalf("claimed %+v", got)
				}
				c := got[0]
				if c.Event == nil || c.Event.Type != "customer.created" || c.Endpoint == nil || c.Endpoint.Secret == "" || c.LeaseUntil == nil || !c.LeaseUntil.Equal(at(31*time.Second)) {
					t.Fatalf("claim lacks event, endpoint or lease: %+v", c)
				}
				// Leased: not claimable again until the lease runs out.
				again, err := s.ClaimWebhookDeliveries(t.Context(), at(2*time.Second), at(40*time.Second), 10)
				must(t, err)
				if len(again) != 0 {
					t.Fatal("a leased delivery was claimed twice")
				}
				later, err := s.ClaimWebhookDeliveries(t.Context(), at(31*time.Second), at(61*time.Second), 10)
				must(t, err)
				if len(later) != 1 {
					t.Fatal("an expired lease was not reclaimed")
				}
			}},
			{"skips_disabled_endpoints_and_finished", func(t *testing.T, s core.Store) {
				d := newDelivery(t, s)
				ep, err := s.GetWebhookEndpoint(t.Context(), d.ShopID, d.EndpointID)
				must(t, err)
				ep.Disabled = true
				must(t, s.UpdateWebhookEndpoint(t.Context(), ep))
				done := newDelivery(t, s)
				done.Status = core.DeliverySucceeded
				must(t, s.FinishWebhookAttempt(t.Context(), done))
				got, err := s.ClaimWebhookDeliveries(t.Context(), at(time.Hour), at(2*time.Hour), 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("claimed %+v", got)
				}
			}},
			{"concurrent_claims_never_overlap", func(t *testing.T, s core.Store) {
				for range 6 {
					newDelivery(t, s)
				}
				claimsNeverOverlap(t, 6, func() ([]string, error) {
					got, err := s.ClaimWebhookDeliveries(t.Context(), at(time.Second), at(time.Minute), 3)
					ids := make([]string, len(got))
					for i, d := range got {
						ids[i] = d.ID
					}
					return ids, err
				})
			}},
		}},
	}
}
