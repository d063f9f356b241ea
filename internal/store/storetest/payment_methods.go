package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// paymentMethodFixture sets every field but the billing address (which
// needs an address row): a card with nested metadata.
func paymentMethodFixture(shopID, customerID string) *core.PaymentMethod {
	return &core.PaymentMethod{
		ID:          newID("pm_"),
		ShopID:      shopID,
		CustomerID:  customerID,
		Provider:    "stripe",
		ProviderRef: newID("pm_stripe_"),
		Type:        "card",
		Brand:       "visa",
		Last4:       "4242",
		ExpMonth:    12,
		ExpYear:     2031,
		HolderName:  "Ada Lovelace — 名前",
		Metadata:    map[string]any{"wallet": "apple_pay", "nested": map[string]any{"n": 1.0, "ok": true}},
		CreatedAt:   at(0),
		UpdatedAt:   at(time.Minute),
	}
}

// newPaymentMethod inserts a method of the customer, adjusted by mod (may
// be nil).
func newPaymentMethod(t *testing.T, s core.Store, shopID, customerID string, mod func(*core.PaymentMethod)) *core.PaymentMethod {
	t.Helper()
	m := paymentMethodFixture(shopID, customerID)
	if mod != nil {
		mod(m)
	}
	must(t, s.CreatePaymentMethod(t.Context(), m))
	return m
}

// pmWorld is the usual start: a shop, a customer with one (default)
// method, and another shop and another customer (of the first shop) to
// miss with.
type pmWorld struct {
	shop, otherShop *core.Shop
	cust, otherCust *core.Customer
	pm              *core.PaymentMethod
}

func newPMWorld(t *testing.T, s core.Store) pmWorld {
	t.Helper()
	var w pmWorld
	w.shop, w.cust = newShopCustomer(t, s)
	w.otherShop = newShop(t, s)
	typed, _ := newEmail()
	w.otherCust = newCustomer(t, s, w.shop.ID, typed)
	w.pm = newPaymentMethod(t, s, w.shop.ID, w.cust.ID, func(m *core.PaymentMethod) { m.IsDefault = true })
	return w
}

// wantPaymentMethod fails unless the stored method equals want.
func wantPaymentMethod(t *testing.T, s core.Store, want *core.PaymentMethod) {
	t.Helper()
	got, err := s.GetPaymentMethod(t.Context(), want.ShopID, want.CustomerID, want.ID)
	must(t, err)
	wantEqual(t, got, want)
}

func paymentMethodIDs(ms []core.PaymentMethod) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

// pmAddress stores an address of the customer for the billing-address
// cases.
func pmAddress(t *testing.T, s core.Store, shopID, customerID string) *core.Address {
	t.Helper()
	a := &core.Address{
		ID: newID("addr_"), ShopID: shopID, CustomerID: customerID, FirstName: "Ada", Address1: "1 Main St",
		City: "London", CountryCode: "GB", CreatedAt: at(0), UpdatedAt: at(0),
	}
	must(t, s.CreateAddress(t.Context(), a))
	return a
}

// paymentMethodCases returns the cases of saved payment methods.
func paymentMethodCases() []methodCases {
	return []methodCases{
		{"CreatePaymentMethod", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				wantPaymentMethod(t, s, w.pm)
			}},
			{"round_trip_with_billing_address", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := pmAddress(t, s, sh.ID, c.ID)
				m := newPaymentMethod(t, s, sh.ID, c.ID, func(m *core.PaymentMethod) { m.BillingAddressID = a.ID })
				wantPaymentMethod(t, s, m)
			}},
			{"address_deleted_clears_it", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := pmAddress(t, s, sh.ID, c.ID)
				m := newPaymentMethod(t, s, sh.ID, c.ID, func(m *core.PaymentMethod) { m.BillingAddressID = a.ID })
				must(t, s.DeleteAddress(t.Context(), sh.ID, c.ID, a.ID))
				m.BillingAddressID = ""
				wantPaymentMethod(t, s, m)
			}},
			{"minimal_round_trip", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				m := newPaymentMethod(t, s, sh.ID, c.ID, func(m *core.PaymentMethod) {
					m.Type, m.Provider, m.Brand, m.Last4, m.ExpMonth, m.ExpYear, m.HolderName, m.Metadata = "paypal", "paypal", "", "", 0, 0, "", nil
				})
				wantPaymentMethod(t, s, m)
			}},
			{"unknown_billing_address", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				m := paymentMethodFixture(sh.ID, c.ID)
				m.BillingAddressID = newID("addr_")
				wantErr(t, s.CreatePaymentMethod(t.Context(), m), core.ErrNotFound)
			}},
			{"duplicate_provider_ref", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				dup := paymentMethodFixture(w.shop.ID, w.otherCust.ID)
				dup.ProviderRef = w.pm.ProviderRef
				wantErr(t, s.CreatePaymentMethod(t.Context(), dup), core.ErrConflict)
				// Another provider, or another shop, may hold the same reference.
				dup.Provider = "adyen"
				must(t, s.CreatePaymentMethod(t.Context(), dup))
				other := newCustomer(t, s, w.otherShop.ID, w.cust.Email)
				newPaymentMethod(t, s, w.otherShop.ID, other.ID, func(m *core.PaymentMethod) { m.ProviderRef = w.pm.ProviderRef })
			}},
			{"second_default", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				m := paymentMethodFixture(w.shop.ID, w.cust.ID)
				m.IsDefault = true
				wantErr(t, s.CreatePaymentMethod(t.Context(), m), core.ErrConflict)
				// Another customer's default is no conflict.
				newPaymentMethod(t, s, w.shop.ID, w.otherCust.ID, func(m *core.PaymentMethod) { m.IsDefault = true })
			}},
			{"conflict_inside_tx_leaves_it_usable", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				next := paymentMethodFixture(w.shop.ID, w.cust.ID)
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					dup := paymentMethodFixture(w.shop.ID, w.cust.ID)
					dup.ProviderRef = w.pm.ProviderRef
					wantErr(t, tx.CreatePaymentMethod(t.Context(), dup), core.ErrConflict)
					return tx.CreatePaymentMethod(t.Context(), next)
				}))
				wantPaymentMethod(t, s, next)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				m := paymentMethodFixture(w.otherShop.ID, w.cust.ID)
				wantErr(t, s.CreatePaymentMethod(t.Context(), m), core.ErrNotFound)
				list, err := s.ListPaymentMethods(t.Context(), w.otherShop.ID, w.cust.ID, "", 10)
				must(t, err)
				if len(list) != 0 {
					t.Fatalf("a method was stored for a customer of another store: %v", paymentMethodIDs(list))
				}
			}},
			{"cascades_with_customer", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				must(t, s.DeleteCustomer(t.Context(), w.shop.ID, w.cust.ID))
				_, err := s.GetPaymentMethod(t.Context(), w.shop.ID, w.cust.ID, w.pm.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetPaymentMethod", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				_, err := s.GetPaymentMethod(t.Context(), w.shop.ID, w.cust.ID, newID("pm_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				_, err := s.GetPaymentMethod(t.Context(), w.otherShop.ID, w.cust.ID, w.pm.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				_, err := s.GetPaymentMethod(t.Context(), w.shop.ID, w.otherCust.ID, w.pm.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"ListPaymentMethods", []testCase{
			{"pages_in_id_order", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				all := []string{w.pm.ID}
				for range 4 {
					all = append(all, newPaymentMethod(t, s, w.shop.ID, w.cust.ID, nil).ID)
				}
				newPaymentMethod(t, s, w.shop.ID, w.otherCust.ID, nil)
				first, err := s.ListPaymentMethods(t.Context(), w.shop.ID, w.cust.ID, "", 3)
				must(t, err)
				rest, err := s.ListPaymentMethods(t.Context(), w.shop.ID, w.cust.ID, first[2].ID, 3)
				must(t, err)
				if got := append(paymentMethodIDs(first), paymentMethodIDs(rest)...); !slices.Equal(got, all) {
					t.Fatalf("pages = %v, want %v", got, all)
				}
				wantEqual(t, &first[0], w.pm)
			}},
			{"empty_is_not_nil", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				list, err := s.ListPaymentMethods(t.Context(), sh.ID, c.ID, "", 10)
				must(t, err)
				if list == nil || len(list) != 0 {
					t.Fatalf("list = %#v, want empty", list)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				list, err := s.ListPaymentMethods(t.Context(), w.otherShop.ID, w.cust.ID, "", 10)
				must(t, err)
				if len(list) != 0 {
					t.Fatalf("another store's methods leaked: %v", paymentMethodIDs(list))
				}
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				list, err := s.ListPaymentMethods(t.Context(), w.shop.ID, w.otherCust.ID, "", 10)
				must(t, err)
				if len(list) != 0 {
					t.Fatalf("another customer's methods leaked: %v", paymentMethodIDs(list))
				}
			}},
		}},
		{"UpdatePaymentMethod", []testCase{
			{"writes_every_mutable_field", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				m := *w.pm
				m.Provider, m.ProviderRef, m.Type, m.Brand, m.Last4 = "adyen", newID("ref_"), "klarna", "", "1881"
				m.ExpMonth, m.ExpYear, m.HolderName, m.IsDefault = 1, 2030, "A. L.", false
				m.Metadata, m.UpdatedAt = map[string]any{"x": "y"}, at(time.Hour)
				m.CreatedAt = at(48 * time.Hour) // must be ignored
				must(t, s.UpdatePaymentMethod(t.Context(), &m))
				m.CreatedAt = w.pm.CreatedAt
				wantPaymentMethod(t, s, &m)
			}},
			{"second_default", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				m := newPaymentMethod(t, s, w.shop.ID, w.cust.ID, nil)
				m.IsDefault = true
				wantErr(t, s.UpdatePaymentMethod(t.Context(), m), core.ErrConflict)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				m := paymentMethodFixture(w.shop.ID, w.cust.ID)
				wantErr(t, s.UpdatePaymentMethod(t.Context(), m), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				m := *w.pm
				m.ShopID, m.HolderName = w.otherShop.ID, "Mallory"
				wantErr(t, s.UpdatePaymentMethod(t.Context(), &m), core.ErrNotFound)
				wantPaymentMethod(t, s, w.pm)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				m := *w.pm
				m.CustomerID, m.HolderName = w.otherCust.ID, "Mallory"
				wantErr(t, s.UpdatePaymentMethod(t.Context(), &m), core.ErrNotFound)
				wantPaymentMethod(t, s, w.pm)
			}},
		}},
		{"DeletePaymentMethod", []testCase{
			{"deletes", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				must(t, s.DeletePaymentMethod(t.Context(), w.shop.ID, w.cust.ID, w.pm.ID))
				_, err := s.GetPaymentMethod(t.Context(), w.shop.ID, w.cust.ID, w.pm.ID)
				wantErr(t, err, core.ErrNotFound)
				wantErr(t, s.DeletePaymentMethod(t.Context(), w.shop.ID, w.cust.ID, w.pm.ID), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				wantErr(t, s.DeletePaymentMethod(t.Context(), w.otherShop.ID, w.cust.ID, w.pm.ID), core.ErrNotFound)
				wantPaymentMethod(t, s, w.pm)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				wantErr(t, s.DeletePaymentMethod(t.Context(), w.shop.ID, w.otherCust.ID, w.pm.ID), core.ErrNotFound)
				wantPaymentMethod(t, s, w.pm)
			}},
		}},
		{"ClearDefaultPaymentMethod", []testCase{
			{"clears_all_but_keep", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				next := newPaymentMethod(t, s, w.shop.ID, w.cust.ID, nil)
				theirs := newPaymentMethod(t, s, w.shop.ID, w.otherCust.ID, func(m *core.PaymentMethod) { m.IsDefault = true })
				must(t, s.ClearDefaultPaymentMethod(t.Context(), w.shop.ID, w.cust.ID, next.ID))
				cleared := *w.pm
				cleared.IsDefault = false
				wantPaymentMethod(t, s, &cleared)
				// Now the default can move without a conflict.
				next.IsDefault = true
				must(t, s.UpdatePaymentMethod(t.Context(), next))
				wantPaymentMethod(t, s, next)
				wantPaymentMethod(t, s, theirs)
			}},
			{"keeps_keep", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				must(t, s.ClearDefaultPaymentMethod(t.Context(), w.shop.ID, w.cust.ID, w.pm.ID))
				wantPaymentMethod(t, s, w.pm)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				must(t, s.ClearDefaultPaymentMethod(t.Context(), w.otherShop.ID, w.cust.ID, ""))
				wantPaymentMethod(t, s, w.pm)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newPMWorld(t, s)
				must(t, s.ClearDefaultPaymentMethod(t.Context(), w.shop.ID, w.otherCust.ID, ""))
				wantPaymentMethod(t, s, w.pm)
			}},
		}},
	}
}
