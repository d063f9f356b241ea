package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// importRefFixture sets every field; external ids are unique within a run.
func importRefFixture(shopID, customerID string) *core.ImportRef {
	return &core.ImportRef{
		ShopID:     shopID,
		CustomerID: customerID,
		ExternalID: fmt.Sprintf("%d", 1000+seq.Add(1)),
		Source:     "bagisto",
		RunID:      "imp_01RUN",
		Digest:     "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		ImportedAt: at(time.Minute),
	}
}

func newImportRef(t *testing.T, s core.Store) (*core.Shop, *core.Customer, *core.ImportRef) {
	t.Helper()
	sh, c := newShopCustomer(t, s)
	ref := importRefFixture(sh.ID, c.ID)
	must(t, s.PutImportRef(t.Context(), ref))
	return sh, c, ref
}

// importWritesFixture is one imported customer with every kind of row.
func importWritesFixture(shopID, groupID string) *core.ImportWrites {
	typed, _ := newEmail()
	c := customerFixture(shopID, typed)
	a := addressFixture(shopID, c.ID)
	c.DefaultBillingAddressID, c.DefaultShippingAddressID = a.ID, a.ID
	ref := importRefFixture(shopID, c.ID)
	ev := eventFixture(shopID, core.EventCustomerCreated, 1)
	ev.SubjectID = c.ID
	return &core.ImportWrites{
		Customers: []core.Customer{*c},
		Addresses: []core.Address{*a},
		Refs:      []core.ImportRef{*ref},
		Members:   []core.GroupMember{{ShopID: shopID, CustomerID: c.ID, GroupID: groupID}},
		Credit:    []core.CreditEntry{*creditFixture(shopID, c.ID, "EUR", 1250)},
		Events:    []core.Event{*ev},
	}
}

// writeImportTx runs WriteImport in a transaction, as core does.
func writeImportTx(t *testing.T, s core.Store, w *core.ImportWrites) error {
	t.Helper()
	return s.InTx(t.Context(), func(tx core.Store) error { return tx.WriteImport(t.Context(), w) })
}

// importRefCases returns the cases of imported customers' external ids.
func importRefCases() []methodCases {
	return []methodCases{
		{"PutImportRef", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh, c, want := newImportRef(t, s)
				got, err := s.GetImportRef(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, want)
			}},
			{"replaces_the_customers_ref", func(t *testing.T, s core.Store) {
				sh, c, ref := newImportRef(t, s)
				next := *ref
				next.ExternalID, next.Digest, next.ImportedAt = "cus_01OLD", "d2", at(time.Hour)
				must(t, s.PutImportRef(t.Context(), &next))
				got, err := s.GetImportRef(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, &next)
				_, err = s.GetImportRefByExternalID(t.Context(), sh.ID, ref.ExternalID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"external_id_of_another_customer", func(t *testing.T, s core.Store) {
				sh, _, ref := newImportRef(t, s)
				typed, _ := newEmail()
				other := newCustomer(t, s, sh.ID, typed)
				dup := importRefFixture(sh.ID, other.ID)
				dup.ExternalID = ref.ExternalID
				wantErr(t, s.PutImportRef(t.Context(), dup), core.ErrConflict)
				_, err := s.GetImportRef(t.Context(), sh.ID, other.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"same_external_id_in_another_shop", func(t *testing.T, s core.Store) {
				_, _, ref := newImportRef(t, s)
				sh2, c2 := newShopCustomer(t, s)
				twin := importRefFixture(sh2.ID, c2.ID)
				twin.ExternalID = ref.ExternalID
				must(t, s.PutImportRef(t.Context(), twin))
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				_, c := newShopCustomer(t, s)
				other := newShop(t, s)
				wantErr(t, s.PutImportRef(t.Context(), importRefFixture(other.ID, c.ID)), core.ErrNotFound)
			}},
			{"unknown_customer", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				wantErr(t, s.PutImportRef(t.Context(), importRefFixture(sh.ID, newID("cus_"))), core.ErrNotFound)
			}},
			{"goes_with_the_customer", func(t *testing.T, s core.Store) {
				sh, c, ref := newImportRef(t, s)
				must(t, s.DeleteCustomer(t.Context(), sh.ID, c.ID))
				_, err := s.GetImportRefByExternalID(t.Context(), sh.ID, ref.ExternalID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetImportRef", []testCase{
			{"none", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				_, err := s.GetImportRef(t.Context(), sh.ID, c.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				_, c, _ := newImportRef(t, s)
				other := newShop(t, s)
				_, err := s.GetImportRef(t.Context(), other.ID, c.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				sh, _, _ := newImportRef(t, s)
				typed, _ := newEmail()
				other := newCustomer(t, s, sh.ID, typed)
				_, err := s.GetImportRef(t.Context(), sh.ID, other.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetImportRefByExternalID", []testCase{
			{"found", func(t *testing.T, s core.Store) {
				sh, _, want := newImportRef(t, s)
				got, err := s.GetImportRefByExternalID(t.Context(), sh.ID, want.ExternalID)
				must(t, err)
				wantEqual(t, got, want)
			}},
			{"unknown", func(t *testing.T, s core.Store) {
				sh, _, _ := newImportRef(t, s)
				_, err := s.GetImportRefByExternalID(t.Context(), sh.ID, "no-such-id")
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				_, _, ref := newImportRef(t, s)
				other := newShop(t, s)
				_, err := s.GetImportRefByExternalID(t.Context(), other.ID, ref.ExternalID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"FindImportMatches", []testCase{
			{"by_external_id_and_email", func(t *testing.T, s core.Store) {
				sh, c, ref := newImportRef(t, s)
				typed, norm := newEmail()
				native := newCustomer(t, s, sh.ID, typed)
				got, err := s.FindImportMatches(t.Context(), sh.ID, []string{ref.ExternalID, "no-such-id"}, []string{norm, "nobody@example.com"})
				must(t, err)
				if len(got) != 2 {
					t.Fatalf("%d matches, want 2", len(got))
				}
				for _, m := range got {
					switch m.Customer.ID {
					case c.ID:
						wantEqual(t, m.Customer, *c)
						wantEqual(t, m.Ref, ref)
					case native.ID:
						if m.Ref != nil {
							t.Fatalf("native customer has a ref: %+v", m.Ref)
						}
					default:
						t.Fatalf("unexpected match %s", m.Customer.ID)
					}
				}
			}},
			{"one_customer_once", func(t *testing.T, s core.Store) {
				sh, c, ref := newImportRef(t, s)
				got, err := s.FindImportMatches(t.Context(), sh.ID, []string{ref.ExternalID}, []string{c.EmailNormalized})
				must(t, err)
				if len(got) != 1 || got[0].Customer.ID != c.ID {
					t.Fatalf("matches: %+v", got)
				}
			}},
			{"none", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				got, err := s.FindImportMatches(t.Context(), sh.ID, nil, nil)
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("matches: %+v", got)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				_, c, ref := newImportRef(t, s)
				other := newShop(t, s)
				got, err := s.FindImportMatches(t.Context(), other.ID, []string{ref.ExternalID}, []string{c.EmailNormalized})
				must(t, err)
				if len(got) != 0 {
					t.Fatalf("another store's customer matched: %+v", got)
				}
			}},
		}},
		{"WriteImport", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				g := newGroup(t, s, sh.ID)
				w := importWritesFixture(sh.ID, g.ID)
				must(t, writeImportTx(t, s, w))
				c := w.Customers[0]
				got, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, &c)
				a, err := s.GetAddress(t.Context(), sh.ID, c.ID, w.Addresses[0].ID)
				must(t, err)
				wantEqual(t, a, &w.Addresses[0])
				ref, err := s.GetImportRef(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, ref, &w.Refs[0])
				wantMembers(t, s, sh.ID, c.ID, g.ID)
				bal, err := s.CreditBalances(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, bal, []core.Balance{{Currency: "EUR", Amount: 1250}})
				evs, err := s.ListEvents(t.Context(), sh.ID, core.EventCustomerCreated, "", 10)
				must(t, err)
				if len(evs) != 1 || evs[0].SubjectID != c.ID {
					t.Fatalf("events: %+v", evs)
				}
			}},
			{"replaces_refs", func(t *testing.T, s core.Store) {
				sh, c, ref := newImportRef(t, s)
				next := *ref
				next.RunID, next.ImportedAt = "imp_02NEXT", at(2*time.Hour)
				must(t, writeImportTx(t, s, &core.ImportWrites{Refs: []core.ImportRef{next}}))
				got, err := s.GetImportRef(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, &next)
			}},
			{"empty", func(t *testing.T, s core.Store) {
				must(t, writeImportTx(t, s, &core.ImportWrites{}))
			}},
			{"taken_email_writes_nothing", func(t *testing.T, s core.Store) {
				sh, existing := newShopCustomer(t, s)
				g := newGroup(t, s, sh.ID)
				w := importWritesFixture(sh.ID, g.ID)
				second := importWritesFixture(sh.ID, g.ID)
				second.Customers[0].Email, second.Customers[0].EmailNormalized = existing.Email, existing.EmailNormalized
				w.Customers = append(w.Customers, second.Customers[0])
				wantErr(t, writeImportTx(t, s, w), core.ErrConflict)
				_, err := s.GetCustomer(t.Context(), sh.ID, w.Customers[0].ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"group_on_another_store", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				other := newShop(t, s)
				g := newGroup(t, s, other.ID)
				w := importWritesFixture(sh.ID, g.ID)
				if err := writeImportTx(t, s, w); err == nil {
					t.Fatal("a membership of another store's group was written")
				}
				_, err := s.GetCustomer(t.Context(), sh.ID, w.Customers[0].ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
	}
}
