package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// creditFixture is an unsaved ledger entry with every field set.
func creditFixture(shopID, customerID, currency string, amount int64) *core.CreditEntry {
	return &core.CreditEntry{
		ID: newID("scr_"), ShopID: shopID, CustomerID: customerID, Currency: currency, Amount: amount,
		Kind: core.CreditGrant, Reason: "goodwill — 名前 ✓", Author: "admin:sto_test", Reference: "R-1001",
		CreatedAt: at(time.Duration(seq.Add(1)) * time.Second),
	}
}

func newCredit(t *testing.T, s core.Store, shopID, customerID, currency string, amount int64) *core.CreditEntry {
	t.Helper()
	e := creditFixture(shopID, customerID, currency, amount)
	must(t, s.AppendCredit(t.Context(), e))
	return e
}

func creditIDs(es []core.CreditEntry) []string {
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids
}

// wantCreditEntries fails unless the customer's ledger has exactly ids.
func wantCreditEntries(t *testing.T, s core.Store, shopID, customerID string, ids ...string) {
	t.Helper()
	got, err := s.ListCredit(t.Context(), shopID, customerID, "", 100)
	must(t, err)
	if !slices.Equal(creditIDs(got), append([]string{}, ids...)) {
		t.Fatalf("ledger = %v, want %v", creditIDs(got), ids)
	}
}

// creditCases returns the cases of store credit and gift cards.
func creditCases() []methodCases {
	return append(storeCreditCases(), giftCardCases()...)
}

func storeCreditCases() []methodCases {
	errInsufficient := errors.New("insufficient")
	return []methodCases{
		{"LockCustomer", []testCase{
			{"in_tx", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					return tx.LockCustomer(t.Context(), sh.ID, c.ID)
				}))
			}},
			{"outside_tx_checks_the_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				must(t, s.LockCustomer(t.Context(), sh.ID, c.ID))
			}},
			{"unknown_customer", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				wantErr(t, s.InTx(t.Context(), func(tx core.Store) error {
					return tx.LockCustomer(t.Context(), sh.ID, newID("cus_"))
				}), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				_, c := newShopCustomer(t, s)
				other := newShop(t, s)
				wantErr(t, s.InTx(t.Context(), func(tx core.Store) error {
					return tx.LockCustomer(t.Context(), other.ID, c.ID)
				}), core.ErrNotFound)
			}},
			{"serialises_balance_checks", func(t *testing.T, s core.Store) {
				// Ten writers each spend 1 when the balance covers it; the
				// balance is 5. With the lock, exactly five win and the
				// balance ends at 0, never below.
				sh, c := newShopCustomer(t, s)
				for range 5 {
					newCredit(t, s, sh.ID, c.ID, "USD", 1)
				}
				errs := concurrently(10, func(int) error {
					return s.InTx(t.Context(), func(tx core.Store) error {
						if err := tx.LockCustomer(t.Context(), sh.ID, c.ID); err != nil {
							return err
						}
						bs, err := tx.CreditBalances(t.Context(), sh.ID, c.ID)
						if err != nil {
							return err
						}
						if len(bs) != 1 || bs[0].Amount < 1 {
							return errInsufficient
						}
						use := creditFixture(sh.ID, c.ID, "USD", -1)
						use.Kind = core.CreditUse
						return tx.AppendCredit(t.Context(), use)
					})
				})
				won := 0
				for i, err := range errs {
					switch {
					case err == nil:
						won++
					case !errors.Is(err, errInsufficient):
						t.Fatalf("writer %d: %v", i, err)
					}
				}
				bs, err := s.CreditBalances(t.Context(), sh.ID, c.ID)
				must(t, err)
				if won != 5 || len(bs) != 1 || bs[0].Amount != 0 {
					t.Fatalf("%d writers won, balances %v; want 5 and 0", won, bs)
				}
			}},
		}},
		{"AppendCredit", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				e := newCredit(t, s, sh.ID, c.ID, "EUR", 1250)
				use := creditFixture(sh.ID, c.ID, "EUR", -250)
				use.Kind, use.Reason, use.Author, use.Reference = core.CreditUse, "", "", ""
				must(t, s.AppendCredit(t.Context(), use))
				got, err := s.ListCredit(t.Context(), sh.ID, c.ID, "", 10)
				must(t, err)
				wantEqual(t, got, []core.CreditEntry{*e, *use})
			}},
			{"injection_stored_literally", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				e := creditFixture(sh.ID, c.ID, "USD", 1)
				e.Reason, e.Reference = `' OR 1=1--`, `{"$gt":""}`
				must(t, s.AppendCredit(t.Context(), e))
				got, err := s.ListCredit(t.Context(), sh.ID, c.ID, "", 10)
				must(t, err)
				wantEqual(t, got, []core.CreditEntry{*e})
			}},
			{"unknown_customer", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				wantErr(t, s.AppendCredit(t.Context(), creditFixture(sh.ID, newID("cus_"), "USD", 1)), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				other := newShop(t, s)
				wantErr(t, s.AppendCredit(t.Context(), creditFixture(other.ID, c.ID, "USD", 1)), core.ErrNotFound)
				wantCreditEntries(t, s, sh.ID, c.ID)
				wantCreditEntries(t, s, other.ID, c.ID)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				e := newCredit(t, s, sh.ID, c.ID, "USD", 1)
				dup := creditFixture(sh.ID, c.ID, "USD", 99)
				dup.ID = e.ID
				wantErr(t, s.AppendCredit(t.Context(), dup), core.ErrConflict)
				wantCreditEntries(t, s, sh.ID, c.ID, e.ID)
			}},
			{"rolled_back_with_tx", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				_ = s.InTx(t.Context(), func(tx core.Store) error {
					must(t, tx.AppendCredit(t.Context(), creditFixture(sh.ID, c.ID, "USD", 1)))
					return core.ErrConflict
				})
				wantCreditEntries(t, s, sh.ID, c.ID)
			}},
			{"deleted_with_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				newCredit(t, s, sh.ID, c.ID, "USD", 1)
				must(t, s.DeleteCustomer(t.Context(), sh.ID, c.ID))
				wantCreditEntries(t, s, sh.ID, c.ID)
			}},
		}},
		{"CreditBalances", []testCase{
			{"sums_per_currency_by_currency", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				newCredit(t, s, sh.ID, c.ID, "USD", 1000)
				newCredit(t, s, sh.ID, c.ID, "EUR", 500)
				newCredit(t, s, sh.ID, c.ID, "USD", -300)
				newCredit(t, s, sh.ID, c.ID, "JPY", 7)
				newCredit(t, s, sh.ID, c.ID, "EUR", -500)
				// Large amounts add exactly (no float on the way).
				newCredit(t, s, sh.ID, c.ID, "KWD", core.MaxCreditAmount)
				newCredit(t, s, sh.ID, c.ID, "KWD", core.MaxCreditAmount)
				got, err := s.CreditBalances(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, []core.Balance{
					{Currency: "EUR", Amount: 0}, {Currency: "JPY", Amount: 7},
					{Currency: "KWD", Amount: 2 * core.MaxCreditAmount}, {Currency: "USD", Amount: 700},
				})
			}},
			{"none_is_empty", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				got, err := s.CreditBalances(t.Context(), sh.ID, c.ID)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("balances = %v, want none", got)
				}
			}},
			{"sees_own_writes_in_tx", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				newCredit(t, s, sh.ID, c.ID, "USD", 10)
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					must(t, tx.AppendCredit(t.Context(), creditFixture(sh.ID, c.ID, "USD", 5)))
					got, err := tx.CreditBalances(t.Context(), sh.ID, c.ID)
					must(t, err)
					wantEqual(t, got, []core.Balance{{Currency: "USD", Amount: 15}})
					return nil
				}))
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				other := newShop(t, s)
				newCredit(t, s, sh.ID, c.ID, "USD", 10)
				got, err := s.CreditBalances(t.Context(), other.ID, c.ID)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another store's balances leaked: %v", got)
				}
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				typed, _ := newEmail()
				b := newCustomer(t, s, sh.ID, typed)
				newCredit(t, s, sh.ID, c.ID, "USD", 10)
				got, err := s.CreditBalances(t.Context(), sh.ID, b.ID)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another customer's balances leaked: %v", got)
				}
			}},
		}},
		{"ListCredit", []testCase{
			{"pages_in_id_order", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				var all []string
				for i := range 5 {
					all = append(all, newCredit(t, s, sh.ID, c.ID, "USD", int64(i+1)).ID)
				}
				first, err := s.ListCredit(t.Context(), sh.ID, c.ID, "", 3)
				must(t, err)
				rest, err := s.ListCredit(t.Context(), sh.ID, c.ID, first[2].ID, 3)
				must(t, err)
				if got := append(creditIDs(first), creditIDs(rest)...); !slices.Equal(got, all) {
					t.Fatalf("pages = %v, want %v", got, all)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				other := newShop(t, s)
				newCredit(t, s, sh.ID, c.ID, "USD", 10)
				wantCreditEntries(t, s, other.ID, c.ID)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				typed, _ := newEmail()
				b := newCustomer(t, s, sh.ID, typed)
				newCredit(t, s, sh.ID, c.ID, "USD", 10)
				wantCreditEntries(t, s, sh.ID, b.ID)
			}},
		}},
	}
}
