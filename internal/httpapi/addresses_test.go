package httpapi_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// addrCreate posts an address one clock millisecond after the last (ids
// then sort in creation order) and returns its JSON.
func addrCreate(t *testing.T, k *testkit.Kit, token string, body map[string]any) map[string]any {
	t.Helper()
	k.Clock.Advance(time.Millisecond)
	res := k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/addresses", Token: token, Body: body})
	want(t, res, http.StatusCreated)
	return res.JSON(t)
}

// addrGet fetches one of the token's addresses.
func addrGet(t *testing.T, k *testkit.Kit, token, id string) map[string]any {
	t.Helper()
	res := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses/" + id, Token: token})
	want(t, res, http.StatusOK)
	return res.JSON(t)
}

// addrMe fetches the token's customer.
func addrMe(t *testing.T, k *testkit.Kit, token string) map[string]any {
	t.Helper()
	res := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: token})
	want(t, res, http.StatusOK)
	return res.JSON(t)
}

// addrWantField checks a 422 that names field with code.
func addrWantField(t *testing.T, res *testkit.Response, field, code string) {
	t.Helper()
	wantProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
	for _, e := range res.JSON(t)["errors"].([]any) {
		if f := e.(map[string]any); f["field"] == field && f["code"] == code {
			return
		}
	}
	t.Fatalf("no %s error on %s: %s", code, field, res.Body)
}

func TestAddressCRUD(t *testing.T) {
	k := newKit(t)
	c := k.Register("book@example.com")

	list := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses", Token: c.Access})
	want(t, list, http.StatusOK)
	if string(list.Body) != `{"data":[],"next_cursor":null}` {
		t.Fatalf("empty book: %s", list.Body)
	}

	a := addrCreate(t, k, c.Access, map[string]any{
		"label": " Home ", "first_name": "Ada", "last_name": "Lovelace", "company": "Engines",
		"address1": "350 Fifth Avenue", "city": "New York", "region_code": "ny", "region_name": "New York",
		"postal_code": "10118", "country_code": "us", "phone": "+1 212 555 0100", "metadata": map[string]any{"door": "B"},
	})
	id, _ := a["id"].(string)
	if !strings.HasPrefix(id, "addr_") || a["label"] != "Home" || a["country_code"] != "US" || a["country_name"] != "United States" ||
		a["region_code"] != "NY" || a["address2"] != nil || a["is_default_billing"] != false || a["is_default_shipping"] != false ||
		a["metadata"].(map[string]any)["door"] != "B" {
		t.Fatalf("created: %v", a)
	}
	if got := addrGet(t, k, c.Access, id); got["city"] != "New York" || got["created_at"] != a["created_at"] {
		t.Fatalf("read back: %v", got)
	}

	k.Clock.Advance(time.Second)
	res := k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer/addresses/" + id, Token: c.Access,
		Body: map[string]any{"city": "Brooklyn", "company": "", "country_code": "gb", "region_code": ""}})
	want(t, res, http.StatusOK)
	p := res.JSON(t)
	if p["city"] != "Brooklyn" || p["company"] != nil || p["country_name"] != "United Kingdom" || p["region_code"] != nil ||
		p["first_name"] != "Ada" || p["updated_at"] == a["updated_at"] || p["created_at"] != a["created_at"] {
		t.Fatalf("patched: %v", p)
	}

	list = k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses", Token: c.Access})
	want(t, list, http.StatusOK)
	if data := list.JSON(t)["data"].([]any); len(data) != 1 || data[0].(map[string]any)["city"] != "Brooklyn" {
		t.Fatalf("list: %s", list.Body)
	}

	want(t, k.Do(testkit.Req{Method: "DELETE", Path: "/v1/customer/addresses/" + id, Token: c.Access}), http.StatusNoContent)
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses/" + id, Token: c.Access}), http.StatusNotFound, "not_found")
	wantProblem(t, k.Do(testkit.Req{Method: "DELETE", Path: "/v1/customer/addresses/" + id, Token: c.Access}), http.StatusNotFound, "not_found")
	wantProblem(t, k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer/addresses/" + id, Token: c.Access, Body: map[string]any{"city": "x"}}), http.StatusNotFound, "not_found")
}

func TestAddressPages(t *testing.T) {
	k := newKit(t)
	c := k.Register("pages@example.com")
	var ids []string
	for range 3 {
		ids = append(ids, addrCreate(t, k, c.Access, map[string]any{"country_code": "DE"})["id"].(string))
	}
	res := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses?limit=2", Token: c.Access})
	want(t, res, http.StatusOK)
	m := res.JSON(t)
	next, _ := m["next_cursor"].(string)
	if len(m["data"].([]any)) != 2 || next == "" {
		t.Fatalf("first page: %s", res.Body)
	}
	res = k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses?limit=2&cursor=" + next, Token: c.Access})
	want(t, res, http.StatusOK)
	m = res.JSON(t)
	if data := m["data"].([]any); len(data) != 1 || data[0].(map[string]any)["id"] != ids[2] || m["next_cursor"] != nil {
		t.Fatalf("second page: %s", res.Body)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses?limit=x", Token: c.Access}), http.StatusBadRequest, "malformed_json")
	addrWantField(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses?limit=101", Token: c.Access}), "limit", "invalid")
	addrWantField(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses?cursor=garbage", Token: c.Access}), "cursor", "invalid")
}

func TestAddressDefaults(t *testing.T) {
	k := newKit(t)
	c := k.Register("defaults@example.com")
	a := addrCreate(t, k, c.Access, map[string]any{"country_code": "US", "is_default_billing": true})
	if a["is_default_billing"] != true || a["is_default_shipping"] != false {
		t.Fatalf("a: %v", a)
	}
	aID := a["id"].(string)
	if me := addrMe(t, k, c.Access); me["default_billing_address_id"] != aID || me["default_shipping_address_id"] != nil {
		t.Fatalf("customer after a: %v", me)
	}

	// b takes both flags; a loses billing.
	b := addrCreate(t, k, c.Access, map[string]any{"country_code": "US", "is_default_billing": true, "is_default_shipping": true})
	bID := b["id"].(string)
	if got := addrGet(t, k, c.Access, aID); got["is_default_billing"] != false {
		t.Fatalf("a still the billing default: %v", got)
	}
	if me := addrMe(t, k, c.Access); me["default_billing_address_id"] != bID || me["default_shipping_address_id"] != bID {
		t.Fatalf("customer after b: %v", me)
	}

	// Moving shipping back to a by PATCH.
	res := k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer/addresses/" + aID, Token: c.Access, Body: map[string]any{"is_default_shipping": true}})
	want(t, res, http.StatusOK)
	if res.JSON(t)["is_default_shipping"] != true || addrGet(t, k, c.Access, bID)["is_default_shipping"] != false {
		t.Fatalf("shipping did not move: %s", res.Body)
	}

	// false on the default clears it.
	want(t, k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer/addresses/" + bID, Token: c.Access, Body: map[string]any{"is_default_billing": false}}), http.StatusOK)
	if me := addrMe(t, k, c.Access); me["default_billing_address_id"] != nil || me["default_shipping_address_id"] != aID {
		t.Fatalf("customer after clearing billing: %v", me)
	}

	// Deleting the default clears it; the list agrees with the customer.
	want(t, k.Do(testkit.Req{Method: "DELETE", Path: "/v1/customer/addresses/" + aID, Token: c.Access}), http.StatusNoContent)
	if me := addrMe(t, k, c.Access); me["default_billing_address_id"] != nil || me["default_shipping_address_id"] != nil {
		t.Fatalf("customer after deleting the default: %v", me)
	}
	list := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses", Token: c.Access})
	want(t, list, http.StatusOK)
	for _, x := range list.JSON(t)["data"].([]any) {
		if m := x.(map[string]any); m["is_default_billing"] != false || m["is_default_shipping"] != false {
			t.Fatalf("a default flag survived: %v", m)
		}
	}
}

func TestAddressCapIs422(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.Caps.Addresses = 3
	k := newKit(t, testkit.WithCore(cfg))
	c := k.Register("cap@example.com")
	var first string
	for i := range 3 {
		id := addrCreate(t, k, c.Access, map[string]any{"country_code": "FR"})["id"].(string)
		if i == 0 {
			first = id
		}
	}
	res := k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/addresses", Token: c.Access, Body: map[string]any{"country_code": "FR"}})
	addrWantField(t, res, "addresses", "limit_reached")
	want(t, k.Do(testkit.Req{Method: "DELETE", Path: "/v1/customer/addresses/" + first, Token: c.Access}), http.StatusNoContent)
	addrCreate(t, k, c.Access, map[string]any{"country_code": "FR"})
}

// Customer A cannot read, change or delete customer B's address, and
// every attempt is the same 404 as an id that does not exist (SECURITY.md 27).
func TestAddressIDOR(t *testing.T) {
	k := newKit(t)
	a, b := k.Register("idor-a@example.com"), k.Register("idor-b@example.com")
	theirs := addrCreate(t, k, b.Access, map[string]any{"country_code": "US", "city": "Reno", "is_default_billing": true})
	id := theirs["id"].(string)
	before := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses/" + id, Token: b.Access})
	want(t, before, http.StatusOK)

	for _, r := range []testkit.Req{
		{Method: "GET", Path: "/v1/customer/addresses/" + id},
		{Method: "PATCH", Path: "/v1/customer/addresses/" + id, Body: map[string]any{"city": "Hijacked", "is_default_shipping": true}},
		{Method: "DELETE", Path: "/v1/customer/addresses/" + id},
		{Method: "GET", Path: "/v1/customer/addresses/addr_01JZZZZZZZZZZZZZZZZZZZZZZZ"},
	} {
		r.Token = a.Access
		res := k.Do(r)
		wantProblem(t, res, http.StatusNotFound, "not_found")
	}
	list := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses", Token: a.Access})
	want(t, list, http.StatusOK)
	if len(list.JSON(t)["data"].([]any)) != 0 {
		t.Fatalf("A sees B's addresses: %s", list.Body)
	}
	after := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses/" + id, Token: b.Access})
	if !bytes.Equal(after.Body, before.Body) {
		t.Fatalf("B's address changed:\n%s\n%s", before.Body, after.Body)
	}
	if me := addrMe(t, k, a.Access); me["default_shipping_address_id"] != nil || me["default_billing_address_id"] != nil {
		t.Fatalf("B's address became A's default: %v", me)
	}
}

func TestAddressBadInput(t *testing.T) {
	k := newKit(t)
	c := k.Register("bad@example.com")
	post := func(body any) *testkit.Response {
		return k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/addresses", Token: c.Access, Body: body})
	}
	// Unknown fields, including ones that would be mass assignment.
	for _, field := range []string{"id", "customer_id", "created_at", "is_default", "countrycode"} {
		res := post(map[string]any{"country_code": "US", field: "x"})
		wantProblem(t, res, http.StatusBadRequest, "unknown_field")
	}
	wantProblem(t, post(`{"country_code": 1}`), http.StatusBadRequest, "malformed_json")
	wantProblem(t, post(`{"country_code": "US"`), http.StatusBadRequest, "malformed_json")
	wantProblem(t, post(`{"country_code": "US", "is_default_billing": "yes"}`), http.StatusBadRequest, "malformed_json")

	addrWantField(t, post(map[string]any{}), "country_code", "required")
	addrWantField(t, post(map[string]any{"country_code": "XX"}), "country_code", "invalid")
	addrWantField(t, post(map[string]any{"country_code": "UK"}), "country_code", "invalid")
	addrWantField(t, post(map[string]any{"country_code": "US", "region_code": "New York"}), "region_code", "invalid")
	addrWantField(t, post(map[string]any{"country_code": "US", "phone": "call me"}), "phone", "invalid")
	addrWantField(t, post(map[string]any{"country_code": "US", "postal_code": strings.Repeat("9", 33)}), "postal_code", "too_long")
	// A name of 60 KiB fits the body limit and is still refused.
	addrWantField(t, post(map[string]any{"country_code": "US", "first_name": strings.Repeat("n", 60<<10)}), "first_name", "too_long")
	// Injection is stored literally.
	a := addrCreate(t, k, c.Access, map[string]any{"country_code": "US", "address1": "' OR 1=1--", "city": `{"$gt":""}`})
	if got := addrGet(t, k, c.Access, a["id"].(string)); got["address1"] != "' OR 1=1--" || got["city"] != `{"$gt":""}` {
		t.Fatalf("stored: %v", got)
	}

	patch := func(body any) *testkit.Response {
		return k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer/addresses/" + a["id"].(string), Token: c.Access, Body: body})
	}
	wantProblem(t, patch(map[string]any{"customer_id": "cus_x"}), http.StatusBadRequest, "unknown_field")
	addrWantField(t, patch(map[string]any{"country_code": ""}), "country_code", "required")
	addrWantField(t, patch(map[string]any{"country_code": "ZZ"}), "country_code", "invalid")
	if got := addrGet(t, k, c.Access, a["id"].(string)); got["country_code"] != "US" {
		t.Fatalf("a refused patch changed the address: %v", got)
	}
}

func TestAddressesNeedACustomerToken(t *testing.T) {
	k := newKit(t)
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses"}), http.StatusUnauthorized, "unauthenticated")
	// The store's secret key is not a customer token.
	res := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses", Admin: true})
	want(t, res, http.StatusUnauthorized)
	res = k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/addresses", Token: "garbage", Body: map[string]any{"country_code": "US"}})
	want(t, res, http.StatusUnauthorized)
}

func TestAdminListAddresses(t *testing.T) {
	k := newKit(t)
	c := k.Register("admin-book@example.com")
	id := addrCreate(t, k, c.Access, map[string]any{"country_code": "DE", "is_default_shipping": true})["id"].(string)
	path := "/admin/v1/customers/" + c.ID + "/addresses"

	res := k.Do(testkit.Req{Method: "GET", Path: path, Admin: true})
	want(t, res, http.StatusOK)
	data := res.JSON(t)["data"].([]any)
	if len(data) != 1 || data[0].(map[string]any)["id"] != id || data[0].(map[string]any)["is_default_shipping"] != true {
		t.Fatalf("admin list: %s", res.Body)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/customers/cus_nobody/addresses", Admin: true}), http.StatusNotFound, "not_found")

	// Neither a publishable key nor a customer token opens the admin API.
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: path, Token: k.PK, PK: "-"}), http.StatusUnauthorized, "invalid_api_key")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: path, Token: c.Access, PK: "-"}), http.StatusUnauthorized, "invalid_api_key")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: path, PK: "-"}), http.StatusUnauthorized, "invalid_api_key")
	// Another store's secret key does not see this store's customer.
	other := k.NewShop("Other")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: path, Token: other.SecretKey, PK: "-"}), http.StatusNotFound, "not_found")
}

func TestCustomerCompanyName(t *testing.T) {
	k := newKit(t)
	c := k.Register("company@example.com")
	me := addrMe(t, k, c.Access)
	if me["company_name"] != nil || me["default_billing_address_id"] != nil || me["default_shipping_address_id"] != nil {
		t.Fatalf("new customer: %v", me)
	}
	if groups, ok := me["groups"].([]any); !ok || len(groups) != 0 {
		t.Fatalf("groups = %#v, want []", me["groups"])
	}
	res := k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer", Token: c.Access, Body: map[string]any{"company_name": " Acme Ltd "}})
	want(t, res, http.StatusOK)
	if res.JSON(t)["company_name"] != "Acme Ltd" || addrMe(t, k, c.Access)["company_name"] != "Acme Ltd" {
		t.Fatalf("company_name: %s", res.Body)
	}
	res = k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer", Token: c.Access, Body: map[string]any{"company_name": strings.Repeat("c", 256)}})
	addrWantField(t, res, "company_name", "too_long")
	// The defaults and groups are not the customer's to write here.
	for _, field := range []string{"default_billing_address_id", "groups"} {
		res := k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer", Token: c.Access, Body: map[string]any{field: nil}})
		wantProblem(t, res, http.StatusBadRequest, "unknown_field")
	}
}
