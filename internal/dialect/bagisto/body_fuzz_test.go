package bagisto_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

// FuzzBodies sends arbitrary bytes as the JSON body (and query string) of
// the Bagisto routes that read one, in both families, through the real
// router: no input may produce a 500. A 503 is allowed only as admission
// control.
func FuzzBodies(f *testing.F) {
	k := testkit.New(f)
	base := "/bagisto/stores/" + k.PK
	serve := func(method, path, body, query, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.URL.RawQuery = query
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		k.App.Handler.ServeHTTP(rec, req)
		return rec
	}
	const pw = "correct-horse-battery-9"
	if rec := serve("POST", base+"/api/customer/register", `{"first_name":"a","last_name":"b","email":"fuzz@example.com","password":"`+pw+`","password_confirmation":"`+pw+`"}`, "", ""); rec.Code != 200 {
		f.Fatalf("seed register: %d %s", rec.Code, rec.Body)
	}
	rec := serve("POST", base+"/api/customer/login", `{"email":"fuzz@example.com","password":"`+pw+`"}`, "token=true", "")
	var login struct{ Token string }
	if err := json.Unmarshal(rec.Body.Bytes(), &login); err != nil || login.Token == "" {
		f.Fatalf("seed login: %d %s", rec.Code, rec.Body)
	}
	routes := []struct{ method, path string }{
		{"POST", "/api/customer/register"},
		{"POST", "/api/customer/login"},
		{"POST", "/api/customer/forgot-password"},
		{"POST", "/api/customer/reset-password"},
		{"PUT", "/api/customer/profile"},
		{"POST", "/api/addresses/create"},
		{"PUT", "/api/addresses/1"},
		{"GET", "/api/orders"},
		{"POST", "/api/v1/customer/register"},
		{"POST", "/api/v1/customer/login"},
		{"PUT", "/api/v1/customer/profile"},
		{"POST", "/api/v1/customer/addresses"},
		{"GET", "/api/v1/customer/addresses"},
		{"POST", "/api/v1/customer/wishlist/1"},
		{"POST", "/api/v1/customer/subscription"},
	}
	for i := range routes {
		for _, body := range []string{`{}`, `{"email":"a@example.com","password":"x","password_confirmation":"y"}`, `{"first_name":1}`,
			`{"country":"ZZ","address":["\u0000"],"address1":[1]}`, `{"date_of_birth":"2026-02-30","gender":7}`, `[`, `{"a":1}{}`} {
			f.Add(uint8(i), []byte(body), "page=2&limit=500&sort=id&order=desc&token=true")
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte, query string) {
		r := routes[int(route)%len(routes)]
		req := httptest.NewRequest(r.method, base+r.path, bytes.NewReader(body))
		req.URL.RawQuery = strings.ToValidUTF8(query, "")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", "Bearer "+login.Token)
		rec := httptest.NewRecorder()
		k.App.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != 503 {
			t.Fatalf("%s %s?%s %q: %d %s", r.method, r.path, query, body, rec.Code, rec.Body.String())
		}
	})
}
