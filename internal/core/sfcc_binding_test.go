package core_test

import (
	"errors"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

func TestSFCCBindingValidation(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	ok := core.SFCCBinding{OrganizationID: "f_ecom_abcd_001", Clients: []core.SFCCClient{{ClientID: "c1", RedirectURIs: []string{"https://shop.example/cb"}}}}
	tests := []struct {
		name string
		edit func(b *core.SFCCBinding)
		bad  bool
	}{
		{"valid", func(*core.SFCCBinding) {}, false},
		{"upper-case org", func(b *core.SFCCBinding) { b.OrganizationID = "f_ecom_ABCD_001" }, true},
		{"org without prefix", func(b *core.SFCCBinding) { b.OrganizationID = "abcd_001" }, true},
		{"bad site", func(b *core.SFCCBinding) { b.SiteIDs = []string{"Ref Arch"} }, true},
		{"client id with colon", func(b *core.SFCCBinding) { b.Clients = []core.SFCCClient{{ClientID: "a:b"}} }, true},
		{"client id too long", func(b *core.SFCCBinding) {
			b.Clients = []core.SFCCClient{{ClientID: "0123456789012345678901234567890123456789x"}}
		}, true},
		{"duplicate client", func(b *core.SFCCBinding) { b.Clients = []core.SFCCClient{{ClientID: "c"}, {ClientID: "c"}} }, true},
		{"relative redirect", func(b *core.SFCCBinding) {
			b.Clients = []core.SFCCClient{{ClientID: "c", RedirectURIs: []string{"/cb"}}}
		}, true},
		{"javascript redirect", func(b *core.SFCCBinding) {
			b.Clients = []core.SFCCClient{{ClientID: "c", CallbackURIs: []string{"javascript:alert(1)"}}}
		}, true},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			b := ok
			b.Clients = append([]core.SFCCClient(nil), ok.Clients...)
			tt.edit(&b)
			sh := k.NewShop(tt.name)
			got, err := svc.SetSFCCBinding(ctx, sh.Shop.ID, b)
			if tt.bad {
				if !errors.Is(err, core.ErrInvalid) {
					t.Fatalf("err = %v, want invalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got.SiteIDs) != 1 || got.SiteIDs[0] != "RefArch" {
				t.Errorf("default site ids = %v", got.SiteIDs)
			}
		})
	}
	t.Run("case=org_taken", func(t *testing.T) {
		_, err := svc.SetSFCCBinding(ctx, k.NewShop("taken").Shop.ID, ok)
		if !errors.Is(err, core.ErrConflict) {
			t.Fatalf("err = %v, want conflict", err)
		}
	})
	t.Run("case=unknown_store", func(t *testing.T) {
		b := ok
		b.OrganizationID = "f_ecom_none_002"
		if _, err := svc.SetSFCCBinding(ctx, "sto_missing", b); !errors.Is(err, core.ErrNotFound) {
			t.Fatalf("err = %v, want not found", err)
		}
	})
}

func TestSFCCRedirectAllowlist(t *testing.T) {
	c := core.SFCCClient{ClientID: "c", RedirectURIs: []string{"https://shop.example/callback"}}
	dev := core.SFCCClient{ClientID: "d", Loopback: true}
	tests := []struct {
		client *core.SFCCClient
		uri    string
		want   bool
	}{
		{&c, "https://shop.example/callback", true},
		{&c, "https://shop.example/callback?state=1", true},
		{&c, "https://SHOP.example/callback", true},
		{&c, "http://shop.example/callback", false},
		{&c, "https://shop.example:8443/callback", false},
		{&c, "https://shop.example/callback/", false},
		{&c, "https://shop.example.evil/callback", false},
		{&c, "https://user@shop.example/callback", false},
		{&c, "http://localhost:3000/callback", false},
		{&dev, "http://localhost:3000/callback", true},
		{&dev, "https://127.0.0.1/x", true},
		{&dev, "http://[::1]:8080/", true},
		{&dev, "http://localhost.evil.example/", false},
		{&dev, "ftp://localhost/", false},
		{&dev, "", false},
	}
	for _, tt := range tests {
		if got := tt.client.RedirectAllowed(tt.uri); got != tt.want {
			t.Errorf("%s RedirectAllowed(%q) = %v, want %v", tt.client.ClientID, tt.uri, got, tt.want)
		}
	}
}

func TestSFCCDevDefaults(t *testing.T) {
	k := testkit.New(t) // its store is the oldest
	svc, ctx := k.App.Service, t.Context()
	dev := core.DefaultSFCCDevDefaults()
	sh, b, err := svc.SFCCOrganization(ctx, dev.OrganizationID, dev)
	if err != nil || sh.ID != k.Shop.ID || !b.Dev || b.Client(dev.ClientID) == nil || !b.HasSite("RefArch") {
		t.Fatalf("dev org: %v %+v", err, b)
	}
	off := dev
	off.Enabled = false
	if _, _, err := svc.SFCCOrganization(ctx, dev.OrganizationID, off); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("dev defaults off: err = %v", err)
	}
	// An explicit binding of the dev organization by another store wins.
	other := k.NewShop("explicit")
	if _, err := svc.SetSFCCBinding(ctx, other.Shop.ID, core.SFCCBinding{OrganizationID: dev.OrganizationID}); err != nil {
		t.Fatal(err)
	}
	if sh, b, err := svc.SFCCOrganization(ctx, dev.OrganizationID, dev); err != nil || sh.ID != other.Shop.ID || b.Dev {
		t.Errorf("explicit binding: %v %v", err, b)
	}
	if err := svc.DeleteSFCCBinding(ctx, other.Shop.ID); err != nil {
		t.Fatal(err)
	}
	// The oldest store with a binding of its own answers only to it.
	if _, err := svc.SetSFCCBinding(ctx, k.Shop.ID, core.SFCCBinding{OrganizationID: "f_ecom_mine_001"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.SFCCOrganization(ctx, dev.OrganizationID, dev); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("oldest store bound: err = %v", err)
	}
	if sh, _, err := svc.SFCCOrganization(ctx, "f_ecom_mine_001", dev); err != nil || sh.ID != k.Shop.ID {
		t.Errorf("own org: %v", err)
	}
}

func TestSFCCShoppers(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	m := core.ClientMeta{IP: "203.0.113.9"}
	a, err := svc.SFCCShopperFor(ctx, k.Shop, "", m)
	if err != nil {
		t.Fatal(err)
	}
	same, err := svc.SFCCShopperFor(ctx, k.Shop, a.USID, m)
	if err != nil || same.USID != a.USID || same.GuestID != a.GuestID {
		t.Fatalf("continue: %v %+v", err, same)
	}
	other := k.NewShop("other")
	for name, usid := range map[string]string{"malformed": "not-a-uuid", "unknown": "0b0f5f3e-3c2a-4d8e-9f00-000000000000", "upper case": a.USID[:8] + "-ABCD" + a.USID[13:]} {
		n, err := svc.SFCCShopperFor(ctx, k.Shop, usid, m)
		if err != nil || n.USID == a.USID || n.USID == usid {
			t.Errorf("%s usid: %v %+v", name, err, n)
		}
	}
	n, err := svc.SFCCShopperFor(ctx, other.Shop, a.USID, m)
	if err != nil || n.USID == a.USID || n.GuestID == a.GuestID {
		t.Errorf("other store's usid: %v %+v", err, n)
	}
}

func TestSFCCAuthCodes(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	m := core.ClientMeta{IP: "203.0.113.10"}
	sp, err := svc.SFCCShopperFor(ctx, k.Shop, "", m)
	if err != nil {
		t.Fatal(err)
	}
	// base64url(SHA-256(verifier)), unpadded.
	const verifier, challenge = "dBjftJeZ4CVP-mJ92K1QpTJ2Zt0W8dO7YkV9XJ6F2Q4", "crun6380F1WlcHxBSjoCS0uSryp9TU7nXVyLM7gMFws"
	grant := core.SFCCCodeGrant{ClientID: "c", RedirectURI: "http://localhost/cb", ChannelID: "RefArch", Shopper: sp, Challenge: challenge}
	redeem := core.SFCCRedemption{Verifier: verifier, ClientID: "c", RedirectURI: "http://localhost/cb", ChannelID: "RefArch"}
	tests := []struct {
		name string
		edit func(r *core.SFCCRedemption)
		code string
	}{
		{"ok", func(*core.SFCCRedemption) {}, ""},
		{"wrong verifier", func(r *core.SFCCRedemption) { r.Verifier = "dBjftJeZ4CVP-mJ92K1QpTJ2Zt0W8dO7YkV9XJ6F2Q5" }, core.CodePKCEFailed},
		{"no verifier", func(r *core.SFCCRedemption) { r.Verifier = "" }, core.CodePKCEFailed},
		{"other client", func(r *core.SFCCRedemption) { r.ClientID = "d" }, core.CodeAuthCodeInvalid},
		{"other redirect", func(r *core.SFCCRedemption) { r.RedirectURI = "http://localhost/cb2" }, core.CodeAuthCodeInvalid},
		{"other channel", func(r *core.SFCCRedemption) { r.ChannelID = "Other" }, core.CodeAuthCodeInvalid},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			code, err := svc.IssueSFCCAuthCode(ctx, k.Shop, grant)
			if err != nil {
				t.Fatal(err)
			}
			if len(code) != 43 {
				t.Errorf("code has %d characters, want 43", len(code))
			}
			r := redeem
			r.Code = code
			tt.edit(&r)
			res, err := svc.RedeemSFCCAuthCode(ctx, k.Shop, r, m)
			if tt.code != "" {
				wantErrCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Session.GuestID != sp.GuestID || res.Binding.USID != sp.USID || res.Customer != nil {
				t.Errorf("session %+v binding %+v", res.Session, res.Binding)
			}
			// A second use fails and ends the first session.
			_, err = svc.RedeemSFCCAuthCode(ctx, k.Shop, r, m)
			wantErrCode(t, err, core.CodeAuthCodeInvalid)
			if _, err := svc.RefreshSFCC(ctx, k.Shop, res.RefreshToken, "c", "", m); !errors.Is(err, core.ErrUnauthenticated) {
				t.Errorf("refresh after code reuse: %v", err)
			}
		})
	}
	t.Run("case=other_store", func(t *testing.T) {
		code, err := svc.IssueSFCCAuthCode(ctx, k.Shop, grant)
		if err != nil {
			t.Fatal(err)
		}
		r := redeem
		r.Code = code
		_, err = svc.RedeemSFCCAuthCode(ctx, k.NewShop("other").Shop, r, m)
		wantErrCode(t, err, core.CodeAuthCodeInvalid)
	})
	t.Run("case=bad_challenge", func(t *testing.T) {
		g := grant
		g.Challenge = "short"
		_, err := svc.IssueSFCCAuthCode(ctx, k.Shop, g)
		wantErrCode(t, err, core.CodePKCEFailed)
	})
}
