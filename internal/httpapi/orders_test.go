package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// orderBody is a valid order report for email; mod adjusts it.
func orderBody(email string, mod func(map[string]any)) map[string]any {
	b := map[string]any{
		"email": email, "state": "placed", "payment_status": "paid", "fulfillment_status": "unfulfilled",
		"currency": "usd", "subtotal": 3000, "shipping_total": 500, "tax_total": 240, "discount_total": 0, "total": 3740,
		"item_count": 2,
		"line_items": []any{map[string]any{
			"id": "li_1", "product_id": "prod_1", "variant_id": "var_1", "sku": "TEE-M", "name": "T-shirt",
			"quantity": 2, "unit_price": 1500, "total": 3000, "image_url": "https://cdn.example/tee.png",
		}},
		"shipping_address": map[string]any{"first_name": "Jane", "address1": "1 Main St", "city": "Springfield", "country_code": "us"},
		"metadata":         map[string]any{"channel": "web"},
		"placed_at":        "2025-06-01T12:00:00Z",
	}
	if mod != nil {
		mod(b)
	}
	return b
}

func putOrder(k *testkit.Kit, number string, body any) *testkit.Response {
	return k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/orders/" + number, Admin: true, Body: body})
}

func customerOrders(t *testing.T, k *testkit.Kit, c *testkit.Customer, query string) map[string]any {
	t.Helper()
	res := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/orders" + query, Token: c.Access})
	want(t, res, http.StatusOK)
	return res.JSON(t)
}

func orderCount(t *testing.T, k *testkit.Kit, c *testkit.Customer) int {
	t.Helper()
	return len(customerOrders(t, k, c, "")["data"].([]any))
}

// The same report twice makes one order: 201, then 200 with the same id.
func TestOrderUpsertIsIdempotent(t *testing.T) { onEachDB(t, orderUpsertIsIdempotent) }

func orderUpsertIsIdempotent(t *testing.T, k *testkit.Kit) {
	first := putOrder(k, "R1001", orderBody("Guest@Example.com", nil))
	want(t, first, http.StatusCreated)
	again := putOrder(k, "R1001", orderBody("Guest@Example.com", nil))
	want(t, again, http.StatusOK)
	a, b := first.JSON(t), again.JSON(t)
	if a["id"] != b["id"] || a["created_at"] != b["created_at"] {
		t.Fatalf("the second report made another order: %v vs %v", a["id"], b["id"])
	}
	if a["email"] != "Guest@Example.com" || a["currency"] != "USD" || a["customer_id"] != nil {
		t.Fatalf("order: %v", a)
	}
	if ship := a["shipping_address"].(map[string]any); ship["country_code"] != "US" || ship["company"] != nil {
		t.Fatalf("shipping snapshot: %v", ship)
	}

	// A changed report replaces the fields.
	res := putOrder(k, "R1001", orderBody("Guest@Example.com", func(b map[string]any) { b["state"] = "canceled"; delete(b, "line_items") }))
	want(t, res, http.StatusOK)
	got := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/orders/R1001", Admin: true})
	want(t, got, http.StatusOK)
	if g := got.JSON(t); g["state"] != "canceled" || len(g["line_items"].([]any)) != 0 || g["id"] != a["id"] {
		t.Fatalf("replaced order: %v", g)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/orders/R404", Admin: true}), 404, "not_found")
	if n := len(shopEvents(t, k, core.EventOrderUpserted)); n != 3 {
		t.Fatalf("%d order.upserted events, want 3", n)
	}

	// The same number in another store is another order, invisible here.
	other := k.NewShop("Other")
	res = k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/orders/R1001", Token: other.SecretKey, PK: "-"})
	wantProblem(t, res, 404, "not_found")
	res = k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/orders/R1001", Token: other.SecretKey, PK: "-", Body: orderBody("x@example.com", nil)})
	want(t, res, http.StatusCreated)
	if res.JSON(t)["id"] == a["id"] {
		t.Fatal("another store's report replaced this store's order")
	}
	want(t, k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/orders/R1", Body: orderBody("x@example.com", nil)}), http.StatusUnauthorized)
}

func TestOrderUpsertValidation(t *testing.T) {
	k := newKit(t)
	otherShop := k.NewShop("Other")
	stranger := k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", PK: otherShop.PublishableKey,
		Body: map[string]any{"email": "stranger@example.com", "password": "correct horse battery staple"}})
	want(t, stranger, 201)
	strangerID := stranger.JSON(t)["customer"].(map[string]any)["id"]
	many := make([]any, core.MaxOrderLineItems+1)
	for i := range many {
		many[i] = map[string]any{"name": "x", "quantity": 1}
	}
	tests := []struct {
		name   string
		mod    func(map[string]any)
		status int
		code   string
		field  string
	}{
		{"missing_email", func(b map[string]any) { delete(b, "email") }, 422, "validation_failed", "email"},
		{"bad_email", func(b map[string]any) { b["email"] = "nope" }, 422, "validation_failed", "email"},
		{"missing_state", func(b map[string]any) { b["state"] = "" }, 422, "validation_failed", "state"},
		{"bad_currency", func(b map[string]any) { b["currency"] = "EURO" }, 422, "validation_failed", "currency"},
		{"negative_total", func(b map[string]any) { b["total"] = -1 }, 422, "validation_failed", "total"},
		{"bad_placed_at", func(b map[string]any) { b["placed_at"] = "yesterday" }, 422, "validation_failed", "placed_at"},
		{"missing_placed_at", func(b map[string]any) { delete(b, "placed_at") }, 422, "validation_failed", "placed_at"},
		{"line_item_without_name", func(b map[string]any) { b["line_items"] = []any{map[string]any{"quantity": 1}} }, 422, "validation_failed", "line_items[0].name"},
		{"line_item_bad_image", func(b map[string]any) {
			b["line_items"] = []any{map[string]any{"name": "x", "image_url": "javascript:alert(1)"}}
		}, 422, "validation_failed", "line_items[0].image_url"},
		{"too_many_line_items", func(b map[string]any) { b["line_items"] = many }, 422, "validation_failed", "line_items"},
		{"bad_country", func(b map[string]any) { b["billing_address"] = map[string]any{"country_code": "USA"} }, 422, "validation_failed", "billing_address.country_code"},
		{"customer_of_another_store", func(b map[string]any) { b["customer_id"] = strangerID }, 422, "validation_failed", "customer_id"},
		{"unknown_field", func(b map[string]any) { b["id"] = "ord_mine" }, 400, "unknown_field", "id"},
		{"unknown_address_field", func(b map[string]any) { b["billing_address"] = map[string]any{"street": "x"} }, 400, "unknown_field", "street"},
		{"wrong_type", func(b map[string]any) { b["total"] = "37.40" }, 400, "malformed_json", "total"},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			res := k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/orders/R-" + tt.name, Admin: true, Body: orderBody("a@example.com", tt.mod), NoCheck: tt.status == 400})
			wantProblem(t, res, tt.status, tt.code)
			if tt.field != "" {
				errs, _ := res.JSON(t)["errors"].([]any)
				if len(errs) == 0 || errs[0].(map[string]any)["field"] != tt.field {
					t.Fatalf("errors = %v, want field %s", errs, tt.field)
				}
			}
			wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/orders/R-" + tt.name, Admin: true}), 404, "not_found")
		})
	}
	// A body past 256 KiB is refused before it is read whole.
	huge := orderBody("a@example.com", func(b map[string]any) { b["metadata"] = map[string]any{"x": strings.Repeat("a", 300<<10)} })
	wantProblem(t, k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/orders/R-huge", Admin: true, Body: huge, NoCheck: true}), 413, "body_too_large")
	// 500 line items fit.
	want(t, putOrder(k, "R-500", orderBody("a@example.com", func(b map[string]any) { b["line_items"] = many[:500] })), 201)
}

// Orders linked to a customer are listed newest first with a cursor;
// another customer's order and a guest order answer 404.
func TestCustomerOrders(t *testing.T) {
	k := newKit(t)
	a, b := k.Register("a@example.com"), k.Register("b@example.com")
	var ids []string
	for _, n := range []string{"R1", "R2", "R3"} {
		k.Clock.Advance(time.Second) // ids sort by their millisecond first
		res := putOrder(k, n, orderBody(a.Email, func(m map[string]any) { m["customer_id"] = a.ID }))
		want(t, res, http.StatusCreated)
		ids = append(ids, res.JSON(t)["id"].(string))
	}
	guest := putOrder(k, "G1", orderBody(a.Email, nil))
	want(t, guest, http.StatusCreated)

	page := customerOrders(t, k, a, "?limit=2")
	data := page["data"].([]any)
	if len(data) != 2 || data[0].(map[string]any)["id"] != ids[2] || data[1].(map[string]any)["id"] != ids[1] {
		t.Fatalf("first page: %v", data)
	}
	if _, has := data[0].(map[string]any)["metadata"]; has {
		t.Fatal("the customer's view shows the store's metadata")
	}
	next := customerOrders(t, k, a, "?limit=2&cursor="+page["next_cursor"].(string))
	if d := next["data"].([]any); len(d) != 1 || d[0].(map[string]any)["id"] != ids[0] || next["next_cursor"] != nil {
		t.Fatalf("second page: %v", next)
	}
	one := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/orders/" + ids[0], Token: a.Access})
	want(t, one, http.StatusOK)
	if o := one.JSON(t); o["number"] != "R1" || o["customer_id"] != a.ID || o["total"].(float64) != 3740 {
		t.Fatalf("order: %v", o)
	}

	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/orders/" + ids[0], Token: b.Access}), 404, "not_found")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/orders/" + guest.JSON(t)["id"].(string), Token: a.Access}), 404, "not_found")
	if n := orderCount(t, k, b); n != 0 {
		t.Fatalf("b sees %d orders", n)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/orders?cursor=bogus", Token: a.Access}), 422, "validation_failed")
}

// Acceptance: a guest order with e-mail E shows up for the customer after
// E is verified, not before.
func TestGuestOrderClaimAcceptance(t *testing.T) { onEachDB(t, guestOrderClaimAcceptance) }

func guestOrderClaimAcceptance(t *testing.T, k *testkit.Kit) {
	guest := putOrder(k, "G100", orderBody("Claire@Example.com", nil))
	want(t, guest, http.StatusCreated)
	orderID := guest.JSON(t)["id"].(string)

	c := k.Register("claire@example.COM")
	if n := orderCount(t, k, c); n != 0 {
		t.Fatalf("an unverified customer sees %d guest orders", n)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/orders/" + orderID, Token: c.Access}), 404, "not_found")
	// Reported again while the e-mail is unverified: still a guest order.
	want(t, putOrder(k, "G100", orderBody("Claire@Example.com", nil)), http.StatusOK)
	if n := orderCount(t, k, c); n != 0 {
		t.Fatalf("an unverified customer sees %d guest orders", n)
	}

	conf := verifyEmail(t, k, c).JSON(t)
	if conf["email_verified"] != true || len(conf["orders_claimed"].([]any)) != 1 || conf["orders_claimed"].([]any)[0] != orderID {
		t.Fatalf("confirmation: %v", conf)
	}
	one := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/orders/" + orderID, Token: c.Access})
	want(t, one, http.StatusOK)
	if orderCount(t, k, c) != 1 {
		t.Fatal("the verified customer does not see the guest order")
	}
	me := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access})
	if me.JSON(t)["email_verified"] != true {
		t.Fatalf("customer: %s", me.Body)
	}

	// Orders reported after verification are linked at once.
	later := putOrder(k, "G101", orderBody("CLAIRE@example.com", nil))
	want(t, later, http.StatusCreated)
	if later.JSON(t)["customer_id"] != c.ID || orderCount(t, k, c) != 2 {
		t.Fatalf("a later order was not linked: %s", later.Body)
	}
	if n := len(shopEvents(t, k, core.EventOrderClaimed)); n != 2 {
		t.Fatalf("%d order.claimed events, want 2", n)
	}
	if n := len(shopEvents(t, k, core.EventEmailVerified)); n != 1 {
		t.Fatalf("%d customer.email_verified events, want 1", n)
	}
}

// Medusa-style claim: the customer names order ids, each order's address
// gets a link, and only the customer who asked can use it.
func TestOrderClaimByID(t *testing.T) { onEachDB(t, orderClaimByID) }

func orderClaimByID(t *testing.T, k *testkit.Kit) {
	c := k.Register("claimer@example.com")
	d := k.Register("other@example.com")
	id := func(res *testkit.Response) string { want(t, res, 201); return res.JSON(t)["id"].(string) }
	o1 := id(putOrder(k, "C1", orderBody("Old.Address@example.com", nil)))
	o2 := id(putOrder(k, "C2", orderBody("old.address@EXAMPLE.com", nil)))
	o3 := id(putOrder(k, "C3", orderBody("partner@example.com", nil)))
	owned := id(putOrder(k, "C4", orderBody("old.address@example.com", func(b map[string]any) { b["customer_id"] = d.ID })))

	claim := func(ids ...string) *testkit.Response {
		return k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/orders/claim", Token: c.Access, Body: map[string]any{"order_ids": ids}})
	}
	// Nothing claimable: the same answer, and no mail.
	before := mailCount(k)
	nothing := claim(owned, "ord_unknown")
	want(t, nothing, http.StatusAccepted)
	if mailCount(k) != before {
		t.Fatal("a claim of nothing sent mail")
	}
	res := claim(o1, o2, o3, owned, "ord_unknown", o1)
	want(t, res, http.StatusAccepted)
	if string(res.Body) != string(nothing.Body) {
		t.Fatalf("answers differ:\n%s\n%s", res.Body, nothing.Body)
	}
	m := waitMail(t, k, "order_claim", "Old.Address@example.com")
	// The order list is its own line; the random token in the link may
	// contain any letters, so "C4" is looked for in the list only.
	if !strings.Contains(m.Text, "\n  C1, C2\n") {
		t.Fatalf("claim mail: %q", m.Text)
	}
	link, token := mailLink(t, m)
	if !strings.HasPrefix(link, "https://shop.example/claim-orders?token=") {
		t.Fatalf("link %q", link)
	}
	waitMail(t, k, "order_claim", "partner@example.com")
	if n := orderCount(t, k, c); n != 0 {
		t.Fatalf("orders linked before confirmation: %d", n)
	}

	confirm := func(who *testkit.Customer, tok string) *testkit.Response {
		return k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/orders/claim/confirm", Token: who.Access, Body: map[string]string{"token": tok}})
	}
	wantProblem(t, confirm(d, token), 400, core.CodeEmailTokenInvalid)
	wantProblem(t, confirm(c, "not-a-token"), 400, core.CodeEmailTokenInvalid)
	done := confirm(c, token)
	want(t, done, http.StatusOK)
	got := done.JSON(t)["orders_claimed"].([]any)
	if len(got) != 2 || !((got[0] == o1 && got[1] == o2) || (got[0] == o2 && got[1] == o1)) {
		t.Fatalf("claimed %v, want %s and %s", got, o1, o2)
	}
	if n := orderCount(t, k, c); n != 2 {
		t.Fatalf("claimer sees %d orders, want 2", n)
	}
	wantProblem(t, confirm(c, token), 400, core.CodeEmailTokenInvalid)
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/orders/" + o3, Token: c.Access}), 404, "not_found")

	// Bad requests.
	wantProblem(t, claim(), 422, "validation_failed")
	many := make([]string, core.MaxClaimOrderIDs+1)
	for i := range many {
		many[i] = "ord_x"
	}
	wantProblem(t, claim(many...), 422, "validation_failed")
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/orders/claim", Token: c.Access,
		Body: map[string]any{"order_ids": []string{o3}, "redirect_url": "https://evil.example/claim"}}), 400, "redirect_url_not_allowed")
}
