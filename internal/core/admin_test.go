package core_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

func adminPtr[T any](v T) *T { return &v }

// wantInvalidField fails unless err is a ValidationError naming field.
func wantInvalidField(t *testing.T, err error, field string) {
	t.Helper()
	var ve *core.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) == 0 || ve.Fields[0].Field != field {
		t.Fatalf("error = %v, want a validation error on %s", err, field)
	}
}

// Every settings bound, at and just past each end.
func TestShopSettingsBounds(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	d := func(v time.Duration) *time.Duration { return &v }
	tests := []struct {
		name  string
		u     core.ShopUpdate
		field string // "" = accepted
	}{
		// First, while the idle TTL is the default 7 days.
		{"refresh_below_current_idle", core.ShopUpdate{RefreshTokenTTL: d(2 * time.Hour)}, "refresh_idle_ttl_seconds"},
		{"access_min", core.ShopUpdate{AccessTokenTTL: d(time.Minute)}, ""},
		{"access_below_min", core.ShopUpdate{AccessTokenTTL: d(time.Minute - time.Second)}, "access_token_ttl_seconds"},
		{"access_max", core.ShopUpdate{AccessTokenTTL: d(24 * time.Hour)}, ""},
		{"access_above_max", core.ShopUpdate{AccessTokenTTL: d(24*time.Hour + time.Second)}, "access_token_ttl_seconds"},
		{"refresh_min", core.ShopUpdate{RefreshTokenTTL: d(time.Hour), RefreshIdleTTL: d(time.Hour)}, ""},
		{"refresh_below_min", core.ShopUpdate{RefreshTokenTTL: d(time.Hour - time.Second)}, "refresh_token_ttl_seconds"},
		{"refresh_max", core.ShopUpdate{RefreshTokenTTL: d(365 * 24 * time.Hour)}, ""},
		{"refresh_above_max", core.ShopUpdate{RefreshTokenTTL: d(365*24*time.Hour + time.Second)}, "refresh_token_ttl_seconds"},
		{"idle_below_min", core.ShopUpdate{RefreshIdleTTL: d(time.Hour - time.Second)}, "refresh_idle_ttl_seconds"},
		{"idle_above_refresh", core.ShopUpdate{RefreshTokenTTL: d(2 * time.Hour), RefreshIdleTTL: d(3 * time.Hour)}, "refresh_idle_ttl_seconds"},
		{"reset_min", core.ShopUpdate{ResetTokenTTL: d(5 * time.Minute)}, ""},
		{"reset_below_min", core.ShopUpdate{ResetTokenTTL: d(5*time.Minute - time.Second)}, "reset_token_ttl_seconds"},
		{"reset_max", core.ShopUpdate{ResetTokenTTL: d(time.Hour)}, ""},
		{"reset_above_max", core.ShopUpdate{ResetTokenTTL: d(time.Hour + time.Second)}, "reset_token_ttl_seconds"},
		{"password_8", core.ShopUpdate{MinPasswordLength: adminPtr(8)}, ""},
		{"password_15", core.ShopUpdate{MinPasswordLength: adminPtr(15)}, ""},
		{"password_7", core.ShopUpdate{MinPasswordLength: adminPtr(7)}, "min_password_length"},
		{"password_16", core.ShopUpdate{MinPasswordLength: adminPtr(16)}, "min_password_length"},
		{"name_blank", core.ShopUpdate{Name: adminPtr(" ")}, "name"},
		{"name_control", core.ShopUpdate{Name: adminPtr("a\x00b")}, "name"},
		{"name_long", core.ShopUpdate{Name: adminPtr(strings.Repeat("n", 201))}, "name"},
		{"origin_path", core.ShopUpdate{AllowedOrigins: &[]string{"https://a.example/x"}}, "allowed_origins"},
		{"origin_userinfo", core.ShopUpdate{AllowedOrigins: &[]string{"https://u@a.example"}}, "allowed_origins"},
		{"origins_too_many", core.ShopUpdate{AllowedOrigins: adminPtr(make([]string, 101))}, "allowed_origins"},
		{"reset_url_ftp", core.ShopUpdate{PasswordResetURL: adminPtr("ftp://a.example/reset")}, "password_reset_url"},
		{"empty_update", core.ShopUpdate{}, ""},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			before, err := svc.AdminShop(ctx, k.Shop.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, err = svc.UpdateShopSettings(ctx, k.Shop.ID, tt.u)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantInvalidField(t, err, tt.field)
			after, _ := svc.AdminShop(ctx, k.Shop.ID)
			if after.UpdatedAt != before.UpdatedAt {
				t.Fatal("a refused update was written")
			}
		})
	}
	_, err := svc.UpdateShopSettings(ctx, "sto_missing", core.ShopUpdate{Name: adminPtr("x")})
	if !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("unknown store: %v", err)
	}
}

// An update is in force on this node at once (the cached store is
// dropped), and the reset page's origin is always allowed.
func TestShopSettingsTakeEffect(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	if _, err := svc.Shop(ctx, k.Shop.ID); err != nil { // warm the cache
		t.Fatal(err)
	}
	sh, err := svc.UpdateShopSettings(ctx, k.Shop.ID, core.ShopUpdate{
		AllowedOrigins: &[]string{"https://b.example"}, PasswordResetURL: adminPtr("https://c.example/reset"),
		EmailExistsCheck: adminPtr(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(sh.AllowedOrigins, ",") != "https://b.example,https://c.example" {
		t.Fatalf("origins = %v", sh.AllowedOrigins)
	}
	cached, err := svc.Shop(ctx, k.Shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !svc.EffectiveSettings(cached).EmailExistsCheck || cached.PasswordResetURL != "https://c.example/reset" {
		t.Fatalf("the cached store is stale: %+v", cached)
	}
}

// The TTL of a trusted token: absent means the maximum; 1 s to the
// maximum is accepted; and the maximum never exceeds the longest access
// token, whose lifetime bounds how long revocations are remembered.
func TestTrustedTokenTTL(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.TrustedTokenTTL = 48 * time.Hour // more than MaxAccessTokenTTL (24 h)
	k := testkit.New(t, testkit.WithCore(cfg))
	svc, ctx := k.App.Service, t.Context()
	c := k.Register("ttl@example.com")
	tests := []struct {
		ttl, want time.Duration // want 0 = refused
	}{
		{0, 24 * time.Hour},
		{time.Second, time.Second},
		{24 * time.Hour, 24 * time.Hour},
		{24*time.Hour + time.Second, 0},
		{time.Millisecond, 0},
		{-time.Second, 0},
	}
	for _, tt := range tests {
		t.Run("ttl="+tt.ttl.String(), func(t *testing.T) {
			tok, err := svc.MintTrustedToken(ctx, k.Shop.ID, c.ID, tt.ttl, "test")
			if tt.want == 0 {
				wantInvalidField(t, err, "ttl_seconds")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tok.ExpiresIn != tt.want || tok.RefreshToken != "" {
				t.Fatalf("token = %+v", tok)
			}
			p, err := svc.Authenticate(ctx, k.Shop.ID, tok.AccessToken)
			if err != nil || p.CustomerID != c.ID || p.SessionID != tok.SessionID {
				t.Fatalf("principal = %+v, %v", p, err)
			}
		})
	}
	other := k.NewShop("Other")
	_, err := svc.MintTrustedToken(ctx, other.Shop.ID, c.ID, 0, "test")
	if !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("another store's customer: %v", err)
	}
}

func TestAdminSearchValidation(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	tests := []struct {
		name  string
		q     core.CustomerQuery
		p     core.Page
		field string
	}{
		{"status", core.CustomerQuery{Status: "banned"}, core.Page{}, "status"},
		{"email_control", core.CustomerQuery{EmailPrefix: "a\x00"}, core.Page{}, "email"},
		{"email_too_long", core.CustomerQuery{EmailPrefix: strings.Repeat("a", 255)}, core.Page{}, "email"},
		{"name_too_long", core.CustomerQuery{Name: strings.Repeat("n", 256)}, core.Page{}, "name"},
		{"group_too_long", core.CustomerQuery{GroupID: strings.Repeat("g", 101)}, core.Page{}, "group_id"},
		{"limit", core.CustomerQuery{}, core.Page{Limit: 101}, "limit"},
		{"cursor", core.CustomerQuery{}, core.Page{Cursor: "!!"}, "cursor"},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			_, err := svc.AdminSearchCustomers(ctx, k.Shop.ID, tt.q, tt.p)
			wantInvalidField(t, err, tt.field)
		})
	}
}

func TestAdminUpdateCustomerRules(t *testing.T) {
	k := testkit.New(t)
	svc, ctx := k.App.Service, t.Context()
	c := k.Register("rules@example.com")
	for name, u := range map[string]core.AdminCustomerUpdate{
		"status":   {Status: adminPtr(core.CustomerStatus("banned"))},
		"phone":    {Phone: adminPtr("call me")},
		"metadata": {Metadata: adminPtr(map[string]any{"": 1})},
		"dob":      {DateOfBirth: adminPtr("31/12/1999")},
	} {
		t.Run("bad="+name, func(t *testing.T) {
			_, err := svc.AdminUpdateCustomer(ctx, k.Shop.ID, c.ID, u)
			if !errors.Is(err, core.ErrInvalid) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	// Disabling revokes; the revocation reaches tokens at once.
	if _, err := svc.AdminUpdateCustomer(ctx, k.Shop.ID, c.ID, core.AdminCustomerUpdate{Status: adminPtr(core.StatusDisabled)}); err != nil {
		t.Fatal(err)
	}
	_, err := svc.Authenticate(ctx, k.Shop.ID, c.Access)
	wantErrCode(t, err, core.CodeSessionRevoked)
	n, err := svc.AdminRevokeSessions(ctx, k.Shop.ID, c.ID)
	if err != nil || n != 0 {
		t.Fatalf("revoke after disable = %d, %v", n, err)
	}
	wantErrCode(t, svc.AdminTriggerReset(ctx, k.Shop.ID, c.ID, "", core.ClientMeta{}), core.CodeAccountDisabled)
	other := k.NewShop("Other")
	if _, err := svc.AdminUpdateCustomer(ctx, other.Shop.ID, c.ID, core.AdminCustomerUpdate{FirstName: adminPtr("x")}); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("another store's customer: %v", err)
	}
	if _, err := svc.AdminRevokeSessions(ctx, other.Shop.ID, c.ID); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("another store's customer: %v", err)
	}
}
