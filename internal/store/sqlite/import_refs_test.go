package sqlite

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMatchQueryPlan pins the plans of an import batch's match queries:
// every read of customers and customer_import_refs must be a search on the
// e-mail, external id or customer id, once per element of the batch's
// list, never a search on shop_id alone (a read of the whole store). With
// UNION and IN, SQLite 3.54 read the whole store for every batch
// (matchCustomersQuery). No statistics are gathered (no ANALYZE), as in a
// store being imported into, so the plan on this empty file is the plan
// on a large one.
func TestMatchQueryPlan(t *testing.T) {
	s, err := OpenAndMigrate(t.Context(), filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Allowed: SEARCH of customers/refs with the key column in the index
	// constraint, the json_each scans, and the compound and subquery lines.
	search := regexp.MustCompile(`^SEARCH (customers|c|customer_import_refs|r) USING (COVERING )?INDEX \S+ \(shop_id=\? AND (email_normalized|id|external_id|customer_id)=\?\)$`)
	allowed := regexp.MustCompile(`^(SCAN j VIRTUAL TABLE INDEX \d+:.*|LIST SUBQUERY \d+|COMPOUND QUERY|LEFT-MOST SUBQUERY|UNION ALL)$`)
	for name, q := range map[string]string{"customers": matchCustomersQuery, "refs": matchRefsQuery} {
		args := []any{"sto_x", `["a@example.com","b@example.com"]`}
		if name == "customers" {
			args = append(args, `["1","2"]`)
		}
		plan, err := s.QueryPlan(t.Context(), q, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, line := range plan {
			if !search.MatchString(line) && !allowed.MatchString(line) {
				t.Errorf("%s: plan step %q is not a per-element index search:\n%s", name, line, strings.Join(plan, "\n"))
			}
		}
	}
}
