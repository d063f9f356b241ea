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
	}
}
