package sfcc_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	devOrg    = "f_ecom_clnt_dev"
	devClient = "c11e47e1-5fcc-4d1a-8000-000000000001"
	site      = "RefArch"
	cb        = "http://localhost:3000/callback"
	authBase  = "/sfcc/shopper/auth/v1/organizations/"
	custBase  = "/sfcc/customer/shopper-customers/v1/organizations/"
	pw        = "Correct-horse-battery-9!"
)

// stack is a kit with a client that does not follow redirects.
type stack struct {
	*testkit.Kit
	t testing.TB
	c *http.Client
}

func newStack(t testing.TB, opts ...testkit.Option) *stack {
	k := testkit.New(t, opts...)
	c := k.Server.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &stack{Kit: k, t: t, c: c}
}

// drain waits for the background work requests started (reset mails).
func (s *stack) drain() {
	s.t.Helper()
	if err := s.App.Service.Drain(s.t.Context()); err != nil {
		s.t.Fatal(err)
	}
}

// resetMails counts the reset mails sent so far; a sign-up's welcome mail
// is not one.
func (s *stack) resetMails() int {
	n := 0
	for _, m := range s.Mail.Messages() {
		if m.Kind == "password_reset" {
			n++
		}
	}
	return n
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.status, r.body)
	}
	return m
}

// send makes a request; a url.Values body is sent as a form, anything
// else non-nil as JSON.
func (s *stack) send(method, path string, body any, header map[string]string) reply {
	s.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ct = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	default:
		j, _ := json.Marshal(b)
		rd, ct = strings.NewReader(string(j)), "application/json"
	}
	req, err := http.NewRequest(method, s.Server.URL+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := s.c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, header: res.Header, body: b}
}

func pkce() (verifier, challenge string) {
	verifier = strings.Repeat("v", 20) + base64.RawURLEncoding.EncodeToString([]byte(time.Now().String()))
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorize runs the guest authorize step and returns code and usid.
func (s *stack) authorize(client, redirect, challenge, usid string) (reply, string, string) {
	s.t.Helper()
	q := url.Values{"redirect_uri": {redirect}, "response_type": {"code"}, "client_id": {client}, "hint": {"guest"}, "channel_id": {site}}
	if challenge != "" {
		q.Set("code_challenge", challenge)
	}
	if usid != "" {
		q.Set("usid", usid)
	}
	r := s.send("GET", authBase+devOrg+"/oauth2/authorize?"+q.Encode(), nil, nil)
	if r.status != http.StatusSeeOther {
		return r, "", ""
	}
	loc, err := url.Parse(r.header.Get("Location"))
	if err != nil || !loc.IsAbs() {
		s.t.Fatalf("Location %q is not absolute", r.header.Get("Location"))
	}
	return r, loc.Query().Get("code"), loc.Query().Get("usid")
}

func (s *stack) exchange(code, verifier, client, redirect string) reply {
	return s.send("POST", authBase+devOrg+"/oauth2/token", url.Values{
		"grant_type": {"authorization_code_pkce"}, "code": {code}, "code_verifier": {verifier},
		"client_id": {client}, "redirect_uri": {redirect}, "channel_id": {site},
	}, nil)
}

// guest logs a guest in and returns the token response.
func (s *stack) guest() map[string]any {
	s.t.Helper()
	v, ch := pkce()
	_, code, _ := s.authorize(devClient, cb, ch, "")
	r := s.exchange(code, v, devClient, cb)
	if r.status != 200 {
		s.t.Fatalf("guest token: %d %s", r.status, r.body)
	}
	return r.json(s.t)
}

// customer registers and logs in a shopper through the dialect.
func (s *stack) customer(mail string) map[string]any {
	s.t.Helper()
	return s.customerNamed(mail, "Jane")
}

func (s *stack) customerNamed(mail, first string) map[string]any {
	s.t.Helper()
	g := s.guest()
	r := s.send("POST", custBase+devOrg+"/customers?siteId="+site,
		map[string]any{"customer": map[string]any{"login": mail, "lastName": "Doe", "firstName": first}, "password": pw},
		map[string]string{"Authorization": "Bearer " + g["access_token"].(string)})
	if r.status != 200 {
		s.t.Fatalf("register: %d %s", r.status, r.body)
	}
	v, ch := pkce()
	r = s.send("POST", authBase+devOrg+"/oauth2/login", url.Values{
		"redirect_uri": {cb}, "client_id": {devClient}, "channel_id": {site}, "code_challenge": {ch}, "usid": {g["usid"].(string)},
	}, map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(mail+":"+pw))})
	if r.status != http.StatusSeeOther {
		s.t.Fatalf("login: %d %s", r.status, r.body)
	}
	loc, _ := url.Parse(r.header.Get("Location"))
	t := s.exchange(loc.Query().Get("code"), v, devClient, cb)
	if t.status != 200 {
		s.t.Fatalf("token: %d %s", t.status, t.body)
	}
	return t.json(s.t)
}

func bearer(tok map[string]any) map[string]string {
	return map[string]string{"Authorization": "Bearer " + tok["access_token"].(string)}
}

func wantSLAS(t *testing.T, r reply, status int, code, msg string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	m := r.json(t)
	if m["error"] != code || m["message"] != msg || m["error_description"] != msg {
		t.Fatalf("body %s, want %s / %q", r.body, code, msg)
	}
	if r.header.Get("Cache-Control") != "no-store" || r.header.Get("Pragma") != "no-cache" {
		t.Errorf("missing no-store/no-cache: %v", r.header)
	}
}

func wantProblem(t *testing.T, r reply, status int, slug string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	m := r.json(t)
	if m["type"] != "https://api.commercecloud.salesforce.com/documentation/error/v1/errors/"+slug || m["title"] == "" || m["detail"] == "" {
		t.Fatalf("body %s, want slug %s", r.body, slug)
	}
}

func TestPKCE(t *testing.T) {
	s := newStack(t)
	v, ch := pkce()
	cases := []struct {
		name               string
		verifier, client   string
		redirect, wantDesc string
	}{
		{"wrong verifier", strings.Repeat("x", 64), devClient, cb, "PKCE verification failed."},
		{"malformed verifier", "short", devClient, cb, "PKCE verification failed."},
		{"another redirect URI", v, devClient, "http://localhost:3000/other", "Invalid authorization code."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, code, _ := s.authorize(devClient, cb, ch, "")
			wantSLAS(t, s.exchange(code, c.verifier, c.client, c.redirect), 400, "invalid_grant", c.wantDesc)
		})
	}
	t.Run("another client", func(t *testing.T) {
		other := s.NewShop("other")
		_, err := s.App.Service.SetSFCCBinding(context.Background(), other.Shop.ID, core.SFCCBinding{
			OrganizationID: "f_ecom_othr_001", Clients: []core.SFCCClient{{ClientID: "other-client", RedirectURIs: []string{cb}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		_, code, _ := s.authorize(devClient, cb, ch, "")
		// The other store's client is unknown to the dev organization.
		wantSLAS(t, s.exchange(code, v, "other-client", cb), 401, "invalid_client", "Client authentication failed.")
	})
	t.Run("reused code ends the first session", func(t *testing.T) {
		_, code, _ := s.authorize(devClient, cb, ch, "")
		first := s.exchange(code, v, devClient, cb)
		if first.status != 200 {
			t.Fatalf("first exchange: %d %s", first.status, first.body)
		}
		wantSLAS(t, s.exchange(code, v, devClient, cb), 400, "invalid_grant", "Invalid authorization code.")
		tok := first.json(t)
		r := s.send("POST", authBase+devOrg+"/oauth2/token", url.Values{
			"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}, "client_id": {devClient},
		}, nil)
		wantSLAS(t, r, 400, "invalid_grant", "invalid refresh_token")
	})
	t.Run("expired code", func(t *testing.T) {
		_, code, _ := s.authorize(devClient, cb, ch, "")
		s.Clock.Advance(61 * time.Second)
		wantSLAS(t, s.exchange(code, v, devClient, cb), 400, "invalid_grant", "Invalid authorization code.")
	})
	t.Run("unknown code", func(t *testing.T) {
		wantSLAS(t, s.exchange("nope", v, devClient, cb), 400, "invalid_grant", "Invalid authorization code.")
	})
	t.Run("code without challenge needs a private client", func(t *testing.T) {
		_, code, _ := s.authorize(devClient, cb, "", "")
		wantSLAS(t, s.exchange(code, v, devClient, cb), 400, "invalid_grant", "Invalid authorization code.")
		_, code, _ = s.authorize(devClient, cb, "", "")
		r := s.send("POST", authBase+devOrg+"/oauth2/token", url.Values{
			"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {cb}, "channel_id": {site},
		}, map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(devClient+":"+s.SK))})
		if r.status != 200 {
			t.Fatalf("private exchange: %d %s", r.status, r.body)
		}
	})
}

func TestAuthorizeChecks(t *testing.T) {
	s := newStack(t)
	_, ch := pkce()
	cases := []struct {
		name, query string
		status      int
		code, desc  string
	}{
		{"unknown client", "client_id=nope&redirect_uri=" + cb + "&channel_id=" + site + "&hint=guest&response_type=code", 400, "invalid_request", "Bad or missing client_id."},
		{"missing client", "redirect_uri=" + cb + "&channel_id=" + site + "&hint=guest&response_type=code", 400, "invalid_request", "Bad or missing client_id."},
		{"foreign redirect", "client_id=" + devClient + "&redirect_uri=https://evil.example/cb&channel_id=" + site + "&hint=guest&response_type=code", 400, "invalid_request", "Invalid redirect_uri."},
		{"relative redirect", "client_id=" + devClient + "&redirect_uri=/cb&channel_id=" + site + "&hint=guest&response_type=code", 400, "invalid_request", "Invalid redirect_uri."},
		{"loopback lookalike", "client_id=" + devClient + "&redirect_uri=http://localhost.evil.example/cb&channel_id=" + site + "&hint=guest&response_type=code", 400, "invalid_request", "Invalid redirect_uri."},
		{"unknown channel", "client_id=" + devClient + "&redirect_uri=" + cb + "&channel_id=Other&hint=guest&response_type=code", 400, "invalid_request", "Invalid channel_id."},
		{"bad response type", "client_id=" + devClient + "&redirect_uri=" + cb + "&channel_id=" + site + "&hint=guest&response_type=token", 400, "invalid_request", "Bad or missing request parameters."},
		{"idp hint", "client_id=" + devClient + "&redirect_uri=" + cb + "&channel_id=" + site + "&hint=google&response_type=code", 400, "invalid_request", "Unsupported hint."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.send("GET", authBase+devOrg+"/oauth2/authorize?"+c.query+"&code_challenge="+ch, nil, nil)
			wantSLAS(t, r, c.status, c.code, c.desc)
		})
	}
	t.Run("unknown organization", func(t *testing.T) {
		r := s.send("GET", authBase+"f_ecom_none_000/oauth2/authorize?client_id="+devClient, nil, nil)
		wantSLAS(t, r, 404, "not_found", "Unknown organization.")
	})
	t.Run("loopback hosts and state", func(t *testing.T) {
		for _, u := range []string{"http://127.0.0.1:9/x", "https://[::1]/cb?keep=1", "http://localhost/"} {
			r, code, usid := s.authorize(devClient, u, ch, "")
			if code == "" || usid == "" {
				t.Fatalf("%s: %d %s", u, r.status, r.body)
			}
		}
		r, _, _ := s.authorize(devClient, "https://[::1]/cb?keep=1", ch, "")
		if loc := r.header.Get("Location"); !strings.Contains(loc, "keep=1") {
			t.Errorf("Location %q lost the redirect URI's query", loc)
		}
	})
	t.Run("an explicit binding's exact redirect URIs only", func(t *testing.T) {
		other := s.NewShop("bound")
		_, err := s.App.Service.SetSFCCBinding(context.Background(), other.Shop.ID, core.SFCCBinding{
			OrganizationID: "f_ecom_bind_001", SiteIDs: []string{"Site1"},
			Clients: []core.SFCCClient{{ClientID: "bound-client", RedirectURIs: []string{"https://shop.example/callback"}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		base := authBase + "f_ecom_bind_001/oauth2/authorize?client_id=bound-client&channel_id=Site1&hint=guest&response_type=code&code_challenge=" + ch + "&redirect_uri="
		if r := s.send("GET", base+url.QueryEscape("https://shop.example/callback?x=1"), nil, nil); r.status != 303 {
			t.Fatalf("registered URI (query ignored): %d %s", r.status, r.body)
		}
		for _, u := range []string{"http://localhost:3000/callback", "https://shop.example/callback/x", "http://shop.example/callback"} {
			wantSLAS(t, s.send("GET", base+url.QueryEscape(u), nil, nil), 400, "invalid_request", "Invalid redirect_uri.")
		}
	})
}

func TestClaimLayout(t *testing.T) {
	s := newStack(t)
	tok := s.customerNamed("Claims.Test@example.com", "Ada:Byron")
	parts := strings.Split(tok["access_token"].(string), ".")
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c map[string]any
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	isb := strings.Split(c["isb"].(string), "::")
	if len(isb) != 6 || isb[1] != "upn:Claims.Test@example.com" || isb[2] != "uidn:Ada%3AByron Doe" ||
		isb[3] != "gcid:"+strings.TrimPrefix(isb[3], "gcid:") || isb[4] != "rcid:"+tok["customer_id"].(string) || isb[5] != "chid:"+site {
		t.Errorf("isb = %v", isb)
	}
	for k, want := range map[string]any{"iss": "slas/prod/clnt_dev", "aud": "commercecloud/prod/clnt_dev", "ctx": "slas", "sty": "User", "aut": "GUID", "ist": float64(1)} {
		if c[k] != want {
			t.Errorf("%s = %v, want %v", k, c[k], want)
		}
	}
	if c["nbf"] != c["iat"] || c["exp"].(float64)-c["iat"].(float64) != tok["expires_in"].(float64) {
		t.Errorf("times: %v", c)
	}
	if sub := strings.Split(c["sub"].(string), "::"); len(sub) != 4 || sub[3] != "usid:"+tok["usid"].(string) {
		t.Errorf("sub = %v", c["sub"])
	}
	if c["sid"] == "" || c["tid"] != s.Shop.ID || c["jti"] == "" {
		t.Errorf("core claims: %v", c)
	}
	// A native API token is not accepted here, nor this token natively.
	native := s.Register("native@example.com")
	r := s.send("GET", custBase+devOrg+"/customers/"+strings.TrimPrefix(native.ID, "cus_")+"?siteId="+site, nil, map[string]string{"Authorization": "Bearer " + native.Access})
	wantProblem(t, r, 401, "unauthorized")
	n := s.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: tok["access_token"].(string)})
	if n.Status != 401 {
		t.Errorf("SFCC token on /v1: %d", n.Status)
	}
}

// SECURITY.md 4: enumeration through this dialect.
func TestSecurityEnumeration(t *testing.T) {
	s := newStack(t)
	s.customer("known@example.com")
	login := func(user, pass string) reply {
		_, ch := pkce()
		return s.send("POST", authBase+devOrg+"/oauth2/login", url.Values{"redirect_uri": {cb}, "client_id": {devClient}, "channel_id": {site}, "code_challenge": {ch}},
			map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))})
	}
	a, b := login("known@example.com", "wrong-password-1"), login("unknown@example.com", "wrong-password-1")
	wantSLAS(t, a, 401, "invalid_client", "Credentials are invalid.")
	if a.status != b.status || string(a.body) != string(b.body) {
		t.Errorf("login answers differ: %s vs %s", a.body, b.body)
	}
	wantSLAS(t, s.send("POST", authBase+devOrg+"/oauth2/login", url.Values{"redirect_uri": {cb}, "client_id": {devClient}, "channel_id": {site}}, nil),
		401, "invalid_client", "Credentials are invalid.")
	reset := func(user string) reply {
		return s.send("POST", authBase+devOrg+"/oauth2/password/reset", url.Values{
			"user_id": {user}, "mode": {"email"}, "channel_id": {site}, "client_id": {devClient}, "hint": {"cross_device"},
		}, map[string]string{"Authorization": ""})
	}
	ra, rb := reset("known@example.com"), reset("unknown@example.com")
	if ra.status != 200 || rb.status != 200 || len(ra.body) != 0 || len(rb.body) != 0 {
		t.Errorf("reset answers: %d %q / %d %q", ra.status, ra.body, rb.status, rb.body)
	}
	s.drain() // reset requests send their mail in the background
	if got := s.resetMails(); got != 1 {
		t.Errorf("%d reset mails, want 1 (the known shopper's)", got)
	}
	wantSLAS(t, s.send("POST", authBase+devOrg+"/oauth2/password/reset", url.Values{
		"user_id": {"known@example.com"}, "mode": {"email"}, "channel_id": {site}, "client_id": {devClient},
	}, nil), 400, "invalid_request", "Bad or missing request parameters.")
}

// SECURITY.md 13: forged, garbage and expired tokens are 401, never a guest.
func TestSecurityForgedTokens(t *testing.T) {
	s := newStack(t)
	keys, err := s.App.Service.SigningKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: keys.Signing.Public},
		(&jose.SignerOptions{}).WithType("jwt").WithHeader("kid", keys.Signing.ID))
	if err != nil {
		t.Fatal(err)
	}
	g := s.guest()
	now := time.Now()
	forged, err := jwt.Signed(signer).Claims(map[string]any{
		"iss": "slas/prod/clnt_dev", "aud": "commercecloud/prod/clnt_dev", "tid": s.Shop.ID, "scope": "guest",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "sub": "x",
	}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	expired := s.guest()
	s.Clock.Advance(time.Hour)
	reg := map[string]any{"customer": map[string]any{"login": "f@example.com", "lastName": "X"}, "password": pw}
	for name, tok := range map[string]string{"hs256 with the public key": forged, "garbage": "garbage", "expired": expired["access_token"].(string), "empty": ""} {
		t.Run(name, func(t *testing.T) {
			r := s.send("POST", custBase+devOrg+"/customers?siteId="+site, reg, map[string]string{"Authorization": "Bearer " + tok})
			wantProblem(t, r, 401, "unauthorized")
			r = s.send("GET", custBase+devOrg+"/customers/"+g["customer_id"].(string)+"?siteId="+site, nil, map[string]string{"Authorization": "Bearer " + tok})
			wantProblem(t, r, 401, "unauthorized")
		})
	}
	t.Run("logout accepts an expired token of the same session", func(t *testing.T) {
		r := s.send("GET", authBase+devOrg+"/oauth2/logout?client_id="+devClient+"&refresh_token="+url.QueryEscape(expired["refresh_token"].(string)), nil, bearer(expired))
		if r.status != 200 {
			t.Fatalf("logout: %d %s", r.status, r.body)
		}
	})
	t.Run("logout refuses a forged bearer", func(t *testing.T) {
		fresh := s.guest()
		r := s.send("GET", authBase+devOrg+"/oauth2/logout?client_id="+devClient+"&refresh_token="+url.QueryEscape(fresh["refresh_token"].(string)), nil, map[string]string{"Authorization": "Bearer " + forged})
		wantSLAS(t, r, 401, "invalid_token", "Bad or missing access token.")
	})
	t.Run("logout refuses another session's refresh token", func(t *testing.T) {
		a, b := s.guest(), s.guest()
		r := s.send("GET", authBase+devOrg+"/oauth2/logout?client_id="+devClient+"&refresh_token="+url.QueryEscape(b["refresh_token"].(string)), nil, bearer(a))
		wantSLAS(t, r, 400, "invalid_grant", "invalid refresh_token")
	})
}

// SECURITY.md 27: another customer's resources through every route.
func TestSecurityIDOR(t *testing.T) {
	s := newStack(t)
	a, b := s.customer("a@example.com"), s.customer("b@example.com")
	bid := b["customer_id"].(string)
	base := custBase + devOrg + "/customers/"
	q := "?siteId=" + site
	mk := func(path string, body any) map[string]any {
		r := s.send("POST", base+bid+path+q, body, bearer(b))
		if r.status != 200 {
			t.Fatalf("create %s: %d %s", path, r.status, r.body)
		}
		return r.json(t)
	}
	mk("/addresses", map[string]any{"addressId": "home", "lastName": "B", "countryCode": "US"})
	list := mk("/product-lists", map[string]any{"name": "B's"})
	item := mk("/product-lists/"+list["id"].(string)+"/items", map[string]any{"productId": "p1"})
	pi := mk("/payment-instruments", map[string]any{"paymentCard": map[string]any{"cardType": "Visa", "number": "4242424242424242", "expirationMonth": 12, "expirationYear": time.Now().Year() + 1}})
	paths := []string{
		"", "/addresses/home", "/product-lists/" + list["id"].(string), "/product-lists/" + list["id"].(string) + "/items/" + item["id"].(string),
		"/payment-instruments/" + pi["paymentInstrumentId"].(string), "/orders", "/product-lists",
	}
	for _, p := range paths {
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			var body any
			if m == "PATCH" {
				body = map[string]any{"lastName": "Mallory", "quantity": 9, "name": "pwned", "default": true}
			}
			r := s.send(m, base+bid+p+q, body, bearer(a))
			if r.status == 404 || r.status == 405 {
				continue // no such method on the route
			}
			wantProblem(t, r, 400, "invalid-customer")
		}
	}
	// A's own path with B's ids: core scoping answers 404.
	aid := a["customer_id"].(string)
	for _, p := range []string{"/product-lists/" + list["id"].(string), "/payment-instruments/" + pi["paymentInstrumentId"].(string)} {
		wantProblem(t, s.send("DELETE", base+aid+p+q, nil, bearer(a)), 404, "not-found")
	}
	// B's rows are unchanged.
	me := s.send("GET", base+bid+q, nil, bearer(b)).json(t)
	if me["lastName"] != "Doe" || len(me["addresses"].([]any)) != 1 || len(me["paymentInstruments"].([]any)) != 1 {
		t.Errorf("B changed: %v", me)
	}
	got := s.send("GET", base+bid+"/product-lists/"+list["id"].(string)+q, nil, bearer(b)).json(t)
	if got["name"] != "B's" || len(got["customerProductListItems"].([]any)) != 1 {
		t.Errorf("B's list changed: %v", got)
	}
}

// SECURITY.md 31: a token of store X on store Y's organization is 401.
func TestSecurityCrossStore(t *testing.T) {
	s := newStack(t)
	other := s.NewShop("Y")
	_, err := s.App.Service.SetSFCCBinding(context.Background(), other.Shop.ID, core.SFCCBinding{
		OrganizationID: "f_ecom_ystr_001", Clients: []core.SFCCClient{{ClientID: "y-client", RedirectURIs: []string{"https://y.example/cb"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	x := s.customer("x@example.com")
	r := s.send("GET", custBase+"f_ecom_ystr_001/customers/"+x["customer_id"].(string)+"?siteId="+site, nil, bearer(x))
	wantProblem(t, r, 401, "unauthorized")
	r = s.send("POST", custBase+"f_ecom_ystr_001/customers?siteId="+site, map[string]any{"customer": map[string]any{"login": "z@example.com", "lastName": "Z"}, "password": pw}, bearer(s.guest()))
	wantProblem(t, r, 401, "unauthorized")
	// Store X's refresh token and secret key do not work for Y's client.
	wantSLAS(t, s.send("POST", authBase+"f_ecom_ystr_001/oauth2/token", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {x["refresh_token"].(string)}, "client_id": {"y-client"},
	}, nil), 400, "invalid_grant", "invalid refresh_token")
	wantSLAS(t, s.send("POST", authBase+"f_ecom_ystr_001/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "channel_id": {site}},
		map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("y-client:"+s.SK))}), 401, "invalid_client", "Client authentication failed.")
	// Unknown organization on the customers half.
	wantProblem(t, s.send("GET", custBase+"f_ecom_none_000/customers/x?siteId="+site, nil, bearer(x)), 404, "not-found")
}

func TestRefreshAndLogout(t *testing.T) {
	s := newStack(t)
	g := s.guest()
	refresh := func(tok, client string) reply {
		return s.send("POST", authBase+devOrg+"/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok}, "client_id": {client}}, nil)
	}
	r := refresh(g["refresh_token"].(string), devClient)
	if r.status != 200 {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	next := r.json(t)
	if next["usid"] != g["usid"] || next["customer_id"] != g["customer_id"] || next["refresh_token"] == g["refresh_token"] {
		t.Errorf("refresh answer: %v", next)
	}
	wantSLAS(t, refresh(next["refresh_token"].(string), "other"), 401, "invalid_client", "Client authentication failed.")
	wantSLAS(t, s.send("POST", authBase+devOrg+"/oauth2/token", url.Values{"grant_type": {"password"}, "client_id": {devClient}}, nil), 400, "unsupported_grant_type", "Unsupported grant_type.")
	wantSLAS(t, s.send("POST", authBase+devOrg+"/oauth2/token", `{"grant_type":"refresh_token"}`, nil), 400, "invalid_request", "Bad or missing request parameters.")
	// Reuse after the grace window revokes the session (SECURITY.md 17).
	s.Clock.Advance(time.Minute)
	wantSLAS(t, refresh(g["refresh_token"].(string), devClient), 400, "invalid_grant", "invalid refresh_token")
	wantSLAS(t, refresh(next["refresh_token"].(string), devClient), 400, "invalid_grant", "invalid refresh_token")
	// Logout.
	u := s.customer("out@example.com")
	wantSLAS(t, s.send("GET", authBase+devOrg+"/oauth2/logout?client_id="+devClient+"&refresh_token=x", nil, nil), 401, "invalid_token", "Bad or missing access token.")
	r = s.send("GET", authBase+devOrg+"/oauth2/logout?client_id="+devClient+"&refresh_token="+url.QueryEscape(u["refresh_token"].(string)), nil, bearer(u))
	if r.status != 200 || r.json(t)["access_token"] != "" || r.json(t)["token_type"] != "Bearer" {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	wantProblem(t, s.send("GET", custBase+devOrg+"/customers/"+u["customer_id"].(string)+"?siteId="+site, nil, bearer(u)), 401, "unauthorized")

	// hint=all-sessions ends every session of the customer; another hint is refused.
	v := s.customer("all@example.com")
	v2 := s.loginAgain("all@example.com")
	logout := authBase + devOrg + "/oauth2/logout?client_id=" + devClient + "&refresh_token=" + url.QueryEscape(v["refresh_token"].(string))
	wantSLAS(t, s.send("GET", logout+"&hint=everything", nil, bearer(v)), 400, "invalid_request", "Bad or missing request parameters.")
	if r := s.send("GET", logout+"&hint=all-sessions", nil, bearer(v)); r.status != 200 {
		t.Fatalf("logout all: %d %s", r.status, r.body)
	}
	wantProblem(t, s.send("GET", custBase+devOrg+"/customers/"+v2["customer_id"].(string)+"?siteId="+site, nil, bearer(v2)), 401, "unauthorized")
}

// loginAgain logs an existing shopper in once more (a second session).
func (s *stack) loginAgain(mail string) map[string]any {
	s.t.Helper()
	v, ch := pkce()
	r := s.send("POST", authBase+devOrg+"/oauth2/login", url.Values{"redirect_uri": {cb}, "client_id": {devClient}, "channel_id": {site}, "code_challenge": {ch}},
		map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(mail+":"+pw))})
	loc, _ := url.Parse(r.header.Get("Location"))
	t := s.exchange(loc.Query().Get("code"), v, devClient, cb)
	if t.status != 200 {
		s.t.Fatalf("second login: %d %s", t.status, t.body)
	}
	return t.json(s.t)
}

func TestCustomerInputs(t *testing.T) {
	s := newStack(t)
	u := s.customer("in@example.com")
	path := custBase + devOrg + "/customers/" + u["customer_id"].(string)
	cases := []struct {
		name, method, path, query string
		body                      any
		ct                        string
		status                    int
		slug                      string
	}{
		{"missing siteId", "GET", "", "", nil, "", 400, "invalid-site"},
		{"unknown siteId", "GET", "", "?siteId=Nope", nil, "", 400, "invalid-site"},
		{"bad expand", "GET", "", "?siteId=" + site + "&expand=everything", nil, "", 400, "invalid-request-parameter"},
		{"not JSON", "PATCH", "", "?siteId=" + site, "firstName=x", "text/plain", 400, "malformed-request"},
		{"JSON array", "PATCH", "", "?siteId=" + site, "[]", "", 400, "malformed-request"},
		{"too large", "PATCH", "", "?siteId=" + site, `{"note":"` + strings.Repeat("x", 70<<10) + `"}`, "", 413, "request-too-large"},
		{"bad birthday", "PATCH", "", "?siteId=" + site, map[string]any{"birthday": "1st of May"}, "", 400, "invalid-customer"},
		{"clear lastName", "PATCH", "", "?siteId=" + site, map[string]any{"lastName": ""}, "", 400, "invalid-customer"},
		{"bad gender", "PATCH", "", "?siteId=" + site, map[string]any{"gender": 7}, "", 400, "invalid-customer"},
		{"login change", "PATCH", "", "?siteId=" + site, map[string]any{"login": "new@example.com"}, "", 400, "invalid-customer"},
		{"weak password", "PUT", "/password", "?siteId=" + site, map[string]any{"currentPassword": pw, "password": "short"}, "", 400, "password-policy-violation"},
		{"address without lastName", "POST", "/addresses", "?siteId=" + site, map[string]any{"addressId": "x", "countryCode": "US"}, "", 400, "invalid-address"},
		{"unknown address", "GET", "/addresses/nope", "?siteId=" + site, nil, "", 404, "not-found"},
		{"orders limit", "GET", "/orders", "?siteId=" + site + "&limit=51", nil, "", 400, "invalid-request-parameter"},
		{"gift certificate item", "POST", "/product-lists/01ARZ3NDEKTSV4RRFFQ69G5FAV/items", "?siteId=" + site, map[string]any{"productId": "p", "type": "gift_certificate"}, "", 404, "not-found"},
		{"bank account", "POST", "/payment-instruments", "?siteId=" + site, map[string]any{"paymentBankAccount": map[string]any{}}, "", 400, "unsupported-fields"},
		{"unknown route", "GET", "/wat", "?siteId=" + site, nil, "", 404, "not-found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := bearer(u)
			if c.ct != "" {
				h["Content-Type"] = c.ct
			}
			wantProblem(t, s.send(c.method, path+c.path+c.query, c.body, h), c.status, c.slug)
		})
	}
}

func TestLegacyReset(t *testing.T) {
	s := newStack(t)
	u := s.customer("legacy@example.com")
	g := s.guest()
	create := custBase + devOrg + "/customers/password/actions/create-reset-token?siteId=" + site
	reset := custBase + devOrg + "/customers/password/actions/reset?siteId=" + site
	sk := map[string]string{"Authorization": "Bearer " + s.SK}
	known := s.send("POST", create, map[string]any{"login": "legacy@example.com"}, bearer(g))
	unknown := s.send("POST", create, map[string]any{"login": "nobody@example.com"}, bearer(g))
	if known.status != 200 || known.json(t)["resetToken"] != "" || known.json(t)["email"] != "" {
		t.Fatalf("shopper create: %d %s", known.status, known.body)
	}
	if unknown.status != 200 || strings.Replace(string(unknown.body), "nobody", "legacy", 1) != string(known.body) {
		t.Errorf("unknown login answers differently: %s vs %s", unknown.body, known.body)
	}
	s.drain()
	if n := s.resetMails(); n != 1 {
		t.Errorf("%d reset mails, want 1", n)
	}
	wantProblem(t, s.send("POST", create, map[string]any{"login": "nobody@example.com"}, sk), 404, "not-found")
	wantProblem(t, s.send("POST", create, map[string]any{"login": "legacy@example.com"}, map[string]string{"Authorization": "Bearer sk_wrong"}), 401, "unauthorized")
	r := s.send("POST", create, map[string]any{"login": "legacy@example.com"}, sk)
	tok, _ := r.json(t)["resetToken"].(string)
	if r.status != 200 || tok == "" || s.resetMails() != 1 {
		t.Fatalf("secret-key create: %d %s", r.status, r.body)
	}
	wantProblem(t, s.send("POST", reset, map[string]any{"resetToken": tok, "login": "other@example.com", "newPassword": "Brand-new-pass-77!"}, bearer(g)), 400, "invalid-reset-token")
	wantProblem(t, s.send("POST", reset, map[string]any{"resetToken": tok, "login": "legacy@example.com", "newPassword": "short"}, bearer(g)), 400, "password-policy-violation")
	if r := s.send("POST", reset, map[string]any{"resetToken": tok, "login": "legacy@example.com", "newPassword": "Brand-new-pass-77!"}, bearer(g)); r.status != 204 || len(r.body) != 0 {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	wantProblem(t, s.send("POST", reset, map[string]any{"resetToken": tok, "login": "legacy@example.com", "newPassword": "Brand-new-pass-78!"}, bearer(g)), 400, "invalid-reset-token")
	// Every session ended.
	wantProblem(t, s.send("GET", custBase+devOrg+"/customers/"+u["customer_id"].(string)+"?siteId="+site, nil, bearer(u)), 401, "unauthorized")
}

func TestTrustedSystemAndUserinfo(t *testing.T) {
	s := newStack(t)
	u := s.customer("ts@example.com")
	ts := func(login string, basic string) reply {
		h := map[string]string{}
		if basic != "" {
			h["Authorization"] = "Basic " + base64.StdEncoding.EncodeToString([]byte(basic))
		}
		return s.send("POST", authBase+devOrg+"/oauth2/trusted-system/token", url.Values{
			"grant_type": {"client_credentials"}, "hint": {"ts_ext_on_behalf_of"}, "login_id": {login}, "idp_origin": {"ecom"}, "channel_id": {site},
		}, h)
	}
	wantSLAS(t, ts("ts@example.com", ""), 401, "invalid_client", "Client authentication failed.")
	wantSLAS(t, ts("ts@example.com", devClient+":sk_wrong"), 401, "invalid_client", "Client authentication failed.")
	wantSLAS(t, ts("nobody@example.com", devClient+":"+s.SK), 404, "not_found", "Customer not found.")
	r := ts("TS@example.com", devClient+":"+s.SK)
	if r.status != 200 {
		t.Fatalf("trusted-system: %d %s", r.status, r.body)
	}
	tok := r.json(t)
	if tok["customer_id"] != u["customer_id"] || tok["refresh_token"] == "" {
		t.Errorf("token: %v", tok)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok["access_token"].(string), ".")[1])
	var c map[string]any
	_ = json.Unmarshal(raw, &c)
	isb := strings.Split(c["isb"].(string), "::")
	if len(isb) != 7 || isb[1] != "upn:ts@example.com" || isb[4] != "rcid:"+u["customer_id"].(string) || isb[5] != "tsob:ts_ext_on_behalf_of" {
		t.Errorf("isb = %v", isb)
	}
	ui := s.send("GET", authBase+devOrg+"/oauth2/userinfo", nil, bearer(tok))
	if ui.status != 200 || ui.json(t)["email"] != "ts@example.com" || ui.json(t)["customer_id"] != u["customer_id"] {
		t.Errorf("userinfo: %d %s", ui.status, ui.body)
	}
	wantSLAS(t, s.send("GET", authBase+devOrg+"/oauth2/userinfo", nil, nil), 401, "invalid_token", "Bad or missing access token.")
	if got := s.send("GET", authBase+devOrg+"/oauth2/userinfo", nil, bearer(s.guest())); got.status != 404 {
		t.Errorf("guest userinfo: %d", got.status)
	}
	ev, err := s.App.Service.Events(context.Background(), s.Shop.ID, core.EventTokenMinted, core.Page{})
	if err != nil || len(ev.Items) != 1 {
		t.Errorf("audit events: %v %d", err, len(ev.Items))
	}
}

func TestRevokeAndIntrospect(t *testing.T) {
	s := newStack(t)
	basic := map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(devClient+":"+s.SK))}
	intro := func(tok string) map[string]any {
		r := s.send("POST", authBase+devOrg+"/oauth2/introspect", url.Values{"token": {tok}}, basic)
		if r.status != 200 {
			t.Fatalf("introspect: %d %s", r.status, r.body)
		}
		return r.json(t)
	}
	a, b := s.guest(), s.guest()
	if m := intro(a["access_token"].(string)); m["active"] != true || m["client_id"] != devClient {
		t.Errorf("live token: %v", m)
	}
	if m := intro("garbage"); m["active"] != false || len(m) != 1 {
		t.Errorf("garbage: %v", m)
	}
	wantSLAS(t, s.send("POST", authBase+devOrg+"/oauth2/introspect", url.Values{"token": {"x"}}, nil), 401, "invalid_client", "Client authentication failed.")
	wantSLAS(t, s.send("POST", authBase+devOrg+"/oauth2/revoke", url.Values{"token": {"x"}}, nil), 401, "invalid_client", "Client authentication failed.")
	for _, tok := range []string{a["access_token"].(string), b["refresh_token"].(string), "crt_unknown"} {
		if r := s.send("POST", authBase+devOrg+"/oauth2/revoke", url.Values{"token": {tok}}, basic); r.status != 200 {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
	}
	if m := intro(a["access_token"].(string)); m["active"] != false {
		t.Errorf("revoked by access token: %v", m)
	}
	if m := intro(b["access_token"].(string)); m["active"] != false {
		t.Errorf("revoked by refresh token: %v", m)
	}
}
