package httpapi_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// fuzzRoutes are the /v1 routes that decode a JSON body, with the
// credentials each needs; {addr} and {wl} are the fuzz customer's ids.
var fuzzRoutes = []struct {
	method, path string
	auth         bool
}{
	{"POST", "/v1/customers", false},
	{"POST", "/v1/auth/login", false},
	{"POST", "/v1/auth/refresh", false},
	{"POST", "/v1/password-resets", false},
	{"POST", "/v1/password-resets/complete", false},
	{"POST", "/v1/guest-sessions", false},
	{"PATCH", "/v1/customer", true},
	{"POST", "/v1/customer/password", true},
	{"POST", "/v1/customer/addresses", true},
	{"PATCH", "/v1/customer/addresses/{addr}", true},
	{"POST", "/v1/customer/wishlists", true},
	{"PATCH", "/v1/customer/wishlists/{wl}", true},
	{"POST", "/v1/customer/wishlists/{wl}/items", true},
	{"POST", "/v1/customer/payment-methods", true},
	{"POST", "/v1/customer/email", true},
	{"POST", "/v1/customer/email/confirm", false},
	{"POST", "/v1/customer/orders/claim", true},
	{"POST", "/v1/customer/gift-cards/redeem", true},
}

// FuzzV1Bodies sends arbitrary bytes as the JSON body of every /v1 route
// that reads one, through the real router: no input may produce a 500
// (SECURITY.md 33, 35). A 503 is allowed only as admission control.
func FuzzV1Bodies(f *testing.F) {
	cfg := core.DefaultConfig()
	big := core.Rate{Limit: 1 << 30, Window: 60e9}
	cfg.Limits = core.Limits{LoginFailuresPerAccount: big, LoginPerIP: big, RegisterPerIP: big, ResetPerEmail: big, ResetPerIP: big,
		ResetCompletePerIP: big, EmailExistsPerIP: big, GiftCardRedeemPerCustomer: big, GiftCardRedeemPerIP: big, EmailTokenSends: big}
	k := testkit.New(f, testkit.WithCore(cfg))
	c := k.Register("fuzz@example.com")
	addr := k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/addresses", Token: c.Access, Body: map[string]any{"first_name": "A", "last_name": "B", "address1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country_code": "DE"}})
	wl := k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/wishlists", Token: c.Access, Body: map[string]any{"name": "Fuzz"}})
	if addr.Status != 201 || wl.Status != 201 {
		f.Fatalf("seed: %d %s / %d %s", addr.Status, addr.Body, wl.Status, wl.Body)
	}
	ids := map[string]string{"{addr}": addr.Str(f, "id"), "{wl}": wl.Str(f, "id")}
	for i := range fuzzRoutes {
		for _, body := range []string{`{}`, `{"email":"a@example.com","password":"correct horse battery"}`, `{"first_name":"x","metadata":{"a":[1,{"b":null}]}}`,
			`{"email":"a@x","email":"b@y"}`, `{"quantity":-1,"product_id":""}`, `{"country_code":"ZZ","address1":"\u0000"}`, `[`, `null`, `{"a":1}{}`} {
			f.Add(uint8(i), []byte(body))
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		r := fuzzRoutes[int(route)%len(fuzzRoutes)]
		path := r.path
		for k, v := range ids {
			path = replaceAll(path, k, v)
		}
		req := httptest.NewRequest(r.method, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Publishable-Key", k.PK)
		if r.auth {
			req.Header.Set("Authorization", "Bearer "+c.Access)
		}
		rec := httptest.NewRecorder()
		k.App.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s %s %q: %d %s", r.method, path, body, rec.Code, rec.Body.String())
		}
	})
}

func replaceAll(s, old, new string) string {
	return string(bytes.ReplaceAll([]byte(s), []byte(old), []byte(new)))
}
