package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
)

func bulkCases() []methodCases {
	// batch makes n customers of shopID with fresh e-mails.
	batch := func(shopID string, n int) []*core.Customer {
		cs := make([]*core.Customer, n)
		for i := range cs {
			typed, _ := newEmail()
			cs[i] = customerFixture(shopID, typed)
		}
		return cs
	}
	// none fails when any of cs was written.
	none := func(t *testing.T, s core.Store, cs []*core.Customer) {
		t.Helper()
		for _, c := range cs {
			if _, err := s.GetCustomer(t.Context(), c.ShopID, c.ID); err == nil {
				t.Fatalf("customer %s was written by a failed bulk insert", c.ID)
			}
		}
	}
	return []methodCases{
		{"BulkCreateCustomers", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				// More rows than one statement carries, so the chunking
				// and every row's values are checked.
				sh := newShop(t, s)
				cs := batch(sh.ID, 1203)
				must(t, s.BulkCreateCustomers(t.Context(), cs))
				for _, i := range []int{0, 499, 500, 1202} {
					got, err := s.GetCustomer(t.Context(), sh.ID, cs[i].ID)
					must(t, err)
					wantEqual(t, got, cs[i])
				}
				got, err := s.GetCustomerByEmail(t.Context(), sh.ID, cs[777].EmailNormalized)
				must(t, err)
				wantEqual(t, got, cs[777])
			}},
			{"empty", func(t *testing.T, s core.Store) {
				must(t, s.BulkCreateCustomers(t.Context(), nil))
			}},
			{"taken_email_writes_nothing", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				taken, _ := newEmail()
				newCustomer(t, s, sh.ID, taken)
				cs := batch(sh.ID, 600)
				cs[550].Email, cs[550].EmailNormalized = taken, strings.ToLower(taken)
				wantErr(t, s.BulkCreateCustomers(t.Context(), cs), core.ErrConflict)
				none(t, s, cs)
			}},
			{"duplicate_in_batch", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				cs := batch(sh.ID, 3)
				cs[2].Email, cs[2].EmailNormalized = cs[0].Email, cs[0].EmailNormalized
				wantErr(t, s.BulkCreateCustomers(t.Context(), cs), core.ErrConflict)
				none(t, s, cs)
			}},
			{"unknown_shop", func(t *testing.T, s core.Store) {
				cs := batch(newID("shop_"), 2)
				wantErr(t, s.BulkCreateCustomers(t.Context(), cs), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				// The same e-mail in two shops is two customers, and a
				// bulk-made customer is not visible from another shop.
				a, b := newShop(t, s), newShop(t, s)
				email, _ := newEmail()
				newCustomer(t, s, a.ID, email)
				cs := batch(b.ID, 1)
				cs[0].Email, cs[0].EmailNormalized = email, strings.ToLower(email)
				must(t, s.BulkCreateCustomers(t.Context(), cs))
				_, err := s.GetCustomer(t.Context(), a.ID, cs[0].ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"inside_tx_rolls_back", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				cs := batch(sh.ID, 2)
				boom := fmt.Errorf("boom")
				err := s.InTx(t.Context(), func(tx core.Store) error {
					must(t, tx.BulkCreateCustomers(t.Context(), cs))
					return boom
				})
				if err != boom {
					t.Fatalf("InTx = %v, want boom", err)
				}
				none(t, s, cs)
			}},
		}},
	}
}
