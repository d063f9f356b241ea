package httpapi_test

import (
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

// The export holds the customer's things across every area, and no secret.
func TestCustomerExport(t *testing.T) {
	k := newKit(t)
	c := k.Register("export@example.com")
	other := k.Register("other@example.com")
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/addresses", Token: c.Access,
		Body: map[string]any{"first_name": "Ada", "address1": "1 Main St", "city": "Springfield", "postal_code": "12345", "country_code": "us"}}), 201)
	wl := k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/wishlists", Token: c.Access, Body: map[string]any{"name": "Birthday"}})
	want(t, wl, 201)
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/wishlists/" + wl.Str(t, "id") + "/items", Token: c.Access,
		Body: map[string]any{"product_id": "prod_1"}}), 201)
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/customers/" + c.ID + "/store-credits", Admin: true,
		Body: map[string]any{"currency": "USD", "amount": 500, "kind": "grant", "reason": "welcome"}}), 201)
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/addresses", Token: other.Access,
		Body: map[string]any{"address1": "2 Elm St", "city": "Shelbyville", "country_code": "US"}}), 201)

	res := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/export", Token: c.Access})
	want(t, res, 200)
	m := res.JSON(t)
	if m["customer"].(map[string]any)["id"] != c.ID {
		t.Fatalf("customer: %v", m["customer"])
	}
	if n := len(m["addresses"].([]any)); n != 1 {
		t.Fatalf("addresses = %d, want 1 (another customer's must not appear)", n)
	}
	wls := m["wishlists"].([]any)
	if len(wls) != 1 || len(wls[0].(map[string]any)["items"].([]any)) != 1 {
		t.Fatalf("wishlists = %v", wls)
	}
	credit := m["store_credit"].(map[string]any)
	if len(credit["ledger"].([]any)) != 1 || len(credit["balances"].([]any)) != 1 {
		t.Fatalf("store credit = %v", credit)
	}
	if len(m["sessions"].([]any)) != 1 {
		t.Fatalf("sessions = %v", m["sessions"])
	}
	body := string(res.Body)
	for _, secret := range []string{c.Password, c.Refresh, "argon2id", "password_hash"} {
		if strings.Contains(body, secret) {
			t.Fatalf("the export contains a secret (%q)", secret)
		}
	}
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/export"}), 401)
}

// Deleting the account keeps the customer's orders for the store's books,
// unlinked and without personal data.
func TestDeleteAccountAnonymisesOrders(t *testing.T) {
	k := newKit(t)
	c := k.Register("leaving@example.com")
	want(t, k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/orders/R100", Admin: true, Body: map[string]any{
		"email": c.Email, "customer_id": c.ID, "state": "completed", "currency": "USD", "total": 1999, "placed_at": "2026-11-30T10:00:00Z",
	}}), 201)
	want(t, k.Do(testkit.Req{Method: "DELETE", Path: "/v1/customer", Token: c.Access, Body: map[string]string{"password": c.Password}}), 204)
	res := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/orders/R100", Admin: true})
	want(t, res, 200)
	o := res.JSON(t)
	if o["customer_id"] != nil || strings.Contains(string(res.Body), "leaving@example.com") {
		t.Fatalf("order after deletion still names the customer: %s", res.Body)
	}
}
