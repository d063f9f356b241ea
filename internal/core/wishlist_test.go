package core_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// wishlistEnv is the real service on a temp store with one registered
// customer (p) and another (q) of the same store.
type wishlistEnv struct {
	k    *testkit.Kit
	svc  *core.Service
	ctx  context.Context
	p, q *core.Principal
}

func newWishlistEnv(t *testing.T, caps *core.Caps) *wishlistEnv {
	t.Helper()
	var opts []testkit.Option
	if caps != nil {
		cfg := core.DefaultConfig()
		cfg.Caps = *caps
		opts = append(opts, testkit.WithCore(cfg))
	}
	k := testkit.New(t, opts...)
	a, b := k.Register("wl-a@example.com"), k.Register("wl-b@example.com")
	return &wishlistEnv{
		k: k, svc: k.App.Service, ctx: t.Context(),
		p: &core.Principal{ShopID: k.Shop.ID, CustomerID: a.ID, Scope: core.ScopeCustomer},
		q: &core.Principal{ShopID: k.Shop.ID, CustomerID: b.ID, Scope: core.ScopeCustomer},
	}
}

// create makes a list, one clock millisecond after the last, so ids (ULIDs)
// sort in creation order.
func (e *wishlistEnv) create(t *testing.T, p *core.Principal, in core.NewWishlist) *core.WishlistView {
	t.Helper()
	e.k.Clock.Advance(time.Millisecond)
	w, err := e.svc.CreateWishlist(e.ctx, p, in)
	if err != nil {
		t.Fatalf("create wishlist: %v", err)
	}
	return w
}

func (e *wishlistEnv) add(t *testing.T, p *core.Principal, listID string, in core.NewWishlistItem) (*core.WishlistItem, bool) {
	t.Helper()
	e.k.Clock.Advance(time.Millisecond)
	it, created, err := e.svc.AddWishlistItem(e.ctx, p, listID, in)
	if err != nil {
		t.Fatalf("add item: %v", err)
	}
	return it, created
}

func (e *wishlistEnv) get(t *testing.T, id string) *core.WishlistView {
	t.Helper()
	w, err := e.svc.Wishlist(e.ctx, e.p, id)
	if err != nil {
		t.Fatalf("get wishlist %s: %v", id, err)
	}
	return w
}

// events returns the types of the store's wishlist events, sorted: the
// events of one transaction share a clock millisecond, and ids (ULIDs) of
// one millisecond do not sort in creation order.
func (e *wishlistEnv) events(t *testing.T) []string {
	t.Helper()
	pg, err := e.svc.Events(e.ctx, e.k.Shop.ID, "", core.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range pg.Items {
		if strings.HasPrefix(ev.Type, "wishlist.") {
			out = append(out, ev.Type)
		}
	}
	slices.Sort(out)
	return out
}

// sortedWishlistEvents returns a sorted copy of event types, to compare with events.
func sortedWishlistEvents(types ...string) []string {
	out := slices.Clone(types)
	slices.Sort(out)
	return out
}

// wantWishlistField fails unless err is a validation error naming field with code.
func wantWishlistField(t *testing.T, err error, field, code string) {
	t.Helper()
	var ve *core.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a validation error on %s", err, field)
	}
	for _, f := range ve.Fields {
		if f.Field == field && f.Code == code {
			return
		}
	}
	t.Fatalf("fields = %+v, want %s/%s", ve.Fields, field, code)
}

// wlRef returns a pointer to a copy of v, for the optional inputs.
func wlRef[T any](v T) *T { return &v }

func TestWishlistValidation(t *testing.T) {
	e := newWishlistEnv(t, nil)
	list := e.create(t, e.p, core.NewWishlist{Name: "Mine"})
	item, _ := e.add(t, e.p, list.ID, core.NewWishlistItem{ProductID: "p1"})
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name        string
		call        func() error
		field, code string
	}{
		{"name_required", func() error { _, err := e.svc.CreateWishlist(e.ctx, e.p, core.NewWishlist{Name: "  "}); return err }, "name", core.FieldRequired},
		{"name_too_long", func() error {
			_, err := e.svc.CreateWishlist(e.ctx, e.p, core.NewWishlist{Name: long(101)})
			return err
		}, "name", core.FieldTooLong},
		{"name_control_chars", func() error { _, err := e.svc.CreateWishlist(e.ctx, e.p, core.NewWishlist{Name: "a\x00b"}); return err }, "name", core.FieldInvalid},
		{"metadata_too_many_keys", func() error {
			md := map[string]any{}
			for i := range 51 {
				md[long(i+1)] = i
			}
			_, err := e.svc.CreateWishlist(e.ctx, e.p, core.NewWishlist{Name: "x", Metadata: md})
			return err
		}, "metadata", core.FieldTooLong},
		{"patch_name_empty", func() error {
			_, err := e.svc.UpdateWishlist(e.ctx, e.p, list.ID, core.WishlistPatch{Name: wlRef("")})
			return err
		}, "name", core.FieldRequired},
		{"patch_unset_the_default", func() error {
			_, err := e.svc.UpdateWishlist(e.ctx, e.p, list.ID, core.WishlistPatch{IsDefault: wlRef(false)})
			return err
		}, "is_default", core.FieldInvalid},
		{"product_required", func() error {
			_, _, err := e.svc.AddWishlistItem(e.ctx, e.p, list.ID, core.NewWishlistItem{ProductID: " "})
			return err
		}, "product_id", core.FieldRequired},
		{"product_too_long", func() error {
			_, _, err := e.svc.AddWishlistItem(e.ctx, e.p, list.ID, core.NewWishlistItem{ProductID: long(256)})
			return err
		}, "product_id", core.FieldTooLong},
		{"variant_too_long", func() error {
			_, _, err := e.svc.AddWishlistItem(e.ctx, e.p, list.ID, core.NewWishlistItem{ProductID: "p", VariantID: long(256)})
			return err
		}, "variant_id", core.FieldTooLong},
		{"quantity_zero", func() error {
			_, _, err := e.svc.AddWishlistItem(e.ctx, e.p, list.ID, core.NewWishlistItem{ProductID: "p", Quantity: wlRef(0)})
			return err
		}, "quantity", core.FieldInvalid},
		{"quantity_too_big", func() error {
			_, _, err := e.svc.AddWishlistItem(e.ctx, e.p, list.ID, core.NewWishlistItem{ProductID: "p", Quantity: wlRef(10001)})
			return err
		}, "quantity", core.FieldInvalid},
		{"note_too_long", func() error {
			_, _, err := e.svc.AddWishlistItem(e.ctx, e.p, list.ID, core.NewWishlistItem{ProductID: "p", Note: wlRef(long(1001))})
			return err
		}, "note", core.FieldTooLong},
		{"priority_negative", func() error {
			_, _, err := e.svc.AddWishlistItem(e.ctx, e.p, list.ID, core.NewWishlistItem{ProductID: "p", Priority: wlRef(-1)})
			return err
		}, "priority", core.FieldInvalid},
		{"priority_above_5", func() error {
			_, err := e.svc.UpdateWishlistItem(e.ctx, e.p, list.ID, item.ID, core.WishlistItemPatch{Priority: wlRef(6)})
			return err
		}, "priority", core.FieldInvalid},
		{"patch_quantity_negative", func() error {
			_, err := e.svc.UpdateWishlistItem(e.ctx, e.p, list.ID, item.ID, core.WishlistItemPatch{Quantity: wlRef(-3)})
			return err
		}, "quantity", core.FieldInvalid},
		{"merge_past_the_quantity_bound", func() error {
			_, _, err := e.svc.AddWishlistItem(e.ctx, e.p, list.ID, core.NewWishlistItem{ProductID: "p1", Quantity: wlRef(10000)})
			return err
		}, "quantity", core.FieldInvalid},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			wantWishlistField(t, tt.call(), tt.field, tt.code)
		})
	}
	// Nothing above changed anything.
	if got := e.get(t, list.ID); got.ItemCount != 1 || !got.IsDefault || got.Name != "Mine" {
		t.Fatalf("list changed: %+v", got)
	}
	if got := e.events(t); !slices.Equal(got, sortedWishlistEvents(core.EventWishlistCreated, core.EventWishlistItemAdded)) {
		t.Fatalf("events = %v", got)
	}
}

func TestWishlistDefaultFlag(t *testing.T) {
	e := newWishlistEnv(t, nil)
	first := e.create(t, e.p, core.NewWishlist{Name: "First"})
	second := e.create(t, e.p, core.NewWishlist{Name: "Second"})
	if !first.IsDefault || second.IsDefault {
		t.Fatalf("the first list is the default: first %v, second %v", first.IsDefault, second.IsDefault)
	}
	// Another customer's first list is their own default.
	if other := e.create(t, e.q, core.NewWishlist{Name: "Theirs"}); !other.IsDefault {
		t.Fatal("another customer's first list is not their default")
	}

	// Creating with is_default moves the flag.
	third := e.create(t, e.p, core.NewWishlist{Name: "Third", IsDefault: true})
	if !third.IsDefault || e.get(t, first.ID).IsDefault {
		t.Fatal("is_default on create did not move the flag")
	}
	// Patching is_default moves it back.
	if _, err := e.svc.UpdateWishlist(e.ctx, e.p, second.ID, core.WishlistPatch{IsDefault: wlRef(true)}); err != nil {
		t.Fatal(err)
	}
	defaults := func() []string {
		var out []string
		pg, err := e.svc.Wishlists(e.ctx, e.p, core.Page{})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range pg.Items {
			if w.IsDefault {
				out = append(out, w.Name)
			}
		}
		return out
	}
	if got := defaults(); !slices.Equal(got, []string{"Second"}) {
		t.Fatalf("defaults = %v, want [Second]", got)
	}
	// Deleting the default makes the oldest remaining list the default.
	if err := e.svc.DeleteWishlist(e.ctx, e.p, second.ID); err != nil {
		t.Fatal(err)
	}
	if got := defaults(); !slices.Equal(got, []string{"First"}) {
		t.Fatalf("defaults after delete = %v, want [First]", got)
	}
	// Deleting a list that is not the default moves nothing.
	if err := e.svc.DeleteWishlist(e.ctx, e.p, third.ID); err != nil {
		t.Fatal(err)
	}
	if got := defaults(); !slices.Equal(got, []string{"First"}) {
		t.Fatalf("defaults = %v, want [First]", got)
	}
	want := sortedWishlistEvents(
		core.EventWishlistCreated, core.EventWishlistCreated, core.EventWishlistCreated, // first, second, theirs
		core.EventWishlistUpdated, core.EventWishlistCreated, // first loses the flag, third
		core.EventWishlistUpdated, core.EventWishlistUpdated, // third loses it, second takes it
		core.EventWishlistDeleted, core.EventWishlistUpdated, // second goes, first takes it
		core.EventWishlistDeleted, // third goes
	)
	if got := e.events(t); !slices.Equal(got, want) {
		t.Fatalf("events =\n %v\nwant\n %v", got, want)
	}
}

func TestDefaultWishlist(t *testing.T) {
	e := newWishlistEnv(t, nil)
	if _, err := e.svc.DefaultWishlist(e.ctx, e.p, false); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("without lists and create=false: err = %v, want not found", err)
	}
	w, err := e.svc.DefaultWishlist(e.ctx, e.p, true)
	if err != nil {
		t.Fatal(err)
	}
	if w.Name != core.DefaultWishlistName || !w.IsDefault || !w.IsPrivate || w.ShareToken != "" {
		t.Fatalf("created default = %+v", w)
	}
	again, err := e.svc.DefaultWishlist(e.ctx, e.p, true)
	if err != nil || again.ID != w.ID {
		t.Fatalf("second call = %v, %v; want the same list", again, err)
	}
	other := e.create(t, e.p, core.NewWishlist{Name: "Other", IsDefault: true})
	if got, err := e.svc.DefaultWishlist(e.ctx, e.p, false); err != nil || got.ID != other.ID {
		t.Fatalf("default = %v, %v; want %s", got, err, other.ID)
	}
}

func TestWishlistSharing(t *testing.T) {
	e := newWishlistEnv(t, nil)
	private := e.create(t, e.p, core.NewWishlist{Name: "Private"})
	if !private.IsPrivate || private.ShareToken != "" {
		t.Fatalf("lists are private by default: %+v", private)
	}
	public := e.create(t, e.p, core.NewWishlist{Name: "Public", IsPrivate: wlRef(false)})
	tok := public.ShareToken
	// 192 random bits, base64url without padding, after the prefix.
	if !strings.HasPrefix(tok, "wls_") || len(tok) != len("wls_")+32 || strings.ContainsAny(tok, "+/=") {
		t.Fatalf("share token %q", tok)
	}
	e.add(t, e.p, public.ID, core.NewWishlistItem{ProductID: "p1"})
	e.add(t, e.p, public.ID, core.NewWishlistItem{ProductID: "p2"})

	got, items, err := e.svc.SharedWishlist(e.ctx, e.k.Shop.ID, tok, core.Page{Limit: 1})
	if err != nil || got.ID != public.ID || got.ItemCount != 2 || len(items.Items) != 1 || items.Next == "" {
		t.Fatalf("shared = %+v, %+v, %v", got, items, err)
	}
	_, rest, err := e.svc.SharedWishlist(e.ctx, e.k.Shop.ID, tok, core.Page{Limit: 1, Cursor: items.Next})
	if err != nil || len(rest.Items) != 1 || rest.Items[0].ProductID != "p2" || rest.Next != "" {
		t.Fatalf("second page = %+v, %v", rest, err)
	}

	other := e.k.NewShop("Other store")
	for name, tc := range map[string]struct{ shop, token string }{
		"another_store": {other.Shop.ID, tok},
		"unknown_token": {e.k.Shop.ID, "wls_" + strings.Repeat("A", 32)},
		"no_prefix":     {e.k.Shop.ID, strings.TrimPrefix(tok, "wls_")},
		"empty":         {e.k.Shop.ID, ""},
	} {
		if _, _, err := e.svc.SharedWishlist(e.ctx, tc.shop, tc.token, core.Page{}); !errors.Is(err, core.ErrNotFound) {
			t.Errorf("%s: err = %v, want not found", name, err)
		}
	}

	// Going private kills the link; going public again makes a new one.
	up, err := e.svc.UpdateWishlist(e.ctx, e.p, public.ID, core.WishlistPatch{IsPrivate: wlRef(true)})
	if err != nil || up.ShareToken != "" {
		t.Fatalf("unshare = %+v, %v", up, err)
	}
	if _, _, err := e.svc.SharedWishlist(e.ctx, e.k.Shop.ID, tok, core.Page{}); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("old link after unsharing: err = %v", err)
	}
	again, err := e.svc.UpdateWishlist(e.ctx, e.p, public.ID, core.WishlistPatch{IsPrivate: wlRef(false)})
	if err != nil || again.ShareToken == "" || again.ShareToken == tok {
		t.Fatalf("reshare = %+v, %v; want a new token", again, err)
	}
	// Sharing an already public list keeps its token.
	same, err := e.svc.UpdateWishlist(e.ctx, e.p, public.ID, core.WishlistPatch{IsPrivate: wlRef(false)})
	if err != nil || same.ShareToken != again.ShareToken {
		t.Fatalf("re-sharing a public list changed the token: %v, %v", same, err)
	}
	// No event carries the token.
	pg, err := e.svc.Events(e.ctx, e.k.Shop.ID, "", core.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range pg.Items {
		for k, v := range ev.Data {
			if s, ok := v.(string); ok && strings.HasPrefix(s, "wls_") {
				t.Fatalf("event %s carries the share token in %s", ev.Type, k)
			}
		}
	}
}

func TestWishlistItems(t *testing.T) {
	e := newWishlistEnv(t, nil)
	list := e.create(t, e.p, core.NewWishlist{Name: "Mine"})
	first, created := e.add(t, e.p, list.ID, core.NewWishlistItem{ProductID: " sku-1 ", VariantID: "v1", Note: wlRef("blue")})
	if !created || first.Quantity != 1 || first.ProductID != "sku-1" || first.Priority != 0 || first.Note != "blue" {
		t.Fatalf("added = %+v, created %v", first, created)
	}
	// The same product and variant again adds to the quantity; a note or
	// priority sent replaces the old one, one not sent keeps it.
	merged, created := e.add(t, e.p, list.ID, core.NewWishlistItem{ProductID: "sku-1", VariantID: "v1", Quantity: wlRef(3), Priority: wlRef(2)})
	if created || merged.ID != first.ID || merged.Quantity != 4 || merged.Priority != 2 || merged.Note != "blue" {
		t.Fatalf("merged = %+v, created %v", merged, created)
	}
	// Another variant, or none, is another item.
	if _, created := e.add(t, e.p, list.ID, core.NewWishlistItem{ProductID: "sku-1", VariantID: "v2"}); !created {
		t.Fatal("another variant merged")
	}
	if _, created := e.add(t, e.p, list.ID, core.NewWishlistItem{ProductID: "sku-1"}); !created {
		t.Fatal("the product without a variant merged")
	}
	up, err := e.svc.UpdateWishlistItem(e.ctx, e.p, list.ID, first.ID, core.WishlistItemPatch{Quantity: wlRef(9), Note: wlRef("")})
	if err != nil || up.Quantity != 9 || up.Note != "" || up.Priority != 2 {
		t.Fatalf("update = %+v, %v", up, err)
	}
	if err := e.svc.DeleteWishlistItem(e.ctx, e.p, list.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	pg, err := e.svc.WishlistItems(e.ctx, e.p, list.ID, core.Page{})
	if err != nil || len(pg.Items) != 2 || pg.Next != "" {
		t.Fatalf("items = %+v, %v", pg, err)
	}
	if got := e.get(t, list.ID).ItemCount; got != 2 {
		t.Fatalf("item_count = %d, want 2", got)
	}
	want := sortedWishlistEvents(
		core.EventWishlistCreated, core.EventWishlistItemAdded, core.EventWishlistItemUpdated,
		core.EventWishlistItemAdded, core.EventWishlistItemAdded, core.EventWishlistItemUpdated, core.EventWishlistItemRemoved,
	)
	if got := e.events(t); !slices.Equal(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
}

func TestWishlistCaps(t *testing.T) {
	e := newWishlistEnv(t, &core.Caps{Addresses: 1, Wishlists: 2, WishlistItems: 2, PaymentMethods: 1})
	list := e.create(t, e.p, core.NewWishlist{Name: "One"})
	e.create(t, e.p, core.NewWishlist{Name: "Two"})
	_, err := e.svc.CreateWishlist(e.ctx, e.p, core.NewWishlist{Name: "Three"})
	wantWishlistField(t, err, "wishlists", "limit_reached")
	// The cap is per customer.
	e.create(t, e.q, core.NewWishlist{Name: "Theirs"})

	e.add(t, e.p, list.ID, core.NewWishlistItem{ProductID: "a"})
	e.add(t, e.p, list.ID, core.NewWishlistItem{ProductID: "b"})
	_, _, err = e.svc.AddWishlistItem(e.ctx, e.p, list.ID, core.NewWishlistItem{ProductID: "c"})
	wantWishlistField(t, err, "items", "limit_reached")
	// A product already on the full list still merges.
	if it, created := e.add(t, e.p, list.ID, core.NewWishlistItem{ProductID: "a"}); created || it.Quantity != 2 {
		t.Fatalf("merge on a full list = %+v, created %v", it, created)
	}
	// DefaultWishlist never needs to create past the cap: the customer has one.
	if _, err := e.svc.DefaultWishlist(e.ctx, e.p, true); err != nil {
		t.Fatal(err)
	}
}

// Every method answers ErrNotFound for another customer's list or item and
// changes nothing (SECURITY.md 27).
func TestWishlistOwnership(t *testing.T) {
	e := newWishlistEnv(t, nil)
	theirs := e.create(t, e.q, core.NewWishlist{Name: "Theirs", IsPrivate: wlRef(false)})
	theirItem, _ := e.add(t, e.q, theirs.ID, core.NewWishlistItem{ProductID: "p"})
	mine := e.create(t, e.p, core.NewWishlist{Name: "Mine"})
	before := e.events(t)
	calls := map[string]func() error{
		"get": func() error { _, err := e.svc.Wishlist(e.ctx, e.p, theirs.ID); return err },
		"update": func() error {
			_, err := e.svc.UpdateWishlist(e.ctx, e.p, theirs.ID, core.WishlistPatch{Name: wlRef("x")})
			return err
		},
		"make_default": func() error {
			_, err := e.svc.UpdateWishlist(e.ctx, e.p, theirs.ID, core.WishlistPatch{IsDefault: wlRef(true)})
			return err
		},
		"delete":     func() error { return e.svc.DeleteWishlist(e.ctx, e.p, theirs.ID) },
		"list_items": func() error { _, err := e.svc.WishlistItems(e.ctx, e.p, theirs.ID, core.Page{}); return err },
		"add_item": func() error {
			_, _, err := e.svc.AddWishlistItem(e.ctx, e.p, theirs.ID, core.NewWishlistItem{ProductID: "p"})
			return err
		},
		"get_item": func() error { _, err := e.svc.WishlistItem(e.ctx, e.p, theirs.ID, theirItem.ID); return err },
		"update_item": func() error {
			_, err := e.svc.UpdateWishlistItem(e.ctx, e.p, theirs.ID, theirItem.ID, core.WishlistItemPatch{Quantity: wlRef(5)})
			return err
		},
		"delete_item": func() error { return e.svc.DeleteWishlistItem(e.ctx, e.p, theirs.ID, theirItem.ID) },
		// Their item through my list.
		"get_item_via_my_list": func() error { _, err := e.svc.WishlistItem(e.ctx, e.p, mine.ID, theirItem.ID); return err },
		"update_item_via_my_list": func() error {
			_, err := e.svc.UpdateWishlistItem(e.ctx, e.p, mine.ID, theirItem.ID, core.WishlistItemPatch{Quantity: wlRef(5)})
			return err
		},
		"delete_item_via_my_list": func() error { return e.svc.DeleteWishlistItem(e.ctx, e.p, mine.ID, theirItem.ID) },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, core.ErrNotFound) {
			t.Errorf("%s: err = %v, want not found", name, err)
		}
	}
	got, err := e.svc.Wishlist(e.ctx, e.q, theirs.ID)
	if err != nil || got.Name != "Theirs" || !got.IsDefault || got.ItemCount != 1 {
		t.Fatalf("their list changed: %+v, %v", got, err)
	}
	it, err := e.svc.WishlistItem(e.ctx, e.q, theirs.ID, theirItem.ID)
	if err != nil || it.Quantity != 1 {
		t.Fatalf("their item changed: %+v, %v", it, err)
	}
	if !e.get(t, mine.ID).IsDefault {
		t.Fatal("my default moved")
	}
	if after := e.events(t); !slices.Equal(after, before) {
		t.Fatalf("refused calls wrote events: %v", after[len(before):])
	}
}

// Concurrent writers keep the rules on both stores: one default for a
// customer whose first lists are created at once (the unique index and a
// retry), and one item whose quantity is the sum when the same product is
// added at once (the list row lock on PostgreSQL, the single writer on
// SQLite).
func TestWishlistConcurrentWrites(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run("db="+db, func(t *testing.T) {
			var opts []testkit.Option
			if db == "postgres" {
				opts = append(opts, testkit.WithPostgres(t))
			}
			k := testkit.New(t, opts...)
			c := k.Register("race@example.com")
			p := &core.Principal{ShopID: k.Shop.ID, CustomerID: c.ID, Scope: core.ScopeCustomer}
			svc, ctx := k.App.Service, t.Context()
			const n = 8
			errs := make(chan error, n)
			start := make(chan struct{})
			for range n {
				go func() {
					<-start
					_, err := svc.CreateWishlist(ctx, p, core.NewWishlist{Name: "Race"})
					errs <- err
				}()
			}
			close(start)
			for range n {
				if err := <-errs; err != nil {
					t.Fatalf("create: %v", err)
				}
			}
			lists, err := svc.Wishlists(ctx, p, core.Page{})
			if err != nil {
				t.Fatal(err)
			}
			defaults := 0
			for _, w := range lists.Items {
				if w.IsDefault {
					defaults++
				}
			}
			if len(lists.Items) != n || defaults != 1 {
				t.Fatalf("%d lists with %d defaults, want %d with 1", len(lists.Items), defaults, n)
			}

			listID := lists.Items[0].ID
			start = make(chan struct{})
			for range n {
				go func() {
					<-start
					_, _, err := svc.AddWishlistItem(ctx, p, listID, core.NewWishlistItem{ProductID: "same", Quantity: wlRef(2)})
					errs <- err
				}()
			}
			close(start)
			for range n {
				if err := <-errs; err != nil {
					t.Fatalf("add: %v", err)
				}
			}
			items, err := svc.WishlistItems(ctx, p, listID, core.Page{})
			if err != nil {
				t.Fatal(err)
			}
			if len(items.Items) != 1 || items.Items[0].Quantity != 2*n {
				t.Fatalf("items = %+v, want one with quantity %d", items.Items, 2*n)
			}
		})
	}
}
