package medusa_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

// FuzzBodiesAndQueries sends arbitrary bytes as the JSON body and arbitrary
// query strings (the SDK's qs format: fields, limit, offset, order) to the
// Medusa v2 and v1 routes, through the real router: no input may produce a
// 500. A 503 is allowed only as admission control.
func FuzzBodiesAndQueries(f *testing.F) {
	k := testkit.New(f)
	reg := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/medusa-v1/store/customers", strings.NewReader(`{"first_name":"A","last_name":"B","email":"fuzz@example.com","password":"`+pw+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Publishable-Api-Key", k.PK)
	k.App.Handler.ServeHTTP(reg, req)
	tokRec := httptest.NewRecorder()
	req = httptest.NewRequest("POST", "/medusa/auth/customer/emailpass", strings.NewReader(`{"email":"fuzz@example.com","password":"`+pw+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Publishable-Api-Key", k.PK)
	k.App.Handler.ServeHTTP(tokRec, req)
	if reg.Code != 200 || tokRec.Code != 200 {
		f.Fatalf("seed: %d %s / %d %s", reg.Code, reg.Body, tokRec.Code, tokRec.Body)
	}
	tok := tokRec.Body.String()
	tok = tok[strings.Index(tok, `"token":"`)+9:]
	tok = tok[:strings.IndexByte(tok, '"')]
	routes := []struct{ method, path string }{
		{"POST", "/medusa/auth/customer/emailpass/register"},
		{"POST", "/medusa/auth/customer/emailpass"},
		{"POST", "/medusa/auth/customer/emailpass/reset-password"},
		{"POST", "/medusa/auth/customer/emailpass/update"},
		{"POST", "/medusa/auth/token/refresh"},
		{"POST", "/medusa/store/customers/me"},
		{"GET", "/medusa/store/customers/me"},
		{"POST", "/medusa/store/customers/me/addresses"},
		{"GET", "/medusa/store/customers/me/addresses"},
		{"GET", "/medusa/store/orders"},
		{"POST", "/medusa-v1/store/auth"},
		{"POST", "/medusa-v1/store/auth/token"},
		{"POST", "/medusa-v1/store/customers"},
		{"POST", "/medusa-v1/store/customers/me"},
		{"POST", "/medusa-v1/store/customers/me/addresses"},
		{"GET", "/medusa-v1/store/customers/me/orders"},
		{"POST", "/medusa-v1/store/customers/password-token"},
		{"POST", "/medusa-v1/store/customers/password-reset"},
	}
	for i := range routes {
		for _, body := range []string{`{}`, `{"email":"a@example.com","password":"x"}`, `{"identifier":1}`,
			`{"address":{"country_code":"zz"}}`, `{"metadata":{"a":null}}`, `[`, `{"a":1}{}`} {
			f.Add(uint8(i), []byte(body), "fields=*addresses,+id&limit=500&offset=-1&order=-created_at&expand[0]=x")
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte, query string) {
		r := routes[int(route)%len(routes)]
		req := httptest.NewRequest(r.method, r.path, bytes.NewReader(body))
		req.URL.RawQuery = strings.ToValidUTF8(query, "")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Publishable-Api-Key", k.PK)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		k.App.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != 503 {
			t.Fatalf("%s %s?%s %q: %d %s", r.method, r.path, query, body, rec.Code, rec.Body.String())
		}
	})
}
