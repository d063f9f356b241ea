package core_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// payload decodes a JWT's claims without verifying it (test inspection only).
func payload(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func slasShape(tenant string) core.TokenShape {
	return core.TokenShape{
		Issuer: "slas/prod/" + tenant, Subject: "cc-slas::" + tenant + "::scid:c1::usid:u1",
		Audience: "commercecloud/prod/" + tenant, Type: "jwt", NotBefore: true,
		Claims: map[string]any{"isb": "uido:slas::upn:Guest", "ist": 1}, TTL: 30 * time.Minute,
	}
}

// A shaped token carries the dialect's layout, keeps the core's sid, jti,
// scope and tenant, and is accepted only where its issuer is expected.
func TestShapedTokenLayoutAndIsolation(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	c := k.Register("shaped@example.com")

	tok, ttl, err := svc.ShapedToken(ctx, k.Shop, c.Sess, slasShape("t1"))
	if err != nil {
		t.Fatal(err)
	}
	if ttl != 30*time.Minute {
		t.Fatalf("ttl = %v", ttl)
	}
	m := payload(t, tok)
	for k, want := range map[string]any{
		"iss": "slas/prod/t1", "aud": "commercecloud/prod/t1", "sub": "cc-slas::t1::scid:c1::usid:u1",
		"sid": c.Sess, "scope": core.ScopeCustomer, "tid": k.Shop.ID, "isb": "uido:slas::upn:Guest", "ist": float64(1),
	} {
		if m[k] != want {
			t.Errorf("claim %s = %v, want %v", k, m[k], want)
		}
	}
	if m["nbf"] != m["iat"] || m["exp"].(float64)-m["iat"].(float64) != 1800 {
		t.Errorf("times: iat %v nbf %v exp %v", m["iat"], m["nbf"], m["exp"])
	}

	p, claims, err := svc.AuthenticateShaped(ctx, k.Shop, tok, "slas/prod/t1", "jwt")
	if err != nil {
		t.Fatal(err)
	}
	if p.CustomerID != c.ID || p.SessionID != c.Sess || claims.Extra["isb"] != "uido:slas::upn:Guest" {
		t.Fatalf("principal %+v claims %+v", p, claims)
	}

	other := k.NewShop("Other")
	refused := []struct {
		name string
		err  func() error
	}{
		{"native_route", func() error { _, err := svc.Authenticate(ctx, k.Shop.ID, tok); return err }},
		{"other_issuer", func() error { _, _, err := svc.AuthenticateShaped(ctx, k.Shop, tok, "slas/prod/t2", "jwt"); return err }},
		{"other_typ", func() error { _, _, err := svc.AuthenticateShaped(ctx, k.Shop, tok, "slas/prod/t1", ""); return err }},
		{"other_store", func() error {
			_, _, err := svc.AuthenticateShaped(ctx, other.Shop, tok, "slas/prod/t1", "jwt")
			return err
		}},
		{"guest_scope_only", func() error {
			_, _, err := svc.AuthenticateShaped(ctx, k.Shop, tok, "slas/prod/t1", "jwt", core.ScopeGuest)
			return err
		}},
		{"native_token_on_shaped_route", func() error {
			_, _, err := svc.AuthenticateShaped(ctx, k.Shop, c.Access, "slas/prod/t1", "jwt")
			return err
		}},
	}
	for _, tt := range refused {
		t.Run("refused="+tt.name, func(t *testing.T) {
			if err := tt.err(); core.CodeOf(err) != core.CodeInvalidToken {
				t.Fatalf("err = %v, want %s", err, core.CodeInvalidToken)
			}
		})
	}

	// A shape may not forge the tenant claim.
	bad := slasShape("t1")
	bad.Claims = map[string]any{"tid": other.Shop.ID}
	if _, _, err := svc.ShapedToken(ctx, k.Shop, c.Sess, bad); err == nil {
		t.Fatal("a shape set tid")
	}
}

// Logout reaches shaped tokens at once, and no new one is minted for the
// ended session.
func TestShapedTokenRevocation(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	c := k.Register("shaped-logout@example.com")
	tok, _, err := svc.ShapedToken(ctx, k.Shop, c.Sess, slasShape("t1"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.Authenticate(ctx, k.Shop.ID, c.Access)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Logout(ctx, p, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.AuthenticateShaped(ctx, k.Shop, tok, "slas/prod/t1", "jwt"); core.CodeOf(err) != core.CodeSessionRevoked {
		t.Fatalf("after logout: %v", err)
	}
	if _, _, err := svc.ShapedToken(ctx, k.Shop, c.Sess, slasShape("t1")); core.CodeOf(err) != core.CodeUnauthenticated {
		t.Fatalf("mint after logout: %v", err)
	}
	if _, _, err := svc.ShapedToken(ctx, k.Shop, "ses_unknown", slasShape("t1")); core.CodeOf(err) != core.CodeUnauthenticated {
		t.Fatalf("mint for unknown session: %v", err)
	}
}

// Guest sessions get shaped tokens too, with the guest scope.
func TestShapedTokenGuest(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	g, err := svc.StartGuestSession(ctx, k.Shop, core.ClientMeta{IP: "203.0.113.9"})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := svc.ShapedToken(ctx, k.Shop, g.Tokens.SessionID, core.TokenShape{Issuer: "dialect/x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.AuthenticateShaped(ctx, k.Shop, tok, "dialect/x", ""); core.CodeOf(err) != core.CodeInvalidToken {
		t.Fatalf("guest token on a customer-only check: %v", err)
	}
	p, _, err := svc.AuthenticateShaped(ctx, k.Shop, tok, "dialect/x", "", core.ScopeGuest, core.ScopeCustomer)
	if err != nil {
		t.Fatal(err)
	}
	if p.GuestID != g.GuestID || p.CustomerID != "" || p.Scope != core.ScopeGuest {
		t.Fatalf("principal %+v", p)
	}
}

// The shaped lifetime never passes Config.MaxAccessTokenTTL.
func TestShapedTokenTTLBound(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.MaxAccessTokenTTL = time.Hour
	k := testkit.New(t, testkit.WithCore(cfg))
	c := k.Register("shaped-ttl@example.com")
	_, ttl, err := k.App.Service.ShapedToken(t.Context(), k.Shop, c.Sess, core.TokenShape{Claims: map[string]any{"actor_id": c.ID}, TTL: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if ttl != time.Hour {
		t.Fatalf("ttl = %v, want 1h", ttl)
	}
}
