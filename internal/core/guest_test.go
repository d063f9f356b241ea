package core_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

func wantErrCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := core.CodeOf(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
}

// Guest tokens open only guest doors, and customer tokens only customer
// doors; logout accepts both.
func TestGuestTokenScopes(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	g, err := svc.StartGuestSession(ctx, k.Shop, core.ClientMeta{IP: "203.0.113.1"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(g.GuestID, "gst_") || g.Tokens.RefreshToken == "" || g.Tokens.SessionID == "" {
		t.Fatalf("guest = %+v", g)
	}
	c := k.Register("scopes@example.com")
	other := k.NewShop("Other")

	tests := []struct {
		name  string
		auth  func(shopID, tok string) (*core.Principal, error)
		token string
		shop  string
		code  string // "" = accepted
	}{
		{"customer_route_refuses_guest", func(s, tok string) (*core.Principal, error) { return svc.Authenticate(ctx, s, tok) }, g.Tokens.AccessToken, k.Shop.ID, core.CodeInvalidToken},
		{"customer_route_takes_customer", func(s, tok string) (*core.Principal, error) { return svc.Authenticate(ctx, s, tok) }, c.Access, k.Shop.ID, ""},
		{"guest_route_takes_guest", func(s, tok string) (*core.Principal, error) { return svc.AuthenticateGuest(ctx, s, tok) }, g.Tokens.AccessToken, k.Shop.ID, ""},
		{"guest_route_refuses_customer", func(s, tok string) (*core.Principal, error) { return svc.AuthenticateGuest(ctx, s, tok) }, c.Access, k.Shop.ID, core.CodeInvalidToken},
		{"guest_route_refuses_other_store", func(s, tok string) (*core.Principal, error) { return svc.AuthenticateGuest(ctx, s, tok) }, g.Tokens.AccessToken, other.Shop.ID, core.CodeInvalidToken},
		{"session_route_takes_guest", func(s, tok string) (*core.Principal, error) { return svc.AuthenticateSession(ctx, s, tok) }, g.Tokens.AccessToken, "", ""},
		{"session_route_takes_customer", func(s, tok string) (*core.Principal, error) { return svc.AuthenticateSession(ctx, s, tok) }, c.Access, "", ""},
		{"session_route_refuses_garbage", func(s, tok string) (*core.Principal, error) { return svc.AuthenticateSession(ctx, s, tok) }, "x.y.z", "", core.CodeInvalidToken},
		{"session_route_refuses_empty", func(s, tok string) (*core.Principal, error) { return svc.AuthenticateSession(ctx, s, tok) }, "", "", core.CodeUnauthenticated},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			p, err := tt.auth(tt.shop, tt.token)
			if tt.code != "" {
				wantErrCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.ShopID != k.Shop.ID {
				t.Fatalf("principal = %+v", p)
			}
			if p.Scope == core.ScopeGuest && (p.GuestID != g.GuestID || p.CustomerID != "") {
				t.Fatalf("guest principal = %+v", p)
			}
			if p.Scope == core.ScopeCustomer && (p.CustomerID != c.ID || p.GuestID != "") {
				t.Fatalf("customer principal = %+v", p)
			}
		})
	}
}

// A guest session refreshes without a customer and logs out, even with
// "everywhere", which for a guest is its one session.
func TestGuestRefreshAndLogout(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	g, err := svc.StartGuestSession(ctx, k.Shop, core.ClientMeta{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.Refresh(ctx, k.Shop, g.Tokens.RefreshToken, core.ClientMeta{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Customer != nil || res.GuestID != g.GuestID || res.Tokens.SessionID != g.Tokens.SessionID {
		t.Fatalf("refresh = %+v", res)
	}
	p, err := svc.AuthenticateGuest(ctx, k.Shop.ID, res.Tokens.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Logout(ctx, p, true); err != nil {
		t.Fatal(err)
	}
	_, err = svc.AuthenticateGuest(ctx, k.Shop.ID, res.Tokens.AccessToken)
	wantErrCode(t, err, core.CodeSessionRevoked)
	_, err = svc.Refresh(ctx, k.Shop, res.Tokens.RefreshToken, core.ClientMeta{})
	wantErrCode(t, err, core.CodeRefreshTokenInvalid)
}

// Signing up or logging in with a live guest token links the guest: the
// customer's new session records the guest id; other guest tokens are
// ignored and the call succeeds.
func TestGuestLinking(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	guest := func() *core.GuestResult {
		t.Helper()
		g, err := svc.StartGuestSession(ctx, k.Shop, core.ClientMeta{})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	sessionGuest := func(res *core.AuthResult) string {
		t.Helper()
		p := &core.Principal{ShopID: k.Shop.ID, CustomerID: res.Customer.ID, SessionID: res.Tokens.SessionID}
		list, err := svc.Sessions(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range list {
			if s.ID == res.Tokens.SessionID {
				return s.GuestID
			}
		}
		t.Fatalf("session %s not listed", res.Tokens.SessionID)
		return ""
	}

	g := guest()
	reg, err := svc.Register(ctx, k.Shop, core.Registration{Email: "link@example.com", Password: "correct horse battery staple", GuestToken: g.Tokens.AccessToken}, core.ClientMeta{})
	if err != nil {
		t.Fatal(err)
	}
	if reg.GuestID != g.GuestID || sessionGuest(reg) != g.GuestID {
		t.Fatalf("registration did not keep the guest id: %+v", reg)
	}
	_, err = svc.AuthenticateGuest(ctx, k.Shop.ID, g.Tokens.AccessToken)
	wantErrCode(t, err, core.CodeSessionRevoked)

	g2 := guest()
	in, err := svc.LoginWithGuest(ctx, k.Shop, "link@example.com", "correct horse battery staple", g2.Tokens.AccessToken, core.ClientMeta{})
	if err != nil {
		t.Fatal(err)
	}
	if in.GuestID != g2.GuestID || sessionGuest(in) != g2.GuestID {
		t.Fatalf("login did not keep the guest id: %+v", in)
	}

	// A wrong password with a live guest token fails as usual and links nothing.
	g3 := guest()
	_, err = svc.LoginWithGuest(ctx, k.Shop, "link@example.com", "wrong password here", g3.Tokens.AccessToken, core.ClientMeta{})
	wantErrCode(t, err, core.CodeInvalidCredentials)
	if _, err := svc.AuthenticateGuest(ctx, k.Shop.ID, g3.Tokens.AccessToken); err != nil {
		t.Fatalf("a failed login ended the guest session: %v", err)
	}

	// Plain Login keeps working and links nothing.
	plain, err := svc.Login(ctx, k.Shop, "link@example.com", "correct horse battery staple", core.ClientMeta{})
	if err != nil {
		t.Fatal(err)
	}
	if plain.GuestID != "" || sessionGuest(plain) != "" {
		t.Fatalf("plain login = %+v", plain)
	}

	// A sign-up with a stale guest token still succeeds, unlinked.
	up, err := svc.Register(ctx, k.Shop, core.Registration{Email: "stale@example.com", Password: "correct horse battery staple", GuestToken: g.Tokens.AccessToken}, core.ClientMeta{})
	if err != nil {
		t.Fatal(err)
	}
	if up.GuestID != "" {
		t.Fatalf("a revoked guest token linked: %+v", up)
	}

	// Registration errors are unchanged by a guest token.
	_, err = svc.Register(ctx, k.Shop, core.Registration{Email: "link@example.com", Password: "correct horse battery staple", GuestToken: g3.Tokens.AccessToken}, core.ClientMeta{})
	if !errors.Is(err, core.ErrConflict) {
		t.Fatalf("duplicate sign-up with a guest token: %v", err)
	}
	if _, err := svc.AuthenticateGuest(ctx, k.Shop.ID, g3.Tokens.AccessToken); err != nil {
		t.Fatalf("a failed sign-up ended the guest session: %v", err)
	}
}
