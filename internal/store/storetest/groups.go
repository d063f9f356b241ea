package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// groupFixture sets every field; names are unique within a run.
func groupFixture(shopID string) *core.CustomerGroup {
	return &core.CustomerGroup{
		ID:          newID("cgrp_"),
		ShopID:      shopID,
		Name:        fmt.Sprintf("Wholesale %d", seq.Add(1)),
		Description: "Trade customers\nwith net-30 terms",
		Metadata:    map[string]any{"price_list": "pl_trade", "discount": 12.5, "regions": []any{"EU", "UK"}},
		CreatedAt:   at(0),
		UpdatedAt:   at(time.Minute),
	}
}

func newGroup(t *testing.T, s core.Store, shopID string) *core.CustomerGroup {
	t.Helper()
	g := groupFixture(shopID)
	must(t, s.CreateGroup(t.Context(), g))
	return g
}

func groupIDs(gs []core.CustomerGroup) []string {
	ids := make([]string, len(gs))
	for i, g := range gs {
		ids[i] = g.ID
	}
	return ids
}

// wantGroup fails unless the group reads back as want.
func wantGroup(t *testing.T, s core.Store, want *core.CustomerGroup) {
	t.Helper()
	got, err := s.GetGroup(t.Context(), want.ShopID, want.ID)
	must(t, err)
	wantEqual(t, got, want)
}

// wantMembers fails unless the customer is in exactly the groups ids (by id).
func wantMembers(t *testing.T, s core.Store, shopID, customerID string, ids ...string) {
	t.Helper()
	got, err := s.CustomerGroups(t.Context(), shopID, customerID)
	must(t, err)
	want := slices.Sorted(slices.Values(ids))
	if want == nil {
		want = []string{}
	}
	wantEqual(t, groupIDs(got), want)
}

// groupCases returns the cases of customer groups and memberships.
func groupCases() []methodCases {
	return []methodCases{
		{"CreateGroup", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				wantGroup(t, s, newGroup(t, s, sh.ID))
			}},
			{"minimal", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g := &core.CustomerGroup{ID: newID("cgrp_"), ShopID: sh.ID, Name: "VIP", CreatedAt: at(0), UpdatedAt: at(0)}
				must(t, s.CreateGroup(t.Context(), g))
				wantGroup(t, s, g)
			}},
			{"duplicate_name", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				first := newGroup(t, s, sh.ID)
				dup := groupFixture(sh.ID)
				dup.Name = first.Name
				wantErr(t, s.CreateGroup(t.Context(), dup), core.ErrConflict)
				_, err := s.GetGroup(t.Context(), sh.ID, dup.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"names_compare_exactly", func(t *testing.T, s core.Store) {
				// The store compares bytes; core normalises names first.
				sh := newShop(t, s)
				g := newGroup(t, s, sh.ID)
				other := groupFixture(sh.ID)
				other.Name = g.Name + " "
				must(t, s.CreateGroup(t.Context(), other))
			}},
			{"same_name_other_store", func(t *testing.T, s core.Store) {
				a, b := newShop(t, s), newShop(t, s)
				ga := newGroup(t, s, a.ID)
				gb := groupFixture(b.ID)
				gb.Name = ga.Name
				must(t, s.CreateGroup(t.Context(), gb))
				wantGroup(t, s, gb)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				first := newGroup(t, s, sh.ID)
				dup := groupFixture(sh.ID)
				dup.ID = first.ID
				wantErr(t, s.CreateGroup(t.Context(), dup), core.ErrConflict)
				wantGroup(t, s, first)
			}},
			{"unknown_shop", func(t *testing.T, s core.Store) {
				wantErr(t, s.CreateGroup(t.Context(), groupFixture(newID("sto_"))), core.ErrNotFound)
			}},
			{"concurrent_same_name", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				gs := make([]*core.CustomerGroup, 8)
				for i := range gs {
					gs[i] = groupFixture(sh.ID)
					gs[i].Name = "Race"
				}
				w := oneWinner(t, concurrently(len(gs), func(i int) error {
					return s.CreateGroup(t.Context(), gs[i])
				}), core.ErrConflict)
				got, err := s.ListGroups(t.Context(), sh.ID, "", 10)
				must(t, err)
				wantEqual(t, groupIDs(got), []string{gs[w].ID})
			}},
		}},
		{"GetGroup", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				_, err := s.GetGroup(t.Context(), sh.ID, newID("cgrp_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				g := newGroup(t, s, sh.ID)
				_, err := s.GetGroup(t.Context(), other.ID, g.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"ListGroups", []testCase{
			{"pages_in_id_order", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				var want []string
				for range 5 {
					want = append(want, newGroup(t, s, sh.ID).ID)
					newGroup(t, s, other.ID) // interleaved, never listed
				}
				first, err := s.ListGroups(t.Context(), sh.ID, "", 3)
				must(t, err)
				rest, err := s.ListGroups(t.Context(), sh.ID, first[2].ID, 3)
				must(t, err)
				if got := append(groupIDs(first), groupIDs(rest)...); !slices.Equal(got, want) {
					t.Fatalf("pages = %v, want %v", got, want)
				}
			}},
			{"empty", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				got, err := s.ListGroups(t.Context(), sh.ID, "", 10)
				must(t, err)
				if got == nil || len(got) != 0 {
					t.Fatalf("got %#v, want an empty list", got)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				newGroup(t, s, sh.ID)
				got, err := s.ListGroups(t.Context(), other.ID, "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another store's groups leaked: %v", groupIDs(got))
				}
			}},
		}},
		{"UpdateGroup", []testCase{
			{"every_field", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g := newGroup(t, s, sh.ID)
				bystander := newGroup(t, s, sh.ID)
				want := *g
				want.Name, want.Description = "Retail", ""
				want.Metadata, want.UpdatedAt = nil, at(time.Hour)
				must(t, s.UpdateGroup(t.Context(), &want))
				wantGroup(t, s, &want)
				wantGroup(t, s, bystander)
			}},
			{"created_at_fixed", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g := newGroup(t, s, sh.ID)
				upd := *g
				upd.CreatedAt = at(48 * time.Hour)
				must(t, s.UpdateGroup(t.Context(), &upd))
				wantGroup(t, s, g)
			}},
			{"name_taken", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g, other := newGroup(t, s, sh.ID), newGroup(t, s, sh.ID)
				upd := *g
				upd.Name, upd.Description = other.Name, "changed"
				wantErr(t, s.UpdateGroup(t.Context(), &upd), core.ErrConflict)
				wantGroup(t, s, g)
			}},
			{"name_taken_in_tx_keeps_tx_usable", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g, other := newGroup(t, s, sh.ID), newGroup(t, s, sh.ID)
				want := *g
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					upd := *g
					upd.Name = other.Name
					wantErr(t, tx.UpdateGroup(t.Context(), &upd), core.ErrConflict)
					want.Name = "Renamed"
					return tx.UpdateGroup(t.Context(), &want)
				}))
				wantGroup(t, s, &want)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				wantErr(t, s.UpdateGroup(t.Context(), groupFixture(sh.ID)), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				g := newGroup(t, s, sh.ID)
				upd := *g
				upd.ShopID, upd.Name = other.ID, "Hijacked"
				wantErr(t, s.UpdateGroup(t.Context(), &upd), core.ErrNotFound)
				wantGroup(t, s, g)
			}},
		}},
		{"DeleteGroup", []testCase{
			{"removes_memberships", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				g, keep := newGroup(t, s, sh.ID), newGroup(t, s, sh.ID)
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g.ID, keep.ID}))
				must(t, s.DeleteGroup(t.Context(), sh.ID, g.ID))
				_, err := s.GetGroup(t.Context(), sh.ID, g.ID)
				wantErr(t, err, core.ErrNotFound)
				wantMembers(t, s, sh.ID, c.ID, keep.ID)
				wantGroup(t, s, keep)
				// The name is free again.
				again := groupFixture(sh.ID)
				again.Name = g.Name
				must(t, s.CreateGroup(t.Context(), again))
			}},
			{"missing", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				wantErr(t, s.DeleteGroup(t.Context(), sh.ID, newID("cgrp_")), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				g := newGroup(t, s, sh.ID)
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g.ID}))
				other := newShop(t, s)
				wantErr(t, s.DeleteGroup(t.Context(), other.ID, g.ID), core.ErrNotFound)
				wantGroup(t, s, g)
				wantMembers(t, s, sh.ID, c.ID, g.ID)
			}},
		}},
		{"SetCustomerGroups", []testCase{
			{"replaces", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				b := newCustomer(t, s, sh.ID, "b@example.com")
				g1, g2, g3 := newGroup(t, s, sh.ID), newGroup(t, s, sh.ID), newGroup(t, s, sh.ID)
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g1.ID, g2.ID}))
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, b.ID, []string{g1.ID}))
				wantMembers(t, s, sh.ID, c.ID, g1.ID, g2.ID)
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g3.ID, g2.ID}))
				wantMembers(t, s, sh.ID, c.ID, g2.ID, g3.ID)
				wantMembers(t, s, sh.ID, b.ID, g1.ID) // another customer's stay
			}},
			{"duplicates_count_once", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				g := newGroup(t, s, sh.ID)
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g.ID, g.ID}))
				wantMembers(t, s, sh.ID, c.ID, g.ID)
			}},
			{"empty_clears", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				g := newGroup(t, s, sh.ID)
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g.ID}))
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, nil))
				wantMembers(t, s, sh.ID, c.ID)
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{}))
				wantMembers(t, s, sh.ID, c.ID)
			}},
			{"unknown_group_changes_nothing", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				g := newGroup(t, s, sh.ID)
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g.ID}))
				err := s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{newGroup(t, s, sh.ID).ID, newID("cgrp_")})
				wantErr(t, err, core.ErrNotFound)
				wantMembers(t, s, sh.ID, c.ID, g.ID)
			}},
			{"group_of_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				other := newShop(t, s)
				foreign := newGroup(t, s, other.ID)
				wantErr(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{foreign.ID}), core.ErrNotFound)
				wantMembers(t, s, sh.ID, c.ID)
			}},
			{"unknown_customer", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g := newGroup(t, s, sh.ID)
				wantErr(t, s.SetCustomerGroups(t.Context(), sh.ID, newID("cus_"), []string{g.ID}), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				// Shop B's key cannot put shop A's customer in B's groups,
				// nor clear A's memberships.
				sh, c := newShopCustomer(t, s)
				g := newGroup(t, s, sh.ID)
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g.ID}))
				other := newShop(t, s)
				og := newGroup(t, s, other.ID)
				wantErr(t, s.SetCustomerGroups(t.Context(), other.ID, c.ID, []string{og.ID}), core.ErrNotFound)
				wantErr(t, s.SetCustomerGroups(t.Context(), other.ID, c.ID, nil), core.ErrNotFound)
				wantMembers(t, s, sh.ID, c.ID, g.ID)
			}},
			{"in_tx_rolls_back_with_it", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				g, g2 := newGroup(t, s, sh.ID), newGroup(t, s, sh.ID)
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g.ID}))
				_ = s.InTx(t.Context(), func(tx core.Store) error {
					// A refused call leaves the transaction usable.
					wantErr(t, tx.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{newID("cgrp_")}), core.ErrNotFound)
					must(t, tx.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g2.ID}))
					wantMembers(t, tx, sh.ID, c.ID, g2.ID)
					return core.ErrConflict
				})
				wantMembers(t, s, sh.ID, c.ID, g.ID)
			}},
			{"concurrent_replacements", func(t *testing.T, s core.Store) {
				// Each call replaces the set whole: the result is one
				// caller's set, never a mix.
				sh, c := newShopCustomer(t, s)
				sets := make([][]string, 6)
				for i := range sets {
					sets[i] = []string{newGroup(t, s, sh.ID).ID, newGroup(t, s, sh.ID).ID}
				}
				for i, err := range concurrently(len(sets), func(i int) error {
					return s.SetCustomerGroups(t.Context(), sh.ID, c.ID, sets[i])
				}) {
					if err != nil {
						t.Fatalf("call %d: %v", i, err)
					}
				}
				got, err := s.CustomerGroups(t.Context(), sh.ID, c.ID)
				must(t, err)
				for _, set := range sets {
					if slices.Equal(groupIDs(got), set) {
						return
					}
				}
				t.Fatalf("memberships %v are no caller's set", groupIDs(got))
			}},
		}},
		{"CustomerGroups", []testCase{
			{"lists_full_groups_by_id", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				g1, g2 := newGroup(t, s, sh.ID), newGroup(t, s, sh.ID)
				newGroup(t, s, sh.ID) // not a member
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g2.ID, g1.ID}))
				got, err := s.CustomerGroups(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, []core.CustomerGroup{*g1, *g2})
			}},
			{"none", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				got, err := s.CustomerGroups(t.Context(), sh.ID, c.ID)
				must(t, err)
				if got == nil || len(got) != 0 {
					t.Fatalf("got %#v, want an empty list", got)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				g := newGroup(t, s, sh.ID)
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g.ID}))
				other := newShop(t, s)
				got, err := s.CustomerGroups(t.Context(), other.ID, c.ID)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another store's memberships leaked: %v", groupIDs(got))
				}
			}},
		}},
	}
}
