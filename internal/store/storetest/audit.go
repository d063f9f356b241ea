package storetest

import (
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

func newAudit(t *testing.T, s core.Store, shopID, typ, customerID string, created time.Time) *core.AuditEntry {
	t.Helper()
	e := &core.AuditEntry{ID: newID("aud_"), ShopID: shopID, Type: typ, CustomerID: customerID, Actor: "anonymous",
		EmailMasked: "j***@example.com", IP: "203.0.113.7", UserAgent: "ua/1", RequestID: "req-1", Detail: "bad_password",
		CreatedAt: created}
	must(t, s.AppendAudit(t.Context(), e))
	return e
}

// auditCases returns the cases of the audit log.
func auditCases() []methodCases {
	return []methodCases{
		{"AppendAudit", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				e := newAudit(t, s, sh.ID, core.AuditLoginFailed, "", at(time.Minute))
				got, err := s.ListAudit(t.Context(), sh.ID, core.AuditQuery{}, "", 10)
				must(t, err)
				wantEqual(t, got, []core.AuditEntry{*e})
			}},
			{"unknown_shop", func(t *testing.T, s core.Store) {
				e := &core.AuditEntry{ID: newID("aud_"), ShopID: newID("sto_"), Type: core.AuditLoginFailed, CreatedAt: at(0)}
				wantErr(t, s.AppendAudit(t.Context(), e), core.ErrNotFound)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				e := newAudit(t, s, sh.ID, core.AuditLoginFailed, "", at(0))
				wantErr(t, s.AppendAudit(t.Context(), e), core.ErrConflict)
			}},
		}},
		{"ListAudit", []testCase{
			{"filters_and_pages_newest_first", func(t *testing.T, s core.Store) {
				sh, cust := newShopCustomer(t, s)
				// ids must sort by time, as core's ULIDs do.
				mk := func(i int, typ, customer string) *core.AuditEntry {
					e := newAuditWithID(t, s, sh.ID, "aud_0"+string(rune('a'+i))+newID(""), typ, customer, at(time.Duration(i)*time.Hour))
					return e
				}
				e0 := mk(0, core.AuditLoginFailed, "")
				e1 := mk(1, core.AuditLoginSucceeded, cust.ID)
				e2 := mk(2, core.AuditPasswordChanged, cust.ID)
				e3 := mk(3, core.AuditLoginSucceeded, cust.ID)
				list := func(q core.AuditQuery, before string, limit int) []core.AuditEntry {
					got, err := s.ListAudit(t.Context(), sh.ID, q, before, limit)
					must(t, err)
					return got
				}
				wantEqual(t, list(core.AuditQuery{}, "", 10), []core.AuditEntry{*e3, *e2, *e1, *e0})
				wantEqual(t, list(core.AuditQuery{}, "", 2), []core.AuditEntry{*e3, *e2})
				wantEqual(t, list(core.AuditQuery{}, e2.ID, 10), []core.AuditEntry{*e1, *e0})
				wantEqual(t, list(core.AuditQuery{Type: core.AuditLoginSucceeded}, "", 10), []core.AuditEntry{*e3, *e1})
				wantEqual(t, list(core.AuditQuery{CustomerID: cust.ID}, "", 10), []core.AuditEntry{*e3, *e2, *e1})
				wantEqual(t, list(core.AuditQuery{Since: at(time.Hour), Until: at(3 * time.Hour)}, "", 10), []core.AuditEntry{*e2, *e1})
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				newAudit(t, s, sh.ID, core.AuditLoginFailed, "", at(0))
				got, err := s.ListAudit(t.Context(), other.ID, core.AuditQuery{}, "", 10)
				must(t, err)
				wantEqual(t, got, []core.AuditEntry{})
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				sh, cust := newShopCustomer(t, s)
				newAudit(t, s, sh.ID, core.AuditLoginSucceeded, cust.ID, at(0))
				got, err := s.ListAudit(t.Context(), sh.ID, core.AuditQuery{CustomerID: newID("cus_")}, "", 10)
				must(t, err)
				wantEqual(t, got, []core.AuditEntry{})
			}},
		}},
		{"PurgeAudit", []testCase{
			{"deletes_only_older", func(t *testing.T, s core.Store) {
				// Entries dated decades before every other case's, so a
				// shared store's other rows stay out of the count.
				old := time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC)
				sh := newShop(t, s)
				newAudit(t, s, sh.ID, core.AuditLoginFailed, "", old)
				newAudit(t, s, sh.ID, core.AuditLoginFailed, "", old.Add(time.Hour))
				keep := newAudit(t, s, sh.ID, core.AuditLoginFailed, "", old.Add(48*time.Hour))
				n, err := s.PurgeAudit(t.Context(), old.Add(24*time.Hour))
				must(t, err)
				if n != 2 {
					t.Errorf("purged %d, want 2", n)
				}
				got, err := s.ListAudit(t.Context(), sh.ID, core.AuditQuery{}, "", 10)
				must(t, err)
				wantEqual(t, got, []core.AuditEntry{*keep})
			}},
		}},
	}
}

func newAuditWithID(t *testing.T, s core.Store, shopID, id, typ, customerID string, created time.Time) *core.AuditEntry {
	t.Helper()
	e := &core.AuditEntry{ID: id, ShopID: shopID, Type: typ, CustomerID: customerID, Actor: "customer:" + customerID,
		CreatedAt: created}
	must(t, s.AppendAudit(t.Context(), e))
	return e
}
