package medusa_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

const pw = "Tq7-a8Kd2-zX9w"

type resp struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

type client struct {
	t  *testing.T
	k  *testkit.Kit
	pk string
}

func newClient(t *testing.T) *client {
	k := testkit.New(t)
	return &client{t: t, k: k, pk: k.PK}
}

// do sends a request as the SDK does (JSON content type on every request).
func (c *client) do(method, path string, body any, hdr map[string]string) resp {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.k.Server.URL+"/medusa"+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("x-medusa-locale", "")
	if c.pk != "" {
		req.Header.Set("x-publishable-api-key", c.pk)
	}
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := resp{status: res.StatusCode, header: res.Header, raw: raw}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

// signup registers, creates the customer and returns a customer token.
func (c *client) signup(email string) (string, map[string]any) {
	c.t.Helper()
	r := c.do("POST", "/auth/customer/emailpass/register", map[string]any{"email": email, "password": pw}, nil)
	if r.status != 200 {
		c.t.Fatalf("register: %d %s", r.status, r.raw)
	}
	reg := r.body["token"].(string)
	r = c.do("POST", "/store/customers", map[string]any{"first_name": "Ada"}, bearer(reg))
	if r.status != 200 {
		c.t.Fatalf("create: %d %s", r.status, r.raw)
	}
	cust := r.body["customer"].(map[string]any)
	r = c.do("POST", "/auth/token/refresh", nil, bearer(reg))
	if r.status != 200 {
		c.t.Fatalf("refresh: %d %s", r.status, r.raw)
	}
	return r.body["token"].(string), cust
}

func wantErr(t *testing.T, r resp, status int, typ, msg string) {
	t.Helper()
	if r.status != status || r.body["type"] != typ || (msg != "" && r.body["message"] != msg) {
		t.Fatalf("want %d %s %q, got %d %s", status, typ, msg, r.status, r.raw)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
}

func TestErrorEnvelope(t *testing.T) {
	c := newClient(t)
	tok, _ := c.signup("env@example.com")
	wantErr(t, c.do("GET", "/store/nope", nil, nil), 404, "not_found", "Route not found")
	wantErr(t, c.do("PUT", "/store/customers/me", nil, nil), 404, "not_found", "Route not found")
	wantErr(t, c.do("GET", "/admin/customers", nil, nil), 404, "not_found", "Route not found")
	wantErr(t, c.do("GET", "/store/customers/me", nil, nil), 401, "unauthorized", "Unauthorized")
	wantErr(t, c.do("POST", "/store/customers/me", map[string]any{"nickname": "x", "email": "e@x.com"}, bearer(tok)), 400, "invalid_data", "Invalid request: Unrecognized fields: 'email, nickname'")
	big := `{"first_name":"` + strings.Repeat("a", 70<<10) + `"}`
	wantErr(t, c.do("POST", "/store/customers/me", big, bearer(tok)), 413, "invalid_data", "")
	wantErr(t, c.do("POST", "/store/customers/me", "first_name=x", map[string]string{"Authorization": "Bearer " + tok, "Content-Type": "application/x-www-form-urlencoded"}), 400, "invalid_data", "")
	wantErr(t, c.do("POST", "/auth/user/emailpass", map[string]any{"email": "a@b.co", "password": "x"}, nil), 400, "not_allowed", "The actor type user is not allowed to use the auth provider emailpass")
	wantErr(t, c.do("POST", "/auth/customer/emailpass", map[string]any{"password": "x"}, nil), 400, "invalid_data", "Email should be a string")
	// An empty body with the JSON content type is {} (refresh, session).
	if r := c.do("POST", "/auth/token/refresh", nil, bearer(tok)); r.status != 200 {
		t.Fatalf("bodiless refresh: %d %s", r.status, r.raw)
	}
	if r := c.do("GET", "/store/customers/me?fields=id,email&foo=1", nil, bearer(tok)); r.status != 200 {
		t.Fatalf("fields query: %d %s", r.status, r.raw)
	}
}

func TestPublishableKey(t *testing.T) {
	c := newClient(t)
	tok, _ := c.signup("pk@example.com")
	c.pk = ""
	wantErr(t, c.do("GET", "/store/customers/me", nil, bearer(tok)), 400, "not_allowed", "Publishable API key required in the request header: x-publishable-api-key. You can manage your keys in settings in the dashboard.")
	c.pk = "pk_bogus"
	wantErr(t, c.do("POST", "/auth/customer/emailpass", map[string]any{"email": "pk@example.com", "password": pw}, nil), 400, "not_allowed", "A valid publishable key is required to proceed with the request")
}

// SECURITY 31: a token for store X with store Y's publishable key is absent.
func TestCrossStoreToken(t *testing.T) {
	c := newClient(t)
	tok, _ := c.signup("x@example.com")
	other := c.k.NewShop("Other")
	c.pk = other.PublishableKey
	wantErr(t, c.do("GET", "/store/customers/me", nil, bearer(tok)), 401, "unauthorized", "Unauthorized")
	wantErr(t, c.do("POST", "/auth/token/refresh", nil, bearer(tok)), 401, "unauthorized", "Unauthorized")
	wantErr(t, c.do("POST", "/auth/session", nil, bearer(tok)), 401, "unauthorized", "Unauthorized")
}

// SECURITY 13: forged and garbage tokens are 401, never a guest.
func TestForgedTokens(t *testing.T) {
	c := newClient(t)
	tok, _ := c.signup("forge@example.com")
	parts := strings.Split(tok, ".")
	hdr := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	mac := hmac.New(sha256.New, []byte("public-key-bytes"))
	mac.Write([]byte(hdr + "." + parts[1]))
	forged := hdr + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	for _, bad := range []string{forged, "garbage", parts[0] + "." + parts[1] + ".AAAA"} {
		wantErr(t, c.do("GET", "/store/customers/me", nil, bearer(bad)), 401, "unauthorized", "Unauthorized")
		wantErr(t, c.do("POST", "/store/customers", map[string]any{}, bearer(bad)), 401, "unauthorized", "Unauthorized")
		wantErr(t, c.do("POST", "/auth/token/refresh", nil, bearer(bad)), 401, "unauthorized", "Unauthorized")
	}
	// Public routes ignore a stale token (the SDK attaches it everywhere).
	if r := c.do("POST", "/auth/customer/emailpass", map[string]any{"email": "forge@example.com", "password": pw}, bearer(forged)); r.status != 200 {
		t.Fatalf("login with a stale token: %d %s", r.status, r.raw)
	}
	// A customer token cannot finish a registration.
	wantErr(t, c.do("POST", "/store/customers", map[string]any{}, bearer(tok)), 400, "invalid_data", "Request already authenticated as a customer.")
	// A registration token is refused on customer routes.
	r := c.do("POST", "/auth/customer/emailpass/register", map[string]any{"email": "pending@example.com", "password": pw}, nil)
	wantErr(t, c.do("GET", "/store/customers/me", nil, bearer(r.body["token"].(string))), 401, "unauthorized", "Unauthorized")
	wantErr(t, c.do("POST", "/auth/session", nil, bearer(r.body["token"].(string))), 401, "unauthorized", "Unauthorized")
}

// SECURITY 4: no enumeration through login or reset; registration of a
// taken e-mail answers Medusa's documented message.
func TestNoEnumeration(t *testing.T) {
	c := newClient(t)
	c.signup("known@example.com")
	a := c.do("POST", "/auth/customer/emailpass", map[string]any{"email": "known@example.com", "password": "Wrong-pass-123"}, nil)
	b := c.do("POST", "/auth/customer/emailpass", map[string]any{"email": "unknown@example.com", "password": "Wrong-pass-123"}, nil)
	if a.status != 401 || !bytes.Equal(a.raw, b.raw) || a.status != b.status {
		t.Fatalf("login answers differ: %d %s / %d %s", a.status, a.raw, b.status, b.raw)
	}
	ra := c.do("POST", "/auth/customer/emailpass/reset-password", map[string]any{"identifier": "known@example.com"}, map[string]string{"Accept": "text/plain"})
	rb := c.do("POST", "/auth/customer/emailpass/reset-password", map[string]any{"identifier": "unknown@example.com"}, map[string]string{"Accept": "text/plain"})
	if ra.status != 201 || ra.status != rb.status || !bytes.Equal(ra.raw, rb.raw) || string(ra.raw) != "Created" {
		t.Fatalf("reset answers differ: %d %q / %d %q", ra.status, ra.raw, rb.status, rb.raw)
	}
	wantErr(t, c.do("POST", "/auth/customer/emailpass/register", map[string]any{"email": "Known@Example.com", "password": pw}, nil), 401, "unauthorized", "Identity with email already exists")
}

func TestPendingIdentityExpires(t *testing.T) {
	c := newClient(t)
	r := c.do("POST", "/auth/customer/emailpass/register", map[string]any{"email": "squat@example.com", "password": pw}, nil)
	if r.status != 200 {
		t.Fatalf("register: %d %s", r.status, r.raw)
	}
	old := r.body["token"].(string)
	wantErr(t, c.do("POST", "/auth/customer/emailpass/register", map[string]any{"email": "squat@example.com", "password": pw}, nil), 401, "unauthorized", "Identity with email already exists")
	c.k.Clock.Advance(61 * time.Minute)
	r = c.do("POST", "/auth/customer/emailpass/register", map[string]any{"email": "squat@example.com", "password": "Other-pass-987"}, nil)
	if r.status != 200 {
		t.Fatalf("register after expiry: %d %s", r.status, r.raw)
	}
	wantErr(t, c.do("POST", "/store/customers", map[string]any{}, bearer(old)), 401, "unauthorized", "Unauthorized")
	r = c.do("POST", "/store/customers", map[string]any{"email": "other@example.com"}, bearer(r.body["token"].(string)))
	wantErr(t, r, 400, "invalid_data", "Email does not match the registered identity")
}

func claims(t *testing.T, tok string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return m
}

func TestTokenLifetimeAndLogout(t *testing.T) {
	c := newClient(t)
	tok, cust := c.signup("ttl@example.com")
	cl := claims(t, tok)
	if life := cl["exp"].(float64) - cl["iat"].(float64); life != 24*3600 {
		t.Fatalf("token lifetime %v s, want 24 h", life)
	}
	if cl["sub"] != cust["id"] || cl["sid"] == "" {
		t.Fatalf("claims %v", cl)
	}
	// Still valid after the native 15-minute lifetime.
	c.k.Clock.Advance(2 * time.Hour)
	if r := c.do("GET", "/store/customers/me", nil, bearer(tok)); r.status != 200 {
		t.Fatalf("me after 2 h: %d %s", r.status, r.raw)
	}
	// Cookie session bound to the same session.
	r := c.do("POST", "/auth/session", nil, bearer(tok))
	if r.status != 200 {
		t.Fatalf("session: %d %s", r.status, r.raw)
	}
	sc := r.header.Get("Set-Cookie")
	for _, want := range []string{"connect.sid=", "Path=/medusa", "HttpOnly", "SameSite=Lax", "Max-Age=604800"} {
		if !strings.Contains(sc, want) {
			t.Fatalf("cookie %q lacks %q", sc, want)
		}
	}
	cookie := strings.Split(sc, ";")[0]
	user := r.body["user"].(map[string]any)
	if user["actor_id"] != cust["id"] || !strings.HasPrefix(user["auth_identity_id"].(string), "authid_") {
		t.Fatalf("user %v", user)
	}
	if r := c.do("GET", "/store/customers/me", nil, map[string]string{"Cookie": cookie}); r.status != 200 {
		t.Fatalf("me by cookie: %d %s", r.status, r.raw)
	}
	r = c.do("DELETE", "/auth/session", nil, map[string]string{"Cookie": cookie})
	if r.status != 200 || r.body["success"] != true || !strings.Contains(r.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("logout: %d %s %q", r.status, r.raw, r.header.Get("Set-Cookie"))
	}
	// Logout revokes the cookie and every JWT of the session at once.
	wantErr(t, c.do("GET", "/store/customers/me", nil, map[string]string{"Cookie": cookie}), 401, "unauthorized", "Unauthorized")
	wantErr(t, c.do("GET", "/store/customers/me", nil, bearer(tok)), 401, "unauthorized", "Unauthorized")
	wantErr(t, c.do("GET", "/store/customers/me/addresses", nil, bearer(tok)), 401, "unauthorized", "Unauthorized")
	wantErr(t, c.do("POST", "/auth/token/refresh", nil, bearer(tok)), 401, "unauthorized", "Unauthorized")
	wantErr(t, c.do("DELETE", "/auth/session", nil, nil), 401, "unauthorized", "Unauthorized")
}

var tokenRe = regexp.MustCompile(`token=([A-Za-z0-9_-]+)`)

func TestPasswordReset(t *testing.T) {
	c := newClient(t)
	tok, _ := c.signup("reset@example.com")
	r := c.do("POST", "/auth/customer/emailpass/reset-password", map[string]any{"identifier": "reset@example.com"}, nil)
	if r.status != 201 {
		t.Fatalf("reset request: %d %s", r.status, r.raw)
	}
	wantErr(t, c.do("POST", "/auth/customer/emailpass/reset-password", map[string]any{}, nil), 400, "invalid_data", "Invalid request: Field 'identifier' is required")
	text := newestMail(t, c.k, "password_reset").Text
	m := tokenRe.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no token in %q", text)
	}
	reset := m[1]
	// A customer JWT is not a reset token; a weak password keeps the token.
	wantErr(t, c.do("POST", "/auth/customer/emailpass/update", map[string]any{"password": "New-pass-4567"}, bearer(tok)), 401, "unauthorized", "Invalid token")
	wantErr(t, c.do("POST", "/auth/customer/emailpass/update", map[string]any{"password": "short"}, bearer(reset)), 400, "invalid_data", "")
	r = c.do("POST", "/auth/customer/emailpass/update", map[string]any{"password": "New-pass-4567", "email": "ignored@example.com"}, bearer(reset))
	if r.status != 200 || r.body["success"] != true {
		t.Fatalf("update: %d %s", r.status, r.raw)
	}
	wantErr(t, c.do("POST", "/auth/customer/emailpass/update", map[string]any{"password": "New-pass-4567"}, bearer(reset)), 401, "unauthorized", "Invalid token")
	// Every session ended; the new password logs in.
	wantErr(t, c.do("GET", "/store/customers/me", nil, bearer(tok)), 401, "unauthorized", "Unauthorized")
	if r := c.do("POST", "/auth/customer/emailpass", map[string]any{"email": "reset@example.com", "password": "New-pass-4567"}, nil); r.status != 200 {
		t.Fatalf("login with the new password: %d %s", r.status, r.raw)
	}
}

// SECURITY 27 through the dialect, and the id mapping.
func TestAddressIDOR(t *testing.T) {
	c := newClient(t)
	a, _ := c.signup("a@example.com")
	b, _ := c.signup("b@example.com")
	r := c.do("POST", "/store/customers/me/addresses", map[string]any{"address_1": "1 Main St", "city": "Paris", "country_code": "FR", "is_default_billing": true}, bearer(b))
	if r.status != 200 {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	cust := r.body["customer"].(map[string]any)
	addr := cust["addresses"].([]any)[0].(map[string]any)
	id := addr["id"].(string)
	if !regexp.MustCompile(`^cuaddr_[0-9A-Z]{26}$`).MatchString(id) || addr["country_code"] != "fr" || cust["default_billing_address_id"] != id {
		t.Fatalf("address %v", addr)
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`).MatchString(addr["created_at"].(string)) {
		t.Fatalf("timestamp %v", addr["created_at"])
	}
	coreID := "addr_" + strings.TrimPrefix(id, "cuaddr_")
	for _, pid := range []string{id, coreID} {
		msg := "Address with id: " + pid + " was not found"
		wantErr(t, c.do("GET", "/store/customers/me/addresses/"+pid, nil, bearer(a)), 404, "not_found", msg)
		wantErr(t, c.do("POST", "/store/customers/me/addresses/"+pid, map[string]any{"city": "X"}, bearer(a)), 404, "not_found", msg)
		wantErr(t, c.do("DELETE", "/store/customers/me/addresses/"+pid, nil, bearer(a)), 404, "not_found", msg)
	}
	// The owner reaches it by either prefix, and it is unchanged.
	r = c.do("GET", "/store/customers/me/addresses/"+coreID, nil, bearer(b))
	if r.status != 200 || r.body["address"].(map[string]any)["city"] != "Paris" || r.body["address"].(map[string]any)["id"] != id {
		t.Fatalf("owner read: %d %s", r.status, r.raw)
	}
	wantErr(t, c.do("POST", "/store/customers/me/addresses", map[string]any{"country_code": "zz"}, bearer(b)), 400, "invalid_data", "")
}

func TestOrders(t *testing.T) {
	c := newClient(t)
	tok, cust := c.signup("orders@example.com")
	other, _ := c.signup("other@example.com")
	r := c.do("GET", "/store/orders", nil, bearer(tok))
	if r.status != 200 || r.body["count"] != float64(0) || r.body["limit"] != float64(50) || len(r.body["orders"].([]any)) != 0 {
		t.Fatalf("empty list: %d %s", r.status, r.raw)
	}
	o, _, err := c.k.App.Service.UpsertOrder(context.Background(), c.k.Shop.ID, "1001", core.OrderInput{
		Email: "orders@example.com", CustomerID: cust["id"].(string), State: "placed", PaymentStatus: "paid",
		Currency: "USD", Subtotal: 2999, Total: 3499, ShippingTotal: 500, PlacedAt: "2026-01-01T00:00:00Z",
		ShippingAddress: &core.Address{Address1: "1 Main St", City: "Austin", CountryCode: "US"},
	})
	if err != nil {
		t.Fatal(err)
	}
	r = c.do("GET", "/store/orders", nil, bearer(tok))
	if r.status != 200 || r.body["count"] != float64(1) {
		t.Fatalf("list: %d %s", r.status, r.raw)
	}
	ord := r.body["orders"].([]any)[0].(map[string]any)
	id := ord["id"].(string)
	if !strings.HasPrefix(id, "order_") || ord["total"] != 34.99 || ord["currency_code"] != "usd" || ord["display_id"] != float64(1001) ||
		ord["status"] != "pending" || ord["payment_status"] != "captured" || ord["fulfillment_status"] != "not_fulfilled" ||
		ord["shipping_address"].(map[string]any)["country_code"] != "us" {
		t.Fatalf("order %v", ord)
	}
	if r := c.do("GET", "/store/orders/"+id, nil, bearer(tok)); r.status != 200 || r.body["order"].(map[string]any)["id"] != id {
		t.Fatalf("retrieve: %d %s", r.status, r.raw)
	}
	// SECURITY 27: another customer, or nobody, gets 404.
	msg := "Order with id: " + id + " was not found"
	wantErr(t, c.do("GET", "/store/orders/"+id, nil, bearer(other)), 404, "not_found", msg)
	wantErr(t, c.do("GET", "/store/orders/"+id, nil, nil), 404, "not_found", msg)
	wantErr(t, c.do("GET", "/store/orders/"+o.ID, nil, bearer(other)), 404, "not_found", "Order with id: "+o.ID+" was not found")
	if r := c.do("GET", "/store/orders", nil, bearer(other)); r.body["count"] != float64(0) {
		t.Fatalf("other's list: %s", r.raw)
	}
}

func TestCORS(t *testing.T) {
	c := newClient(t)
	tok, _ := c.signup("cors@example.com")
	r := c.do("OPTIONS", "/store/customers/me", nil, map[string]string{"Origin": "https://shop.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-medusa-locale"})
	if r.status != 204 || !strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "x-medusa-locale") || r.header.Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("preflight: %d %v", r.status, r.header)
	}
	r = c.do("GET", "/store/customers/me", nil, map[string]string{"Origin": "https://shop.example", "Authorization": "Bearer " + tok})
	if r.header.Get("Access-Control-Allow-Origin") != "https://shop.example" || r.header.Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("allowed origin: %v", r.header)
	}
	r = c.do("GET", "/store/customers/me", nil, map[string]string{"Origin": "https://evil.example", "Authorization": "Bearer " + tok})
	if r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("foreign origin allowed: %v", r.header)
	}
	// A cross-site state change cannot ride the cookie.
	s := c.do("POST", "/auth/session", nil, bearer(tok))
	cookie := strings.Split(s.header.Get("Set-Cookie"), ";")[0]
	wantErr(t, c.do("POST", "/store/customers/me", map[string]any{"first_name": "Evil"}, map[string]string{"Cookie": cookie, "Origin": "https://evil.example"}), 401, "unauthorized", "Unauthorized")
	if r := c.do("POST", "/store/customers/me", map[string]any{"first_name": "Good"}, map[string]string{"Cookie": cookie, "Origin": "https://shop.example"}); r.status != 200 {
		t.Fatalf("same-site cookie update: %d %s", r.status, r.raw)
	}
}

// The two-step sign-up welcomes the customer once, when step two creates
// them: step one alone (an identity without a customer) greets nobody.
func TestSignUpWelcomes(t *testing.T) {
	c := newClient(t)
	if r := c.do("POST", "/auth/customer/emailpass/register", map[string]any{"email": "halfway@example.com", "password": pw}, nil); r.status != 200 {
		t.Fatalf("register: %d %s", r.status, r.raw)
	}
	c.signup("hello@example.com")
	if m := newestMail(t, c.k, "welcome"); m.To != "hello@example.com" || m.Subject != "Welcome to "+c.k.Shop.Name {
		t.Fatalf("welcome = %+v", m)
	}
	// Mail is recorded as it is sent, so every welcome is in by now.
	var to []string
	for _, m := range c.k.Mail.Messages() {
		to = append(to, m.Kind+" "+m.To)
	}
	if len(to) != 1 {
		t.Fatalf("mail %v, want only the welcome to hello@example.com", to)
	}
}

// newestMail waits for a mail of kind and returns the newest one; other
// kinds (the sign-up's welcome mail) are skipped.
func newestMail(t *testing.T, k *testkit.Kit, kind string) core.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for n := 1; ; n++ {
		msgs, err := k.Mail.Wait(ctx, n)
		for i := len(msgs) - 1; i >= 0; i-- {
			if msgs[i].Kind == kind {
				return msgs[i]
			}
		}
		if err != nil {
			t.Fatalf("no %s mail: %v", kind, err)
		}
		n = max(n, len(msgs))
	}
}
