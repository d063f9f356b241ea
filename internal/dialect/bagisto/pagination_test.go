package bagisto_test

import (
	"encoding/json"
	"fmt"
	"testing"
)

// page is the envelope of a paginated list.
type page struct {
	Data  []map[string]any `json:"data"`
	Links struct {
		First, Last, Prev, Next *string
	} `json:"links"`
	Meta struct {
		CurrentPage int    `json:"current_page"`
		From        *int   `json:"from"`
		LastPage    int    `json:"last_page"`
		Path        string `json:"path"`
		PerPage     int    `json:"per_page"`
		To          *int   `json:"to"`
		Total       int    `json:"total"`
		Links       []struct {
			URL    *string `json:"url"`
			Label  string  `json:"label"`
			Active bool    `json:"active"`
		} `json:"links"`
	} `json:"meta"`
}

func getPage(t *testing.T, e *env, token, query string) page {
	t.Helper()
	r := e.do("GET", "/api/v1/customer/addresses"+query, token, nil)
	if r.Status != 200 {
		t.Fatalf("list: %d %s", r.Status, r.Body)
	}
	var p page
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func ids(p page) []int {
	var out []int
	for _, d := range p.Data {
		out = append(out, int(d["id"].(float64)))
	}
	return out
}

// TestPagination pins Laravel's envelope (contract §5.6) on the v1
// address list: 25 addresses, 10 a page by default, newest first.
func TestPagination(t *testing.T) {
	e := newEnv(t)
	tok, _ := e.signup("pages@example.com")
	var created []int
	for i := range 25 {
		r := e.do("POST", "/api/v1/customer/addresses", tok, map[string]any{
			"first_name": "a", "last_name": "b", "address": []string{fmt.Sprintf("%d Main St", i)}, "country": "DE",
			"state": "BE", "city": "Berlin", "postcode": "10115", "phone": "1", "email": "a@example.com",
		})
		if r.Status != 200 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		created = append(created, int(r.json(t)["data"].(map[string]any)["id"].(float64)))
	}
	path := e.k.Server.URL + e.base + "/api/v1/customer/addresses"
	u := func(n int) string { return fmt.Sprintf("%s?page=%d", path, n) }

	p := getPage(t, e, tok, "")
	if p.Meta.CurrentPage != 1 || p.Meta.LastPage != 3 || p.Meta.PerPage != 10 || p.Meta.Total != 25 || *p.Meta.From != 1 || *p.Meta.To != 10 || p.Meta.Path != path {
		t.Fatalf("meta %+v", p.Meta)
	}
	if *p.Links.First != u(1) || *p.Links.Last != u(3) || p.Links.Prev != nil || *p.Links.Next != u(2) {
		t.Fatalf("links %+v", p.Links)
	}
	if got := ids(p); got[0] != created[24] || got[9] != created[15] {
		t.Fatalf("first page ids %v, want newest first", got)
	}
	ml := p.Meta.Links
	if len(ml) != 5 || ml[0].Label != "&laquo; Previous" || ml[0].URL != nil || ml[4].Label != "Next &raquo;" || *ml[4].URL != u(2) ||
		!ml[1].Active || ml[2].Active || *ml[3].URL != u(3) || ml[3].Label != "3" {
		t.Fatalf("meta.links %+v", ml)
	}

	last := getPage(t, e, tok, "?page=3&token=true")
	if len(last.Data) != 5 || *last.Meta.From != 21 || *last.Meta.To != 25 || last.Links.Next != nil || *last.Links.Prev != u(2) {
		t.Fatalf("last page %+v %+v", last.Meta, last.Links)
	}
	past := getPage(t, e, tok, "?page=9")
	if len(past.Data) != 0 || past.Meta.From != nil || past.Meta.To != nil || past.Meta.CurrentPage != 9 {
		t.Fatalf("past the end %+v", past.Meta)
	}
	for q, want := range map[string]int{"?limit=5": 5, "?limit=1000": 100, "?limit=0": 10, "?limit=x&page=-2": 10} {
		got := getPage(t, e, tok, q)
		if got.Meta.PerPage != want || got.Meta.CurrentPage != 1 {
			t.Fatalf("%s: per_page %d page %d", q, got.Meta.PerPage, got.Meta.CurrentPage)
		}
	}
	asc := getPage(t, e, tok, "?sort=id&order=asc&limit=3")
	if got := ids(asc); got[0] != created[0] || got[2] != created[2] {
		t.Fatalf("ascending %v", got)
	}
	ignored := getPage(t, e, tok, "?sort=password&city=x&limit=2")
	if got := ids(ignored); got[0] != created[24] || ignored.Meta.Total != 25 {
		t.Fatalf("unknown sort and filters must be ignored: %v", got)
	}
	r := e.do("GET", "/api/v1/customer/addresses?pagination=0", tok, nil)
	var all map[string][]any
	if err := json.Unmarshal(r.Body, &all); err != nil || len(all) != 1 || len(all["data"]) != 25 {
		t.Fatalf("pagination=0: %s", r.Body)
	}
}
