package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// aliasOf returns the alias of one row, failing when it has none.
func aliasOf(t *testing.T, s core.Store, shopID string, kind core.AliasKind, id string) int64 {
	t.Helper()
	m, err := s.Aliases(t.Context(), shopID, kind, []string{id})
	must(t, err)
	n, ok := m[id]
	if !ok || n < 1 || n > core.MaxAlias {
		t.Fatalf("%s %s: alias %d (present %v), want 1..2^31-1", kind, id, n, ok)
	}
	return n
}

// wantResolve fails unless num resolves to want for owner.
func wantResolve(t *testing.T, s core.Store, shopID, ownerID string, kind core.AliasKind, num int64, want string) {
	t.Helper()
	got, err := s.ResolveAlias(t.Context(), shopID, ownerID, kind, num)
	must(t, err)
	if got != want {
		t.Fatalf("ResolveAlias(%s %d) = %s, want %s", kind, num, got, want)
	}
}

// aliasWorld: one row of every aliased kind, owned by cust of shop.
type aliasWorld struct {
	shop, otherShop *core.Shop
	cust, otherCust *core.Customer
	addr            *core.Address
	order           *core.Order
	item            *core.WishlistItem
	group           *core.CustomerGroup
}

func newAliasWorld(t *testing.T, s core.Store) aliasWorld {
	t.Helper()
	var w aliasWorld
	w.shop, w.cust = newShopCustomer(t, s)
	w.otherShop = newShop(t, s)
	typed, _ := newEmail()
	w.otherCust = newCustomer(t, s, w.shop.ID, typed)
	w.addr = newAddress(t, s, w.shop.ID, w.cust.ID)
	w.order = newOrder(t, s, w.shop.ID, w.cust.ID, w.cust.Email, nil)
	wl := newWishlist(t, s, w.shop.ID, w.cust.ID, nil)
	w.item = newWishlistItem(t, s, w.shop.ID, wl.ID)
	w.group = newGroup(t, s, w.shop.ID)
	return w
}

// owned lists the world's rows with their kinds and owners.
func (w aliasWorld) owned() []struct {
	kind      core.AliasKind
	id, owner string
} {
	return []struct {
		kind      core.AliasKind
		id, owner string
	}{
		{core.AliasCustomer, w.cust.ID, w.cust.ID},
		{core.AliasAddress, w.addr.ID, w.cust.ID},
		{core.AliasOrder, w.order.ID, w.cust.ID},
		{core.AliasWishlistItem, w.item.ID, w.cust.ID},
		{core.AliasGroup, w.group.ID, ""},
	}
}

// aliasCases returns the cases of integer aliases.
func aliasCases() []methodCases {
	return []methodCases{
		{"Aliases", []testCase{
			{"assigned_at_insert_distinct", func(t *testing.T, s core.Store) {
				w := newAliasWorld(t, s)
				seen := map[int64]string{}
				for _, r := range w.owned() {
					n := aliasOf(t, s, w.shop.ID, r.kind, r.id)
					if prev, dup := seen[n]; dup {
						t.Fatalf("alias %d given to %s and %s", n, prev, r.id)
					}
					seen[n] = r.id
				}
			}},
			{"stable_and_increasing", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				first := newAddress(t, s, sh.ID, c.ID)
				second := newAddress(t, s, sh.ID, c.ID)
				a, b := aliasOf(t, s, sh.ID, core.AliasAddress, first.ID), aliasOf(t, s, sh.ID, core.AliasAddress, second.ID)
				if b <= a {
					t.Fatalf("later address got alias %d, not above %d", b, a)
				}
				// An update keeps the number.
				first.City = "Elsewhere"
				first.UpdatedAt = at(time.Hour)
				must(t, s.UpdateAddress(t.Context(), first))
				if again := aliasOf(t, s, sh.ID, core.AliasAddress, first.ID); again != a {
					t.Fatalf("alias changed from %d to %d on update", a, again)
				}
			}},
			{"batch", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				var ids []string
				for range 3 {
					ids = append(ids, newAddress(t, s, sh.ID, c.ID).ID)
				}
				m, err := s.Aliases(t.Context(), sh.ID, core.AliasAddress, append(ids, "addr_missing"))
				must(t, err)
				if len(m) != 3 {
					t.Fatalf("got %d aliases, want 3 (the unknown id absent): %v", len(m), m)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newAliasWorld(t, s)
				for _, r := range w.owned() {
					m, err := s.Aliases(t.Context(), w.otherShop.ID, r.kind, []string{r.id})
					must(t, err)
					if len(m) != 0 {
						t.Fatalf("%s of another store has alias %v", r.kind, m)
					}
				}
			}},
			{"of_another_kind", func(t *testing.T, s core.Store) {
				w := newAliasWorld(t, s)
				m, err := s.Aliases(t.Context(), w.shop.ID, core.AliasOrder, []string{w.addr.ID})
				must(t, err)
				if len(m) != 0 {
					t.Fatalf("an address has an order alias: %v", m)
				}
			}},
			{"concurrent_inserts_distinct", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				const n = 8
				ids := make([]string, n)
				errs := concurrently(n, func(i int) error {
					c := customerFixture(sh.ID, fmt.Sprintf("conc.%d.%s@example.com", i, newID("")))
					ids[i] = c.ID
					return s.CreateCustomer(t.Context(), c)
				})
				for _, err := range errs {
					must(t, err)
				}
				m, err := s.Aliases(t.Context(), sh.ID, core.AliasCustomer, ids)
				must(t, err)
				seen := map[int64]bool{}
				for _, id := range ids {
					if seen[m[id]] || m[id] < 1 {
						t.Fatalf("aliases of concurrent inserts: %v", m)
					}
					seen[m[id]] = true
				}
			}},
			{"never_reused_after_delete", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				gone := newAddress(t, s, sh.ID, c.ID)
				old := aliasOf(t, s, sh.ID, core.AliasAddress, gone.ID)
				must(t, s.DeleteAddress(t.Context(), sh.ID, c.ID, gone.ID))
				if _, err := s.ResolveAlias(t.Context(), sh.ID, c.ID, core.AliasAddress, old); err == nil {
					t.Fatalf("a deleted address still resolves")
				}
				next := newAddress(t, s, sh.ID, c.ID)
				if n := aliasOf(t, s, sh.ID, core.AliasAddress, next.ID); n <= old {
					t.Fatalf("new address got alias %d, not above the deleted %d", n, old)
				}
			}},
		}},
		{"ResolveAlias", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				w := newAliasWorld(t, s)
				for _, r := range w.owned() {
					wantResolve(t, s, w.shop.ID, r.owner, r.kind, aliasOf(t, s, w.shop.ID, r.kind, r.id), r.id)
				}
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newAliasWorld(t, s)
				for _, r := range w.owned() {
					_, err := s.ResolveAlias(t.Context(), w.otherShop.ID, r.owner, r.kind, aliasOf(t, s, w.shop.ID, r.kind, r.id))
					wantErr(t, err, core.ErrNotFound)
				}
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newAliasWorld(t, s)
				for _, r := range w.owned()[:4] {
					_, err := s.ResolveAlias(t.Context(), w.shop.ID, w.otherCust.ID, r.kind, aliasOf(t, s, w.shop.ID, r.kind, r.id))
					wantErr(t, err, core.ErrNotFound)
				}
			}},
			{"without_owner", func(t *testing.T, s core.Store) {
				w := newAliasWorld(t, s)
				for _, r := range w.owned()[:4] {
					_, err := s.ResolveAlias(t.Context(), w.shop.ID, "", r.kind, aliasOf(t, s, w.shop.ID, r.kind, r.id))
					wantErr(t, err, core.ErrNotFound)
				}
				// A group has no customer owner: naming one misses.
				_, err := s.ResolveAlias(t.Context(), w.shop.ID, w.cust.ID, core.AliasGroup, aliasOf(t, s, w.shop.ID, core.AliasGroup, w.group.ID))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"of_another_kind", func(t *testing.T, s core.Store) {
				w := newAliasWorld(t, s)
				_, err := s.ResolveAlias(t.Context(), w.shop.ID, w.cust.ID, core.AliasOrder, aliasOf(t, s, w.shop.ID, core.AliasAddress, w.addr.ID))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"claimed_order_follows_owner", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				guest := newOrder(t, s, sh.ID, "", c.Email, nil)
				num := aliasOf(t, s, sh.ID, core.AliasOrder, guest.ID)
				_, err := s.ResolveAlias(t.Context(), sh.ID, c.ID, core.AliasOrder, num)
				wantErr(t, err, core.ErrNotFound)
				_, err = s.ClaimOrders(t.Context(), sh.ID, c.ID, c.EmailNormalized, nil)
				must(t, err)
				wantResolve(t, s, sh.ID, c.ID, core.AliasOrder, num, guest.ID)
			}},
			{"unknown_number", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				_, err := s.ResolveAlias(t.Context(), sh.ID, c.ID, core.AliasCustomer, core.MaxAlias)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
	}
}

// dialectCases returns the cases of the dialect support queries.
func dialectCases() []methodCases {
	return []methodCases{
		{"SetSessionExpiry", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				sess := newSession(t, s, sh.ID, c.ID)
				must(t, s.SetSessionExpiry(t.Context(), sh.ID, sess.ID, at(time.Hour)))
				got, err := s.GetSession(t.Context(), sh.ID, sess.ID)
				must(t, err)
				sess.ExpiresAt = at(time.Hour)
				wantEqual(t, got, sess)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				sess := newSession(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				wantErr(t, s.SetSessionExpiry(t.Context(), other.ID, sess.ID, at(time.Hour)), core.ErrNotFound)
				got, err := s.GetSession(t.Context(), sh.ID, sess.ID)
				must(t, err)
				wantEqual(t, got, sess)
			}},
		}},
	}
}

// shopCountCases need a store of their own: they count every shop.
func shopCountCases() []methodCases {
	return []methodCases{
		{"CountShops", []testCase{
			{"counts", func(t *testing.T, s core.Store) {
				for want := range 3 {
					n, err := s.CountShops(t.Context())
					must(t, err)
					if n != want {
						t.Fatalf("CountShops = %d, want %d", n, want)
					}
					newShop(t, s)
				}
			}},
		}},
	}
}
