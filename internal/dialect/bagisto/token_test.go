package bagisto_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// claims decodes a JWT's payload.
func claims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTokenLifetime: dialect tokens live 60 minutes (tymon's default), no
// refresh token is handed out, and the session behind a token ends with
// it (contract §3.1).
func TestTokenLifetime(t *testing.T) {
	e := newEnv(t)
	e.register("ttl@example.com")
	ctx := t.Context()
	sessions := func(customerID string) int {
		t.Helper()
		ss, err := e.k.App.Store.ListSessions(ctx, e.k.Shop.ID, customerID)
		if err != nil {
			t.Fatal(err)
		}
		live := 0
		for _, s := range ss {
			if s.Active(e.k.Clock.Now(), 0) {
				live++
			}
		}
		return live
	}

	legacy := e.do("POST", "/api/customer/login?token=true", "", map[string]any{"email": "ttl@example.com", "password": pw})
	v1 := e.do("POST", "/api/v1/customer/login", "", map[string]any{"email": "ttl@example.com", "password": pw, "device_name": "d"})
	var toks []string
	for _, r := range []resp{legacy, v1} {
		m := r.json(t)
		if _, has := m["refresh_token"]; has {
			t.Fatalf("a refresh token was handed out: %s", r.Body)
		}
		tok := m["token"].(string)
		c := claims(t, tok)
		if c["exp"].(float64)-c["iat"].(float64) != 3600 {
			t.Fatalf("token lives %v s, want 3600", c["exp"].(float64)-c["iat"].(float64))
		}
		toks = append(toks, tok)
	}
	sub := claims(t, toks[0])["sub"].(string)
	// Registration left no session behind; each login made one, whose
	// absolute expiry is the token's.
	if n := sessions(sub); n != 2 {
		t.Fatalf("%d live sessions, want 2 (one per login)", n)
	}
	ss, _ := e.k.App.Store.ListSessions(ctx, e.k.Shop.ID, sub)
	for _, s := range ss {
		if got := s.ExpiresAt.Sub(s.CreatedAt); got != time.Hour {
			t.Fatalf("session lives %v, want 1h", got)
		}
	}

	e.k.Clock.Advance(59 * time.Minute)
	for _, tok := range toks {
		if r := e.do("GET", "/api/customer/get", tok, nil); r.Status != 200 {
			t.Fatalf("at 59 min: %d %s", r.Status, r.Body)
		}
	}
	e.k.Clock.Advance(2 * time.Minute)
	for _, tok := range toks {
		want(t, e.do("GET", "/api/v1/customer/get", tok, nil), 401, `{"message":"Unauthenticated.","error":"Unauthenticated"}`)
	}
	if n := sessions(sub); n != 0 {
		t.Fatalf("%d sessions outlive their tokens", n)
	}
}

// TestCookieSession: the plain legacy login sets the session cookie for
// the token's lifetime; Bearer auth never needs an origin.
func TestCookieSession(t *testing.T) {
	e := newEnv(t)
	e.register("cookie@example.com")
	r := e.do("POST", "/api/customer/login", "", map[string]any{"email": "cookie@example.com", "password": pw})
	prefix := "bagisto_session="
	c := r.Header.Get("Set-Cookie")
	if !strings.HasPrefix(c, prefix) || !strings.HasSuffix(c, "; Path=/bagisto; Max-Age=3600; HttpOnly; SameSite=Lax") {
		t.Fatalf("cookie %q", c)
	}
	session := strings.SplitN(c, ";", 2)[0]
	tok := strings.TrimPrefix(session, prefix)
	body := map[string]any{"address1": []string{"1 Main"}, "country": "DE", "city": "Berlin", "postcode": "10115", "phone": "1"}
	if r := e.do("POST", "/api/addresses/create", tok, body); r.Status != 200 {
		t.Fatalf("bearer without origin: %d %s", r.Status, r.Body)
	}
	for _, hdr := range [][]string{{"Cookie", session}, {"Cookie", session, "Referer", "https://evil.example/x"}} {
		if r := e.do("POST", "/api/addresses/create", "", body, hdr...); r.Status != 419 {
			t.Fatalf("cookie write without the store's origin: %d %s", r.Status, r.Body)
		}
	}
	if r := e.do("POST", "/api/addresses/create", "", body, "Cookie", session, "Referer", "https://shop.example/account"); r.Status != 200 {
		t.Fatalf("cookie write with the store's referer: %d %s", r.Status, r.Body)
	}
	// v1's stateful login: no device_name, from one of the store's origins.
	r = e.do("POST", "/api/v1/customer/login", "", map[string]any{"email": "cookie@example.com", "password": pw}, "Origin", "https://shop.example")
	if m := r.json(t); r.Status != 200 || m["token"] != nil || !strings.HasPrefix(r.Header.Get("Set-Cookie"), prefix) {
		t.Fatalf("v1 cookie login: %d %s", r.Status, r.Body)
	}
	if got := r.Header.Get("Access-Control-Allow-Origin"); got != "https://shop.example" || r.Header.Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("CORS for the store's origin: %q", got)
	}
	r = e.do("POST", "/api/v1/customer/login", "", map[string]any{"email": "cookie@example.com", "password": "wrong-wrong-wrong"}, "Origin", "https://shop.example")
	if r.Status != 401 || string(r.Body) != `{"message":"Invalid Email or Password"}` {
		t.Fatalf("v1 cookie login failure: %d %s", r.Status, r.Body)
	}
}
