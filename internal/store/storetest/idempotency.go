package storetest

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// idempotencyFixture is a running record (status 0) of the customer.
func idempotencyFixture(shopID, customerID string) *core.IdempotencyRecord {
	fp := sha256.Sum256([]byte("POST\n/x\n{}"))
	return &core.IdempotencyRecord{
		ID:          newID("idem_"),
		ShopID:      shopID,
		CustomerID:  customerID,
		Key:         "spree-sdk-retry-" + newID("k"),
		Fingerprint: fp[:],
		Body:        []byte{},
		CreatedAt:   at(0),
		ExpiresAt:   at(time.Minute),
	}
}

func newIdempotencyRecord(t *testing.T, s core.Store, shopID, customerID string, mod func(*core.IdempotencyRecord)) *core.IdempotencyRecord {
	t.Helper()
	r := idempotencyFixture(shopID, customerID)
	if mod != nil {
		mod(r)
	}
	must(t, s.CreateIdempotencyRecord(t.Context(), r))
	return r
}

// wantIdempotencyRecord fails unless the stored record equals want.
func wantIdempotencyRecord(t *testing.T, s core.Store, want *core.IdempotencyRecord) {
	t.Helper()
	got, err := s.GetIdempotencyRecord(t.Context(), want.ShopID, want.CustomerID, want.Key)
	must(t, err)
	wantEqual(t, got, want)
}

// idempotencyWorld is a shop with a customer holding one running record,
// another customer of the shop and another shop to miss with.
type idempotencyWorld struct {
	shop, otherShop *core.Shop
	cust, otherCust *core.Customer
	rec             *core.IdempotencyRecord
}

func newIdempotencyWorld(t *testing.T, s core.Store) idempotencyWorld {
	t.Helper()
	var w idempotencyWorld
	w.shop, w.cust = newShopCustomer(t, s)
	w.otherShop = newShop(t, s)
	typed, _ := newEmail()
	w.otherCust = newCustomer(t, s, w.shop.ID, typed)
	w.rec = newIdempotencyRecord(t, s, w.shop.ID, w.cust.ID, nil)
	return w
}

// idempotencyCases returns the cases of idempotency records.
func idempotencyCases() []methodCases {
	return []methodCases{
		{"CreateIdempotencyRecord", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				wantIdempotencyRecord(t, s, w.rec)
				// A finished record with a binary body reads back byte for byte.
				done := newIdempotencyRecord(t, s, w.shop.ID, w.cust.ID, func(r *core.IdempotencyRecord) {
					r.Status, r.ContentType, r.Body = 201, "application/json; charset=utf-8", []byte("{\"a\":\"名前\"}\x00\xff")
					r.ExpiresAt = at(24 * time.Hour)
				})
				wantIdempotencyRecord(t, s, done)
			}},
			{"duplicate_key", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				dup := idempotencyFixture(w.shop.ID, w.cust.ID)
				dup.Key = w.rec.Key
				wantErr(t, s.CreateIdempotencyRecord(t.Context(), dup), core.ErrConflict)
				wantIdempotencyRecord(t, s, w.rec)
			}},
			{"same_key_of_another_customer", func(t *testing.T, s core.Store) {
				// Keys are scoped per customer: the same key is a new record.
				w := newIdempotencyWorld(t, s)
				other := newIdempotencyRecord(t, s, w.shop.ID, w.otherCust.ID, func(r *core.IdempotencyRecord) { r.Key = w.rec.Key })
				wantIdempotencyRecord(t, s, other)
				wantIdempotencyRecord(t, s, w.rec)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				// The customer is not the other shop's.
				w := newIdempotencyWorld(t, s)
				r := idempotencyFixture(w.otherShop.ID, w.cust.ID)
				wantErr(t, s.CreateIdempotencyRecord(t.Context(), r), core.ErrNotFound)
			}},
			{"concurrent_first_use", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				key := newID("key_")
				errs := concurrently(8, func(int) error {
					r := idempotencyFixture(sh.ID, c.ID)
					r.Key = key
					return s.CreateIdempotencyRecord(t.Context(), r)
				})
				oneWinner(t, errs, core.ErrConflict)
			}},
			{"cascades_with_customer", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				must(t, s.DeleteCustomer(t.Context(), w.shop.ID, w.cust.ID))
				_, err := s.GetIdempotencyRecord(t.Context(), w.shop.ID, w.cust.ID, w.rec.Key)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetIdempotencyRecord", []testCase{
			{"unknown_key", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				_, err := s.GetIdempotencyRecord(t.Context(), w.shop.ID, w.cust.ID, "nope")
				wantErr(t, err, core.ErrNotFound)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				_, err := s.GetIdempotencyRecord(t.Context(), w.shop.ID, w.otherCust.ID, w.rec.Key)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				_, err := s.GetIdempotencyRecord(t.Context(), w.otherShop.ID, w.cust.ID, w.rec.Key)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"CompleteIdempotencyRecord", []testCase{
			{"stores_the_response", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				done := *w.rec
				done.Status, done.ContentType, done.Body, done.ExpiresAt = 200, "application/json", []byte(`{"ok":true}`), at(24*time.Hour)
				must(t, s.CompleteIdempotencyRecord(t.Context(), &done))
				wantIdempotencyRecord(t, s, &done)
			}},
			{"only_once", func(t *testing.T, s core.Store) {
				// A finished record is never overwritten.
				w := newIdempotencyWorld(t, s)
				done := *w.rec
				done.Status, done.Body, done.ExpiresAt = 204, []byte{}, at(24*time.Hour)
				must(t, s.CompleteIdempotencyRecord(t.Context(), &done))
				again := done
				again.Status, again.Body = 201, []byte("other")
				wantErr(t, s.CompleteIdempotencyRecord(t.Context(), &again), core.ErrNotFound)
				wantIdempotencyRecord(t, s, &done)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				done := *w.rec
				done.CustomerID, done.Status = w.otherCust.ID, 200
				wantErr(t, s.CompleteIdempotencyRecord(t.Context(), &done), core.ErrNotFound)
				wantIdempotencyRecord(t, s, w.rec)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				done := *w.rec
				done.ShopID, done.Status = w.otherShop.ID, 200
				wantErr(t, s.CompleteIdempotencyRecord(t.Context(), &done), core.ErrNotFound)
				wantIdempotencyRecord(t, s, w.rec)
			}},
		}},
		{"DeleteIdempotencyRecord", []testCase{
			{"deletes", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				must(t, s.DeleteIdempotencyRecord(t.Context(), w.shop.ID, w.cust.ID, w.rec.ID))
				_, err := s.GetIdempotencyRecord(t.Context(), w.shop.ID, w.cust.ID, w.rec.Key)
				wantErr(t, err, core.ErrNotFound)
				wantErr(t, s.DeleteIdempotencyRecord(t.Context(), w.shop.ID, w.cust.ID, w.rec.ID), core.ErrNotFound)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				wantErr(t, s.DeleteIdempotencyRecord(t.Context(), w.shop.ID, w.otherCust.ID, w.rec.ID), core.ErrNotFound)
				wantIdempotencyRecord(t, s, w.rec)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				wantErr(t, s.DeleteIdempotencyRecord(t.Context(), w.otherShop.ID, w.cust.ID, w.rec.ID), core.ErrNotFound)
				wantIdempotencyRecord(t, s, w.rec)
			}},
		}},
		{"PurgeIdempotencyRecords", []testCase{
			// Purges reach every shop, so each case works in a time range
			// of its own, far before every other case's records.
			{"deletes_expired_only_in_batches", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				base := -10000 * time.Hour
				var expired []*core.IdempotencyRecord
				for i, c := range []*core.Customer{w.cust, w.cust, w.otherCust} {
					expired = append(expired, newIdempotencyRecord(t, s, w.shop.ID, c.ID, func(r *core.IdempotencyRecord) {
						r.ExpiresAt = at(base + time.Duration(i)*time.Minute)
					}))
				}
				live := newIdempotencyRecord(t, s, w.shop.ID, w.cust.ID, func(r *core.IdempotencyRecord) {
					r.ExpiresAt = at(base + time.Hour)
				})
				n, err := s.PurgeIdempotencyRecords(t.Context(), at(base+2*time.Minute), 2)
				must(t, err)
				if n != 2 {
					t.Fatalf("first batch purged %d, want 2", n)
				}
				n, err = s.PurgeIdempotencyRecords(t.Context(), at(base+2*time.Minute), 2)
				must(t, err)
				if n != 1 {
					t.Fatalf("second batch purged %d, want 1", n)
				}
				for _, r := range expired {
					_, err := s.GetIdempotencyRecord(t.Context(), r.ShopID, r.CustomerID, r.Key)
					wantErr(t, err, core.ErrNotFound)
				}
				wantIdempotencyRecord(t, s, live)
				wantIdempotencyRecord(t, s, w.rec)
			}},
			{"nothing_expired", func(t *testing.T, s core.Store) {
				w := newIdempotencyWorld(t, s)
				n, err := s.PurgeIdempotencyRecords(t.Context(), at(-20000*time.Hour), 100)
				must(t, err)
				if n != 0 {
					t.Fatalf("purged %d, want 0", n)
				}
				wantIdempotencyRecord(t, s, w.rec)
			}},
		}},
	}
}
