package sfcc_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzBodies sends arbitrary bytes as the body (a form on SLAS, JSON on
// Shopper Customers) and query string of the routes that read them,
// through the real router with a registered shopper's token: no input may
// produce a 500. A 503 is allowed only as admission control.
func FuzzBodies(f *testing.F) {
	s := newStack(f)
	tok := s.customer("fuzz@example.com")
	cid, _ := tok["customer_id"].(string)
	if cid == "" {
		f.Fatalf("no customer_id in %v", tok)
	}
	form, js := "application/x-www-form-urlencoded", "application/json"
	auth, cust := authBase+devOrg, custBase+devOrg+"/customers/"+cid
	routes := []struct{ method, path, ctype string }{
		{"POST", auth + "/oauth2/token", form},
		{"POST", auth + "/oauth2/login", form},
		{"POST", auth + "/oauth2/password/reset", form},
		{"POST", auth + "/oauth2/password/action", form},
		{"POST", auth + "/oauth2/trusted-system/token", form},
		{"POST", auth + "/oauth2/revoke", form},
		{"GET", auth + "/oauth2/authorize", form},
		{"POST", custBase + devOrg + "/customers", js},
		{"PATCH", cust, js},
		{"PUT", cust + "/password", js},
		{"POST", cust + "/addresses", js},
		{"PATCH", cust + "/addresses/home", js},
		{"POST", cust + "/payment-instruments", js},
		{"POST", cust + "/product-lists", js},
		{"GET", cust + "/orders", js},
	}
	for i := range routes {
		for _, body := range []string{``, `{}`, `grant_type=refresh_token&refresh_token=x&client_id=` + devClient,
			`grant_type=authorization_code_pkce&code=%zz&code_verifier=`, `user_id=a&mode=callback&channel_id=RefArch`,
			`{"customer":{"login":1},"password":null}`, `{"addressId":"","countryCode":"ZZ","address1":"\u0000"}`, `[`, `{"a":1}{}`} {
			f.Add(uint8(i), []byte(body), "siteId=RefArch&limit=500&offset=-1&hint=guest&redirect_uri=http://x")
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte, query string) {
		r := routes[int(route)%len(routes)]
		req := httptest.NewRequest(r.method, r.path, bytes.NewReader(body))
		req.URL.RawQuery = strings.ToValidUTF8(query, "")
		req.Header.Set("Content-Type", r.ctype)
		req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
		rec := httptest.NewRecorder()
		s.App.Handler.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != 503 {
			t.Fatalf("%s %s?%s %q: %d %s", r.method, r.path, query, body, rec.Code, rec.Body.String())
		}
	})
}
