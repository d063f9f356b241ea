package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// wishlistFixture sets every field: a public, non-default list with a
// share token and nested metadata.
func wishlistFixture(shopID, customerID string) *core.Wishlist {
	return &core.Wishlist{
		ID:         newID("wl_"),
		ShopID:     shopID,
		CustomerID: customerID,
		Name:       "Birthday ✓",
		IsPrivate:  false,
		ShareToken: newID("wls_"),
		Metadata:   map[string]any{"type": "gift_registry", "event": map[string]any{"date": "2025-12-10"}, "n": 2.0},
		CreatedAt:  at(0),
		UpdatedAt:  at(time.Minute),
	}
}

func wishlistItemFixture(shopID, wishlistID string) *core.WishlistItem {
	return &core.WishlistItem{
		ID:         newID("wli_"),
		ShopID:     shopID,
		WishlistID: wishlistID,
		ProductID:  newID("prod_"),
		VariantID:  "var-42",
		Quantity:   2,
		Note:       "size M, blue — 名前",
		Priority:   3,
		CreatedAt:  at(0),
		UpdatedAt:  at(time.Minute),
	}
}

// newWishlist inserts a list of the customer, adjusted by mod (may be nil).
func newWishlist(t *testing.T, s core.Store, shopID, customerID string, mod func(*core.Wishlist)) *core.Wishlist {
	t.Helper()
	w := wishlistFixture(shopID, customerID)
	if mod != nil {
		mod(w)
	}
	must(t, s.CreateWishlist(t.Context(), w))
	return w
}

func newWishlistItem(t *testing.T, s core.Store, shopID, wishlistID string) *core.WishlistItem {
	t.Helper()
	it := wishlistItemFixture(shopID, wishlistID)
	must(t, s.CreateWishlistItem(t.Context(), it))
	return it
}

// wishlistWorld is the usual start: a shop, a customer with a list holding
// one item, and another shop and another customer (of the first shop) to
// miss with.
type wishlistWorld struct {
	shop, otherShop *core.Shop
	cust, otherCust *core.Customer
	list            *core.Wishlist
	item            *core.WishlistItem
}

func newWishlistWorld(t *testing.T, s core.Store) wishlistWorld {
	t.Helper()
	var w wishlistWorld
	w.shop, w.cust = newShopCustomer(t, s)
	w.otherShop = newShop(t, s)
	typed, _ := newEmail()
	w.otherCust = newCustomer(t, s, w.shop.ID, typed)
	w.list = newWishlist(t, s, w.shop.ID, w.cust.ID, nil)
	w.item = newWishlistItem(t, s, w.shop.ID, w.list.ID)
	return w
}

// wantWishlist fails unless the stored list equals want.
func wantWishlist(t *testing.T, s core.Store, want *core.Wishlist) {
	t.Helper()
	got, err := s.GetWishlist(t.Context(), want.ShopID, want.CustomerID, want.ID)
	must(t, err)
	wantEqual(t, got, want)
}

// wantWishlistItem fails unless the stored item equals want.
func wantWishlistItem(t *testing.T, s core.Store, want *core.WishlistItem) {
	t.Helper()
	got, err := s.GetWishlistItem(t.Context(), want.ShopID, want.WishlistID, want.ID)
	must(t, err)
	wantEqual(t, got, want)
}

func wishlistIDs(ws []core.Wishlist) []string {
	ids := make([]string, len(ws))
	for i, w := range ws {
		ids[i] = w.ID
	}
	return ids
}

func wishlistItemIDs(its []core.WishlistItem) []string {
	ids := make([]string, len(its))
	for i, it := range its {
		ids[i] = it.ID
	}
	return ids
}

// wishlistCases returns the cases of wishlists and items.
func wishlistCases() []methodCases {
	return append(wishlistListCases(), wishlistItemCases()...)
}

func wishlistListCases() []methodCases {
	return []methodCases{
		{"CreateWishlist", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				wantWishlist(t, s, newWishlist(t, s, sh.ID, c.ID, nil))
			}},
			{"private_without_token_or_metadata", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				w := newWishlist(t, s, sh.ID, c.ID, func(w *core.Wishlist) {
					w.IsPrivate, w.ShareToken, w.Metadata, w.IsDefault = true, "", nil, true
				})
				wantWishlist(t, s, w)
				// Tokens of private lists are NULL, which never collide.
				wantWishlist(t, s, newWishlist(t, s, sh.ID, c.ID, func(w *core.Wishlist) { w.IsPrivate, w.ShareToken = true, "" }))
			}},
			{"empty_metadata_stays_empty", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				wantWishlist(t, s, newWishlist(t, s, sh.ID, c.ID, func(w *core.Wishlist) { w.Metadata = map[string]any{} }))
			}},
			{"unknown_customer", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				wantErr(t, s.CreateWishlist(t.Context(), wishlistFixture(sh.ID, newID("cus_"))), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				// The customer exists, but in another shop.
				sh, c := newShopCustomer(t, s)
				other := newShop(t, s)
				w := wishlistFixture(other.ID, c.ID)
				wantErr(t, s.CreateWishlist(t.Context(), w), core.ErrNotFound)
				n, err := s.CountWishlists(t.Context(), sh.ID, c.ID)
				must(t, err)
				if n != 0 {
					t.Fatalf("count = %d after a refused create", n)
				}
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				w := newWishlist(t, s, sh.ID, c.ID, nil)
				w2 := wishlistFixture(sh.ID, c.ID)
				w2.ID = w.ID
				wantErr(t, s.CreateWishlist(t.Context(), w2), core.ErrConflict)
			}},
			{"second_default_of_a_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				newWishlist(t, s, sh.ID, c.ID, func(w *core.Wishlist) { w.IsDefault = true })
				w := wishlistFixture(sh.ID, c.ID)
				w.IsDefault = true
				wantErr(t, s.CreateWishlist(t.Context(), w), core.ErrConflict)
				// Another customer has a default of their own.
				other := newCustomer(t, s, sh.ID, "other@example.com")
				newWishlist(t, s, sh.ID, other.ID, func(w *core.Wishlist) { w.IsDefault = true })
			}},
			{"taken_share_token", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				w := newWishlist(t, s, sh.ID, c.ID, nil)
				w2 := wishlistFixture(sh.ID, c.ID)
				w2.ShareToken = w.ShareToken
				wantErr(t, s.CreateWishlist(t.Context(), w2), core.ErrConflict)
			}},
			{"conflict_inside_tx_keeps_it_usable", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				first := newWishlist(t, s, sh.ID, c.ID, func(w *core.Wishlist) { w.IsDefault = true })
				second := wishlistFixture(sh.ID, c.ID)
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					dup := wishlistFixture(sh.ID, c.ID)
					dup.IsDefault = true
					wantErr(t, tx.CreateWishlist(t.Context(), dup), core.ErrConflict)
					return tx.CreateWishlist(t.Context(), second)
				}))
				wantWishlist(t, s, first)
				wantWishlist(t, s, second)
			}},
		}},
		{"GetWishlist", []testCase{
			{"found", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				wantWishlist(t, s, w.list)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				_, err := s.GetWishlist(t.Context(), w.shop.ID, w.cust.ID, newID("wl_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				_, err := s.GetWishlist(t.Context(), w.otherShop.ID, w.cust.ID, w.list.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				_, err := s.GetWishlist(t.Context(), w.shop.ID, w.otherCust.ID, w.list.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"inside_tx", func(t *testing.T, s core.Store) {
				// PostgreSQL locks the row here; the read must still work
				// and the transaction go on.
				w := newWishlistWorld(t, s)
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					got, err := tx.GetWishlist(t.Context(), w.shop.ID, w.cust.ID, w.list.ID)
					if err != nil {
						return err
					}
					got.Name = "Renamed"
					return tx.UpdateWishlist(t.Context(), got)
				}))
				w.list.Name = "Renamed"
				wantWishlist(t, s, w.list)
			}},
		}},
		{"GetWishlistByShareToken", []testCase{
			{"finds_a_public_list", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				got, err := s.GetWishlistByShareToken(t.Context(), w.shop.ID, w.list.ShareToken)
				must(t, err)
				wantEqual(t, got, w.list)
			}},
			{"not_a_private_list", func(t *testing.T, s core.Store) {
				// Core clears the token when a list goes private; even a row
				// that kept one is not found.
				sh, c := newShopCustomer(t, s)
				w := newWishlist(t, s, sh.ID, c.ID, func(w *core.Wishlist) { w.IsPrivate = true })
				_, err := s.GetWishlistByShareToken(t.Context(), sh.ID, w.ShareToken)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"unknown_or_empty_token", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				newWishlist(t, s, w.shop.ID, w.cust.ID, func(w *core.Wishlist) { w.IsPrivate, w.ShareToken = true, "" })
				for _, tok := range []string{newID("wls_"), "", w.list.ShareToken + "x"} {
					_, err := s.GetWishlistByShareToken(t.Context(), w.shop.ID, tok)
					wantErr(t, err, core.ErrNotFound)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				_, err := s.GetWishlistByShareToken(t.Context(), w.otherShop.ID, w.list.ShareToken)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"ListWishlists", []testCase{
			{"pages_in_id_order", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				var want []string
				for range 5 {
					want = append(want, newWishlist(t, s, sh.ID, c.ID, nil).ID)
				}
				first, err := s.ListWishlists(t.Context(), sh.ID, c.ID, "", 3)
				must(t, err)
				rest, err := s.ListWishlists(t.Context(), sh.ID, c.ID, first[len(first)-1].ID, 3)
				must(t, err)
				if got := append(wishlistIDs(first), wishlistIDs(rest)...); !slices.Equal(got, want) {
					t.Fatalf("pages = %v, want %v", got, want)
				}
				wantEqual(t, &first[0], mustGetWishlist(t, s, sh.ID, c.ID, want[0]))
			}},
			{"empty_is_not_nil", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				got, err := s.ListWishlists(t.Context(), sh.ID, c.ID, "", 10)
				must(t, err)
				if got == nil || len(got) != 0 {
					t.Fatalf("got %#v, want an empty slice", got)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				got, err := s.ListWishlists(t.Context(), w.otherShop.ID, w.cust.ID, "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another store's lists leaked: %v", wishlistIDs(got))
				}
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				got, err := s.ListWishlists(t.Context(), w.shop.ID, w.otherCust.ID, "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another customer's lists leaked: %v", wishlistIDs(got))
				}
			}},
		}},
		{"CountWishlists", []testCase{
			{"counts_the_customers_lists", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				newWishlist(t, s, w.shop.ID, w.cust.ID, nil)
				newWishlist(t, s, w.shop.ID, w.otherCust.ID, nil)
				n, err := s.CountWishlists(t.Context(), w.shop.ID, w.cust.ID)
				must(t, err)
				if n != 2 {
					t.Fatalf("count = %d, want 2", n)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				wantWishlistCount(t, s, w.otherShop.ID, w.cust.ID, 0)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				wantWishlistCount(t, s, w.shop.ID, w.otherCust.ID, 0)
			}},
		}},
		{"UpdateWishlist", []testCase{
			{"writes_mutable_fields", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				up := *w.list
				up.Name, up.IsDefault, up.IsPrivate, up.ShareToken = "Renamed", true, true, ""
				up.Metadata = map[string]any{"k": "v"}
				up.UpdatedAt = at(time.Hour)
				up.CreatedAt = at(-time.Hour) // ignored: fixed at creation
				must(t, s.UpdateWishlist(t.Context(), &up))
				up.CreatedAt = w.list.CreatedAt
				wantWishlist(t, s, &up)
				// The old link is dead.
				_, err := s.GetWishlistByShareToken(t.Context(), w.shop.ID, w.list.ShareToken)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				up := *w.list
				up.ShopID, up.Name = w.otherShop.ID, "Hijacked"
				wantErr(t, s.UpdateWishlist(t.Context(), &up), core.ErrNotFound)
				wantWishlist(t, s, w.list)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				up := *w.list
				up.CustomerID, up.Name = w.otherCust.ID, "Hijacked"
				wantErr(t, s.UpdateWishlist(t.Context(), &up), core.ErrNotFound)
				wantWishlist(t, s, w.list)
			}},
			{"second_default", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				newWishlist(t, s, w.shop.ID, w.cust.ID, func(l *core.Wishlist) { l.IsDefault, l.ShareToken = true, newID("wls_") })
				up := *w.list
				up.IsDefault = true
				wantErr(t, s.UpdateWishlist(t.Context(), &up), core.ErrConflict)
				wantWishlist(t, s, w.list)
			}},
			{"taken_share_token", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				other := newWishlist(t, s, w.shop.ID, w.cust.ID, nil)
				up := *w.list
				up.ShareToken = other.ShareToken
				wantErr(t, s.UpdateWishlist(t.Context(), &up), core.ErrConflict)
				wantWishlist(t, s, w.list)
			}},
		}},
		{"DeleteWishlist", []testCase{
			{"deletes_with_items", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				keep := newWishlist(t, s, w.shop.ID, w.cust.ID, nil)
				keepItem := newWishlistItem(t, s, w.shop.ID, keep.ID)
				must(t, s.DeleteWishlist(t.Context(), w.shop.ID, w.cust.ID, w.list.ID))
				_, err := s.GetWishlist(t.Context(), w.shop.ID, w.cust.ID, w.list.ID)
				wantErr(t, err, core.ErrNotFound)
				_, err = s.GetWishlistItem(t.Context(), w.shop.ID, w.list.ID, w.item.ID)
				wantErr(t, err, core.ErrNotFound)
				wantWishlist(t, s, keep)
				wantWishlistItem(t, s, keepItem)
				wantErr(t, s.DeleteWishlist(t.Context(), w.shop.ID, w.cust.ID, w.list.ID), core.ErrNotFound)
			}},
			{"cascades_from_customer", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				must(t, s.DeleteCustomer(t.Context(), w.shop.ID, w.cust.ID))
				wantWishlistCount(t, s, w.shop.ID, w.cust.ID, 0)
				n, err := s.CountWishlistItems(t.Context(), w.shop.ID, w.list.ID)
				must(t, err)
				if n != 0 {
					t.Fatalf("%d items outlived their customer", n)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				wantErr(t, s.DeleteWishlist(t.Context(), w.otherShop.ID, w.cust.ID, w.list.ID), core.ErrNotFound)
				wantWishlist(t, s, w.list)
				wantWishlistItem(t, s, w.item)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				wantErr(t, s.DeleteWishlist(t.Context(), w.shop.ID, w.otherCust.ID, w.list.ID), core.ErrNotFound)
				wantWishlist(t, s, w.list)
				wantWishlistItem(t, s, w.item)
			}},
		}},
	}
}

func wishlistItemCases() []methodCases {
	return []methodCases{
		{"CreateWishlistItem", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				wantWishlistItem(t, s, w.item)
			}},
			{"without_variant_or_note", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				it := wishlistItemFixture(w.shop.ID, w.list.ID)
				it.VariantID, it.Note, it.Priority = "", "", 0
				must(t, s.CreateWishlistItem(t.Context(), it))
				wantWishlistItem(t, s, it)
			}},
			{"unknown_wishlist", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				wantErr(t, s.CreateWishlistItem(t.Context(), wishlistItemFixture(w.shop.ID, newID("wl_"))), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				wantErr(t, s.CreateWishlistItem(t.Context(), wishlistItemFixture(w.otherShop.ID, w.list.ID)), core.ErrNotFound)
				wantWishlistItemCount(t, s, w.shop.ID, w.list.ID, 1)
			}},
			{"same_product_and_variant_twice", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				dup := wishlistItemFixture(w.shop.ID, w.list.ID)
				dup.ProductID, dup.VariantID = w.item.ProductID, w.item.VariantID
				wantErr(t, s.CreateWishlistItem(t.Context(), dup), core.ErrConflict)
				// Another variant, no variant, or another list are different items.
				for _, mod := range []func(*core.WishlistItem){
					func(it *core.WishlistItem) { it.VariantID = "var-43" },
					func(it *core.WishlistItem) { it.VariantID = "" },
					func(it *core.WishlistItem) {
						it.WishlistID = newWishlist(t, s, w.shop.ID, w.cust.ID, nil).ID
					},
				} {
					it := wishlistItemFixture(w.shop.ID, w.list.ID)
					it.ProductID, it.VariantID = w.item.ProductID, w.item.VariantID
					mod(it)
					must(t, s.CreateWishlistItem(t.Context(), it))
				}
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				dup := wishlistItemFixture(w.shop.ID, w.list.ID)
				dup.ID = w.item.ID
				wantErr(t, s.CreateWishlistItem(t.Context(), dup), core.ErrConflict)
			}},
		}},
		{"GetWishlistItem", []testCase{
			{"found", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				wantWishlistItem(t, s, w.item)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				_, err := s.GetWishlistItem(t.Context(), w.shop.ID, w.list.ID, newID("wli_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				_, err := s.GetWishlistItem(t.Context(), w.otherShop.ID, w.list.ID, w.item.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"of_another_list", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				other := newWishlist(t, s, w.shop.ID, w.otherCust.ID, nil)
				_, err := s.GetWishlistItem(t.Context(), w.shop.ID, other.ID, w.item.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"ListWishlistItems", []testCase{
			{"pages_in_id_order", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				want := []string{w.item.ID}
				for range 4 {
					want = append(want, newWishlistItem(t, s, w.shop.ID, w.list.ID).ID)
				}
				newWishlistItem(t, s, w.shop.ID, newWishlist(t, s, w.shop.ID, w.cust.ID, nil).ID)
				first, err := s.ListWishlistItems(t.Context(), w.shop.ID, w.list.ID, "", 2)
				must(t, err)
				rest, err := s.ListWishlistItems(t.Context(), w.shop.ID, w.list.ID, first[1].ID, 10)
				must(t, err)
				if got := append(wishlistItemIDs(first), wishlistItemIDs(rest)...); !slices.Equal(got, want) {
					t.Fatalf("pages = %v, want %v", got, want)
				}
				wantEqual(t, &first[0], w.item)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				got, err := s.ListWishlistItems(t.Context(), w.otherShop.ID, w.list.ID, "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another store's items leaked: %v", wishlistItemIDs(got))
				}
			}},
			{"of_another_list", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				other := newWishlist(t, s, w.shop.ID, w.cust.ID, nil)
				got, err := s.ListWishlistItems(t.Context(), w.shop.ID, other.ID, "", 10)
				must(t, err)
				if got == nil || len(got) != 0 {
					t.Fatalf("got %#v, want an empty slice", got)
				}
			}},
		}},
		{"CountWishlistItems", []testCase{
			{"counts_the_lists_items", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				newWishlistItem(t, s, w.shop.ID, w.list.ID)
				newWishlistItem(t, s, w.shop.ID, newWishlist(t, s, w.shop.ID, w.cust.ID, nil).ID)
				wantWishlistItemCount(t, s, w.shop.ID, w.list.ID, 2)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				wantWishlistItemCount(t, s, w.otherShop.ID, w.list.ID, 0)
			}},
		}},
		{"UpdateWishlistItem", []testCase{
			{"writes_mutable_fields", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				up := *w.item
				up.Quantity, up.Note, up.Priority, up.VariantID = 7, "", 0, "var-7"
				up.UpdatedAt = at(time.Hour)
				up.CreatedAt = at(-time.Hour) // ignored
				must(t, s.UpdateWishlistItem(t.Context(), &up))
				up.CreatedAt = w.item.CreatedAt
				wantWishlistItem(t, s, &up)
			}},
			{"onto_an_existing_product", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				other := newWishlistItem(t, s, w.shop.ID, w.list.ID)
				up := *other
				up.ProductID, up.VariantID = w.item.ProductID, w.item.VariantID
				wantErr(t, s.UpdateWishlistItem(t.Context(), &up), core.ErrConflict)
				wantWishlistItem(t, s, other)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				up := *w.item
				up.ShopID, up.Quantity = w.otherShop.ID, 99
				wantErr(t, s.UpdateWishlistItem(t.Context(), &up), core.ErrNotFound)
				wantWishlistItem(t, s, w.item)
			}},
			{"of_another_list", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				up := *w.item
				up.WishlistID, up.Quantity = newWishlist(t, s, w.shop.ID, w.otherCust.ID, nil).ID, 99
				wantErr(t, s.UpdateWishlistItem(t.Context(), &up), core.ErrNotFound)
				wantWishlistItem(t, s, w.item)
			}},
		}},
		{"DeleteWishlistItem", []testCase{
			{"deletes_one", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				keep := newWishlistItem(t, s, w.shop.ID, w.list.ID)
				must(t, s.DeleteWishlistItem(t.Context(), w.shop.ID, w.list.ID, w.item.ID))
				_, err := s.GetWishlistItem(t.Context(), w.shop.ID, w.list.ID, w.item.ID)
				wantErr(t, err, core.ErrNotFound)
				wantWishlistItem(t, s, keep)
				wantErr(t, s.DeleteWishlistItem(t.Context(), w.shop.ID, w.list.ID, w.item.ID), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				wantErr(t, s.DeleteWishlistItem(t.Context(), w.otherShop.ID, w.list.ID, w.item.ID), core.ErrNotFound)
				wantWishlistItem(t, s, w.item)
			}},
			{"of_another_list", func(t *testing.T, s core.Store) {
				w := newWishlistWorld(t, s)
				other := newWishlist(t, s, w.shop.ID, w.otherCust.ID, nil)
				wantErr(t, s.DeleteWishlistItem(t.Context(), w.shop.ID, other.ID, w.item.ID), core.ErrNotFound)
				wantWishlistItem(t, s, w.item)
			}},
		}},
	}
}

func mustGetWishlist(t *testing.T, s core.Store, shopID, customerID, id string) *core.Wishlist {
	t.Helper()
	w, err := s.GetWishlist(t.Context(), shopID, customerID, id)
	must(t, err)
	return w
}

func wantWishlistCount(t *testing.T, s core.Store, shopID, customerID string, want int) {
	t.Helper()
	n, err := s.CountWishlists(t.Context(), shopID, customerID)
	must(t, err)
	if n != want {
		t.Fatalf("CountWishlists = %d, want %d", n, want)
	}
}

func wantWishlistItemCount(t *testing.T, s core.Store, shopID, wishlistID string, want int) {
	t.Helper()
	n, err := s.CountWishlistItems(t.Context(), shopID, wishlistID)
	must(t, err)
	if n != want {
		t.Fatalf("CountWishlistItems = %d, want %d", n, want)
	}
}
