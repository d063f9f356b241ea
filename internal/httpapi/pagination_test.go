package httpapi_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

// Cursor pages are stable under concurrent inserts: walking a list while
// other requests add to it sees every item that existed before the walk
// exactly once, never a duplicate.
func TestPaginationStableUnderConcurrentInserts(t *testing.T) {
	k := newKit(t)
	c := k.Register("pages@example.com")
	add := func(i int) {
		res := k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/addresses", Token: c.Access,
			Body: map[string]any{"address1": fmt.Sprintf("%d Main St", i), "city": "Springfield", "country_code": "US"}})
		if res.Status != 201 {
			t.Errorf("add %d: %d %s", i, res.Status, res.Body)
		}
	}
	before := map[string]bool{}
	for i := range 25 {
		add(i)
	}
	first := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses?limit=100", Token: c.Access})
	want(t, first, 200)
	for _, a := range first.JSON(t)["data"].([]any) {
		before[a.(map[string]any)["id"].(string)] = true
	}

	seen := map[string]int{}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatal("pagination does not end")
		}
		path := "/v1/customer/addresses?limit=7"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		res := k.Do(testkit.Req{Method: "GET", Path: path, Token: c.Access})
		want(t, res, 200)
		m := res.JSON(t)
		for _, a := range m["data"].([]any) {
			seen[a.(map[string]any)["id"].(string)]++
		}
		// Other requests insert while the walk is under way.
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); add(100 + pages*2 + i) }()
		}
		wg.Wait()
		next, _ := m["next_cursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	for id := range before {
		if seen[id] != 1 {
			t.Fatalf("address %s seen %d times, want exactly once", id, seen[id])
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("address %s seen %d times", id, n)
		}
	}
	bad := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses?limit=101", Token: c.Access})
	want(t, bad, 422)
	bad = k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses?cursor=not-a-cursor", Token: c.Access})
	want(t, bad, 422)
}
