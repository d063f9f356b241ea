package sfcc_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// receiver is a loopback reset-callback endpoint that records every POST.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	hits []hit
}

type hit struct {
	path   string
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, answer http.HandlerFunc) *receiver {
	t.Helper()
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.hits = append(rc.hits, hit{path: r.URL.Path, header: r.Header.Clone(), body: b})
		rc.mu.Unlock()
		if answer != nil {
			answer(w, r)
		}
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) seen() []hit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.hits)
}

// allowPrivate lets callbacks reach the loopback receivers, as
// --webhooks-allow-private does for a dev deployment.
func allowPrivate() testkit.Option {
	return testkit.WithConfig(func(c *config.Config) { c.WebhooksAllowPrivate = true })
}

// resetForm is a public-client mode=callback request of the dev client.
func resetForm(user, callback string) url.Values {
	f := url.Values{"user_id": {user}, "mode": {"callback"}, "channel_id": {site}, "client_id": {devClient}, "hint": {"cross_device"}}
	if callback != "" {
		f.Set("callback_uri", callback)
	}
	return f
}

func (s *stack) reset(f url.Values) reply {
	s.t.Helper()
	return s.send("POST", authBase+devOrg+"/oauth2/password/reset", f, map[string]string{"Authorization": ""})
}

// callbackClaims verifies a callback JWT against the dialect's JWKS and
// returns its claims and header.
func (s *stack) callbackClaims(t *testing.T, org, token string) (map[string]any, jose.Header) {
	t.Helper()
	r := s.send("GET", authBase+org+"/oauth2/jwks", nil, nil)
	var set jose.JSONWebKeySet
	if r.status != 200 || json.Unmarshal(r.body, &set) != nil {
		t.Fatalf("jwks: %d %s", r.status, r.body)
	}
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.EdDSA, jose.ES256})
	if err != nil || len(parsed.Headers) != 1 {
		t.Fatalf("callback token does not parse: %v", err)
	}
	h := parsed.Headers[0]
	keys := set.Key(h.KeyID)
	if len(keys) != 1 {
		t.Fatalf("kid %q is not in the JWKS", h.KeyID)
	}
	var claims map[string]any
	if err := parsed.Claims(keys[0].Key, &claims); err != nil {
		t.Fatalf("callback token signature: %v", err)
	}
	return claims, h
}

func TestResetCallback(t *testing.T) {
	s := newStack(t, allowPrivate())
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	u := s.customer("callback.user@example.com")
	mails := len(s.Mail.Messages())
	uri := rc.URL + "/slas/reset"

	known, unknown := s.reset(resetForm("callback.user@example.com", uri)), s.reset(resetForm("nobody@example.com", uri))
	for _, r := range []reply{known, unknown} {
		if r.status != 200 || len(r.body) != 0 {
			t.Fatalf("reset answer %d %q, want 200 and no body", r.status, r.body)
		}
	}
	if known.header.Get("Content-Type") != unknown.header.Get("Content-Type") || known.header.Get("Cache-Control") != unknown.header.Get("Cache-Control") {
		t.Errorf("headers differ: %v vs %v", known.header, unknown.header)
	}
	s.drain()
	hits := rc.seen()
	if len(hits) != 1 {
		t.Fatalf("%d POSTs, want exactly 1 (the known shopper's)", len(hits))
	}
	h := hits[0]
	if h.path != "/slas/reset" || h.header.Get("Content-Type") != "application/json" {
		t.Errorf("POST to %s with %v", h.path, h.header)
	}
	var body map[string]string
	if err := json.Unmarshal(h.body, &body); err != nil || len(body) != 2 || body["email_id"] != "callback.user@example.com" || body["token"] == "" {
		t.Fatalf("body %s, want {email_id, token}", h.body)
	}
	if n := len(s.Mail.Messages()); n != mails {
		t.Errorf("%d mails sent for a callback reset", n-mails)
	}

	signed := h.header.Get("x-slas-callback-token")
	claims, hdr := s.callbackClaims(t, devOrg, signed)
	iat, _ := claims["iat"].(float64)
	exp, _ := claims["exp"].(float64)
	if claims["aud"] != devClient || claims["iss"] != "slas/prod/clnt_dev" || claims["sub"] != "callback.user@example.com" {
		t.Errorf("claims %v", claims)
	}
	if iat == 0 || exp <= iat || exp-iat > 300 {
		t.Errorf("iat %v exp %v: want 0 < exp-iat ≤ 300", iat, exp)
	}
	if hdr.ExtraHeaders["typ"] != "JWT" {
		t.Errorf("typ %v, want JWT (access tokens are jwt)", hdr.ExtraHeaders["typ"])
	}
	// The callback token is not an access token.
	wantProblem(t, s.send("GET", custBase+devOrg+"/customers/"+u["customer_id"].(string)+"?siteId="+site, nil,
		map[string]string{"Authorization": "Bearer " + signed}), 401, "unauthorized")

	action := func(token, password string) reply {
		return s.send("POST", authBase+devOrg+"/oauth2/password/action", url.Values{
			"pwd_action_token": {token}, "new_password": {password}, "channel_id": {site}, "client_id": {devClient},
			"user_id": {"callback.user@example.com"}, "hint": {"cross_device"},
		}, map[string]string{"Authorization": ""})
	}
	if r := action(body["token"], "Fresh-callback-pass-91"); r.status != 200 || len(r.body) != 0 {
		t.Fatalf("password action: %d %s", r.status, r.body)
	}
	wantSLAS(t, action(body["token"], "Fresh-callback-pass-92"), 400, "invalid_request", "Invalid password action token.")
	// The old session ended; the new password logs in.
	wantProblem(t, s.send("GET", custBase+devOrg+"/customers/"+u["customer_id"].(string)+"?siteId="+site, nil, bearer(u)), 401, "unauthorized")
	_, ch := pkce()
	r := s.send("POST", authBase+devOrg+"/oauth2/login", url.Values{"redirect_uri": {cb}, "client_id": {devClient}, "channel_id": {site}, "code_challenge": {ch}},
		map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("callback.user@example.com:Fresh-callback-pass-91"))})
	if r.status != http.StatusSeeOther {
		t.Fatalf("login with the new password: %d %s", r.status, r.body)
	}
}

func TestResetCallbackRefusals(t *testing.T) {
	s := newStack(t, allowPrivate())
	rc := newReceiver(t, nil)
	s.customer("refused@example.com")
	for name, tc := range map[string]struct {
		form url.Values
		msg  string
	}{
		"missing callback_uri":    {resetForm("refused@example.com", ""), "Bad or missing request parameters."},
		"non-loopback for dev":    {resetForm("refused@example.com", "https://evil.example/reset"), "Invalid callback_uri."},
		"unknown user, bad URI":   {resetForm("nobody@example.com", "https://evil.example/reset"), "Invalid callback_uri."},
		"relative callback_uri":   {resetForm("refused@example.com", "/reset"), "Invalid callback_uri."},
		"mode=sms":                {func() url.Values { f := resetForm("refused@example.com", rc.URL); f.Set("mode", "sms"); return f }(), "Bad or missing request parameters."},
		"mode missing":            {func() url.Values { f := resetForm("refused@example.com", rc.URL); f.Del("mode"); return f }(), "Bad or missing request parameters."},
		"callback_uri with creds": {resetForm("refused@example.com", "http://user:pw@"+rc.Listener.Addr().String()+"/reset"), "Invalid callback_uri."},
	} {
		t.Run(name, func(t *testing.T) {
			wantSLAS(t, s.reset(tc.form), 400, "invalid_request", tc.msg)
		})
	}
	s.drain()
	if n := len(rc.seen()); n != 0 {
		t.Fatalf("%d POSTs after refused requests", n)
	}
}

// A store's own binding: only the exact registered callback URI is
// accepted, even on a host and port that would be reachable.
func TestResetCallbackRegisteredURIs(t *testing.T) {
	s := newStack(t, allowPrivate())
	rc := newReceiver(t, nil)
	const org, client = "f_ecom_abcd_001", "storefront-client"
	if _, err := s.App.Service.SetSFCCBinding(context.Background(), s.Shop.ID, core.SFCCBinding{
		OrganizationID: org, SiteIDs: []string{site},
		Clients: []core.SFCCClient{{ClientID: client, RedirectURIs: []string{"https://shop.example/callback"}, CallbackURIs: []string{rc.URL + "/registered"}}},
	}); err != nil {
		t.Fatal(err)
	}
	s.Register("bound@example.com")
	reset := func(uri string) reply {
		return s.send("POST", authBase+org+"/oauth2/password/reset", url.Values{
			"user_id": {"bound@example.com"}, "mode": {"callback"}, "channel_id": {site}, "client_id": {client},
			"hint": {"cross_device"}, "callback_uri": {uri},
		}, nil)
	}
	for _, uri := range []string{rc.URL + "/other", rc.URL + "/registered/more", "http://localhost:1/registered"} {
		wantSLAS(t, reset(uri), 400, "invalid_request", "Invalid callback_uri.")
	}
	s.drain()
	if n := len(rc.seen()); n != 0 {
		t.Fatalf("%d POSTs to unregistered URIs", n)
	}
	if r := reset(rc.URL + "/registered"); r.status != 200 || len(r.body) != 0 {
		t.Fatalf("registered URI: %d %s", r.status, r.body)
	}
	s.drain()
	hits := rc.seen()
	if len(hits) != 1 || hits[0].path != "/registered" {
		t.Fatalf("POSTs %v, want one to /registered", hits)
	}
	claims, _ := s.callbackClaims(t, org, hits[0].header.Get("x-slas-callback-token"))
	if claims["aud"] != client || claims["iss"] != "slas/prod/abcd_001" {
		t.Errorf("claims %v", claims)
	}
	// A private client (Basic client_id:sk_…) needs no PKCE binding and is
	// held to the same registrations.
	private := func(uri string) reply {
		return s.send("POST", authBase+org+"/oauth2/password/reset", url.Values{
			"user_id": {"bound@example.com"}, "mode": {"callback"}, "channel_id": {site}, "callback_uri": {uri},
		}, map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(client+":"+s.SK))})
	}
	wantSLAS(t, private(rc.URL+"/other"), 400, "invalid_request", "Invalid callback_uri.")
	if r := private(rc.URL + "/registered"); r.status != 200 || len(r.body) != 0 {
		t.Fatalf("private client: %d %s", r.status, r.body)
	}
	s.drain()
	if hits := rc.seen(); len(hits) != 2 || hits[1].path != "/registered" {
		t.Fatalf("POSTs %v, want a second one to /registered", hits)
	}
}

// A receiver that hangs is cut at the callback timeout in the background;
// the shopper's answer never waits for it.
func TestResetCallbackHangingReceiver(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.ResetCallbackTimeout = 200 * time.Millisecond
	s := newStack(t, allowPrivate(), testkit.WithCore(cfg))
	arrived, cut := make(chan struct{}, 1), make(chan struct{}, 1)
	release := make(chan struct{})
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-r.Context().Done(): // Clientele hung up
			cut <- struct{}{}
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // runs before rc.Close
	s.customer("hang@example.com")
	if r := s.reset(resetForm("hang@example.com", rc.URL+"/hang")); r.status != 200 || len(r.body) != 0 {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	// The answer is in before the POST even starts.
	<-arrived
	// Well under the poster's own 5 s cap, so this shows core's configured
	// timeout did the cutting.
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	if err := s.App.Service.Drain(ctx); err != nil {
		t.Fatalf("background work not cut: %v", err)
	}
	select {
	case <-cut:
	case <-ctx.Done():
		t.Fatal("the receiver's connection was never closed")
	}
	if n := len(rc.seen()); n != 1 {
		t.Fatalf("%d POSTs, want 1 (no retry)", n)
	}
}

// A receiver that redirects gets the one POST; the redirect is not
// followed, so the token never reaches the URL it names.
func TestResetCallbackRedirectNotFollowed(t *testing.T) {
	s := newStack(t, allowPrivate())
	elsewhere := newReceiver(t, nil)
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/stolen", http.StatusTemporaryRedirect)
	})
	s.customer("redirect@example.com")
	if r := s.reset(resetForm("redirect@example.com", rc.URL+"/moved")); r.status != 200 {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	s.drain()
	if n, m := len(rc.seen()), len(elsewhere.seen()); n != 1 || m != 0 {
		t.Fatalf("receiver got %d, redirect target %d; want 1 and 0", n, m)
	}
}

// Without --webhooks-allow-private, a callback to a loopback address is
// refused at connect time (the dev client's loopback URIs pass the
// registration check but reach nothing), and the shopper still gets 200.
func TestResetCallbackPrivateRefused(t *testing.T) {
	s := newStack(t)
	rc := newReceiver(t, nil)
	s.customer("private@example.com")
	if r := s.reset(resetForm("private@example.com", rc.URL+"/reset")); r.status != 200 || len(r.body) != 0 {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	s.drain()
	if n := len(rc.seen()); n != 0 {
		t.Fatalf("%d POSTs reached a loopback receiver without allow-private", n)
	}
}
