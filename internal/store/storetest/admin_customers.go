package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// searchFixture inserts customers of one shop in an order other than their
// ids', so a result in id order proves the store sorted it.
type searchFixture struct {
	shop *core.Shop
	byID map[string]*core.Customer
}

// person is one customer to insert: e-mail as normalised, names, status.
type person struct {
	email, first, last string
	status             core.CustomerStatus
}

func newSearchFixture(t *testing.T, s core.Store, people ...person) (*searchFixture, []string) {
	t.Helper()
	f := &searchFixture{shop: newShop(t, s), byID: map[string]*core.Customer{}}
	return f, f.add(t, s, f.shop.ID, people...)
}

// add inserts people into shopID and returns their ids in the order given
// (which is id order: newID is increasing); they are inserted in reverse.
func (f *searchFixture) add(t *testing.T, s core.Store, shopID string, people ...person) []string {
	t.Helper()
	cs := make([]*core.Customer, len(people))
	ids := make([]string, len(people))
	for i, p := range people {
		c := customerFixture(shopID, p.email)
		c.FirstName, c.LastName = p.first, p.last
		if p.status != "" {
			c.Status = p.status
		}
		cs[i], ids[i] = c, c.ID
	}
	for i := len(cs) - 1; i >= 0; i-- {
		must(t, s.CreateCustomer(t.Context(), cs[i]))
		f.byID[cs[i].ID] = cs[i]
	}
	return ids
}

func customerIDs(cs []core.Customer) []string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// search runs SearchCustomers and compares the ids found.
func search(t *testing.T, s core.Store, shopID string, q core.CustomerQuery, after string, limit int, want []string) []core.Customer {
	t.Helper()
	got, err := s.SearchCustomers(t.Context(), shopID, q, after, limit)
	must(t, err)
	if want == nil {
		want = []string{}
	}
	wantEqual(t, customerIDs(got), want)
	return got
}

var searchPeople = []person{
	{"ann@example.com", "Ann", "Lee", ""},
	{"anna@shop.example", "Anna", "Lovelace", ""},
	{"an_x@example.com", "Grace", "Hopper", ""},
	{"bob@example.com", "Émile", "Zola", core.StatusDisabled},
	{"a%b@example.com", "Zoë", "O'Brien", ""},
}

// adminCustomerCases returns the cases of admin customer search.
func adminCustomerCases() []methodCases {
	return []methodCases{
		{"SearchCustomers", []testCase{
			{"no_filter_all_by_id_with_every_field", func(t *testing.T, s core.Store) {
				f, ids := newSearchFixture(t, s, searchPeople...)
				got := search(t, s, f.shop.ID, core.CustomerQuery{}, "", 10, ids)
				for i := range got {
					wantEqual(t, &got[i], f.byID[got[i].ID])
				}
			}},
			{"pages_after_id", func(t *testing.T, s core.Store) {
				f, ids := newSearchFixture(t, s, searchPeople...)
				search(t, s, f.shop.ID, core.CustomerQuery{}, "", 2, ids[:2])
				search(t, s, f.shop.ID, core.CustomerQuery{}, ids[1], 2, ids[2:4])
				search(t, s, f.shop.ID, core.CustomerQuery{}, ids[3], 2, ids[4:])
				search(t, s, f.shop.ID, core.CustomerQuery{}, ids[4], 2, nil)
			}},
			{"email_prefix", func(t *testing.T, s core.Store) {
				f, ids := newSearchFixture(t, s, searchPeople...)
				for _, tt := range []struct {
					prefix string
					want   []string
				}{
					{"ann", ids[0:2]},
					{"ann@", ids[0:1]},
					{"an", ids[0:3]},
					// LIKE wildcards in the input are plain characters.
					{"an_", ids[2:3]},
					{"a%", ids[4:5]},
					{"%", nil},
					{"_", nil},
					{"ann@example.com", ids[0:1]},
					{"ann@example.comx", nil},
					{"z", nil},
				} {
					search(t, s, f.shop.ID, core.CustomerQuery{EmailPrefix: tt.prefix}, "", 10, tt.want)
				}
			}},
			{"email_prefix_beyond_ascii", func(t *testing.T, s core.Store) {
				// The range bound steps past the last character, whatever
				// its UTF-8 length, and a prefix ending in the last code
				// point still matches exactly.
				f, ids := newSearchFixture(t, s,
					person{"émile@example.com", "", "", ""},
					person{"éz@example.com", "", "", ""},
					person{"ê@example.com", "", "", ""},
					person{"z\U0010FFFF@example.com", "", "", ""},
					person{"z\U0010FFFF\U0010FFFF@example.com", "", "", ""},
				)
				search(t, s, f.shop.ID, core.CustomerQuery{EmailPrefix: "é"}, "", 10, ids[0:2])
				search(t, s, f.shop.ID, core.CustomerQuery{EmailPrefix: "ém"}, "", 10, ids[0:1])
				search(t, s, f.shop.ID, core.CustomerQuery{EmailPrefix: "z\U0010FFFF"}, "", 10, ids[3:5])
				search(t, s, f.shop.ID, core.CustomerQuery{EmailPrefix: "z\U0010FFFF\U0010FFFF"}, "", 10, ids[4:5])
			}},
			{"name_substring_any_case", func(t *testing.T, s core.Store) {
				f, ids := newSearchFixture(t, s, searchPeople...)
				for _, tt := range []struct {
					name string
					want []string
				}{
					{"ann", ids[0:2]},
					{"love", ids[1:2]},
					{"lee", ids[0:1]},
					// Across first and last name: "first last".
					{"ce ho", ids[2:3]},
					// Case folding beyond ASCII ("Émile", "Zoë").
					{"émile", ids[3:4]},
					{"zoë", ids[4:5]},
					{"o'brien", ids[4:5]},
					{"%", nil},
					{"_", nil},
					{"nobody", nil},
				} {
					search(t, s, f.shop.ID, core.CustomerQuery{Name: tt.name}, "", 10, tt.want)
				}
			}},
			{"status", func(t *testing.T, s core.Store) {
				f, ids := newSearchFixture(t, s, searchPeople...)
				search(t, s, f.shop.ID, core.CustomerQuery{Status: core.StatusDisabled}, "", 10, ids[3:4])
				active := slices.Concat(ids[0:3], ids[4:5])
				search(t, s, f.shop.ID, core.CustomerQuery{Status: core.StatusActive}, "", 10, active)
				search(t, s, f.shop.ID, core.CustomerQuery{Status: core.StatusActive}, active[1], 2, active[2:4])
			}},
			{"filters_combine", func(t *testing.T, s core.Store) {
				f, ids := newSearchFixture(t, s, searchPeople...)
				search(t, s, f.shop.ID, core.CustomerQuery{EmailPrefix: "an", Name: "an"}, "", 10, ids[0:2])
				search(t, s, f.shop.ID, core.CustomerQuery{EmailPrefix: "an", Name: "grace", Status: core.StatusActive}, "", 10, ids[2:3])
				search(t, s, f.shop.ID, core.CustomerQuery{EmailPrefix: "bob", Status: core.StatusActive}, "", 10, nil)
			}},
			{"group", func(t *testing.T, s core.Store) {
				f, ids := newSearchFixture(t, s, searchPeople...)
				now := at(0)
				g := &core.CustomerGroup{ID: newID("cgrp_"), ShopID: f.shop.ID, Name: "VIP", CreatedAt: now, UpdatedAt: now}
				other := &core.CustomerGroup{ID: newID("cgrp_"), ShopID: f.shop.ID, Name: "Wholesale", CreatedAt: now, UpdatedAt: now}
				must(t, s.CreateGroup(t.Context(), g))
				must(t, s.CreateGroup(t.Context(), other))
				for _, id := range []string{ids[1], ids[3]} {
					must(t, s.SetCustomerGroups(t.Context(), f.shop.ID, id, []string{g.ID, other.ID}))
				}
				must(t, s.SetCustomerGroups(t.Context(), f.shop.ID, ids[0], []string{other.ID}))
				search(t, s, f.shop.ID, core.CustomerQuery{GroupID: g.ID}, "", 10, []string{ids[1], ids[3]})
				search(t, s, f.shop.ID, core.CustomerQuery{GroupID: g.ID}, ids[1], 10, ids[3:4])
				search(t, s, f.shop.ID, core.CustomerQuery{GroupID: g.ID, Status: core.StatusActive}, "", 10, ids[1:2])
				search(t, s, f.shop.ID, core.CustomerQuery{GroupID: other.ID}, "", 10, []string{ids[0], ids[1], ids[3]})
				search(t, s, f.shop.ID, core.CustomerQuery{GroupID: newID("cgrp_")}, "", 10, nil)
			}},
			{"injection_is_literal", func(t *testing.T, s core.Store) {
				f, _ := newSearchFixture(t, s, searchPeople...)
				for _, q := range []core.CustomerQuery{
					{EmailPrefix: "' OR 1=1--"}, {Name: "' OR 1=1--"}, {Status: "active' OR '1'='1"},
					{GroupID: "x' OR 1=1--"}, {Name: `\`}, {EmailPrefix: `\`},
				} {
					search(t, s, f.shop.ID, q, "", 10, nil)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				f, ids := newSearchFixture(t, s, searchPeople...)
				other := newShop(t, s)
				// The same people in another store are not found from the
				// first, and the first's are not found from the other.
				theirs := f.add(t, s, other.ID, person{"ann@example.com", "Ann", "Lee", ""})
				search(t, s, f.shop.ID, core.CustomerQuery{EmailPrefix: "ann@"}, "", 10, ids[0:1])
				search(t, s, other.ID, core.CustomerQuery{EmailPrefix: "ann@"}, "", 10, theirs)
				search(t, s, other.ID, core.CustomerQuery{Name: "love"}, "", 10, nil)
				search(t, s, other.ID, core.CustomerQuery{Status: core.StatusDisabled}, "", 10, nil)
				search(t, s, newID("sto_"), core.CustomerQuery{}, "", 10, nil)
				// Nothing changed.
				for _, id := range ids {
					c, err := s.GetCustomer(t.Context(), f.shop.ID, id)
					must(t, err)
					wantEqual(t, c, f.byID[id])
				}
			}},
			{"sees_updates", func(t *testing.T, s core.Store) {
				f, ids := newSearchFixture(t, s, searchPeople...)
				c := *f.byID[ids[0]]
				c.Status, c.FirstName, c.UpdatedAt = core.StatusDisabled, "Annabel", at(time.Hour)
				c.Email, c.EmailNormalized = "Zed@Example.com", strings.ToLower("Zed@Example.com")
				must(t, s.UpdateCustomer(t.Context(), &c))
				search(t, s, f.shop.ID, core.CustomerQuery{EmailPrefix: "ann"}, "", 10, ids[1:2])
				search(t, s, f.shop.ID, core.CustomerQuery{EmailPrefix: "zed", Name: "annabel", Status: core.StatusDisabled}, "", 10, ids[0:1])
			}},
		}},
	}
}
