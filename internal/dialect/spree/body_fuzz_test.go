package spree_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

// FuzzBodies sends arbitrary bytes as the JSON body (and query string) of
// the Spree routes that read one, through the real router: no input may
// produce a 500. A 503 is allowed only as admission control.
func FuzzBodies(f *testing.F) {
	k := testkit.New(f)
	seed := httptest.NewRequest("POST", base+"/customers", strings.NewReader(`{"email":"fuzz@example.com","password":"correct-horse-battery-9","password_confirmation":"correct-horse-battery-9"}`))
	seed.Header.Set("Content-Type", "application/json")
	seed.Header.Set("X-Spree-Api-Key", k.PK)
	rec := httptest.NewRecorder()
	k.App.Handler.ServeHTTP(rec, seed)
	var reg struct{ Token string }
	if err := json.Unmarshal(rec.Body.Bytes(), &reg); err != nil || rec.Code != 201 {
		f.Fatalf("seed: %d %s", rec.Code, rec.Body)
	}
	tok := reg.Token
	routes := []struct{ method, path string }{
		{"POST", base + "/customers"},
		{"POST", base + "/auth/login"},
		{"POST", base + "/auth/refresh"},
		{"POST", base + "/auth/logout"},
		{"POST", base + "/password_resets"},
		{"PATCH", base + "/password_resets/tok"},
		{"PATCH", base + "/customers/me"},
		{"POST", base + "/customers/me/addresses"},
		{"GET", base + "/customers/me/addresses"},
		{"GET", base + "/customers/me/orders"},
		{"POST", base + "/wishlists"},
		{"GET", base + "/orders/R1"},
	}
	for i := range routes {
		for _, body := range []string{`{}`, `{"email":"a@example.com","password":"x","password_confirmation":"y"}`, `{"first_name":1}`,
			`{"country_iso":"ZZ","address1":"\u0000"}`, `{"refresh_token":null}`, `[`, `{"a":1}{}`} {
			f.Add(uint8(i), []byte(body), "page=2&limit=500&sort=-created_at&fields=id&expand=addresses")
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte, query string) {
		r := routes[int(route)%len(routes)]
		req := httptest.NewRequest(r.method, r.path, bytes.NewReader(body))
		req.URL.RawQuery = strings.ToValidUTF8(query, "")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Spree-Api-Key", k.PK)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		k.App.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != 503 {
			t.Fatalf("%s %s?%s %q: %d %s", r.method, r.path, query, body, rec.Code, rec.Body.String())
		}
	})
}
