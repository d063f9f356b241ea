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

// addrEnv is the real service on a temp store with two customers of one
// store, p and q.
type addrEnv struct {
	k    *testkit.Kit
	svc  *core.Service
	ctx  context.Context
	p, q *core.Principal
}

func newAddrEnv(t *testing.T, opts ...testkit.Option) *addrEnv {
	t.Helper()
	k := testkit.New(t, opts...)
	a, b := k.Register("addr-a@example.com"), k.Register("addr-b@example.com")
	return &addrEnv{
		k: k, svc: k.App.Service, ctx: t.Context(),
		p: &core.Principal{ShopID: k.Shop.ID, CustomerID: a.ID, Scope: core.ScopeCustomer},
		q: &core.Principal{ShopID: k.Shop.ID, CustomerID: b.ID, Scope: core.ScopeCustomer},
	}
}

// create adds an address one clock millisecond after the last, so ids
// (ULIDs) sort in creation order.
func (e *addrEnv) create(t *testing.T, p *core.Principal, in core.AddressInput) *core.SavedAddress {
	t.Helper()
	e.k.Clock.Advance(time.Millisecond)
	a, err := e.svc.CreateAddress(e.ctx, p, in)
	if err != nil {
		t.Fatalf("create address: %v", err)
	}
	return a
}

// defaults returns the customer's default billing and shipping ids.
func (e *addrEnv) defaults(t *testing.T, p *core.Principal) (billing, shipping string) {
	t.Helper()
	c, err := e.svc.Customer(e.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	return c.DefaultBillingAddressID, c.DefaultShippingAddressID
}

// eventTypes lists the types of the store's events of the given types, in order.
func (e *addrEnv) eventTypes(t *testing.T, types ...string) []string {
	t.Helper()
	page, err := e.svc.Events(e.ctx, e.k.Shop.ID, "", core.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range page.Items {
		if slices.Contains(types, ev.Type) {
			out = append(out, ev.Type)
		}
	}
	return out
}

// addrRef returns a pointer to a copy of v, for the optional fields.
func addrRef[T any](v T) *T { return &v }

// addrFieldCodes returns "field:code" for each field error of err.
func addrFieldCodes(err error) []string {
	var ve *core.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Field+":"+f.Code)
	}
	return out
}

func TestAddressValidation(t *testing.T) {
	e := newAddrEnv(t)
	ok := core.AddressInput{CountryCode: "US"}
	with := func(f func(in *core.AddressInput)) core.AddressInput {
		in := ok
		f(&in)
		return in
	}
	long := strings.Repeat("é", 256)
	tests := []struct {
		name string
		in   core.AddressInput
		want []string // field:code; nil means valid
	}{
		{"country only", ok, nil},
		{"lower-case country", core.AddressInput{CountryCode: " de "}, nil},
		{"every field at its limit", core.AddressInput{
			Label: strings.Repeat("l", 64), FirstName: long[:510], LastName: long[:510], Company: long[:510],
			Address1: long[:510], Address2: long[:510], City: long[:510], RegionCode: "a1b", RegionName: long[:510],
			PostalCode: strings.Repeat("9", 32), CountryCode: "gb", Phone: "+44 (0)20 7946-0000",
		}, nil},
		{"country missing", core.AddressInput{}, []string{"country_code:required"}},
		{"country blank", core.AddressInput{CountryCode: "  "}, []string{"country_code:required"}},
		{"country unknown", core.AddressInput{CountryCode: "XX"}, []string{"country_code:invalid"}},
		{"country reserved UK", core.AddressInput{CountryCode: "UK"}, []string{"country_code:invalid"}},
		{"country alpha-3", core.AddressInput{CountryCode: "USA"}, []string{"country_code:invalid"}},
		{"region too long", with(func(in *core.AddressInput) { in.RegionCode = "NYCX" }), []string{"region_code:invalid"}},
		{"region with a dash", with(func(in *core.AddressInput) { in.RegionCode = "US-NY" }), []string{"region_code:invalid"}},
		{"region not ASCII", with(func(in *core.AddressInput) { in.RegionCode = "ÑY" }), []string{"region_code:invalid"}},
		{"label too long", with(func(in *core.AddressInput) { in.Label = strings.Repeat("l", 65) }), []string{"label:too_long"}},
		{"names too long", with(func(in *core.AddressInput) { in.FirstName, in.LastName = long, long }), []string{"first_name:too_long", "last_name:too_long"}},
		{"company too long", with(func(in *core.AddressInput) { in.Company = long }), []string{"company:too_long"}},
		{"lines too long", with(func(in *core.AddressInput) { in.Address1, in.Address2 = long, long }), []string{"address1:too_long", "address2:too_long"}},
		{"city too long", with(func(in *core.AddressInput) { in.City = long }), []string{"city:too_long"}},
		{"region name too long", with(func(in *core.AddressInput) { in.RegionName = long }), []string{"region_name:too_long"}},
		{"postal code too long", with(func(in *core.AddressInput) { in.PostalCode = strings.Repeat("9", 33) }), []string{"postal_code:too_long"}},
		{"phone too long", with(func(in *core.AddressInput) { in.Phone = strings.Repeat("1", 33) }), []string{"phone:too_long"}},
		{"phone letters", with(func(in *core.AddressInput) { in.Phone = "call me" }), []string{"phone:invalid"}},
		{"control character", with(func(in *core.AddressInput) { in.City = "Paris\x00" }), []string{"city:invalid"}},
		{"invalid UTF-8", with(func(in *core.AddressInput) { in.Address1 = "\xff\xfe" }), []string{"address1:invalid"}},
		{"metadata too many keys", with(func(in *core.AddressInput) {
			in.Metadata = map[string]any{}
			for i := range 51 {
				in.Metadata[strings.Repeat("k", i+1)] = i
			}
		}), []string{"metadata:too_long"}},
		{"metadata empty key", with(func(in *core.AddressInput) { in.Metadata = map[string]any{"": 1} }), []string{"metadata:invalid"}},
		{"several at once", core.AddressInput{CountryCode: "ZZ", Label: strings.Repeat("l", 65)}, []string{"label:too_long", "country_code:invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.k.Clock.Advance(time.Millisecond)
			a, err := e.svc.CreateAddress(e.ctx, e.p, tt.in)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				if a.CountryCode != strings.ToUpper(strings.TrimSpace(tt.in.CountryCode)) || a.RegionCode != strings.ToUpper(tt.in.RegionCode) {
					t.Fatalf("codes not upper-cased: %q %q", a.CountryCode, a.RegionCode)
				}
				return
			}
			if !errors.Is(err, core.ErrInvalid) {
				t.Fatalf("got %v, want a validation error", err)
			}
			if got := addrFieldCodes(err); !slices.Equal(got, tt.want) {
				t.Fatalf("fields = %v, want %v", got, tt.want)
			}
		})
	}
	// Only the valid cases were stored.
	page, err := e.svc.Addresses(e.ctx, e.p, core.Page{Limit: 100})
	if err != nil || len(page.Items) != 3 {
		t.Fatalf("stored %d addresses (%v), want the 3 valid ones", len(page.Items), err)
	}
}

func TestAddressPatchValidation(t *testing.T) {
	e := newAddrEnv(t)
	a := e.create(t, e.p, core.AddressInput{CountryCode: "FR", City: "Paris"})
	tests := []struct {
		name  string
		patch core.AddressPatch
		want  []string
	}{
		{"nothing", core.AddressPatch{}, nil},
		{"clear optional", core.AddressPatch{City: addrRef(""), Label: addrRef("")}, nil},
		{"country cannot be cleared", core.AddressPatch{CountryCode: addrRef("")}, []string{"country_code:required"}},
		{"country unknown", core.AddressPatch{CountryCode: addrRef("EU")}, []string{"country_code:invalid"}},
		{"region invalid", core.AddressPatch{RegionCode: addrRef("ABCD")}, []string{"region_code:invalid"}},
		{"phone invalid", core.AddressPatch{Phone: addrRef("#1")}, []string{"phone:invalid"}},
		{"metadata oversized", core.AddressPatch{Metadata: &map[string]any{"k": strings.Repeat("x", 9000)}}, []string{"metadata:too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.UpdateAddress(e.ctx, e.p, a.ID, tt.patch)
			if got := addrFieldCodes(err); !slices.Equal(got, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("got %v (%v), want %v", got, err, tt.want)
			}
		})
	}
	got, err := e.svc.Address(e.ctx, e.p, a.ID)
	if err != nil || got.CountryCode != "FR" || got.City != "" {
		t.Fatalf("after patches: %+v, %v", got, err)
	}
}

// Each step applies to the customer's book; after it the defaults must be
// exactly the named addresses ("" for none), and every address's flags
// must agree with them.
func TestAddressDefaultsMove(t *testing.T) {
	type step struct {
		do                func(e *addrEnv, t *testing.T, ids map[string]string)
		billing, shipping string // names of addresses, "" for none
	}
	create := func(name string, in core.AddressInput) func(*addrEnv, *testing.T, map[string]string) {
		return func(e *addrEnv, t *testing.T, ids map[string]string) {
			in.CountryCode = "US"
			ids[name] = e.create(t, e.p, in).ID
		}
	}
	patch := func(name string, u core.AddressPatch) func(*addrEnv, *testing.T, map[string]string) {
		return func(e *addrEnv, t *testing.T, ids map[string]string) {
			if _, err := e.svc.UpdateAddress(e.ctx, e.p, ids[name], u); err != nil {
				t.Fatal(err)
			}
		}
	}
	del := func(name string) func(*addrEnv, *testing.T, map[string]string) {
		return func(e *addrEnv, t *testing.T, ids map[string]string) {
			if err := e.svc.DeleteAddress(e.ctx, e.p, ids[name]); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"no flags, no defaults", []step{
			{create("a", core.AddressInput{}), "", ""},
			{create("b", core.AddressInput{IsDefaultBilling: addrRef(false), IsDefaultShipping: addrRef(false)}), "", ""},
		}},
		{"set on create, then moved by a later create", []step{
			{create("a", core.AddressInput{IsDefaultBilling: addrRef(true)}), "a", ""},
			{create("b", core.AddressInput{IsDefaultShipping: addrRef(true)}), "a", "b"},
			{create("c", core.AddressInput{IsDefaultBilling: addrRef(true), IsDefaultShipping: addrRef(true)}), "c", "c"},
		}},
		{"moved by patch, cleared by false", []step{
			{create("a", core.AddressInput{IsDefaultBilling: addrRef(true), IsDefaultShipping: addrRef(true)}), "a", "a"},
			{create("b", core.AddressInput{}), "a", "a"},
			{patch("b", core.AddressPatch{IsDefaultBilling: addrRef(true)}), "b", "a"},
			{patch("a", core.AddressPatch{IsDefaultBilling: addrRef(false)}), "b", "a"}, // not the default: no-op
			{patch("a", core.AddressPatch{IsDefaultShipping: addrRef(false)}), "b", ""},
			{patch("b", core.AddressPatch{City: addrRef("Boston")}), "b", ""}, // other fields leave defaults
		}},
		{"deleting the default clears only it", []step{
			{create("a", core.AddressInput{IsDefaultBilling: addrRef(true)}), "a", ""},
			{create("b", core.AddressInput{IsDefaultShipping: addrRef(true)}), "a", "b"},
			{del("a"), "", "b"},
			{del("b"), "", ""},
		}},
		{"deleting another address keeps the defaults", []step{
			{create("a", core.AddressInput{IsDefaultBilling: addrRef(true), IsDefaultShipping: addrRef(true)}), "a", "a"},
			{create("b", core.AddressInput{}), "a", "a"},
			{del("b"), "a", "a"},
		}},
		{"default if first", []step{
			{create("a", core.AddressInput{DefaultIfFirst: true}), "a", "a"},
			{create("b", core.AddressInput{DefaultIfFirst: true}), "a", "a"},
		}},
		{"default if first yields to explicit flags", []step{
			{create("a", core.AddressInput{DefaultIfFirst: true, IsDefaultShipping: addrRef(false)}), "a", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAddrEnv(t)
			ids := map[string]string{}
			for i, st := range tt.steps {
				st.do(e, t, ids)
				billing, shipping := e.defaults(t, e.p)
				if billing != ids[st.billing] || shipping != ids[st.shipping] {
					t.Fatalf("step %d: defaults = (%q, %q), want (%s=%q, %s=%q)", i, billing, shipping, st.billing, ids[st.billing], st.shipping, ids[st.shipping])
				}
				page, err := e.svc.Addresses(e.ctx, e.p, core.Page{})
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range page.Items {
					if a.IsDefaultBilling != (a.ID == billing) || a.IsDefaultShipping != (a.ID == shipping) {
						t.Fatalf("step %d: %s flags (%v, %v) disagree with the customer", i, a.ID, a.IsDefaultBilling, a.IsDefaultShipping)
					}
				}
			}
			// The other customer of the store was never touched.
			if b, s := e.defaults(t, e.q); b != "" || s != "" {
				t.Fatalf("bystander defaults = (%q, %q)", b, s)
			}
		})
	}
}

func TestAddressEvents(t *testing.T) {
	e := newAddrEnv(t)
	types := []string{core.EventAddressCreated, core.EventAddressUpdated, core.EventAddressDeleted, core.EventCustomerUpdated}
	seen := 0
	// wantNew checks the events the last step wrote. Events of one
	// transaction share a millisecond, so their order is not compared.
	wantNew := func(want ...string) {
		t.Helper()
		all := e.eventTypes(t, types...)
		got := slices.Sorted(slices.Values(all[seen:]))
		if slices.Sort(want); !slices.Equal(got, want) {
			t.Fatalf("new events = %v, want %v", got, want)
		}
		seen = len(all)
	}
	a := e.create(t, e.p, core.AddressInput{CountryCode: "US"})
	wantNew("address.created")
	b := e.create(t, e.p, core.AddressInput{CountryCode: "US", IsDefaultBilling: addrRef(true)})
	wantNew("address.created", "customer.updated") // b took the billing default
	e.k.Clock.Advance(time.Millisecond)
	if _, err := e.svc.UpdateAddress(e.ctx, e.p, a.ID, core.AddressPatch{City: addrRef("Austin")}); err != nil {
		t.Fatal(err)
	}
	wantNew("address.updated")
	e.k.Clock.Advance(time.Millisecond)
	if err := e.svc.DeleteAddress(e.ctx, e.p, b.ID); err != nil {
		t.Fatal(err)
	}
	wantNew("address.deleted", "customer.updated") // deleting b cleared it
	e.k.Clock.Advance(time.Millisecond)
	if err := e.svc.DeleteAddress(e.ctx, e.p, b.ID); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	wantNew() // a failed write leaves no event
}

func TestAddressOwnership(t *testing.T) {
	e := newAddrEnv(t)
	theirs := e.create(t, e.q, core.AddressInput{CountryCode: "US", City: "Reno", IsDefaultBilling: addrRef(true)})
	if _, err := e.svc.Address(e.ctx, e.p, theirs.ID); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("get: %v", err)
	}
	if _, err := e.svc.UpdateAddress(e.ctx, e.p, theirs.ID, core.AddressPatch{City: addrRef("Hijacked"), IsDefaultShipping: addrRef(true)}); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("update: %v", err)
	}
	if err := e.svc.DeleteAddress(e.ctx, e.p, theirs.ID); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("delete: %v", err)
	}
	got, err := e.svc.Address(e.ctx, e.q, theirs.ID)
	if err != nil || got.City != "Reno" || !got.IsDefaultBilling {
		t.Fatalf("owner's address changed: %+v, %v", got, err)
	}
	if b, s := e.defaults(t, e.p); b != "" || s != "" {
		t.Fatalf("caller's defaults = (%q, %q): another customer's address became one", b, s)
	}
	// Another store's principal, and a guest, see nothing.
	other := e.k.NewShop("Other")
	if _, err := e.svc.Address(e.ctx, &core.Principal{ShopID: other.Shop.ID, CustomerID: e.q.CustomerID}, theirs.ID); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("other store: %v", err)
	}
	if _, err := e.svc.Addresses(e.ctx, &core.Principal{ShopID: e.k.Shop.ID}, core.Page{}); !errors.Is(err, core.ErrUnauthenticated) {
		t.Fatalf("guest: %v", err)
	}
	if _, err := e.svc.AdminAddresses(e.ctx, other.Shop.ID, e.q.CustomerID, core.Page{}); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("admin of another store: %v", err)
	}
}

func TestAddressCap(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.Caps.Addresses = 2
	e := newAddrEnv(t, testkit.WithCore(cfg))
	first := e.create(t, e.p, core.AddressInput{CountryCode: "US"})
	e.create(t, e.p, core.AddressInput{CountryCode: "US"})
	_, err := e.svc.CreateAddress(e.ctx, e.p, core.AddressInput{CountryCode: "US"})
	if got := addrFieldCodes(err); !slices.Equal(got, []string{"addresses:" + core.FieldLimitReached}) {
		t.Fatalf("third address: %v (%v)", got, err)
	}
	// The cap is per customer, and deleting frees a place.
	e.create(t, e.q, core.AddressInput{CountryCode: "US"})
	if err := e.svc.DeleteAddress(e.ctx, e.p, first.ID); err != nil {
		t.Fatal(err)
	}
	e.create(t, e.p, core.AddressInput{CountryCode: "US"})
}

func TestAddressPages(t *testing.T) {
	e := newAddrEnv(t)
	var want []string
	for range 5 {
		want = append(want, e.create(t, e.p, core.AddressInput{CountryCode: "US"}).ID)
	}
	var got []string
	pg := core.Page{Limit: 2}
	for {
		page, err := e.svc.AdminAddresses(e.ctx, e.k.Shop.ID, e.p.CustomerID, pg)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Items {
			got = append(got, a.ID)
		}
		if page.Next == "" {
			break
		}
		pg.Cursor = page.Next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("pages = %v, want %v", got, want)
	}
	if _, err := e.svc.Addresses(e.ctx, e.p, core.Page{Limit: 101}); !errors.Is(err, core.ErrInvalid) {
		t.Fatalf("limit 101: %v", err)
	}
}
