package bagisto_test

import (
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// TestCaps: the per-customer caps (SECURITY.md 36) answer Laravel 422s on
// the contract's fields.
func TestCaps(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.Caps = core.Caps{Addresses: 1, Wishlists: 5, WishlistItems: 1, PaymentMethods: 5}
	e := newEnv(t, testkit.WithCore(cfg))
	tok, _ := e.signup("caps@example.com")
	addr := map[string]any{"address1": []string{"1 Main"}, "country": "DE", "city": "Berlin", "postcode": "10115", "phone": "1"}
	if r := e.do("POST", "/api/addresses/create", tok, addr); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	want(t, e.do("POST", "/api/addresses/create", tok, addr), 422,
		`{"message":"The given data was invalid.","errors":{"address":["a customer may keep at most 1 addresses"]}}`)
	if r := e.do("POST", "/api/v1/customer/wishlist/1", tok, nil); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	want(t, e.do("POST", "/api/v1/customer/wishlist/2", tok, nil), 422,
		`{"message":"a wishlist may hold at most 1 items","errors":{"product_id":["a wishlist may hold at most 1 items"]}}`)
	want(t, e.do("GET", "/api/wishlist/add/0", tok, nil), 404, `{"error":"Resource Not Found","message":"Resource Not Found"}`)
	want(t, e.do("GET", "/api/wishlist/add/2147483648", tok, nil), 404, `{"error":"Resource Not Found","message":"Resource Not Found"}`)
}

// TestNewsletter: the v1 subscription route sets the marketing consent.
func TestNewsletter(t *testing.T) {
	e := newEnv(t)
	tok, _ := e.signup("news@example.com")
	want(t, e.do("POST", "/api/v1/customer/subscription", tok, nil), 200, `{"message":"You have successfully subscribed to the newsletter."}`)
	p, err := e.k.App.Service.Authenticate(t.Context(), e.k.Shop.ID, tok)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.k.App.Service.Customer(t.Context(), p)
	if err != nil || !c.AcceptsEmailMarketing {
		t.Fatalf("consent not recorded: %v %v", c, err)
	}
	want(t, e.do("POST", "/api/v1/customer/subscription", "", nil), 401, `{"message":"Unauthenticated.","error":"Unauthenticated"}`)
}
