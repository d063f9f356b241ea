package core_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

func TestGroupValidation(t *testing.T) {
	e := newAddrEnv(t)
	tests := []struct {
		name string
		in   core.GroupInput
		want []string
	}{
		{"name only", core.GroupInput{Name: "VIP"}, nil},
		{"every field at its limit", core.GroupInput{
			Name: strings.Repeat("n", 100), Description: strings.Repeat("d", 999) + "\n",
			Metadata: map[string]any{"price_list": "pl_1"},
		}, nil},
		{"multi-line description", core.GroupInput{Name: "Trade", Description: "Net 30.\r\nInvoice monthly.\tThanks"}, nil},
		{"name missing", core.GroupInput{}, []string{"name:required"}},
		{"name blank", core.GroupInput{Name: " \t "}, []string{"name:required"}},
		{"name too long", core.GroupInput{Name: strings.Repeat("n", 101)}, []string{"name:too_long"}},
		{"name with a newline", core.GroupInput{Name: "a\nb"}, []string{"name:invalid"}},
		{"description too long", core.GroupInput{Name: "D", Description: strings.Repeat("d", 1001)}, []string{"description:too_long"}},
		{"description with NUL", core.GroupInput{Name: "D", Description: "a\x00b"}, []string{"description:invalid"}},
		{"metadata key too long", core.GroupInput{Name: "M", Metadata: map[string]any{strings.Repeat("k", 41): 1}}, []string{"metadata:invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.k.Clock.Advance(time.Millisecond)
			_, err := e.svc.CreateGroup(e.ctx, e.k.Shop.ID, tt.in)
			if got := addrFieldCodes(err); !slices.Equal(got, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("got %v (%v), want %v", got, err, tt.want)
			}
		})
	}
	g, err := e.svc.CreateGroup(e.ctx, e.k.Shop.ID, core.GroupInput{Name: "Patched"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.UpdateGroup(e.ctx, e.k.Shop.ID, g.ID, core.GroupPatch{Name: addrRef("")}); !slices.Equal(addrFieldCodes(err), []string{"name:required"}) {
		t.Fatalf("clearing the name: %v", err)
	}
}

func TestGroupNamesAreUniquePerStore(t *testing.T) {
	e := newAddrEnv(t)
	shop := e.k.Shop.ID
	g, err := e.svc.CreateGroup(e.ctx, shop, core.GroupInput{Name: "  Café Club "})
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != "Café Club" {
		t.Fatalf("name = %q, want it trimmed", g.Name)
	}
	// The same name typed with a combining accent (NFD) is the same name.
	for _, name := range []string{"Café Club", "Cafe\u0301 Club"} {
		_, err := e.svc.CreateGroup(e.ctx, shop, core.GroupInput{Name: name})
		if !errors.Is(err, core.ErrConflict) || core.CodeOf(err) != core.CodeGroupNameTaken {
			t.Fatalf("%q: %v, want %s", name, err, core.CodeGroupNameTaken)
		}
	}
	other, err := e.svc.CreateGroup(e.ctx, shop, core.GroupInput{Name: "Trade"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.UpdateGroup(e.ctx, shop, other.ID, core.GroupPatch{Name: addrRef("Café Club")}); core.CodeOf(err) != core.CodeGroupNameTaken {
		t.Fatalf("rename onto a taken name: %v", err)
	}
	// Another store may use the name.
	sh := e.k.NewShop("Other")
	if _, err := e.svc.CreateGroup(e.ctx, sh.Shop.ID, core.GroupInput{Name: "Café Club"}); err != nil {
		t.Fatalf("other store: %v", err)
	}
}

func TestSetCustomerGroups(t *testing.T) {
	e := newAddrEnv(t)
	shop, cus := e.k.Shop.ID, e.p.CustomerID
	mk := func(name string) *core.CustomerGroup {
		t.Helper()
		e.k.Clock.Advance(time.Millisecond)
		g, err := e.svc.CreateGroup(e.ctx, shop, core.GroupInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	vip, trade := mk("VIP"), mk("Trade")
	changes := func() int {
		t.Helper()
		page, err := e.svc.Events(e.ctx, shop, core.EventCustomerGroupsChanged, core.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Items)
	}
	ids := func(gs []core.CustomerGroup) []string {
		out := []string{}
		for _, g := range gs {
			out = append(out, g.ID)
		}
		return out
	}

	got, err := e.svc.SetCustomerGroups(e.ctx, shop, cus, []string{trade.ID, vip.ID, trade.ID})
	if err != nil || !slices.Equal(ids(got), []string{vip.ID, trade.ID}) || changes() != 1 {
		t.Fatalf("set: %v %v, %d events", ids(got), err, changes())
	}
	// The same set again changes nothing and tells nobody.
	if _, err := e.svc.SetCustomerGroups(e.ctx, shop, cus, []string{vip.ID, trade.ID}); err != nil || changes() != 1 {
		t.Fatalf("same set: %v, %d events", err, changes())
	}
	// A group of another store, or none at all, is a field error and
	// changes nothing.
	sh := e.k.NewShop("Other")
	foreign, err := e.svc.CreateGroup(e.ctx, sh.Shop.ID, core.GroupInput{Name: "Foreign"})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]string{{foreign.ID}, {vip.ID, "cgrp_nope"}, {""}} {
		_, err := e.svc.SetCustomerGroups(e.ctx, shop, cus, bad)
		if got := addrFieldCodes(err); !slices.Equal(got, []string{"group_ids:invalid"}) {
			t.Fatalf("%v: %v (%v)", bad, got, err)
		}
	}
	tooMany := make([]string, 101)
	for i := range tooMany {
		tooMany[i] = strings.Repeat("x", i+1)
	}
	if got := addrFieldCodes(func() error { _, err := e.svc.SetCustomerGroups(e.ctx, shop, cus, tooMany); return err }()); !slices.Equal(got, []string{"group_ids:too_long"}) {
		t.Fatalf("101 groups: %v", got)
	}
	if gs, err := e.svc.CustomerGroups(e.ctx, shop, cus); err != nil || len(gs) != 2 {
		t.Fatalf("after refused sets: %v %v", ids(gs), err)
	}
	// Another store cannot read or set this customer's groups.
	if _, err := e.svc.CustomerGroups(e.ctx, sh.Shop.ID, cus); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("other store read: %v", err)
	}
	if _, err := e.svc.SetCustomerGroups(e.ctx, sh.Shop.ID, cus, []string{foreign.ID}); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("other store set: %v", err)
	}
	// Deleting a group takes its members out.
	if err := e.svc.DeleteGroup(e.ctx, shop, vip.ID); err != nil {
		t.Fatal(err)
	}
	if gs, err := e.svc.CustomerGroups(e.ctx, shop, cus); err != nil || !slices.Equal(ids(gs), []string{trade.ID}) {
		t.Fatalf("after delete: %v %v", ids(gs), err)
	}
	// Empty leaves every group.
	if gs, err := e.svc.SetCustomerGroups(e.ctx, shop, cus, nil); err != nil || len(gs) != 0 || changes() != 2 {
		t.Fatalf("clear: %v %v, %d events", ids(gs), err, changes())
	}
}

func TestGroupEvents(t *testing.T) {
	e := newAddrEnv(t)
	shop := e.k.Shop.ID
	g, err := e.svc.CreateGroup(e.ctx, shop, core.GroupInput{Name: "VIP"})
	if err != nil {
		t.Fatal(err)
	}
	e.k.Clock.Advance(time.Millisecond)
	if _, err := e.svc.UpdateGroup(e.ctx, shop, g.ID, core.GroupPatch{Description: addrRef("Best")}); err != nil {
		t.Fatal(err)
	}
	e.k.Clock.Advance(time.Millisecond)
	if err := e.svc.DeleteGroup(e.ctx, shop, g.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteGroup(e.ctx, shop, g.ID); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	got := e.eventTypes(t, core.EventGroupCreated, core.EventGroupUpdated, core.EventGroupDeleted)
	if want := []string{"group.created", "group.updated", "group.deleted"}; !slices.Equal(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
}
