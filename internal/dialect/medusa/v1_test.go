package medusa_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
)

func (c *client) v1(method, path string, body any, hdr map[string]string) resp {
	c.t.Helper()
	// The v1 prefix sits beside /medusa: "/medusa" + "-v1" + path.
	return c.do(method, "-v1"+path, body, hdr)
}

func TestV1ErrorsAndReset(t *testing.T) {
	c := newClient(t)
	wantErr(t, c.v1("GET", "/store/nope", nil, nil), 404, "not_found", "Route not found")
	wantErr(t, c.v1("GET", "/store/customers/me", nil, nil), 401, "unauthorized", "Unauthorized")
	r := c.v1("POST", "/store/customers", map[string]any{"first_name": "A", "last_name": "B", "email": "v1@example.com", "password": pw}, nil)
	if r.status != 200 || !strings.Contains(r.header.Get("Set-Cookie"), "Path=/medusa-v1") {
		t.Fatalf("register: %d %s %v", r.status, r.raw, r.header)
	}
	cookie := strings.Split(r.header.Get("Set-Cookie"), ";")[0]
	// The v1 cookie's path keeps it off v2 routes, but a replayed value is
	// still bound to the session only.
	r = c.v1("POST", "/store/auth/token", map[string]any{"email": "v1@example.com", "password": pw}, nil)
	tok := r.body["access_token"].(string)
	if cl := claims(t, tok); cl["exp"].(float64)-cl["iat"].(float64) != 24*3600 {
		t.Fatalf("v1 token lifetime: %v", cl)
	}
	wantErr(t, c.v1("POST", "/store/auth", map[string]any{"email": "not-an-email", "password": pw}, nil), 400, "invalid_data", "email must be an email")
	wantErr(t, c.v1("POST", "/store/auth", map[string]any{"email": "v1@example.com", "password": ""}, nil), 400, "invalid_data", "password should not be empty")

	r = c.v1("POST", "/store/customers/password-token", map[string]any{"email": "v1@example.com"}, nil)
	if r.status != 204 || len(r.raw) != 0 {
		t.Fatalf("password-token: %d %q", r.status, r.raw)
	}
	reset := tokenRe.FindStringSubmatch(newestMail(t, c.k, "password_reset").Text)[1]
	// Wrong e-mail → 401 and the token stays usable.
	wantErr(t, c.v1("POST", "/store/customers/password-reset", map[string]any{"email": "other@example.com", "token": reset, "password": "New-pass-4567"}, nil), 401, "unauthorized", "Invalid or expired password reset token")
	r = c.v1("POST", "/store/customers/password-reset", map[string]any{"email": "V1@example.com", "token": reset, "password": "New-pass-4567"}, nil)
	if r.status != 200 || r.body["customer"].(map[string]any)["email"] != "v1@example.com" || r.header.Get("Set-Cookie") != "" {
		t.Fatalf("reset: %d %s", r.status, r.raw)
	}
	wantErr(t, c.v1("POST", "/store/customers/password-reset", map[string]any{"email": "v1@example.com", "token": reset, "password": "New-pass-4567"}, nil), 401, "unauthorized", "Invalid or expired password reset token")
	// Every session ended.
	wantErr(t, c.v1("GET", "/store/customers/me", nil, map[string]string{"Cookie": cookie}), 401, "unauthorized", "Unauthorized")
	wantErr(t, c.v1("GET", "/store/customers/me", nil, bearer(tok)), 401, "unauthorized", "Unauthorized")
	// e-mail with a literal plus in the path.
	if r := c.v1("GET", "/store/auth/a+b@example.com", nil, nil); r.status != 200 || r.body["exists"] != false {
		t.Fatalf("exists: %d %s", r.status, r.raw)
	}
}

func TestV1Orders(t *testing.T) {
	c := newClient(t)
	r := c.v1("POST", "/store/customers", map[string]any{"first_name": "A", "last_name": "B", "email": "v1o@example.com", "password": pw}, nil)
	cookie := map[string]string{"Cookie": strings.Split(r.header.Get("Set-Cookie"), ";")[0]}
	id := r.body["customer"].(map[string]any)["id"].(string)
	if _, _, err := c.k.App.Service.UpsertOrder(context.Background(), c.k.Shop.ID, "42", core.OrderInput{
		Email: "v1o@example.com", CustomerID: id, State: "completed", Currency: "EUR", Total: 2999, PlacedAt: "2026-01-01T00:00:00Z",
	}); err != nil {
		t.Fatal(err)
	}
	r = c.v1("GET", "/store/customers/me/orders?limit=5", nil, cookie)
	if r.status != 200 || r.body["count"] != float64(1) || r.body["limit"] != float64(5) {
		t.Fatalf("orders: %d %s", r.status, r.raw)
	}
	o := r.body["orders"].([]any)[0].(map[string]any)
	if o["total"] != float64(2999) || o["currency_code"] != "eur" || o["status"] != "completed" || o["payment_status"] != "not_paid" || o["display_id"] != float64(42) {
		t.Fatalf("order %v", o)
	}
	r = c.v1("POST", "/store/customers", map[string]any{"first_name": "C", "last_name": "D", "email": "v1p@example.com", "password": pw}, nil)
	other := map[string]string{"Cookie": strings.Split(r.header.Get("Set-Cookie"), ";")[0]}
	if r := c.v1("GET", "/store/customers/me/orders", nil, other); r.body["count"] != float64(0) || r.body["limit"] != float64(10) {
		t.Fatalf("other's orders: %s", r.raw)
	}
}
