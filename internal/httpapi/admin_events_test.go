package httpapi_test

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testkit"
)

// The outbox pages oldest first with an opaque cursor and filters by type.
func TestAdminEvents(t *testing.T) {
	k := newKit(t)
	var ids []string
	for i := range 5 {
		k.Clock.Advance(time.Millisecond) // ids sort by creation time across milliseconds
		c := k.Register(fmt.Sprintf("ev%d@example.com", i))
		ids = append(ids, c.ID)
		if i%2 == 0 {
			want(t, skDo(k, "PATCH", "/admin/v1/customers/"+c.ID, map[string]any{"first_name": "Renamed"}), 200)
		}
	}

	walk := func(query string, limit int) []map[string]any {
		t.Helper()
		var all []map[string]any
		path := fmt.Sprintf("/admin/v1/events?limit=%d%s", limit, query)
		for pages := 0; pages < 20; pages++ {
			res := skDo(k, "GET", path, nil)
			want(t, res, 200)
			m := res.JSON(t)
			data := m["data"].([]any)
			if len(data) > limit {
				t.Fatalf("page of %d with limit %d", len(data), limit)
			}
			for _, e := range data {
				all = append(all, e.(map[string]any))
			}
			next, _ := m["next_cursor"].(string)
			if next == "" {
				return all
			}
			path = fmt.Sprintf("/admin/v1/events?limit=%d%s&cursor=%s", limit, query, url.QueryEscape(next))
		}
		t.Fatal("the cursor never ended")
		return nil
	}

	all := walk("", 2)
	if len(all) != 8 {
		t.Fatalf("%d events, want 5 created + 3 updated", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1]["id"].(string) >= all[i]["id"].(string) {
			t.Fatalf("events out of order at %d: %v", i, all)
		}
	}
	created := walk("&type=customer.created", 2)
	if len(created) != 5 {
		t.Fatalf("%d customer.created events", len(created))
	}
	for i, e := range created {
		if e["type"] != "customer.created" || e["subject_id"] != ids[i] || e["data"].(map[string]any)["email"] != fmt.Sprintf("ev%d@example.com", i) {
			t.Fatalf("event %d = %v", i, e)
		}
	}
	if n := len(walk("&type=customer.updated", 100)); n != 3 {
		t.Fatalf("%d customer.updated events", n)
	}
	if n := len(walk("&type=no.such.type", 100)); n != 0 {
		t.Fatalf("%d events of an unknown type", n)
	}

	for _, q := range []string{"limit=-1", "limit=101", "cursor=bogus"} {
		wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/events?" + q, Admin: true}), 422, "validation_failed")
	}
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/events?limit=x", Admin: true, NoCheck: true}), 400, "malformed_json")
}
