package core_test

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

func TestDefaultShop(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shared.db")
	withDB := func(o *server.Options) { o.Config.DB = db }
	k := testkit.New(t, withDB)
	svc := k.App.Service
	sh, err := svc.DefaultShop(t.Context())
	if err != nil || sh.ID != k.Shop.ID {
		t.Fatalf("one store: %v %v", sh, err)
	}
	k.NewShop("Second")
	if _, err := svc.DefaultShop(t.Context()); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("two stores without a default: %v", err)
	}
	for _, tt := range []struct {
		ref  string
		want bool
	}{
		{k.Shop.ID, true}, {k.PK, true}, {" " + k.PK + " ", true}, {k.SK, false}, {"pk_unknown", false}, {"sto_unknown", false},
	} {
		cfg := core.DefaultConfig()
		cfg.DefaultStore = tt.ref
		k2 := testkit.New(t, withDB, testkit.WithCore(cfg))
		sh, err := k2.App.Service.DefaultShop(t.Context())
		switch {
		case tt.want && (err != nil || sh.ID != k.Shop.ID):
			t.Fatalf("default %q: %v %v", tt.ref, sh, err)
		case !tt.want && !errors.Is(err, core.ErrNotFound):
			t.Fatalf("default %q: %v, want not found", tt.ref, err)
		}
	}
}

// newSingleTokenEnv is a kit and its store.
func newSingleTokenEnv(t *testing.T) (*testkit.Kit, *core.Shop) {
	t.Helper()
	k := testkit.New(t)
	return k, k.Shop
}

func TestLoginSingleToken(t *testing.T) {
	k, sh := newSingleTokenEnv(t)
	svc := k.App.Service
	c := k.Register("single@example.com")
	for _, tt := range []struct{ ask, want time.Duration }{
		{time.Hour, time.Hour}, {time.Minute, core.MinSingleTokenTTL}, {48 * time.Hour, core.MaxSingleTokenTTL},
	} {
		res, err := svc.LoginSingleToken(t.Context(), sh, c.Email, c.Password, tt.ask, core.ClientMeta{IP: "1.2.3.4"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Tokens.RefreshToken != "" || res.Tokens.ExpiresIn != tt.want {
			t.Fatalf("ask %v: tokens %+v, want %v and no refresh token", tt.ask, res.Tokens, tt.want)
		}
		sess, err := k.App.Store.GetSession(t.Context(), sh.ID, res.Tokens.SessionID)
		if err != nil {
			t.Fatal(err)
		}
		if got := sess.ExpiresAt.Sub(sess.CreatedAt); got != tt.want {
			t.Fatalf("session lives %v, want %v", got, tt.want)
		}
		p, err := svc.Authenticate(t.Context(), sh.ID, res.Tokens.AccessToken)
		if err != nil || p.ExpiresAt.Unix() != sess.ExpiresAt.Unix() {
			t.Fatalf("token: %v %v", p, err)
		}
	}
	if _, err := svc.LoginSingleToken(t.Context(), sh, c.Email, "wrong-password-1", time.Hour, core.ClientMeta{}); core.CodeOf(err) != core.CodeInvalidCredentials {
		t.Fatalf("wrong password: %v", err)
	}
}

func TestRegisterWithoutSession(t *testing.T) {
	k, sh := newSingleTokenEnv(t)
	svc := k.App.Service
	in := core.Registration{Email: "nosession@example.com", Password: "correct horse battery staple", FirstName: "A"}
	c, err := svc.RegisterWithoutSession(t.Context(), sh, in, core.ClientMeta{})
	if err != nil {
		t.Fatal(err)
	}
	ss, err := k.App.Store.ListSessions(t.Context(), sh.ID, c.ID)
	if err != nil || len(ss) != 0 {
		t.Fatalf("live sessions after sign-up: %v %v", ss, err)
	}
	groups, err := svc.CustomerGroups(t.Context(), sh.ID, c.ID)
	if err != nil || len(groups) != 1 || groups[0].Name != core.DefaultGroupName {
		t.Fatalf("groups %v %v", groups, err)
	}
	if _, err := svc.RegisterWithoutSession(t.Context(), sh, in, core.ClientMeta{}); core.CodeOf(err) != core.CodeEmailTaken {
		t.Fatalf("second sign-up: %v", err)
	}
}

func TestJoinDefaultGroup(t *testing.T) {
	k, sh := newSingleTokenEnv(t)
	svc := k.App.Service
	vip, err := svc.CreateGroup(t.Context(), sh.ID, core.GroupInput{Name: "VIP"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range []string{"g1@example.com", "g2@example.com", "g3@example.com", "g4@example.com"} {
		ids = append(ids, k.Register(e).ID)
	}
	if _, err := svc.SetCustomerGroups(t.Context(), sh.ID, ids[0], []string{vip.ID}); err != nil {
		t.Fatal(err)
	}
	// Concurrent first uses create the group once.
	var wg sync.WaitGroup
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Go(func() { errs[i] = svc.JoinDefaultGroup(t.Context(), sh.ID, id) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.JoinDefaultGroup(t.Context(), sh.ID, ids[0]); err != nil {
		t.Fatalf("joining twice: %v", err)
	}
	page, err := svc.Groups(t.Context(), sh.ID, core.Page{})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("groups %v %v", page.Items, err)
	}
	mine, _ := svc.CustomerGroups(t.Context(), sh.ID, ids[0])
	if len(mine) != 2 {
		t.Fatalf("the customer's other group must stay: %v", mine)
	}
}

func TestToggleWishlistProduct(t *testing.T) {
	k, sh := newSingleTokenEnv(t)
	svc := k.App.Service
	c := k.Register("toggle@example.com")
	p := &core.Principal{ShopID: sh.ID, CustomerID: c.ID, Scope: core.ScopeCustomer}
	it, added, err := svc.ToggleWishlistProduct(t.Context(), p, "42")
	if err != nil || !added || it.ProductID != "42" {
		t.Fatalf("first toggle: %v %v %v", it, added, err)
	}
	if _, added, err := svc.ToggleWishlistProduct(t.Context(), p, "7"); err != nil || !added {
		t.Fatalf("second product: %v", err)
	}
	gone, added, err := svc.ToggleWishlistProduct(t.Context(), p, "42")
	if err != nil || added || gone.ID != it.ID {
		t.Fatalf("second toggle must remove: %v %v %v", gone, added, err)
	}
	_, items, err := svc.AllDefaultWishlistItems(t.Context(), p)
	if err != nil || len(items) != 1 || items[0].ProductID != "7" {
		t.Fatalf("items %v %v", items, err)
	}
	if err := svc.ClearDefaultWishlist(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	if _, items, _ := svc.AllDefaultWishlistItems(t.Context(), p); len(items) != 0 {
		t.Fatalf("cleared list has %v", items)
	}
	other := &core.Principal{ShopID: sh.ID, CustomerID: k.Register("none@example.com").ID, Scope: core.ScopeCustomer}
	if w, items, err := svc.AllDefaultWishlistItems(t.Context(), other); err != nil || w != nil || len(items) != 0 {
		t.Fatalf("no list yet: %v %v %v", w, items, err)
	}
	if _, _, err := svc.ToggleWishlistProduct(t.Context(), p, " "); !errors.Is(err, core.ErrInvalid) {
		t.Fatalf("blank product: %v", err)
	}
}

func TestResolveMine(t *testing.T) {
	k, sh := newSingleTokenEnv(t)
	svc := k.App.Service
	a, b := k.Register("ra@example.com"), k.Register("rb@example.com")
	pa := &core.Principal{ShopID: sh.ID, CustomerID: a.ID, Scope: core.ScopeCustomer}
	addr, err := svc.CreateAddress(t.Context(), &core.Principal{ShopID: sh.ID, CustomerID: b.ID}, core.AddressInput{CountryCode: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	nums, err := svc.Aliases(t.Context(), sh.ID, core.AliasCustomer, a.ID, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := svc.ResolveMine(t.Context(), pa, core.AliasCustomer, nums[a.ID]); err != nil || id != a.ID {
		t.Fatalf("own record: %v %v", id, err)
	}
	addrNums, _ := svc.Aliases(t.Context(), sh.ID, core.AliasAddress, addr.ID)
	for _, tt := range []struct {
		kind core.AliasKind
		num  int64
	}{
		{core.AliasCustomer, nums[b.ID]}, {core.AliasAddress, addrNums[addr.ID]}, {core.AliasCustomer, 0},
		{core.AliasCustomer, core.MaxAlias + 1}, {core.AliasGroup, 1}, {core.AliasOrder, -1},
	} {
		if _, err := svc.ResolveMine(t.Context(), pa, tt.kind, tt.num); !errors.Is(err, core.ErrNotFound) {
			t.Fatalf("%s %d: %v, want not found", tt.kind, tt.num, err)
		}
	}
	if _, err := svc.Aliases(t.Context(), sh.ID, core.AliasCustomer, "cus_missing"); err == nil {
		t.Fatalf("an id without alias must fail")
	}
}

func TestCheckPasswordPolicy(t *testing.T) {
	k, sh := newSingleTokenEnv(t)
	svc := k.App.Service
	for _, tt := range []struct{ pw, email, code string }{
		{"correct horse battery staple", "a@example.com", ""},
		{"short", "", core.FieldTooShort},
		{"longpassword@example.com", "longpassword@example.com", core.FieldSameAsEmail},
		{"", "", core.FieldRequired},
	} {
		err := svc.CheckPasswordPolicy(sh, "new_password", tt.pw, tt.email)
		var ve *core.ValidationError
		switch {
		case tt.code == "" && err != nil:
			t.Fatalf("%q: %v", tt.pw, err)
		case tt.code != "" && (!errors.As(err, &ve) || ve.Fields[0].Code != tt.code || ve.Fields[0].Field != "new_password"):
			t.Fatalf("%q: %v, want %s", tt.pw, err, tt.code)
		}
	}
}
