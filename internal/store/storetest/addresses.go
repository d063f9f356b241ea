package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// addressFixture sets every field, with metadata of each JSON type.
func addressFixture(shopID, customerID string) *core.Address {
	return &core.Address{
		ID:          newID("addr_"),
		ShopID:      shopID,
		CustomerID:  customerID,
		Label:       "Home",
		FirstName:   "Ada",
		LastName:    "Lovelace",
		Company:     "Analytical Engines Ltd",
		Address1:    "12 St James's Square",
		Address2:    "Flat 2 — rear",
		City:        "London",
		RegionCode:  "LND",
		RegionName:  "Greater London",
		PostalCode:  "SW1Y 4JH",
		CountryCode: "GB",
		Phone:       "+44 20 7946 0000",
		Metadata:    map[string]any{"door": "blue", "floor": 2.0, "notes": []any{"ring twice", nil}, "gate": map[string]any{"code": "1815"}},
		CreatedAt:   at(0),
		UpdatedAt:   at(time.Minute),
	}
}

func newAddress(t *testing.T, s core.Store, shopID, customerID string) *core.Address {
	t.Helper()
	a := addressFixture(shopID, customerID)
	must(t, s.CreateAddress(t.Context(), a))
	return a
}

func addressIDs(as []core.Address) []string {
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	return ids
}

// wantAddress fails unless the customer's address reads back as want.
func wantAddress(t *testing.T, s core.Store, want *core.Address) {
	t.Helper()
	got, err := s.GetAddress(t.Context(), want.ShopID, want.CustomerID, want.ID)
	must(t, err)
	wantEqual(t, got, want)
}

// addressCases returns the cases of addresses (the customers' default
// address ids are covered with UpdateCustomer and DeleteAddress).
func addressCases() []methodCases {
	return []methodCases{
		{"CreateAddress", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				wantAddress(t, s, newAddress(t, s, sh.ID, c.ID))
			}},
			{"minimal", func(t *testing.T, s core.Store) {
				// Only the country: empty text and nil metadata stay so.
				sh, c := newShopCustomer(t, s)
				a := &core.Address{ID: newID("addr_"), ShopID: sh.ID, CustomerID: c.ID, CountryCode: "US", CreatedAt: at(0), UpdatedAt: at(0)}
				must(t, s.CreateAddress(t.Context(), a))
				wantAddress(t, s, a)
			}},
			{"empty_metadata", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := addressFixture(sh.ID, c.ID)
				a.Metadata = map[string]any{}
				must(t, s.CreateAddress(t.Context(), a))
				wantAddress(t, s, a)
			}},
			{"injection_stored_literally", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := addressFixture(sh.ID, c.ID)
				a.Address1, a.City, a.Label = "' OR 1=1--", `{"$gt":""}`, "Robert'); DROP TABLE addresses;--"
				must(t, s.CreateAddress(t.Context(), a))
				wantAddress(t, s, a)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				first := newAddress(t, s, sh.ID, c.ID)
				dup := addressFixture(sh.ID, c.ID)
				dup.ID, dup.City = first.ID, "Paris"
				wantErr(t, s.CreateAddress(t.Context(), dup), core.ErrConflict)
				wantAddress(t, s, first)
			}},
			{"unknown_customer", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				a := addressFixture(sh.ID, newID("cus_"))
				wantErr(t, s.CreateAddress(t.Context(), a), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				// A customer of shop A filed under shop B is refused.
				_, c := newShopCustomer(t, s)
				other := newShop(t, s)
				a := addressFixture(other.ID, c.ID)
				wantErr(t, s.CreateAddress(t.Context(), a), core.ErrNotFound)
				n, err := s.CountAddresses(t.Context(), c.ShopID, c.ID)
				must(t, err)
				wantEqual(t, n, 0)
			}},
		}},
		{"GetAddress", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				_, err := s.GetAddress(t.Context(), sh.ID, c.ID, newID("addr_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := newAddress(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				_, err := s.GetAddress(t.Context(), other.ID, c.ID, a.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := newAddress(t, s, sh.ID, c.ID)
				b := newCustomer(t, s, sh.ID, "b@example.com")
				_, err := s.GetAddress(t.Context(), sh.ID, b.ID, a.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"ListAddresses", []testCase{
			{"pages_in_id_order", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				b := newCustomer(t, s, sh.ID, "b@example.com")
				var want []string
				for range 5 {
					want = append(want, newAddress(t, s, sh.ID, c.ID).ID)
					newAddress(t, s, sh.ID, b.ID) // interleaved, never listed
				}
				first, err := s.ListAddresses(t.Context(), sh.ID, c.ID, "", 3)
				must(t, err)
				rest, err := s.ListAddresses(t.Context(), sh.ID, c.ID, first[2].ID, 3)
				must(t, err)
				if got := append(addressIDs(first), addressIDs(rest)...); !slices.Equal(got, want) {
					t.Fatalf("pages = %v, want %v", got, want)
				}
				a := addressFixture(sh.ID, c.ID)
				a.ID = first[0].ID
				a.CreatedAt, a.UpdatedAt = first[0].CreatedAt, first[0].UpdatedAt
				wantEqual(t, &first[0], a)
			}},
			{"empty", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				got, err := s.ListAddresses(t.Context(), sh.ID, c.ID, "", 10)
				must(t, err)
				if got == nil || len(got) != 0 {
					t.Fatalf("got %#v, want an empty list", got)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				newAddress(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				got, err := s.ListAddresses(t.Context(), other.ID, c.ID, "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another store's addresses leaked: %v", addressIDs(got))
				}
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				newAddress(t, s, sh.ID, c.ID)
				b := newCustomer(t, s, sh.ID, "b@example.com")
				got, err := s.ListAddresses(t.Context(), sh.ID, b.ID, "", 10)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another customer's addresses leaked: %v", addressIDs(got))
				}
			}},
		}},
		{"CountAddresses", []testCase{
			{"counts_the_customers_book", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				b := newCustomer(t, s, sh.ID, "b@example.com")
				for range 3 {
					newAddress(t, s, sh.ID, c.ID)
				}
				newAddress(t, s, sh.ID, b.ID)
				n, err := s.CountAddresses(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, n, 3)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				newAddress(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				n, err := s.CountAddresses(t.Context(), other.ID, c.ID)
				must(t, err)
				wantEqual(t, n, 0)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				newAddress(t, s, sh.ID, c.ID)
				b := newCustomer(t, s, sh.ID, "b@example.com")
				n, err := s.CountAddresses(t.Context(), sh.ID, b.ID)
				must(t, err)
				wantEqual(t, n, 0)
			}},
			{"cap_holds_under_the_customer_lock", func(t *testing.T, s core.Store) {
				// Core counts and inserts under LockCustomer; concurrent
				// transactions must not both pass a cap of 3.
				sh, c := newShopCustomer(t, s)
				const limit = 3
				errFull := errors.New("full")
				errs := concurrently(8, func(int) error {
					return s.InTx(t.Context(), func(tx core.Store) error {
						if err := tx.LockCustomer(t.Context(), sh.ID, c.ID); err != nil {
							return err
						}
						n, err := tx.CountAddresses(t.Context(), sh.ID, c.ID)
						if err != nil {
							return err
						}
						if n >= limit {
							return errFull
						}
						return tx.CreateAddress(t.Context(), addressFixture(sh.ID, c.ID))
					})
				})
				for i, err := range errs {
					if err != nil && !errors.Is(err, errFull) {
						t.Fatalf("call %d: %v", i, err)
					}
				}
				n, err := s.CountAddresses(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, n, limit)
			}},
		}},
		{"UpdateAddress", []testCase{
			{"every_field", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := newAddress(t, s, sh.ID, c.ID)
				bystander := newAddress(t, s, sh.ID, c.ID)
				want := *a
				want.Label, want.FirstName, want.LastName, want.Company = "Work", "Grace", "Hopper", "Navy"
				want.Address1, want.Address2, want.City = "1 Main St", "", "Arlington"
				want.RegionCode, want.RegionName, want.PostalCode = "VA", "Virginia", "22201"
				want.CountryCode, want.Phone = "US", "+1 202 555 0100"
				want.Metadata = map[string]any{"dock": 7.0}
				want.UpdatedAt = at(time.Hour)
				must(t, s.UpdateAddress(t.Context(), &want))
				wantAddress(t, s, &want)
				wantAddress(t, s, bystander)
			}},
			{"clear_optional", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := newAddress(t, s, sh.ID, c.ID)
				want := core.Address{ID: a.ID, ShopID: sh.ID, CustomerID: c.ID, CountryCode: "DE", CreatedAt: a.CreatedAt, UpdatedAt: at(time.Hour)}
				must(t, s.UpdateAddress(t.Context(), &want))
				wantAddress(t, s, &want)
			}},
			{"created_at_fixed", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := newAddress(t, s, sh.ID, c.ID)
				upd := *a
				upd.CreatedAt = at(48 * time.Hour)
				must(t, s.UpdateAddress(t.Context(), &upd))
				got, err := s.GetAddress(t.Context(), sh.ID, c.ID, a.ID)
				must(t, err)
				wantEqual(t, got.CreatedAt, a.CreatedAt)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := addressFixture(sh.ID, c.ID)
				wantErr(t, s.UpdateAddress(t.Context(), a), core.ErrNotFound)
				_, err := s.GetAddress(t.Context(), sh.ID, c.ID, a.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := newAddress(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				upd := *a
				upd.ShopID, upd.City = other.ID, "Hijacked"
				wantErr(t, s.UpdateAddress(t.Context(), &upd), core.ErrNotFound)
				wantAddress(t, s, a)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := newAddress(t, s, sh.ID, c.ID)
				b := newCustomer(t, s, sh.ID, "b@example.com")
				upd := *a
				upd.CustomerID, upd.City = b.ID, "Hijacked"
				wantErr(t, s.UpdateAddress(t.Context(), &upd), core.ErrNotFound)
				wantAddress(t, s, a)
			}},
		}},
		{"DeleteAddress", []testCase{
			{"deletes_one", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := newAddress(t, s, sh.ID, c.ID)
				keep := newAddress(t, s, sh.ID, c.ID)
				must(t, s.DeleteAddress(t.Context(), sh.ID, c.ID, a.ID))
				_, err := s.GetAddress(t.Context(), sh.ID, c.ID, a.ID)
				wantErr(t, err, core.ErrNotFound)
				wantAddress(t, s, keep)
				wantErr(t, s.DeleteAddress(t.Context(), sh.ID, c.ID, a.ID), core.ErrNotFound)
			}},
			{"clears_customer_defaults", func(t *testing.T, s core.Store) {
				// The foreign key clears a default that named the address,
				// and only that one.
				sh, c := newShopCustomer(t, s)
				billing := newAddress(t, s, sh.ID, c.ID)
				shipping := newAddress(t, s, sh.ID, c.ID)
				want := *c
				want.DefaultBillingAddressID, want.DefaultShippingAddressID = billing.ID, shipping.ID
				must(t, s.UpdateCustomer(t.Context(), &want))
				must(t, s.DeleteAddress(t.Context(), sh.ID, c.ID, billing.ID))
				want.DefaultBillingAddressID = ""
				got, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, &want)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				wantErr(t, s.DeleteAddress(t.Context(), sh.ID, c.ID, newID("addr_")), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := newAddress(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				wantErr(t, s.DeleteAddress(t.Context(), other.ID, c.ID, a.ID), core.ErrNotFound)
				wantAddress(t, s, a)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				a := newAddress(t, s, sh.ID, c.ID)
				b := newCustomer(t, s, sh.ID, "b@example.com")
				wantErr(t, s.DeleteAddress(t.Context(), sh.ID, b.ID, a.ID), core.ErrNotFound)
				wantAddress(t, s, a)
			}},
		}},
	}
}
