package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// giftCardFixture is an unsaved, unassigned card with every other field set.
func giftCardFixture(shopID string) *core.GiftCard {
	return &core.GiftCard{
		ID: newID("gc_"), ShopID: shopID, CodeHash: newHash(), Last4: "WXYZ", Currency: "EUR", Initial: 5000,
		ExpiresAt: ptr(at(365 * 24 * time.Hour)),
		Metadata:  map[string]any{"campaign": "spring", "n": 2.0, "tags": []any{"a", true}},
		CreatedAt: at(0), UpdatedAt: at(time.Minute),
	}
}

func newGiftCard(t *testing.T, s core.Store, shopID, customerID string) *core.GiftCard {
	t.Helper()
	g := giftCardFixture(shopID)
	g.CustomerID = customerID
	must(t, s.CreateGiftCard(t.Context(), g))
	return g
}

func giftCardEntryFixture(shopID, cardID string, amount int64) *core.GiftCardEntry {
	return &core.GiftCardEntry{
		ID: newID("gce_"), ShopID: shopID, GiftCardID: cardID, Amount: amount, Kind: core.CreditAdjustment,
		Reason: "goodwill", Author: "admin:sto_test", Reference: "R-7", CreatedAt: at(time.Duration(seq.Add(1)) * time.Second),
	}
}

func newGiftCardEntry(t *testing.T, s core.Store, shopID, cardID string, amount int64) *core.GiftCardEntry {
	t.Helper()
	e := giftCardEntryFixture(shopID, cardID, amount)
	must(t, s.AppendGiftCardEntry(t.Context(), e))
	return e
}

// wantGiftCard fails unless the stored card equals want.
func wantGiftCard(t *testing.T, s core.Store, want *core.GiftCard) {
	t.Helper()
	got, err := s.GetGiftCard(t.Context(), want.ShopID, want.ID)
	must(t, err)
	wantEqual(t, got, want)
}

func giftCardIDs(gs []core.GiftCard) []string {
	ids := make([]string, len(gs))
	for i, g := range gs {
		ids[i] = g.ID
	}
	return ids
}

func giftCardEntryIDs(es []core.GiftCardEntry) []string {
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids
}

func giftCardCases() []methodCases {
	return []methodCases{
		{"CreateGiftCard", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				wantGiftCard(t, s, newGiftCard(t, s, sh.ID, ""))
			}},
			{"assigned_and_redeemed", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				g := giftCardFixture(sh.ID)
				g.CustomerID, g.RedeemedAt, g.DisabledAt = c.ID, ptr(at(time.Hour)), ptr(at(2*time.Hour))
				must(t, s.CreateGiftCard(t.Context(), g))
				wantGiftCard(t, s, g)
			}},
			{"optional_fields_unset", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g := giftCardFixture(sh.ID)
				g.ExpiresAt, g.Metadata = nil, nil
				must(t, s.CreateGiftCard(t.Context(), g))
				wantGiftCard(t, s, g)
			}},
			{"duplicate_code_in_store", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				first := newGiftCard(t, s, sh.ID, "")
				dup := giftCardFixture(sh.ID)
				dup.CodeHash = first.CodeHash
				wantErr(t, s.CreateGiftCard(t.Context(), dup), core.ErrConflict)
				_, err := s.GetGiftCard(t.Context(), sh.ID, dup.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"same_code_in_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				first := newGiftCard(t, s, sh.ID, "")
				g := giftCardFixture(other.ID)
				g.CodeHash = first.CodeHash
				must(t, s.CreateGiftCard(t.Context(), g))
				wantGiftCard(t, s, g)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				first := newGiftCard(t, s, sh.ID, "")
				dup := giftCardFixture(sh.ID)
				dup.ID = first.ID
				wantErr(t, s.CreateGiftCard(t.Context(), dup), core.ErrConflict)
				wantGiftCard(t, s, first)
			}},
			{"unknown_customer", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g := giftCardFixture(sh.ID)
				g.CustomerID = newID("cus_")
				wantErr(t, s.CreateGiftCard(t.Context(), g), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				// The customer is another store's: refused, nothing stored.
				_, c := newShopCustomer(t, s)
				other := newShop(t, s)
				g := giftCardFixture(other.ID)
				g.CustomerID = c.ID
				wantErr(t, s.CreateGiftCard(t.Context(), g), core.ErrNotFound)
				_, err := s.GetGiftCard(t.Context(), other.ID, g.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"unknown_store", func(t *testing.T, s core.Store) {
				wantErr(t, s.CreateGiftCard(t.Context(), giftCardFixture(newID("sto_"))), core.ErrNotFound)
			}},
			{"deleted_with_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				g := newGiftCard(t, s, sh.ID, c.ID)
				newGiftCardEntry(t, s, sh.ID, g.ID, 10)
				must(t, s.DeleteCustomer(t.Context(), sh.ID, c.ID))
				_, err := s.GetGiftCard(t.Context(), sh.ID, g.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetGiftCard", []testCase{
			{"unknown", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				_, err := s.GetGiftCard(t.Context(), sh.ID, newID("gc_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				_, err := s.GetGiftCard(t.Context(), other.ID, g.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetGiftCardByCodeHash", []testCase{
			{"finds", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				newGiftCard(t, s, sh.ID, "")
				g := newGiftCard(t, s, sh.ID, "")
				got, err := s.GetGiftCardByCodeHash(t.Context(), sh.ID, g.CodeHash)
				must(t, err)
				wantEqual(t, got, g)
			}},
			{"unknown", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				newGiftCard(t, s, sh.ID, "")
				_, err := s.GetGiftCardByCodeHash(t.Context(), sh.ID, newHash())
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				_, err := s.GetGiftCardByCodeHash(t.Context(), other.ID, g.CodeHash)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"locks_in_tx", func(t *testing.T, s core.Store) {
				// Five customers claim one card at once, each only if it is
				// still unassigned: the lock lets exactly one through.
				sh := newShop(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				var customers []string
				for range 5 {
					typed, _ := newEmail()
					customers = append(customers, newCustomer(t, s, sh.ID, typed).ID)
				}
				errs := concurrently(len(customers), func(i int) error {
					return s.InTx(t.Context(), func(tx core.Store) error {
						got, err := tx.GetGiftCardByCodeHash(t.Context(), sh.ID, g.CodeHash)
						if err != nil {
							return err
						}
						if got.CustomerID != "" {
							return core.ErrConflict
						}
						got.CustomerID = customers[i]
						return tx.UpdateGiftCard(t.Context(), got)
					})
				})
				winner := oneWinner(t, errs, core.ErrConflict)
				got, err := s.GetGiftCard(t.Context(), sh.ID, g.ID)
				must(t, err)
				if got.CustomerID != customers[winner] {
					t.Fatalf("card is %q's, want the winner %q's", got.CustomerID, customers[winner])
				}
			}},
		}},
		{"ListGiftCards", []testCase{
			{"assigned_cards_by_id", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				typed, _ := newEmail()
				b := newCustomer(t, s, sh.ID, typed)
				var mine []string
				for range 3 {
					mine = append(mine, newGiftCard(t, s, sh.ID, c.ID).ID)
					newGiftCard(t, s, sh.ID, b.ID)
					newGiftCard(t, s, sh.ID, "")
				}
				first, err := s.ListGiftCards(t.Context(), sh.ID, c.ID, "", 2)
				must(t, err)
				rest, err := s.ListGiftCards(t.Context(), sh.ID, c.ID, first[1].ID, 2)
				must(t, err)
				if got := append(giftCardIDs(first), giftCardIDs(rest)...); !slices.Equal(got, mine) {
					t.Fatalf("pages = %v, want %v", got, mine)
				}
			}},
			{"unassigned_are_nobodys", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				newGiftCard(t, s, sh.ID, "")
				got, err := s.ListGiftCards(t.Context(), sh.ID, "", "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("listing for no customer found %v", giftCardIDs(got))
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				other := newShop(t, s)
				newGiftCard(t, s, sh.ID, c.ID)
				got, err := s.ListGiftCards(t.Context(), other.ID, c.ID, "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another store's cards leaked: %v", giftCardIDs(got))
				}
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				typed, _ := newEmail()
				b := newCustomer(t, s, sh.ID, typed)
				newGiftCard(t, s, sh.ID, c.ID)
				got, err := s.ListGiftCards(t.Context(), sh.ID, b.ID, "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another customer's cards leaked: %v", giftCardIDs(got))
				}
			}},
		}},
		{"UpdateGiftCard", []testCase{
			{"writes_mutable_fields", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				g.CustomerID, g.RedeemedAt, g.DisabledAt, g.ExpiresAt = c.ID, ptr(at(time.Hour)), ptr(at(2*time.Hour)), nil
				g.Metadata, g.UpdatedAt = map[string]any{"note": "redeemed"}, at(3*time.Hour)
				must(t, s.UpdateGiftCard(t.Context(), g))
				wantGiftCard(t, s, g)
				// And back: unassign, clear.
				g.CustomerID, g.RedeemedAt, g.DisabledAt, g.Metadata = "", nil, nil, nil
				must(t, s.UpdateGiftCard(t.Context(), g))
				wantGiftCard(t, s, g)
			}},
			{"keeps_code_currency_and_initial", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				want := *g
				g.CodeHash, g.Last4, g.Currency, g.Initial, g.CreatedAt = newHash(), "0000", "USD", 1, at(time.Hour)
				must(t, s.UpdateGiftCard(t.Context(), g))
				wantGiftCard(t, s, &want)
			}},
			{"unknown", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				wantErr(t, s.UpdateGiftCard(t.Context(), giftCardFixture(sh.ID)), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				want := *g
				g.ShopID, g.DisabledAt = other.ID, ptr(at(time.Hour))
				wantErr(t, s.UpdateGiftCard(t.Context(), g), core.ErrNotFound)
				wantGiftCard(t, s, &want)
			}},
			{"customer_of_another_store", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				_, c := newShopCustomer(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				want := *g
				g.CustomerID = c.ID
				wantErr(t, s.UpdateGiftCard(t.Context(), g), core.ErrNotFound)
				wantGiftCard(t, s, &want)
			}},
			{"customer_of_another_store_in_tx_keeps_tx_usable", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				_, c := newShopCustomer(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					bad := *g
					bad.CustomerID = c.ID
					wantErr(t, tx.UpdateGiftCard(t.Context(), &bad), core.ErrNotFound)
					return tx.AppendGiftCardEntry(t.Context(), giftCardEntryFixture(sh.ID, g.ID, 1))
				}))
				bal, err := s.GiftCardBalance(t.Context(), sh.ID, g.ID)
				must(t, err)
				if bal != 1 {
					t.Fatalf("balance = %d, want 1", bal)
				}
			}},
		}},
		{"AppendGiftCardEntry", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				e := newGiftCardEntry(t, s, sh.ID, g.ID, 5000)
				use := giftCardEntryFixture(sh.ID, g.ID, -1200)
				use.Kind, use.Reason, use.Author, use.Reference = core.CreditUse, "", "", ""
				must(t, s.AppendGiftCardEntry(t.Context(), use))
				got, err := s.ListGiftCardEntries(t.Context(), sh.ID, g.ID)
				must(t, err)
				wantEqual(t, got, []core.GiftCardEntry{*e, *use})
			}},
			{"unknown_card", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				wantErr(t, s.AppendGiftCardEntry(t.Context(), giftCardEntryFixture(sh.ID, newID("gc_"), 1)), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				wantErr(t, s.AppendGiftCardEntry(t.Context(), giftCardEntryFixture(other.ID, g.ID, 1)), core.ErrNotFound)
				got, err := s.ListGiftCardEntries(t.Context(), sh.ID, g.ID)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("entry written across stores: %v", giftCardEntryIDs(got))
				}
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				e := newGiftCardEntry(t, s, sh.ID, g.ID, 1)
				dup := giftCardEntryFixture(sh.ID, g.ID, 99)
				dup.ID = e.ID
				wantErr(t, s.AppendGiftCardEntry(t.Context(), dup), core.ErrConflict)
				bal, err := s.GiftCardBalance(t.Context(), sh.ID, g.ID)
				must(t, err)
				if bal != 1 {
					t.Fatalf("balance = %d, want 1", bal)
				}
			}},
		}},
		{"GiftCardBalance", []testCase{
			{"sums_entries", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g, other := newGiftCard(t, s, sh.ID, ""), newGiftCard(t, s, sh.ID, "")
				newGiftCardEntry(t, s, sh.ID, g.ID, 5000)
				newGiftCardEntry(t, s, sh.ID, g.ID, -1250)
				newGiftCardEntry(t, s, sh.ID, other.ID, 77)
				bal, err := s.GiftCardBalance(t.Context(), sh.ID, g.ID)
				must(t, err)
				if bal != 3750 {
					t.Fatalf("balance = %d, want 3750", bal)
				}
			}},
			{"no_entries_is_zero", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				bal, err := s.GiftCardBalance(t.Context(), sh.ID, g.ID)
				must(t, err)
				if bal != 0 {
					t.Fatalf("balance = %d, want 0", bal)
				}
			}},
			{"unknown", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				_, err := s.GiftCardBalance(t.Context(), sh.ID, newID("gc_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				newGiftCardEntry(t, s, sh.ID, g.ID, 10)
				_, err := s.GiftCardBalance(t.Context(), other.ID, g.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"ListGiftCardEntries", []testCase{
			{"oldest_first", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				var want []string
				for i := range 4 {
					want = append(want, newGiftCardEntry(t, s, sh.ID, g.ID, int64(i+1)).ID)
				}
				got, err := s.ListGiftCardEntries(t.Context(), sh.ID, g.ID)
				must(t, err)
				if !slices.Equal(giftCardEntryIDs(got), want) {
					t.Fatalf("entries = %v, want %v", giftCardEntryIDs(got), want)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				g := newGiftCard(t, s, sh.ID, "")
				newGiftCardEntry(t, s, sh.ID, g.ID, 10)
				got, err := s.ListGiftCardEntries(t.Context(), other.ID, g.ID)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another store's entries leaked: %v", giftCardEntryIDs(got))
				}
			}},
		}},
	}
}
