package spree_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

const base = "/spree/api/v3/store"

type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not JSON (%d): %q", r.Status, r.Body)
	}
	return m
}

// do sends a request the way the SDK does (JSON content type always).
func do(t *testing.T, k *testkit.Kit, method, path, pk, token string, body any, hdr ...string) resp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, k.Server.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if pk != "" {
		req.Header.Set("X-Spree-Api-Key", pk)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{Status: res.StatusCode, Header: res.Header, Body: b}
}

// wantError checks Spree's envelope: exactly {"error":{code,message[,details]}}.
func wantError(t *testing.T, r resp, status int, code string) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("content type %q", ct)
	}
	m := r.json(t)
	if len(m) != 1 {
		t.Fatalf("envelope has extra keys: %s", r.Body)
	}
	e, ok := m["error"].(map[string]any)
	if !ok || e["code"] != code {
		t.Fatalf("error = %s, want code %s", r.Body, code)
	}
	if msg, _ := e["message"].(string); msg == "" {
		t.Fatalf("empty message: %s", r.Body)
	}
	return e
}

func register(t *testing.T, k *testkit.Kit, pk, email string) map[string]any {
	t.Helper()
	r := do(t, k, "POST", base+"/customers", pk, "", map[string]any{
		"email": email, "password": "correct-horse-battery-9", "password_confirmation": "correct-horse-battery-9",
	})
	if r.Status != 201 {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	return r.json(t)
}

func TestErrorEnvelope(t *testing.T) {
	k := testkit.New(t)
	tok := register(t, k, k.PK, "env@example.com")["token"].(string)
	tests := []struct {
		name, method, path, pk, token string
		body                          any
		hdr                           []string
		status                        int
		code                          string
	}{
		{"unknown_route", "GET", base + "/products", k.PK, "", nil, nil, 404, "record_not_found"},
		{"outside_store_root", "GET", "/spree/whatever", "", "", nil, nil, 404, "record_not_found"},
		{"method_not_allowed", "DELETE", base + "/customers/me", k.PK, tok, nil, nil, 405, "method_not_allowed"},
		{"too_large", "POST", base + "/auth/login", k.PK, "", `{"email":"` + strings.Repeat("a", 70000) + `"}`, nil, 413, "request_too_large"},
		{"wrong_media_type", "POST", base + "/auth/login", k.PK, "", "{}", []string{"Content-Type", "text/plain"}, 415, "unsupported_media_type"},
		{"malformed_json", "POST", base + "/auth/login", k.PK, "", `{"email":`, nil, 400, "invalid_request"},
		{"missing_key", "GET", base + "/customers/me", "", tok, nil, nil, 401, "invalid_token"},
		{"unknown_key", "POST", base + "/customers", "pk_unknown", "", map[string]any{}, nil, 401, "invalid_token"},
		{"secret_key_as_publishable", "POST", base + "/auth/login", k.SK, "", map[string]any{}, nil, 401, "invalid_token"},
		{"no_jwt", "GET", base + "/customers/me", k.PK, "", nil, nil, 401, "authentication_required"},
		{"garbage_jwt", "GET", base + "/customers/me", k.PK, "garbage", nil, nil, 401, "authentication_required"},
		{"long_idempotency_key", "POST", base + "/auth/login", k.PK, "", map[string]any{}, []string{"Idempotency-Key", strings.Repeat("k", 256)}, 400, "invalid_request"},
		{"unknown_address", "GET", base + "/customers/me/addresses/addr_01NOPE", k.PK, tok, nil, nil, 404, "record_not_found"},
		{"bad_page", "GET", base + "/customers/me/addresses?page=0", k.PK, tok, nil, nil, 400, "invalid_request"},
		{"login_unsupported_provider", "POST", base + "/auth/login", k.PK, "", map[string]any{"provider": "x", "email": "a@b.c", "password": "p"}, nil, 400, "invalid_provider"},
		{"refresh_missing", "POST", base + "/auth/refresh", k.PK, tok, map[string]any{}, nil, 401, "invalid_refresh_token"},
		{"reset_bad_token", "PATCH", base + "/password_resets/nope", k.PK, "", map[string]any{"password": "correct-horse-battery-9"}, nil, 422, "password_reset_token_invalid"},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			wantError(t, do(t, k, tt.method, tt.path, tt.pk, tt.token, tt.body, tt.hdr...), tt.status, tt.code)
		})
	}
}

func TestNoContentAndAccepted(t *testing.T) {
	k := testkit.New(t)
	r := do(t, k, "POST", base+"/auth/logout", k.PK, "", map[string]any{"refresh_token": "whatever"})
	if r.Status != 204 || len(r.Body) != 0 {
		t.Fatalf("logout: %d %q", r.Status, r.Body)
	}
	r = do(t, k, "POST", base+"/password_resets", k.PK, "", nil)
	if r.Status != 202 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("reset: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	// Idempotency-Key of the SDK's shape is accepted on every write.
	r = do(t, k, "POST", base+"/customers", k.PK, "", map[string]any{
		"email": "idem@example.com", "password": "correct-horse-battery-9", "id": "cus_chosen", "customer_groups": []string{"vip"},
	}, "Idempotency-Key", "spree-sdk-retry-1b4e28ba-2fa1-11d2-883f-0016d3cca427")
	if r.Status != 201 {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	u := r.json(t)["user"].(map[string]any)
	if u["id"] == "cus_chosen" || len(u["customer_groups"].([]any)) != 0 {
		t.Fatalf("mass assignment applied: %v", u)
	}
}

func TestCORSPreflight(t *testing.T) {
	k := testkit.New(t)
	r := do(t, k, "OPTIONS", base+"/auth/login", "", "", nil,
		"Origin", "https://shop.example", "Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "content-type,x-spree-api-key,idempotency-key")
	if r.Status != 204 || !strings.Contains(r.Header.Get("Access-Control-Allow-Headers"), "x-spree-api-key") ||
		!strings.Contains(r.Header.Get("Access-Control-Allow-Methods"), "PATCH") ||
		!strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "Retry-After") {
		t.Fatalf("preflight: %d %v", r.Status, r.Header)
	}
}

// SECURITY.md 4: the three enumeration probes through Spree routes give
// the same answers for known and unknown e-mails.
func TestSecurity4NoEnumeration(t *testing.T) {
	k := testkit.New(t)
	register(t, k, k.PK, "known@example.com")
	a := do(t, k, "POST", base+"/auth/login", k.PK, "", map[string]any{"email": "known@example.com", "password": "wrong-password-1"})
	b := do(t, k, "POST", base+"/auth/login", k.PK, "", map[string]any{"email": "unknown@example.com", "password": "wrong-password-1"})
	if a.Status != 401 || a.Status != b.Status || !bytes.Equal(a.Body, b.Body) {
		t.Fatalf("login differs: %d %s / %d %s", a.Status, a.Body, b.Status, b.Body)
	}
	a = do(t, k, "POST", base+"/password_resets", k.PK, "", map[string]any{"email": "known@example.com"})
	b = do(t, k, "POST", base+"/password_resets", k.PK, "", map[string]any{"email": "unknown@example.com"})
	if a.Status != 202 || a.Status != b.Status || !bytes.Equal(a.Body, b.Body) {
		t.Fatalf("reset differs: %d %s / %d %s", a.Status, a.Body, b.Status, b.Body)
	}
	// Registration with a taken e-mail: the documented generic 422 behind
	// the per-IP sign-up limit (SECURITY.md 3).
	r := do(t, k, "POST", base+"/customers", k.PK, "", map[string]any{"email": "KNOWN@example.com", "password": "correct-horse-battery-9"})
	e := wantError(t, r, 422, "validation_error")
	if d, _ := e["details"].(map[string]any); d == nil || d["email"] == nil {
		t.Fatalf("details: %s", r.Body)
	}
}

// SECURITY.md 27: another customer's address is 404 through Spree routes,
// and stays unchanged.
func TestSecurity27IDOR(t *testing.T) {
	k := testkit.New(t)
	alice := register(t, k, k.PK, "alice@example.com")["token"].(string)
	bob := register(t, k, k.PK, "bob@example.com")["token"].(string)
	r := do(t, k, "POST", base+"/customers/me/addresses", k.PK, alice, map[string]any{
		"first_name": "A", "last_name": "L", "address1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country_iso": "DE",
	})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	id := r.json(t)["id"].(string)
	wantError(t, do(t, k, "GET", base+"/customers/me/addresses/"+id, k.PK, bob, nil), 404, "record_not_found")
	wantError(t, do(t, k, "PATCH", base+"/customers/me/addresses/"+id, k.PK, bob, map[string]any{"city": "X"}), 404, "record_not_found")
	wantError(t, do(t, k, "DELETE", base+"/customers/me/addresses/"+id, k.PK, bob, nil), 404, "record_not_found")
	r = do(t, k, "GET", base+"/customers/me/addresses/"+id, k.PK, alice, nil)
	if r.Status != 200 || r.json(t)["city"] != "Berlin" {
		t.Fatalf("alice's address changed: %d %s", r.Status, r.Body)
	}
}

// SECURITY.md 31: a customer token of store X with store Y's publishable
// key is 401.
func TestSecurity31CrossStore(t *testing.T) {
	k := testkit.New(t)
	other := k.NewShop("Other store")
	tok := register(t, k, k.PK, "x@example.com")["token"].(string)
	wantError(t, do(t, k, "GET", base+"/customers/me", other.PublishableKey, tok, nil), 401, "authentication_required")
	wantError(t, do(t, k, "GET", base+"/customers/me/addresses", other.PublishableKey, tok, nil), 401, "authentication_required")
	rt := register(t, k, k.PK, "y@example.com")["refresh_token"].(string)
	wantError(t, do(t, k, "POST", base+"/auth/refresh", other.PublishableKey, "", map[string]any{"refresh_token": rt}), 401, "invalid_refresh_token")
	// The same e-mail registers independently in the other store.
	register(t, k, other.PublishableKey, "x@example.com")
}

func TestJSONShapes(t *testing.T) {
	k := testkit.New(t)
	res := register(t, k, k.PK, "shape@example.com")
	u := res["user"].(map[string]any)
	for _, key := range []string{"first_name", "last_name", "phone", "default_billing_address", "default_shipping_address", "newsletter_subscriber"} {
		if v, ok := u[key]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", key, v, ok)
		}
	}
	if u["full_name"] != "shape@example.com" || u["available_store_credit_total"] != "0.0" || u["display_available_store_credit_total"] != "$0.00" {
		t.Errorf("customer: %v", u)
	}
	r := do(t, k, "GET", base+"/customers/me/addresses?limit=500&page=3", k.PK, res["token"].(string), nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), `"data":[]`) ||
		!strings.Contains(string(r.Body), `"meta":{"page":3,"limit":100,"count":0,"pages":1,"from":0,"to":0,"in":0,"previous":1,"next":null}`) {
		t.Fatalf("list: %d %s", r.Status, r.Body)
	}
}

func TestRateLimitEnvelope(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.Limits.RegisterPerIP = core.Rate{Limit: 1, Window: time.Minute}
	k := testkit.New(t, testkit.WithCore(cfg))
	register(t, k, k.PK, "first@example.com")
	r := do(t, k, "POST", base+"/customers", k.PK, "", map[string]any{"email": "second@example.com", "password": "correct-horse-battery-9"})
	wantError(t, r, 429, "rate_limit_exceeded")
	if n, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || n < 1 {
		t.Fatalf("Retry-After = %q, want integer seconds", r.Header.Get("Retry-After"))
	}
}

func TestIDMapping(t *testing.T) {
	k := testkit.New(t)
	tok := register(t, k, k.PK, "ids@example.com")["token"].(string)
	// Spree ids carry Spree's prefixes; core's own prefixes are not ids here.
	for _, p := range []string{"/customers/me/orders/ord_01J0000000000000000000000", "/customers/me/orders/or_nope"} {
		wantError(t, do(t, k, "GET", base+p, k.PK, tok, nil), 404, "order_not_found")
	}
	for _, p := range []string{"/customers/me/credit_cards/pm_01J0000000000000000000000", "/customers/me/store_credits/scr_x", "/wishlists/wl_nope", "/customers/me/gift_cards/gc_nope"} {
		wantError(t, do(t, k, "GET", base+p, k.PK, tok, nil), 404, "record_not_found")
	}
	wantError(t, do(t, k, "POST", base+"/wishlists/wl_nope/items", k.PK, tok, map[string]any{"variant_id": "v"}), 404, "record_not_found")
}

func TestSparseFieldsAndSetupSessions(t *testing.T) {
	k := testkit.New(t)
	tok := register(t, k, k.PK, "fields@example.com")["token"].(string)
	r := do(t, k, "GET", base+"/customers/me?fields=email", k.PK, tok, nil)
	m := r.json(t)
	if r.Status != 200 || len(m) != 2 || m["email"] != "fields@example.com" || m["id"] == nil {
		t.Fatalf("fields: %d %s", r.Status, r.Body)
	}
	do(t, k, "POST", base+"/customers/me/addresses", k.PK, tok, map[string]any{
		"first_name": "A", "last_name": "B", "address1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country_iso": "DE",
	})
	r = do(t, k, "GET", base+"/customers/me/addresses?fields=city", k.PK, tok, nil)
	var l struct {
		Data []map[string]any `json:"data"`
		Meta map[string]any   `json:"meta"`
	}
	if err := json.Unmarshal(r.Body, &l); err != nil || len(l.Data) != 1 || len(l.Data[0]) != 2 || l.Data[0]["city"] != "Berlin" || len(l.Meta) != 9 {
		t.Fatalf("list fields: %s", r.Body)
	}
	e := wantError(t, do(t, k, "POST", base+"/customers/me/payment_setup_sessions", k.PK, tok, map[string]any{}), 404, "record_not_found")
	if e["message"] != "Payment method not found" {
		t.Fatalf("message: %v", e)
	}
}
