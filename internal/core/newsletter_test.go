package core_test

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

var mailedToken = regexp.MustCompile(`[?&]token=([A-Za-z0-9_-]+)`)

// lastToken returns the token of the newest mail of kind to `to`, or "".
func lastToken(k *testkit.Kit, to, kind string) string {
	tok := ""
	for _, m := range k.Mail.Messages() {
		if m.To == to && m.Kind == kind {
			if s := mailedToken.FindStringSubmatch(m.Text); s != nil {
				tok = s[1]
			}
		}
	}
	return tok
}

func mails(k *testkit.Kit, to, kind string) int {
	n := 0
	for _, m := range k.Mail.Messages() {
		if m.To == to && m.Kind == kind {
			n++
		}
	}
	return n
}

func principal(k *testkit.Kit, c *testkit.Customer) *core.Principal {
	return &core.Principal{ShopID: k.Shop.ID, CustomerID: c.ID, Scope: core.ScopeCustomer}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if core.CodeOf(err) != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
}

func TestNewsletterDoubleOptIn(t *testing.T) {
	k := testkit.New(t)
	svc, ctx, meta := k.App.Service, t.Context(), core.ClientMeta{IP: "203.0.113.9"}
	const addr = "Reader@Example.com"

	n, err := svc.Subscribe(ctx, k.Shop, nil, addr, "", meta)
	if err != nil || n.Verified() || n.CustomerID != "" || n.Email != addr || n.EmailNormalized != "reader@example.com" {
		t.Fatalf("subscribe: %+v, %v", n, err)
	}
	first := lastToken(k, addr, "newsletter_verification")
	if first == "" {
		t.Fatal("no verification mail")
	}
	// Subscribing again is no error: the same record, a fresh link.
	again, err := svc.Subscribe(ctx, k.Shop, nil, "reader@example.com", "", meta)
	if err != nil || again.ID != n.ID {
		t.Fatalf("subscribe again: %+v, %v", again, err)
	}
	second := lastToken(k, addr, "newsletter_verification")
	if second == first {
		t.Fatal("no fresh link")
	}
	_, err = svc.VerifyNewsletter(ctx, k.Shop, first, meta)
	wantCode(t, err, core.CodeNewsletterTokenInvalid)
	v, err := svc.VerifyNewsletter(ctx, k.Shop, second, meta)
	if err != nil || !v.Verified() || v.ID != n.ID {
		t.Fatalf("verify: %+v, %v", v, err)
	}
	_, err = svc.VerifyNewsletter(ctx, k.Shop, second, meta)
	wantCode(t, err, core.CodeNewsletterTokenInvalid)
	// A verified subscription is returned as it is, without another mail.
	before := mails(k, addr, "newsletter_verification")
	if n, err := svc.Subscribe(ctx, k.Shop, nil, addr, "", meta); err != nil || !n.Verified() {
		t.Fatalf("subscribe verified: %+v, %v", n, err)
	}
	if mails(k, addr, "newsletter_verification") != before {
		t.Fatal("a verified subscriber got another verification mail")
	}
	// Another store knows nothing of it, and its links do not work there.
	other := k.NewShop("Other")
	if _, err := svc.VerifyNewsletter(ctx, other.Shop, second, meta); core.CodeOf(err) != core.CodeNewsletterTokenInvalid {
		t.Fatalf("other store verify: %v", err)
	}
}

func TestNewsletterBadInputs(t *testing.T) {
	k := testkit.New(t)
	svc, ctx, meta := k.App.Service, t.Context(), core.ClientMeta{}
	var ve *core.ValidationError
	for _, e := range []string{"", "not-an-email", "a@"} {
		if _, err := svc.Subscribe(ctx, k.Shop, nil, e, "", meta); !errors.As(err, &ve) || ve.Fields[0].Field != "email" {
			t.Fatalf("subscribe %q: %v", e, err)
		}
	}
	if _, err := svc.VerifyNewsletter(ctx, k.Shop, " ", meta); !errors.As(err, &ve) || ve.Fields[0].Field != "token" {
		t.Fatalf("verify without token: %v", err)
	}
	_, err := svc.VerifyNewsletter(ctx, k.Shop, "garbage", meta)
	wantCode(t, err, core.CodeNewsletterTokenInvalid)
	// A request to unsubscribe never tells whether the address is known.
	for _, e := range []string{"", "nobody@example.com", "bad"} {
		if err := svc.RequestNewsletterUnsubscribe(ctx, k.Shop, e, "", meta); err != nil {
			t.Fatalf("request unsubscribe %q: %v", e, err)
		}
	}
	if len(k.Mail.Messages()) != 0 {
		t.Fatalf("mails sent: %v", k.Mail.Messages())
	}
	wantCode(t, svc.Unsubscribe(ctx, k.Shop, nil, "sub_x", "", meta), core.CodeNewsletterTokenInvalid)
}

func TestNewsletterAccounts(t *testing.T) {
	k := testkit.New(t)
	svc, ctx, meta := k.App.Service, t.Context(), core.ClientMeta{}
	alice := k.Register("alice-nl@example.com")
	pa := principal(k, alice)
	customer := func(c *testkit.Customer) *core.Customer {
		t.Helper()
		got, err := svc.Customer(ctx, principal(k, c))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	t.Run("case=own_email_is_verified_and_linked", func(t *testing.T) {
		n, err := svc.Subscribe(ctx, k.Shop, pa, "ALICE-nl@example.com", "", meta)
		if err != nil || !n.Verified() || n.CustomerID != alice.ID {
			t.Fatalf("subscribe: %+v, %v", n, err)
		}
		if !customer(alice).AcceptsEmailMarketing {
			t.Fatal("accepts_email_marketing stayed off")
		}
		if got, err := svc.CustomerNewsletter(ctx, k.Shop.ID, alice.ID); err != nil || got == nil || got.ID != n.ID {
			t.Fatalf("customer newsletter: %+v, %v", got, err)
		}
		// Anonymous callers never see which account an address belongs to.
		anon, err := svc.Subscribe(ctx, k.Shop, nil, "alice-nl@example.com", "", meta)
		if err != nil || anon.ID != n.ID || anon.CustomerID != "" {
			t.Fatalf("anonymous view: %+v, %v", anon, err)
		}
	})
	t.Run("case=another_email_is_not_linked", func(t *testing.T) {
		n, err := svc.Subscribe(ctx, k.Shop, pa, "alice-other@example.com", "", meta)
		if err != nil || n.Verified() || n.CustomerID != "" {
			t.Fatalf("subscribe: %+v, %v", n, err)
		}
	})
	t.Run("case=owner_unsubscribes", func(t *testing.T) {
		bob := k.Register("bob-nl@example.com")
		nb, err := svc.Subscribe(ctx, k.Shop, principal(k, bob), bob.Email, "", meta)
		if err != nil {
			t.Fatal(err)
		}
		// Alice cannot remove Bob's subscription.
		if err := svc.Unsubscribe(ctx, k.Shop, pa, nb.ID, "", meta); !errors.Is(err, core.ErrNotFound) {
			t.Fatalf("alice removed bob's: %v", err)
		}
		if err := svc.Unsubscribe(ctx, k.Shop, principal(k, bob), nb.ID, "", meta); err != nil {
			t.Fatal(err)
		}
		if customer(bob).AcceptsEmailMarketing {
			t.Fatal("accepts_email_marketing stayed on")
		}
		if got, _ := svc.CustomerNewsletter(ctx, k.Shop.ID, bob.ID); got != nil {
			t.Fatalf("still subscribed: %+v", got)
		}
	})
	t.Run("case=profile_flag_follows", func(t *testing.T) {
		carol := k.Register("carol-nl@example.com")
		pc := principal(k, carol)
		on, off := true, false
		if _, err := svc.UpdateProfile(ctx, pc, core.ProfileUpdate{AcceptsEmailMarketing: &on}); err != nil {
			t.Fatal(err)
		}
		n, err := svc.CustomerNewsletter(ctx, k.Shop.ID, carol.ID)
		if err != nil || n == nil || !n.Verified() || n.EmailNormalized != "carol-nl@example.com" {
			t.Fatalf("after on: %+v, %v", n, err)
		}
		if _, err := svc.UpdateProfile(ctx, pc, core.ProfileUpdate{AcceptsEmailMarketing: &off}); err != nil {
			t.Fatal(err)
		}
		if n, _ := svc.CustomerNewsletter(ctx, k.Shop.ID, carol.ID); n != nil {
			t.Fatalf("after off: %+v", n)
		}
	})
	t.Run("case=mailed_unsubscribe_link", func(t *testing.T) {
		const addr = "dave-nl@example.com"
		n, err := svc.Subscribe(ctx, k.Shop, nil, addr, "", meta)
		if err != nil {
			t.Fatal(err)
		}
		verify := lastToken(k, addr, "newsletter_verification")
		// A verification token does not unsubscribe.
		wantCode(t, svc.Unsubscribe(ctx, k.Shop, nil, n.ID, verify, meta), core.CodeNewsletterTokenInvalid)
		if err := svc.RequestNewsletterUnsubscribe(ctx, k.Shop, addr, "", meta); err != nil {
			t.Fatal(err)
		}
		tok := lastToken(k, addr, "newsletter_unsubscribe")
		if tok == "" {
			t.Fatal("no unsubscribe mail")
		}
		// The token is for this subscription only.
		other, _ := svc.Subscribe(ctx, k.Shop, nil, "erin-nl@example.com", "", meta)
		wantCode(t, svc.Unsubscribe(ctx, k.Shop, nil, other.ID, tok, meta), core.CodeNewsletterTokenInvalid)
		if err := svc.Unsubscribe(ctx, k.Shop, nil, n.ID, tok, meta); err != nil {
			t.Fatal(err)
		}
		wantCode(t, svc.Unsubscribe(ctx, k.Shop, nil, n.ID, tok, meta), core.CodeNewsletterTokenInvalid)
	})
	t.Run("case=verified_opt_in_carries_into_sign_up", func(t *testing.T) {
		const addr = "frank-nl@example.com"
		if _, err := svc.Subscribe(ctx, k.Shop, nil, addr, "", meta); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.VerifyNewsletter(ctx, k.Shop, lastToken(k, addr, "newsletter_verification"), meta); err != nil {
			t.Fatal(err)
		}
		frank := k.Register(addr)
		if !customer(frank).AcceptsEmailMarketing {
			t.Fatal("verified opt-in not carried into the new account")
		}
		if n, err := svc.CustomerNewsletter(ctx, k.Shop.ID, frank.ID); err != nil || n == nil || !n.Verified() {
			t.Fatalf("not linked: %+v, %v", n, err)
		}
	})
	t.Run("case=verify_links_an_existing_account", func(t *testing.T) {
		gina := k.Register("gina-nl@example.com")
		if _, err := svc.Subscribe(ctx, k.Shop, nil, gina.Email, "", meta); err != nil {
			t.Fatal(err)
		}
		if customer(gina).AcceptsEmailMarketing {
			t.Fatal("unverified subscription turned marketing on")
		}
		n, err := svc.VerifyNewsletter(ctx, k.Shop, lastToken(k, gina.Email, "newsletter_verification"), meta)
		if err != nil || !customer(gina).AcceptsEmailMarketing {
			t.Fatalf("verify: %+v, %v", n, err)
		}
		if got, _ := svc.CustomerNewsletter(ctx, k.Shop.ID, gina.ID); got == nil || got.ID != n.ID {
			t.Fatalf("not linked: %+v", got)
		}
	})
	t.Run("case=account_deletion_erases_it", func(t *testing.T) {
		hal := k.Register("hal-nl@example.com")
		n, err := svc.Subscribe(ctx, k.Shop, principal(k, hal), hal.Email, "", meta)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteAccount(ctx, k.Shop, principal(k, hal), hal.Password); err != nil {
			t.Fatal(err)
		}
		if err := svc.Unsubscribe(ctx, k.Shop, nil, n.ID, "x", meta); core.CodeOf(err) != core.CodeNewsletterTokenInvalid {
			t.Fatalf("after deletion: %v", err)
		}
		if _, err := svc.Subscribe(ctx, k.Shop, nil, hal.Email, "", meta); err != nil {
			t.Fatal(err) // a fresh, unlinked subscription
		}
	})
}

// Verification mails to one address are limited (EmailTokenSends), so the
// route cannot be used to flood a mailbox; unsubscribe requests beyond the
// limit are dropped quietly (a 429 there would tell the address is known).
func TestNewsletterMailLimits(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.Limits.EmailTokenSends = core.Rate{Limit: 2, Window: time.Hour}
	k := testkit.New(t, testkit.WithCore(cfg))
	svc, ctx, meta := k.App.Service, t.Context(), core.ClientMeta{}
	const addr = "flood@example.com"
	for range 2 {
		if _, err := svc.Subscribe(ctx, k.Shop, nil, addr, "", meta); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Subscribe(ctx, k.Shop, nil, addr, "", meta); !errors.Is(err, core.ErrRateLimited) {
		t.Fatalf("third subscribe: %v, want rate limited", err)
	}
	if err := svc.RequestNewsletterUnsubscribe(ctx, k.Shop, addr, "", meta); err != nil {
		t.Fatalf("unsubscribe request over the limit: %v", err)
	}
	if n := mails(k, addr, "newsletter_verification") + mails(k, addr, "newsletter_unsubscribe"); n != 2 {
		t.Fatalf("%d mails, want 2", n)
	}
}
