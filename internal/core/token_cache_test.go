package core_test

import (
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// The verified-token cache skips only the signature check: a cached token
// is still refused after logout, for another store, after expiry, and for
// a scope it does not have.
func TestVerifiedTokenCacheKeepsEveryOtherCheck(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	c := k.Register("cached@example.com")
	other := k.NewShop("Other")

	for range 2 { // the second call is served from the cache
		if _, err := svc.Authenticate(ctx, k.Shop.ID, c.Access); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Authenticate(ctx, other.Shop.ID, c.Access); core.CodeOf(err) != core.CodeInvalidToken {
		t.Fatalf("cached token for another store: %v", err)
	}
	if _, err := svc.AuthenticateGuest(ctx, k.Shop.ID, c.Access); core.CodeOf(err) != core.CodeInvalidToken {
		t.Fatalf("cached customer token on a guest route: %v", err)
	}
	tampered := c.Access[:len(c.Access)-2] + "AA"
	if tampered == c.Access {
		tampered = c.Access[:len(c.Access)-2] + "BB"
	}
	if _, err := svc.Authenticate(ctx, k.Shop.ID, tampered); core.CodeOf(err) != core.CodeInvalidToken {
		t.Fatalf("tampered token: %v", err)
	}

	p, err := svc.Authenticate(ctx, k.Shop.ID, c.Access)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Logout(ctx, p, false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(ctx, k.Shop.ID, c.Access); core.CodeOf(err) != core.CodeSessionRevoked {
		t.Fatalf("cached token after logout: %v", err)
	}

	d := k.Register("cached-expiry@example.com")
	if _, err := svc.Authenticate(ctx, k.Shop.ID, d.Access); err != nil {
		t.Fatal(err)
	}
	k.Clock.Advance(2 * time.Hour)
	if _, err := svc.Authenticate(ctx, k.Shop.ID, d.Access); core.CodeOf(err) != core.CodeTokenExpired {
		t.Fatalf("cached token after expiry: %v", err)
	}
}
