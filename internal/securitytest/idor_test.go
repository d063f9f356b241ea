package securitytest

import (
	"context"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// owned is a customer's resources, created through /v1 and, for what a
// store's back end reports (orders, cards, credit), through the service
// as the admin API would.
type owned struct {
	address, wishlist, order, orderNumber, payment, giftCard string
}

func seed(t *testing.T, k *testkit.Kit, c *testkit.Customer, number string) owned {
	t.Helper()
	ctx := context.Background()
	var o owned
	r := native(t, k, "POST", "/v1/customer/addresses", c.Access, map[string]any{"first_name": "B", "last_name": "B", "address1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country_code": "DE"})
	want(t, r, 201)
	o.address = r.Str(t, "id")
	r = native(t, k, "POST", "/v1/customer/wishlists", c.Access, map[string]any{"name": "Mine"})
	want(t, r, 201)
	o.wishlist = r.Str(t, "id")
	ord, _, err := k.App.Service.UpsertOrder(ctx, k.Shop.ID, number, core.OrderInput{
		Email: c.Email, CustomerID: c.ID, State: "completed", PaymentStatus: "paid", Currency: "USD",
		Subtotal: 1000, Total: 1000, ItemCount: 1, PlacedAt: "2026-01-01T00:00:00Z",
	})
	if err != nil {
		t.Fatal(err)
	}
	o.order, o.orderNumber = ord.ID, number
	pm, err := k.App.Service.AttachPaymentMethod(ctx, k.Shop.ID, c.ID, core.PaymentMethodInput{
		Provider: "stripe", ProviderRef: "pm_" + c.ID, Type: "card", Brand: "visa", Last4: "4242", ExpMonth: 12, ExpYear: 2030,
	})
	if err != nil {
		t.Fatal(err)
	}
	o.payment = pm.ID
	gc, err := k.App.Service.IssueGiftCard(ctx, k.Shop.ID, core.GiftCardInput{Currency: "USD", Amount: 5000, CustomerID: c.ID, Author: "test"})
	if err != nil {
		t.Fatal(err)
	}
	o.giftCard = gc.Card.ID
	if _, err := k.App.Service.AddCredit(ctx, k.Shop.ID, c.ID, core.CreditInput{Currency: "USD", Amount: 2000, Kind: core.CreditGrant, Author: "test"}); err != nil {
		t.Fatal(err)
	}
	return o
}

// Case 27: customer A reading, changing or deleting B's address, wishlist,
// order, payment method or gift card gets 404 (never 403), the same as an
// id that does not exist, on /v1 and every dialect; B's rows are unchanged
// and A's credit ledger shows none of B's.
func case27(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		a := k.Register("a@example.com")
		b := k.Register("b@example.com")
		o := seed(t, k, b, "1001")
		routes := []struct {
			method, path string
			body         any
		}{
			{"GET", "/v1/customer/addresses/" + o.address, nil},
			{"PATCH", "/v1/customer/addresses/" + o.address, map[string]any{"city": "Hijacked"}},
			{"DELETE", "/v1/customer/addresses/" + o.address, nil},
			{"GET", "/v1/customer/wishlists/" + o.wishlist, nil},
			{"PATCH", "/v1/customer/wishlists/" + o.wishlist, map[string]any{"name": "Hijacked"}},
			{"DELETE", "/v1/customer/wishlists/" + o.wishlist, nil},
			{"GET", "/v1/customer/wishlists/" + o.wishlist + "/items", nil},
			{"POST", "/v1/customer/wishlists/" + o.wishlist + "/items", map[string]any{"product_id": "prod_1", "variant_id": "var_1", "quantity": 1}},
			{"GET", "/v1/customer/orders/" + o.order, nil},
			{"GET", "/v1/customer/payment-methods/" + o.payment, nil},
			{"PATCH", "/v1/customer/payment-methods/" + o.payment, map[string]any{"is_default": true}},
			{"DELETE", "/v1/customer/payment-methods/" + o.payment, nil},
			{"GET", "/v1/customer/gift-cards/" + o.giftCard, nil},
		}
		for _, r := range routes {
			res := native(t, k, r.method, r.path, a.Access, r.body)
			if res.Status != 404 {
				t.Errorf("A %s %s: %d %s, want 404", r.method, r.path, res.Status, res.Body)
			}
			// The same answer as for an id that does not exist (the
			// request id aside).
			ghost := native(t, k, r.method, ghostID(r.path), a.Access, r.body)
			if ghost.Status != res.Status || ghost.Str(t, "code") != res.Str(t, "code") {
				t.Errorf("%s %s: foreign id %d %s, missing id %d %s", r.method, r.path, res.Status, res.Body, ghost.Status, ghost.Body)
			}
		}
		// B's rows are all there and unchanged.
		for _, p := range []string{"/v1/customer/addresses/" + o.address, "/v1/customer/wishlists/" + o.wishlist, "/v1/customer/orders/" + o.order, "/v1/customer/payment-methods/" + o.payment, "/v1/customer/gift-cards/" + o.giftCard} {
			res := native(t, k, "GET", p, b.Access, nil)
			want(t, res, 200)
			if strings.Contains(string(res.Body), "Hijacked") {
				t.Fatalf("B's %s changed: %s", p, res.Body)
			}
		}
		if credit := native(t, k, "GET", "/v1/customer/store-credits", a.Access, nil); strings.Contains(string(credit.Body), "2000") {
			t.Fatalf("A sees B's credit: %s", credit.Body)
		}
		// Through every dialect: B's address (and orders where a dialect
		// has them) is 404 for A.
		for _, s := range surfaces {
			t.Run(s.name, func(t *testing.T) {
				bt := s.signup(t, k, k.PK, "b-"+s.name+"@example.com")
				at := s.signup(t, k, k.PK, "a-"+s.name+"@example.com")
				id := s.addAddress(t, k, k.PK, bt)
				ghost := missingID(id)
				for _, m := range []string{"GET", "PATCH", "DELETE"} {
					r := s.address(t, k, k.PK, at, m, id)
					if r == nil {
						continue
					}
					g := s.address(t, k, k.PK, at, m, ghost)
					if r.Status != g.Status || strings.ReplaceAll(string(r.Body), id, ghost) != string(g.Body) {
						t.Errorf("A %s B's address: %d %s; a missing id: %d %s", m, r.Status, r.Body, g.Status, g.Body)
					}
					// Medusa v1 answers as Medusa v1 does (update: 400
					// "Could not find address for customer"; delete: 200
					// with the caller's own customer), identically for a
					// foreign and a missing id; the others answer 404.
					// SFCC refuses another customer's id in the path with
					// 400 invalid-customer (contract §5.1).
					wantStatus := 404
					if s.foreign != 0 {
						wantStatus = s.foreign
					}
					if s.name != "medusa-v1" && r.Status != wantStatus {
						t.Errorf("A %s B's address: %d %s, want %d", m, r.Status, r.Body, wantStatus)
					}
				}
				bl := login(t, k, "b-"+s.name+"@example.com", pw)
				want(t, bl, 200)
				list := native(t, k, "GET", "/v1/customer/addresses", bl.Str(t, "access_token"), nil)
				if !strings.Contains(string(list.Body), `"city":"`) || strings.Contains(string(list.Body), "Hijacked") {
					t.Fatalf("B's address after A's attempts: %s", list.Body)
				}
			})
		}
		if r := do(t, k, "GET", spreeBase+"/customers/me/orders/"+o.orderNumber, nil, with(bearer(loginSpree(t, k, a)), "X-Spree-Api-Key", k.PK)); r.Status != 404 {
			t.Errorf("A reads B's order through Spree: %d %s", r.Status, r.Body)
		}
		if r := do(t, k, "GET", "/medusa/store/orders/"+o.order, nil, with(bearer(loginMedusa(t, k, a)), "X-Publishable-Api-Key", k.PK)); r.Status != 404 {
			t.Errorf("A reads B's order through Medusa: %d %s", r.Status, r.Body)
		}
		if r := do(t, k, "GET", spreeBase+"/customers/me/credit_cards/"+o.payment, nil, with(bearer(loginSpree(t, k, a)), "X-Spree-Api-Key", k.PK)); r.Status != 404 {
			t.Errorf("A reads B's card through Spree: %d %s", r.Status, r.Body)
		}
	}, testkit.WithCore(relaxed()))
}

// ghostID replaces the id segment of a resource path with one of the same
// shape that names nothing.
func ghostID(path string) string {
	seg := strings.Split(path, "/")
	for i, s := range seg {
		if j := strings.IndexByte(s, '_'); j > 0 && i > 2 {
			seg[i] = s[:j+1] + strings.Repeat("0", len(s)-j-1)
			break
		}
	}
	return strings.Join(seg, "/")
}

func loginSpree(t *testing.T, k *testkit.Kit, c *testkit.Customer) string {
	t.Helper()
	r := surfaces[1].login(t, k, k.PK, c.Email, c.Password)
	want(t, r, 200)
	return r.Str(t, "token")
}

func loginMedusa(t *testing.T, k *testkit.Kit, c *testkit.Customer) string {
	t.Helper()
	r := surfaces[2].login(t, k, k.PK, c.Email, c.Password)
	want(t, r, 200)
	return r.Str(t, "token")
}

// Case 28: a guest session, or an anonymous caller, reaches no customer's
// or other guest's address or order: customer routes refuse a guest token,
// and a guest order is not found without its own order token.
func case28(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		b := k.Register("b@example.com")
		o := seed(t, k, b, "2001")
		if _, _, err := k.App.Service.UpsertOrder(context.Background(), k.Shop.ID, "G3001", core.OrderInput{
			Email: "guest@example.com", State: "completed", PaymentStatus: "paid", Currency: "USD", Subtotal: 500, Total: 500, ItemCount: 1, PlacedAt: "2026-01-01T00:00:00Z",
		}); err != nil {
			t.Fatal(err)
		}
		g := native(t, k, "POST", "/v1/guest-sessions", "", map[string]any{})
		want(t, g, 201)
		guest := g.Str(t, "access_token")
		for _, p := range []string{"/v1/customer/addresses/" + o.address, "/v1/customer/orders/" + o.order, "/v1/customer/addresses", "/v1/customer/orders"} {
			res := native(t, k, "GET", p, guest, nil)
			if res.Status == 200 || strings.Contains(string(res.Body), o.address) || strings.Contains(string(res.Body), o.order) {
				t.Errorf("a guest token on %s: %d %s", p, res.Status, res.Body)
			}
			if res.Status != 401 && res.Status != 403 && res.Status != 404 {
				t.Errorf("a guest token on %s: %d, want a refusal", p, res.Status)
			}
		}
		for _, tok := range []string{"", guest} {
			for _, number := range []string{"G3001", o.orderNumber} {
				r := do(t, k, "GET", spreeBase+"/orders/"+number, nil, with(bearer(tok), "X-Spree-Api-Key", k.PK))
				if r.Status != 404 {
					t.Errorf("anonymous/guest Spree order %s: %d %s", number, r.Status, r.Body)
				}
				r = do(t, k, "GET", spreeBase+"/orders/"+number, nil, with(with(bearer(tok), "X-Spree-Api-Key", k.PK), "X-Spree-Token", "guessed-order-token"))
				if r.Status != 404 {
					t.Errorf("Spree order %s with a guessed order token: %d %s", number, r.Status, r.Body)
				}
			}
		}
	})
}

// Case 29: PATCH of the profile with fields a customer must not set is
// 400 naming them, and nothing changes.
func case29(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("mass@example.com")
		before := me(t, k, c.Access)
		res := native(t, k, "PATCH", "/v1/customer", c.Access, map[string]any{
			"group_id": "wholesale", "is_admin": true, "store_credit": 1000, "email_verified": true,
			"store_id": "other", "password_hash": "x", "id": "other", "first_name": "Changed",
		})
		wantProblem(t, res, 400, "unknown_field")
		// The answer names the first offending field it met (JSON decoding
		// stops there), which is one of those sent.
		named := false
		for _, f := range []string{"group_id", "is_admin", "store_credit", "email_verified", "store_id", "password_hash", "id"} {
			named = named || strings.Contains(string(res.Body), `"field":"`+f+`"`)
		}
		if !named {
			t.Errorf("the 400 names none of the forbidden fields: %s", res.Body)
		}
		after := me(t, k, c.Access)
		if string(before.Body) != string(after.Body) {
			t.Fatalf("the profile changed:\n%s\n%s", before.Body, after.Body)
		}
		// Each forbidden field alone is refused too.
		for _, f := range []string{"group_id", "is_admin", "store_credit", "email_verified", "store_id", "password_hash", "id", "status", "email", "password"} {
			res := native(t, k, "PATCH", "/v1/customer", c.Access, map[string]any{f: "x"})
			wantProblem(t, res, 400, "")
			if !strings.Contains(string(res.Body), f) {
				t.Errorf("the 400 for %s does not name it: %s", f, res.Body)
			}
		}
		want(t, login(t, k, c.Email, c.Password), 200)
	})
}

// Case 30: an e-mail change needs the current password; with it, the new
// address takes effect only once confirmed, and the old one is told.
func case30(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("old@example.com")
		for _, body := range []map[string]string{{"new_email": "new@example.com"}, {"new_email": "new@example.com", "password": "wrong password"}} {
			res := native(t, k, "POST", "/v1/customer/email", c.Access, body)
			if res.Status != 401 && res.Status != 403 && res.Status != 422 && res.Status != 400 {
				t.Fatalf("e-mail change without the password: %d %s", res.Status, res.Body)
			}
			if res.Status == 422 || res.Status == 400 {
				if !strings.Contains(string(res.Body), "password") {
					t.Fatalf("e-mail change without the password: %d %s", res.Status, res.Body)
				}
			}
		}
		res := native(t, k, "POST", "/v1/customer/email", c.Access, map[string]string{"new_email": "new@example.com", "password": c.Password})
		if res.Status >= 300 {
			t.Fatalf("e-mail change: %d %s", res.Status, res.Body)
		}
		if got := me(t, k, c.Access).Str(t, "email"); got != "old@example.com" {
			t.Fatalf("the e-mail changed before confirmation: %s", got)
		}
		want(t, login(t, k, "old@example.com", c.Password), 200)
		wantProblem(t, login(t, k, "new@example.com", c.Password), 401, "invalid_credentials")
		tok := mailToken(t, k, "new@example.com", "email_change_confirmation", 1)
		notified := false
		for _, m := range k.Mail.Messages() {
			notified = notified || (m.To == "old@example.com" && m.Kind == "email_change_notice")
		}
		if !notified {
			t.Fatal("the old address was not told")
		}
		res = native(t, k, "POST", "/v1/customer/email/confirm", "", map[string]string{"token": tok})
		if res.Status >= 300 {
			t.Fatalf("confirm: %d %s", res.Status, res.Body)
		}
		want(t, login(t, k, "new@example.com", c.Password), 200)
	})
}

// Case 31: a customer token of store X with store Y's publishable key is
// refused on every surface; store X's secret key reading store Y's
// customer is 404.
func case31(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		other := k.NewShop("Other")
		for _, s := range surfaces {
			tok := s.signup(t, k, k.PK, "x-"+s.name+"@example.com")
			if r := s.me(t, k, other.PublishableKey, tok); r.Status != 401 && r.Status != 404 {
				t.Errorf("%s: store X token with store Y key: %d %s", s.name, r.Status, r.Body)
			}
		}
		y := do(t, k, "POST", "/v1/customers", map[string]any{"email": "y@example.com", "password": pw}, map[string]string{"X-Publishable-Key": other.PublishableKey})
		want(t, y, 201)
		yID := y.JSON(t)["customer"].(map[string]any)["id"].(string)
		for _, r := range []struct{ method, path string }{
			{"GET", "/admin/v1/customers/" + yID},
			{"PATCH", "/admin/v1/customers/" + yID},
			{"GET", "/admin/v1/customers/" + yID + "/addresses"},
			{"GET", "/admin/v1/customers/" + yID + "/store-credits"},
			{"POST", "/admin/v1/customers/" + yID + "/sessions/revoke"},
		} {
			var body any
			if r.method != "GET" {
				body = map[string]any{}
			}
			res := k.Do(testkit.Req{Method: r.method, Path: r.path, Admin: true, Body: body, NoCheck: true})
			if res.Status != 404 {
				t.Errorf("store X secret key %s %s: %d %s", r.method, r.path, res.Status, res.Body)
			}
		}
		if list := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/customers?limit=100", Admin: true}); strings.Contains(string(list.Body), yID) {
			t.Fatal("store X lists store Y's customer")
		}
	})
}
