package bagisto_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// TestSecurityEnumeration is SECURITY.md case 4 for this dialect: login,
// forgot-password and sign-up probes tell nothing that a different status
// or message would give away.
func TestSecurityEnumeration(t *testing.T) {
	limits := core.DefaultLimits()
	limits.RegisterPerIP = core.Rate{Limit: 4, Window: time.Hour}
	cfg := core.DefaultConfig()
	cfg.Limits = limits
	e := newEnv(t, testkit.WithCore(cfg))
	e.register("known@example.com")

	same := func(name string, a, b resp) {
		t.Helper()
		if a.Status != b.Status || !bytes.Equal(a.Body, b.Body) {
			t.Fatalf("%s: known %d %s vs unknown %d %s", name, a.Status, a.Body, b.Status, b.Body)
		}
	}
	for _, p := range []struct{ name, path string }{
		{"L login", "/api/customer/login?token=true"}, {"L cookie login", "/api/customer/login"},
		{"V token login", "/api/v1/customer/login"},
	} {
		known := e.do("POST", p.path, "", map[string]any{"email": "known@example.com", "password": "wrong-password-1", "device_name": "d"})
		unknown := e.do("POST", p.path, "", map[string]any{"email": "unknown@example.com", "password": "wrong-password-1", "device_name": "d"})
		same(p.name, known, unknown)
	}
	for _, path := range []string{"/api/customer/forgot-password", "/api/v1/customer/forgot-password"} {
		known := e.do("POST", path, "", map[string]any{"email": "KNOWN@example.com"})
		unknown := e.do("POST", path, "", map[string]any{"email": "unknown@example.com"})
		same(path, known, unknown)
		if known.Status != 200 {
			t.Fatalf("%s: %d", path, known.Status)
		}
	}
	// Sign-up keeps its "taken" 422 (the wire format needs it) behind the
	// per-IP sign-up limit: the fourth probe from one IP is refused.
	var last resp
	for i := range 4 {
		last = e.do("POST", "/api/v1/customer/register", "", map[string]any{
			"first_name": "a", "last_name": "b", "email": fmt.Sprintf("probe%d@example.com", i), "password": pw, "password_confirmation": pw,
		})
	}
	want(t, last, 429, `{"message":"Too Many Attempts."}`)
	if last.Header.Get("Retry-After") == "" {
		t.Fatalf("429 without Retry-After")
	}
}

// TestSecurityIDOR is SECURITY.md case 27 through every Bagisto route
// that takes an id: another customer's address, wishlist item or order is
// a 404, never data, and stays unchanged; customer-by-id answers one 403
// for every id that is not the caller's.
func TestSecurityIDOR(t *testing.T) {
	e := newEnv(t)
	a, _ := e.signup("a@example.com")
	b, bc := e.signup("b@example.com")
	addr := e.do("POST", "/api/addresses/create", b, map[string]any{"address1": []string{"1 B St"}, "country": "US", "state": "NY", "city": "NYC", "postcode": "10001", "phone": "1"}).json(t)["data"].(map[string]any)
	item := e.do("GET", "/api/wishlist/add/5", b, nil).json(t)["data"].(map[string]any)
	o, _, err := e.k.App.Service.UpsertOrder(t.Context(), e.k.Shop.ID, "R1", core.OrderInput{
		Email: "b@example.com", CustomerID: claims(t, b)["sub"].(string), State: "completed", Currency: "USD", Total: 100, PlacedAt: "2026-07-28T10:36:30Z",
	})
	if err != nil {
		t.Fatal(err)
	}
	nums, err := e.k.App.Service.Aliases(t.Context(), e.k.Shop.ID, core.AliasOrder, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	addrID, itemID, orderID := int(addr["id"].(float64)), int(item["id"].(float64)), nums[o.ID]
	body := map[string]any{"first_name": "x", "last_name": "y", "address1": []string{"hacked"}, "address": []string{"hacked"}, "country": "US", "state": "NY", "city": "x", "postcode": "1", "phone": "1", "email": "x@example.com"}
	notFoundL := `{"error":"Resource Not Found","message":"Resource Not Found"}`
	notFoundV := `{"title":"404 Page Not Found","message":"Oops! The page you're looking for is on vacation. It seems we couldn't find what you were searching for."}`
	for _, c := range []struct {
		method, path string
		body         any
		v1           bool
	}{
		{"GET", fmt.Sprintf("/api/addresses/%d", addrID), nil, false},
		{"PUT", fmt.Sprintf("/api/addresses/%d", addrID), body, false},
		{"DELETE", fmt.Sprintf("/api/addresses/%d", addrID), nil, false},
		{"GET", fmt.Sprintf("/api/v1/customer/addresses/%d", addrID), nil, true},
		{"PUT", fmt.Sprintf("/api/v1/customer/addresses/%d", addrID), body, true},
		{"PATCH", fmt.Sprintf("/api/v1/customer/addresses/make-default/%d", addrID), nil, true},
		{"DELETE", fmt.Sprintf("/api/v1/customer/addresses/%d", addrID), nil, true},
		{"DELETE", fmt.Sprintf("/api/wishlist/%d", itemID), nil, false},
		{"GET", fmt.Sprintf("/api/orders/%d", orderID), nil, false},
		{"GET", fmt.Sprintf("/api/v1/customer/orders/%d", orderID), nil, true},
	} {
		r := e.do(c.method, c.path, a, c.body)
		if c.v1 {
			want(t, r, http.StatusNotFound, notFoundV)
		} else {
			want(t, r, http.StatusNotFound, notFoundL)
		}
	}
	// B's rows are unchanged.
	got := e.do("GET", fmt.Sprintf("/api/addresses/%d", addrID), b, nil).json(t)["data"].(map[string]any)
	if fmt.Sprint(got) != fmt.Sprint(addr) {
		t.Fatalf("B's address changed: %v", got)
	}
	if list := e.do("GET", "/api/v1/customer/wishlist", b, nil).json(t)["data"].([]any); len(list) != 1 {
		t.Fatalf("B's wishlist changed: %v", list)
	}
	// Customer by id: B's id, an unknown id and garbage answer the same bytes.
	var first []byte
	for _, id := range []string{fmt.Sprint(bc["id"]), "2147483647", "99999999999", "x"} {
		r := e.do("GET", "/api/customers/"+id, a, nil)
		want(t, r, 403, `{"message":"Invalid Request.","error":"Invalid Request."}`)
		if first != nil && !bytes.Equal(first, r.Body) {
			t.Fatalf("customer by id answers differ")
		}
		first = r.Body
	}
}

// TestSecurityCrossStore is SECURITY.md case 31: a customer token of store
// X presented to store Y (by path or header) is 401.
func TestSecurityCrossStore(t *testing.T) {
	e := newEnv(t)
	tok, _ := e.signup("x@example.com")
	y := e.k.NewShop("Store Y")
	unauth := `{"message":"Unauthenticated.","error":"Unauthenticated"}`
	want(t, e.call("GET", "/bagisto/stores/"+y.PublishableKey+"/api/customer/get", tok, nil), 401, unauth)
	want(t, e.call("GET", "/bagisto/api/v1/customer/get", tok, nil, "X-Publishable-Key", y.PublishableKey), 401, unauth)
	if r := e.call("GET", "/bagisto/api/customer/get", tok, nil, "X-Publishable-Key", e.k.PK); r.Status != 200 {
		t.Fatalf("own store: %d %s", r.Status, r.Body)
	}
}
