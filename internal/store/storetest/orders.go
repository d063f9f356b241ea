package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// orderFixture sets every field: two line items, both address snapshots
// and nested metadata. customerID may be empty (a guest order).
func orderFixture(shopID, customerID, email string) *core.Order {
	return &core.Order{
		ID:                newID("ord_"),
		ShopID:            shopID,
		Number:            newID("R"),
		CustomerID:        customerID,
		Email:             email,
		EmailNormalized:   strings.ToLower(email),
		State:             "completed",
		PaymentStatus:     "paid",
		FulfillmentStatus: "shipped",
		Currency:          "EUR",
		Subtotal:          4200,
		ShippingTotal:     500,
		TaxTotal:          798,
		DiscountTotal:     100,
		Total:             5398,
		ItemCount:         3,
		LineItems: []core.LineItem{
			{ID: "li_1", ProductID: "prod_1", VariantID: "var_1", SKU: "TEE-M", Name: "T-shirt — 名前", Quantity: 2, UnitPrice: 1500, Total: 3000, ImageURL: "https://cdn.example/tee.png"},
			{Name: "Sticker", Quantity: 1, UnitPrice: 1200, Total: 1200},
		},
		BillingAddress: &core.Address{
			FirstName: "Ada", LastName: "Lovelace", Company: "Analytical Engines", Address1: "1 Main St", Address2: "Flat 2",
			City: "London", RegionCode: "LND", RegionName: "Greater London", PostalCode: "W1 1AA", CountryCode: "GB", Phone: "+44 20 7946 0000",
		},
		ShippingAddress: &core.Address{FirstName: "Ada", Address1: "2 Side St", City: "Paris", CountryCode: "FR"},
		Metadata:        map[string]any{"channel": "web", "nested": map[string]any{"n": 1.0, "list": []any{"a", true}}},
		PlacedAt:        at(-time.Hour),
		CreatedAt:       at(0),
		UpdatedAt:       at(0),
	}
}

// newOrder upserts a fresh order (mod may be nil) and returns it as stored.
func newOrder(t *testing.T, s core.Store, shopID, customerID, email string, mod func(*core.Order)) *core.Order {
	t.Helper()
	o := orderFixture(shopID, customerID, email)
	if mod != nil {
		mod(o)
	}
	inserted, err := s.UpsertOrder(t.Context(), o)
	must(t, err)
	if !inserted {
		t.Fatalf("a new order was reported as replaced")
	}
	return o
}

// orderWorld: a shop with a customer, a guest order placed with the
// customer's address, the customer's own order, and another shop and
// another customer (of the first shop) to miss with.
type orderWorld struct {
	shop, otherShop *core.Shop
	cust, otherCust *core.Customer
	guest, own      *core.Order
}

func newOrderWorld(t *testing.T, s core.Store) orderWorld {
	t.Helper()
	var w orderWorld
	w.shop, w.cust = newShopCustomer(t, s)
	w.otherShop = newShop(t, s)
	typed, _ := newEmail()
	w.otherCust = newCustomer(t, s, w.shop.ID, typed)
	w.guest = newOrder(t, s, w.shop.ID, "", w.cust.Email, nil)
	w.own = newOrder(t, s, w.shop.ID, w.cust.ID, w.cust.Email, nil)
	return w
}

// wantOrder fails unless the stored order equals want.
func wantOrder(t *testing.T, s core.Store, want *core.Order) {
	t.Helper()
	got, err := s.GetOrder(t.Context(), want.ShopID, "", want.ID)
	must(t, err)
	wantEqual(t, got, want)
}

func orderIDs(os []core.Order) []string {
	ids := make([]string, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	return ids
}

// orderCases returns the cases of the order index.
func orderCases() []methodCases {
	return []methodCases{
		{"GetOrderByNumber", []testCase{
			{"finds_and_scopes", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				got, err := s.GetOrderByNumber(t.Context(), w.shop.ID, w.own.Number)
				must(t, err)
				wantEqual(t, got, w.own)
				_, err = s.GetOrderByNumber(t.Context(), w.otherShop.ID, w.own.Number)
				wantErr(t, err, core.ErrNotFound)
				_, err = s.GetOrderByNumber(t.Context(), w.shop.ID, "nope")
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"UpsertOrder", upsertOrderCases()},
		{"GetOrder", []testCase{
			{"of_the_customer", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				got, err := s.GetOrder(t.Context(), w.shop.ID, w.cust.ID, w.own.ID)
				must(t, err)
				wantEqual(t, got, w.own)
			}},
			{"guest_order_is_nobodys", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				_, err := s.GetOrder(t.Context(), w.shop.ID, w.cust.ID, w.guest.ID)
				wantErr(t, err, core.ErrNotFound)
				wantOrder(t, s, w.guest) // without a customer: any of the shop's
			}},
			{"missing", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				_, err := s.GetOrder(t.Context(), w.shop.ID, "", newID("ord_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				_, err := s.GetOrder(t.Context(), w.otherShop.ID, "", w.own.ID)
				wantErr(t, err, core.ErrNotFound)
				_, err = s.GetOrder(t.Context(), w.otherShop.ID, w.cust.ID, w.own.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				_, err := s.GetOrder(t.Context(), w.shop.ID, w.otherCust.ID, w.own.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"ListOrders", []testCase{
			{"pages_newest_first", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				want := []string{w.own.ID}
				for range 4 {
					want = append(want, newOrder(t, s, w.shop.ID, w.cust.ID, w.cust.Email, nil).ID)
				}
				newOrder(t, s, w.shop.ID, w.otherCust.ID, w.otherCust.Email, nil)
				slices.Reverse(want)
				first, err := s.ListOrders(t.Context(), w.shop.ID, w.cust.ID, "", 3)
				must(t, err)
				rest, err := s.ListOrders(t.Context(), w.shop.ID, w.cust.ID, first[2].ID, 3)
				must(t, err)
				if got := append(orderIDs(first), orderIDs(rest)...); !slices.Equal(got, want) {
					t.Fatalf("pages = %v, want %v (guest orders and other customers' must not appear)", got, want)
				}
				wantEqual(t, &rest[len(rest)-1], w.own)
			}},
			{"empty_customer_lists_nothing", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				list, err := s.ListOrders(t.Context(), w.shop.ID, "", "", 10)
				must(t, err)
				if len(list) != 0 {
					t.Fatalf("guest orders listed for an empty customer id: %v", orderIDs(list))
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				list, err := s.ListOrders(t.Context(), w.otherShop.ID, w.cust.ID, "", 10)
				must(t, err)
				if list == nil || len(list) != 0 {
					t.Fatalf("list = %v, want empty, not nil", orderIDs(list))
				}
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				list, err := s.ListOrders(t.Context(), w.shop.ID, w.otherCust.ID, "", 10)
				must(t, err)
				if len(list) != 0 {
					t.Fatalf("another customer's orders leaked: %v", orderIDs(list))
				}
			}},
		}},
		{"ClaimOrders", claimOrderCases()},
		{"AnonymizeCustomerOrders", []testCase{
			{"unlinks_and_blanks", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				theirs := newOrder(t, s, w.shop.ID, w.otherCust.ID, w.otherCust.Email, nil)
				must(t, s.AnonymizeCustomerOrders(t.Context(), w.shop.ID, w.cust.ID))
				want := *w.own
				want.CustomerID, want.Email, want.EmailNormalized = "", "", ""
				want.BillingAddress, want.ShippingAddress = nil, nil
				wantOrder(t, s, &want)
				wantOrder(t, s, w.guest)
				wantOrder(t, s, theirs)
				// Blanked orders are nobody's to claim, not even with an empty address.
				ids, err := s.ClaimOrders(t.Context(), w.shop.ID, w.otherCust.ID, "", []string{w.own.ID})
				must(t, err)
				if len(ids) != 0 {
					t.Fatalf("claimed anonymised orders: %v", ids)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				must(t, s.AnonymizeCustomerOrders(t.Context(), w.otherShop.ID, w.cust.ID))
				wantOrder(t, s, w.own)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				must(t, s.AnonymizeCustomerOrders(t.Context(), w.shop.ID, w.otherCust.ID))
				wantOrder(t, s, w.own)
			}},
			{"deleting_the_customer_keeps_orders_unlinked", func(t *testing.T, s core.Store) {
				w := newOrderWorld(t, s)
				must(t, s.DeleteCustomer(t.Context(), w.shop.ID, w.cust.ID))
				want := *w.own
				want.CustomerID = ""
				wantOrder(t, s, &want)
			}},
		}},
	}
}

func upsertOrderCases() []testCase {
	return []testCase{
		{"inserts_then_replaces", func(t *testing.T, s core.Store) {
			w := newOrderWorld(t, s)
			wantOrder(t, s, w.own)
			next := orderFixture(w.shop.ID, "", "New@Example.com")
			next.Number, next.State, next.Total, next.LineItems = w.own.Number, "canceled", 0, nil
			next.BillingAddress, next.ShippingAddress, next.Metadata = nil, nil, nil
			next.CreatedAt, next.UpdatedAt = at(time.Hour), at(time.Hour)
			inserted, err := s.UpsertOrder(t.Context(), next)
			must(t, err)
			if inserted {
				t.Fatal("a replaced order was reported as inserted")
			}
			// Id, creation time and (the new value naming none) owner are kept.
			if next.ID != w.own.ID || !next.CreatedAt.Equal(w.own.CreatedAt) || next.CustomerID != w.cust.ID {
				t.Fatalf("kept id %s created %v customer %q, want %s %v %q", next.ID, next.CreatedAt, next.CustomerID, w.own.ID, w.own.CreatedAt, w.cust.ID)
			}
			wantOrder(t, s, next)
		}},
		{"replaces_customer_when_given", func(t *testing.T, s core.Store) {
			w := newOrderWorld(t, s)
			next := *w.own
			next.ID, next.CustomerID = newID("ord_"), w.otherCust.ID
			_, err := s.UpsertOrder(t.Context(), &next)
			must(t, err)
			if next.ID != w.own.ID || next.CustomerID != w.otherCust.ID {
				t.Fatalf("id %s customer %s", next.ID, next.CustomerID)
			}
			wantOrder(t, s, &next)
		}},
		{"nil_and_empty_line_items", func(t *testing.T, s core.Store) {
			w := newOrderWorld(t, s)
			o := newOrder(t, s, w.shop.ID, "", "x@example.com", func(o *core.Order) { o.LineItems = []core.LineItem{} })
			o.LineItems = nil // an empty list reads back as nil
			wantOrder(t, s, o)
		}},
		{"customer_of_another_store", func(t *testing.T, s core.Store) {
			w := newOrderWorld(t, s)
			o := orderFixture(w.otherShop.ID, w.cust.ID, w.cust.Email)
			_, err := s.UpsertOrder(t.Context(), o)
			wantErr(t, err, core.ErrNotFound)
			_, err = s.GetOrder(t.Context(), w.otherShop.ID, "", o.ID)
			wantErr(t, err, core.ErrNotFound)
			// An existing order is not handed to another store's customer either.
			next := *w.guest
			next.CustomerID = newCustomer(t, s, w.otherShop.ID, "z@example.com").ID
			_, err = s.UpsertOrder(t.Context(), &next)
			wantErr(t, err, core.ErrNotFound)
			wantOrder(t, s, w.guest)
		}},
		{"unknown_shop", func(t *testing.T, s core.Store) {
			_, err := s.UpsertOrder(t.Context(), orderFixture(newID("sto_"), "", "a@example.com"))
			wantErr(t, err, core.ErrNotFound)
		}},
		{"on_another_store", func(t *testing.T, s core.Store) {
			// The same number in another store is another order.
			w := newOrderWorld(t, s)
			o := newOrder(t, s, w.otherShop.ID, "", w.cust.Email, func(o *core.Order) { o.Number = w.own.Number })
			if o.ID == w.own.ID {
				t.Fatal("another store's number replaced this store's order")
			}
			wantOrder(t, s, w.own)
			wantOrder(t, s, o)
		}},
		{"refused_inside_tx_leaves_it_usable", func(t *testing.T, s core.Store) {
			w := newOrderWorld(t, s)
			ok := orderFixture(w.shop.ID, "", "ok@example.com")
			must(t, s.InTx(t.Context(), func(tx core.Store) error {
				_, err := tx.UpsertOrder(t.Context(), orderFixture(w.shop.ID, newID("cus_"), "a@example.com"))
				wantErr(t, err, core.ErrNotFound)
				_, err = tx.UpsertOrder(t.Context(), ok)
				return err
			}))
			wantOrder(t, s, ok)
		}},
		{"concurrent_reports_make_one_order", func(t *testing.T, s core.Store) {
			w := newOrderWorld(t, s)
			number := newID("R")
			orders := make([]*core.Order, 8)
			inserted := make([]bool, len(orders))
			errs := concurrently(len(orders), func(i int) error {
				orders[i] = orderFixture(w.shop.ID, "", "race@example.com")
				orders[i].Number = number
				var err error
				inserted[i], err = s.UpsertOrder(t.Context(), orders[i])
				return err
			})
			n := 0
			for i, err := range errs {
				must(t, err)
				if inserted[i] {
					n++
				}
				if orders[i].ID != orders[0].ID {
					t.Fatalf("two ids for one number: %s, %s", orders[0].ID, orders[i].ID)
				}
			}
			if n != 1 {
				t.Fatalf("%d upserts reported an insert, want 1", n)
			}
		}},
	}
}

func claimOrderCases() []testCase {
	return []testCase{
		{"claims_unowned_with_the_address", func(t *testing.T, s core.Store) {
			w := newOrderWorld(t, s)
			second := newOrder(t, s, w.shop.ID, "", strings.ToUpper(w.cust.Email), nil)
			otherAddress := newOrder(t, s, w.shop.ID, "", "someone@example.com", nil)
			theirs := newOrder(t, s, w.shop.ID, w.otherCust.ID, w.cust.Email, nil)
			elsewhere := newOrder(t, s, w.otherShop.ID, "", w.cust.Email, nil)
			ids, err := s.ClaimOrders(t.Context(), w.shop.ID, w.cust.ID, w.cust.EmailNormalized, nil)
			must(t, err)
			want := []string{w.guest.ID, second.ID}
			slices.Sort(want)
			if !slices.Equal(ids, want) {
				t.Fatalf("claimed %v, want %v", ids, want)
			}
			for _, o := range []*core.Order{w.guest, second} {
				o.CustomerID = w.cust.ID
				wantOrder(t, s, o)
			}
			for _, o := range []*core.Order{otherAddress, theirs, elsewhere, w.own} {
				wantOrder(t, s, o)
			}
			// A second claim finds nothing left.
			again, err := s.ClaimOrders(t.Context(), w.shop.ID, w.otherCust.ID, w.cust.EmailNormalized, nil)
			must(t, err)
			if again == nil || len(again) != 0 {
				t.Fatalf("second claim = %#v, want empty", again)
			}
		}},
		{"only_the_ids", func(t *testing.T, s core.Store) {
			w := newOrderWorld(t, s)
			second := newOrder(t, s, w.shop.ID, "", w.cust.Email, nil)
			ids, err := s.ClaimOrders(t.Context(), w.shop.ID, w.cust.ID, w.cust.EmailNormalized, []string{second.ID, w.own.ID, newID("ord_")})
			must(t, err)
			if !slices.Equal(ids, []string{second.ID}) {
				t.Fatalf("claimed %v, want only %s", ids, second.ID)
			}
			wantOrder(t, s, w.guest)
		}},
		{"on_another_store", func(t *testing.T, s core.Store) {
			w := newOrderWorld(t, s)
			other := newCustomer(t, s, w.otherShop.ID, w.cust.Email)
			ids, err := s.ClaimOrders(t.Context(), w.otherShop.ID, other.ID, w.cust.EmailNormalized, nil)
			must(t, err)
			if len(ids) != 0 {
				t.Fatalf("claimed another store's orders: %v", ids)
			}
			// This store's customer in the other store's name: refused.
			_, err = s.ClaimOrders(t.Context(), w.otherShop.ID, w.cust.ID, w.cust.EmailNormalized, nil)
			wantErr(t, err, core.ErrNotFound)
			wantOrder(t, s, w.guest)
		}},
		{"customer_of_another_store", func(t *testing.T, s core.Store) {
			w := newOrderWorld(t, s)
			other := newCustomer(t, s, w.otherShop.ID, w.cust.Email)
			_, err := s.ClaimOrders(t.Context(), w.shop.ID, other.ID, w.cust.EmailNormalized, nil)
			wantErr(t, err, core.ErrNotFound)
			wantOrder(t, s, w.guest)
		}},
		{"of_another_customer", func(t *testing.T, s core.Store) {
			// Owned orders are never taken over, whoever asks.
			w := newOrderWorld(t, s)
			ids, err := s.ClaimOrders(t.Context(), w.shop.ID, w.otherCust.ID, w.cust.EmailNormalized, []string{w.own.ID})
			must(t, err)
			if len(ids) != 0 {
				t.Fatalf("took over an owned order: %v", ids)
			}
			wantOrder(t, s, w.own)
		}},
		{"concurrent_claims_link_once", func(t *testing.T, s core.Store) {
			w := newOrderWorld(t, s)
			claimers := []string{w.cust.ID, w.otherCust.ID, w.cust.ID, w.otherCust.ID}
			got := make([][]string, len(claimers))
			errs := concurrently(len(claimers), func(i int) error {
				var err error
				got[i], err = s.ClaimOrders(t.Context(), w.shop.ID, claimers[i], w.cust.EmailNormalized, nil)
				return err
			})
			n := 0
			for i, err := range errs {
				must(t, err)
				n += len(got[i])
			}
			if n != 1 {
				t.Fatalf("the guest order was claimed %d times", n)
			}
		}},
	}
}
