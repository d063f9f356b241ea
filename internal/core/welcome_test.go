package core_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// welcomed signs up `last` through /v1 and waits for its welcome. Mail is
// recorded in the order core sends it, so by then everything sent before
// is recorded too; it returns who got a welcome mail, in order.
func welcomed(t *testing.T, k *testkit.Kit, last string) []string {
	t.Helper()
	k.Register(last)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	for n := 1; ; n++ {
		msgs, err := k.Mail.Wait(ctx, n)
		var to []string
		for _, m := range msgs {
			if m.Kind == "welcome" {
				to = append(to, m.To)
			}
		}
		if slices.Contains(to, last) {
			return to
		}
		if err != nil {
			t.Fatalf("no welcome to %s: %v", last, err)
		}
		n = max(n, len(msgs))
	}
}

// Only a customer creating their own account is welcomed: the Medusa
// two-step sign-up is, and so is a passwordless (imported or guest)
// customer who registers that way; import and seed are not.
func TestWelcomeMailOnlyForOwnSignUps(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	if _, err := svc.ImportCustomers(ctx, k.Shop, []core.ImportRecord{
		importRec(1, "old-1", "imported@example.com"), importRec(2, "old-2", "upgrader@example.com"),
	}, core.ImportOptions{Source: "spree"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SeedCustomers(ctx, k.Shop.ID, core.SeedOptions{Count: 3, EmailFormat: "seed-%d@example.com", Password: "seed-password-1234", Batch: 10}); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"twostep@example.com", "upgrader@example.com"} {
		tok, err := svc.RegisterIdentity(ctx, k.Shop, email, "correct horse battery staple", core.ClientMeta{IP: "192.0.2.1"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CompleteIdentity(ctx, k.Shop, tok, email, core.ProfileUpdate{}); err != nil {
			t.Fatalf("%s: %v", email, err)
		}
	}
	// A sign-up that fails (the e-mail is taken) welcomes nobody.
	if _, err := svc.RegisterIdentity(ctx, k.Shop, "twostep@example.com", "correct horse battery staple", core.ClientMeta{IP: "192.0.2.1"}, nil); core.CodeOf(err) != core.CodeEmailTaken {
		t.Fatalf("taken e-mail: %v", err)
	}
	got := welcomed(t, k, "last@example.com")
	if want := []string{"twostep@example.com", "upgrader@example.com", "last@example.com"}; !slices.Equal(got, want) {
		t.Fatalf("welcomed %v, want %v", got, want)
	}
}

// With the store's setting off nobody is welcomed; turned on again, the
// next sign-up is.
func TestWelcomeMailSetting(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	if svc.EffectiveSettings(k.Shop).WelcomeMailOff {
		t.Fatal("a new store has the welcome mail off")
	}
	off, on := false, true
	if _, err := svc.UpdateShopSettings(ctx, k.Shop.ID, core.ShopUpdate{WelcomeMail: &off}); err != nil {
		t.Fatal(err)
	}
	k.Register("quiet@example.com")
	sh, err := svc.AdminShop(ctx, k.Shop.ID) // k.Shop is the value from before the update
	if err != nil {
		t.Fatal(err)
	}
	tok, err := svc.RegisterIdentity(ctx, sh, "quiet2@example.com", "correct horse battery staple", core.ClientMeta{IP: "192.0.2.1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CompleteIdentity(ctx, sh, tok, "", core.ProfileUpdate{}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateShopSettings(ctx, k.Shop.ID, core.ShopUpdate{WelcomeMail: &on}); err != nil {
		t.Fatal(err)
	}
	if got := welcomed(t, k, "loud@example.com"); !slices.Equal(got, []string{"loud@example.com"}) {
		t.Fatalf("welcomed %v", got)
	}
}
