package core_test

import (
	"crypto/sha256"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

const regPassword = "Tq7-a8Kd2-zX9w"

// testClaims marks which kind of token the claims were laid out for.
func testClaims(customerID, identityID string) map[string]any {
	return map[string]any{"actor_id": customerID, "identity": identityID}
}

func lifetime(t *testing.T, tok string) time.Duration {
	t.Helper()
	m := payload(t, tok)
	return time.Duration(m["exp"].(float64)-m["iat"].(float64)) * time.Second
}

// medusa_token_ttl: default 24 h, settable within [1 m, MaxAccessTokenTTL],
// and never past the session's absolute expiry.
func TestDialectTokenTTLSetting(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	c := k.Register("ttl@example.com")
	tok, err := svc.DialectToken(ctx, k.Shop, c.Sess, testClaims)
	if err != nil {
		t.Fatal(err)
	}
	if got := lifetime(t, tok); got != core.DefaultDialectTokenTTL {
		t.Fatalf("default lifetime %v", got)
	}
	if got := svc.EffectiveSettings(k.Shop).MedusaTokenTTL; got != 24*time.Hour {
		t.Fatalf("effective default %v", got)
	}
	for _, tt := range []struct {
		name string
		ttl  time.Duration
		ok   bool
	}{
		{"below_a_minute", 30 * time.Second, false},
		{"above_the_deployment_max", 25 * time.Hour, false},
		{"negative", -time.Hour, false},
		{"one_minute", time.Minute, true},
		{"two_hours", 2 * time.Hour, true},
	} {
		t.Run("case="+tt.name, func(t *testing.T) {
			v := tt.ttl
			sh, err := svc.UpdateShopSettings(ctx, k.Shop.ID, core.ShopUpdate{MedusaTokenTTL: &v})
			if !tt.ok {
				var ve *core.ValidationError
				if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != "medusa_token_ttl_seconds" {
					t.Fatalf("want a medusa_token_ttl_seconds error, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tok, err := svc.DialectToken(ctx, sh, c.Sess, testClaims)
			if err != nil {
				t.Fatal(err)
			}
			if got := lifetime(t, tok); got != tt.ttl {
				t.Fatalf("lifetime %v, want %v", got, tt.ttl)
			}
		})
	}
	// Near the session's absolute expiry (30 days by default) the token
	// ends with the session.
	sh, err := svc.UpdateShopSettings(ctx, k.Shop.ID, core.ShopUpdate{MedusaTokenTTL: new(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for range 29 {
		// Keep the session from idling out while the clock moves.
		k.Clock.Advance(24 * time.Hour)
		if _, err := svc.TouchDialectSession(ctx, sh, &core.Principal{SessionID: c.Sess, CustomerID: c.ID}, testClaims); err != nil {
			t.Fatal(err)
		}
	}
	k.Clock.Advance(20 * time.Hour)
	tok, err = svc.DialectToken(ctx, sh, c.Sess, testClaims)
	if err != nil {
		t.Fatal(err)
	}
	if got := lifetime(t, tok); got >= 24*time.Hour || got <= 0 {
		t.Fatalf("lifetime %v, want the session's remaining 4 h", got)
	}
}

// Two-step sign-up: the registration token is actorless and carries the
// dialect's claims for the identity; the new customer's id shares the
// identity's ULID; refresh after completion opens a customer session.
func TestTwoStepSignUp(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	meta := core.ClientMeta{IP: "203.0.113.9"}
	reg, err := svc.RegisterIdentity(ctx, k.Shop, "Two.Step@Example.com", regPassword, meta, testClaims)
	if err != nil {
		t.Fatal(err)
	}
	m := payload(t, reg)
	ident, _ := m["identity"].(string)
	if m["scope"] != core.ScopeRegistration || m["actor_id"] != "" || !strings.HasPrefix(ident, "authid_") || lifetime(t, reg) != core.PendingIdentityTTL {
		t.Fatalf("registration token %v", m)
	}
	if _, err := svc.Authenticate(ctx, k.Shop.ID, reg); err == nil {
		t.Fatal("a registration token passed Authenticate")
	}
	// Refresh before completion → another registration token.
	again, err := svc.DialectRefresh(ctx, k.Shop, reg, meta, testClaims)
	if err != nil || payload(t, again)["scope"] != core.ScopeRegistration {
		t.Fatalf("refresh of a pending identity: %v %v", err, again)
	}
	for _, bad := range []struct{ name, email string }{{"other_email", "other@example.com"}, {"bad_email", "not-an-email"}} {
		_, err := svc.CompleteIdentity(ctx, k.Shop, reg, bad.email, core.ProfileUpdate{})
		if core.CodeOf(err) != core.CodeValidationFailed {
			t.Fatalf("%s: %v", bad.name, err)
		}
	}
	other := k.NewShop("Other")
	if _, err := svc.CompleteIdentity(ctx, other.Shop, reg, "", core.ProfileUpdate{}); !errors.Is(err, core.ErrUnauthenticated) {
		t.Fatalf("completion on another store: %v", err)
	}
	c, err := svc.CompleteIdentity(ctx, k.Shop, reg, "two.step@example.com", core.ProfileUpdate{})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "cus_"+strings.TrimPrefix(ident, "authid_") || c.Email != "Two.Step@Example.com" {
		t.Fatalf("customer %s %s for identity %s", c.ID, c.Email, ident)
	}
	if _, err := svc.CompleteIdentity(ctx, k.Shop, reg, "", core.ProfileUpdate{}); core.CodeOf(err) != core.CodeAlreadyRegistered {
		t.Fatalf("second completion: %v", err)
	}
	tok, err := svc.DialectRefresh(ctx, k.Shop, reg, meta, testClaims)
	if err != nil {
		t.Fatal(err)
	}
	m = payload(t, tok)
	if m["scope"] != core.ScopeCustomer || m["sub"] != c.ID || m["actor_id"] != c.ID || m["identity"] != "" || m["iss"] != "http://clientele.test" {
		t.Fatalf("customer token %v", m)
	}
	// The deployment issuer keeps dialect tokens valid natively too.
	if p, err := svc.Authenticate(ctx, k.Shop.ID, tok); err != nil || p.CustomerID != c.ID {
		t.Fatalf("native authenticate: %v %v", p, err)
	}
	if p, err := svc.AuthenticateDialect(ctx, k.Shop, tok); err != nil || p.CustomerID != c.ID {
		t.Fatalf("dialect authenticate: %v %v", p, err)
	}
	if _, err := svc.AuthenticateDialect(ctx, other.Shop, tok); !errors.Is(err, core.ErrUnauthenticated) {
		t.Fatalf("token on another store: %v", err)
	}
	// A registered e-mail cannot register again.
	if _, err := svc.RegisterIdentity(ctx, k.Shop, "two.step@example.com", regPassword, meta, testClaims); core.CodeOf(err) != core.CodeEmailTaken {
		t.Fatalf("re-register: %v", err)
	}
}

// The e-mail-squat rule under concurrency: of racing sign-ups of one
// e-mail exactly one gets a registration token; of racing completions of
// one token exactly one creates a customer.
func TestTwoStepSignUpRaces(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	meta := core.ClientMeta{IP: "203.0.113.10"}
	const n = 6
	var wg sync.WaitGroup
	toks, errs := make([]string, n), make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			toks[i], errs[i] = svc.RegisterIdentity(ctx, k.Shop, "race@example.com", regPassword, meta, nil)
		})
	}
	close(start)
	wg.Wait()
	var reg string
	for i, err := range errs {
		switch {
		case err == nil && reg != "":
			t.Fatal("two sign-ups of one e-mail won")
		case err == nil:
			reg = toks[i]
		case core.CodeOf(err) != core.CodeEmailTaken:
			t.Fatalf("sign-up %d: %v", i, err)
		}
	}
	if reg == "" {
		t.Fatalf("no sign-up won: %v", errs[0])
	}
	ids := make([]string, n)
	start = make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			c, err := svc.CompleteIdentity(ctx, k.Shop, reg, "", core.ProfileUpdate{})
			if err == nil {
				ids[i] = c.ID
			} else if core.CodeOf(err) != core.CodeAlreadyRegistered && core.CodeOf(err) != core.CodeEmailTaken {
				t.Errorf("completion %d: %v", i, err)
			}
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for _, id := range ids {
		if id != "" {
			won++
		}
	}
	if won != 1 {
		t.Fatalf("%d completions won, want 1", won)
	}
}

// Expired pending identities and cookie bindings are purged from the store.
func TestDialectRowsExpireAndArePurged(t *testing.T) {
	k := testkit.New(t)
	svc, st, ctx := k.App.Service, k.App.Store, t.Context()
	meta := core.ClientMeta{IP: "203.0.113.11"}
	if _, err := svc.RegisterIdentity(ctx, k.Shop, "old@example.com", regPassword, meta, nil); err != nil {
		t.Fatal(err)
	}
	old, err := st.GetPendingIdentityByEmail(ctx, k.Shop.ID, "old@example.com")
	if err != nil {
		t.Fatal(err)
	}
	// A login of an expired identity is a plain failed login.
	k.Clock.Advance(core.PendingIdentityTTL)
	if _, tok, err := svc.DialectLogin(ctx, k.Shop, "old@example.com", regPassword, meta, nil); tok != "" || core.CodeOf(err) != core.CodeInvalidCredentials {
		t.Fatalf("login of an expired identity: %q %v", tok, err)
	}
	if _, err := svc.RegisterIdentity(ctx, k.Shop, "new@example.com", regPassword, meta, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetPendingIdentity(ctx, k.Shop.ID, old.ID); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("expired identity not purged: %v", err)
	}

	c := k.Register("cookie@example.com")
	p := &core.Principal{ShopID: k.Shop.ID, CustomerID: c.ID, SessionID: c.Sess}
	v, age, err := svc.StartCookieSession(ctx, k.Shop, p)
	if err != nil || age != svc.EffectiveSettings(k.Shop).RefreshIdleTTL || len(v) < 43 {
		t.Fatalf("cookie %q %v %v", v, age, err)
	}
	h := sha256.Sum256([]byte(v))
	if _, err := st.GetSessionCookie(ctx, k.Shop.ID, h[:]); err != nil {
		t.Fatalf("the store keeps the cookie's hash: %v", err)
	}
	if got, err := svc.AuthenticateCookie(ctx, k.Shop, v); err != nil || got.CustomerID != c.ID || got.SessionID != c.Sess {
		t.Fatalf("cookie: %v %v", got, err)
	}
	for _, bad := range []string{"", strings.Repeat("a", 101), "unknown"} {
		if _, err := svc.AuthenticateCookie(ctx, k.Shop, bad); !errors.Is(err, core.ErrUnauthenticated) {
			t.Fatalf("cookie %q: %v", bad, err)
		}
	}
	other := k.NewShop("Other")
	if _, err := svc.AuthenticateCookie(ctx, other.Shop, v); !errors.Is(err, core.ErrUnauthenticated) {
		t.Fatalf("cookie on another store: %v", err)
	}
	// Past the session's absolute expiry the cookie is refused and purged
	// by the next binding.
	k.Clock.Advance(31 * 24 * time.Hour)
	if _, err := svc.AuthenticateCookie(ctx, k.Shop, v); !errors.Is(err, core.ErrUnauthenticated) {
		t.Fatalf("expired cookie: %v", err)
	}
	c2 := k.Register("cookie2@example.com")
	if _, _, err := svc.StartCookieSession(ctx, k.Shop, &core.Principal{ShopID: k.Shop.ID, CustomerID: c2.ID, SessionID: c2.Sess}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetSessionCookie(ctx, k.Shop.ID, h[:]); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("expired cookie not purged: %v", err)
	}
}
