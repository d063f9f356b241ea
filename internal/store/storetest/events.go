package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

func eventFixture(shopID, typ string, n int) *core.Event {
	return &core.Event{
		ID: newID("evt"), ShopID: shopID, Type: typ, SubjectID: newID("cus"),
		Data: map[string]any{"n": float64(n), "nested": map[string]any{"ok": true}}, CreatedAt: at(time.Duration(n) * time.Second),
	}
}

func eventIDs(es []core.Event) []string {
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids
}

// eventCases returns the cases of the outbox.
func eventCases() []methodCases {
	return []methodCases{
		{"AppendEvent", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				e := eventFixture(sh.ID, "customer.created", 1)
				must(t, s.AppendEvent(t.Context(), e))
				got, err := s.ListEvents(t.Context(), sh.ID, "", "", 10)
				must(t, err)
				if len(got) != 1 {
					t.Fatalf("got %d events", len(got))
				}
				wantEqual(t, &got[0], e)
			}},
			{"nil_data_reads_as_empty", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				e := eventFixture(sh.ID, "x", 1)
				e.Data = nil
				must(t, s.AppendEvent(t.Context(), e))
				got, err := s.ListEvents(t.Context(), sh.ID, "", "", 10)
				must(t, err)
				if got[0].Data == nil || len(got[0].Data) != 0 {
					t.Fatalf("data = %#v, want empty map", got[0].Data)
				}
			}},
			{"unknown_shop", func(t *testing.T, s core.Store) {
				wantErr(t, s.AppendEvent(t.Context(), eventFixture(newID("sto"), "x", 1)), core.ErrNotFound)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				e := eventFixture(sh.ID, "x", 1)
				must(t, s.AppendEvent(t.Context(), e))
				wantErr(t, s.AppendEvent(t.Context(), e), core.ErrConflict)
			}},
			{"rolled_back_with_tx", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				_ = s.InTx(t.Context(), func(tx core.Store) error {
					must(t, tx.AppendEvent(t.Context(), eventFixture(sh.ID, "x", 1)))
					return core.ErrConflict
				})
				got, err := s.ListEvents(t.Context(), sh.ID, "", "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("a rolled-back event is visible")
				}
			}},
		}},
		{"ListEvents", []testCase{
			{"pages_in_id_order_with_type_filter", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				var all, created []string
				for i := range 5 {
					typ := "customer.updated"
					if i%2 == 0 {
						typ = "customer.created"
					}
					e := eventFixture(sh.ID, typ, i)
					must(t, s.AppendEvent(t.Context(), e))
					all = append(all, e.ID)
					if typ == "customer.created" {
						created = append(created, e.ID)
					}
				}
				first, err := s.ListEvents(t.Context(), sh.ID, "", "", 3)
				must(t, err)
				rest, err := s.ListEvents(t.Context(), sh.ID, "", first[2].ID, 3)
				must(t, err)
				if got := append(eventIDs(first), eventIDs(rest)...); !slices.Equal(got, all) {
					t.Fatalf("pages = %v, want %v", got, all)
				}
				only, err := s.ListEvents(t.Context(), sh.ID, "customer.created", "", 10)
				must(t, err)
				if !slices.Equal(eventIDs(only), created) {
					t.Fatalf("filtered = %v, want %v", eventIDs(only), created)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				must(t, s.AppendEvent(t.Context(), eventFixture(sh.ID, "x", 1)))
				got, err := s.ListEvents(t.Context(), other.ID, "", "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another store's events leaked: %v", eventIDs(got))
				}
			}},
		}},
	}
}
