package httpapi_test

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

const pmPath = "/v1/customer/payment-methods"

// card is a valid card body; mod adjusts it.
func card(mod func(map[string]any)) map[string]any {
	b := map[string]any{
		"provider": "stripe", "provider_ref": "pm_1N4HTz2eZvKYlo2C" + strconv.FormatInt(time.Now().UnixNano(), 36),
		"type": "card", "brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": time.Now().Year() + 3,
		"holder_name": "Jane Doe", "metadata": map[string]any{"wallet": "apple_pay"},
	}
	if mod != nil {
		mod(b)
	}
	return b
}

func addPM(t *testing.T, k *testkit.Kit, c *testkit.Customer, body map[string]any) map[string]any {
	t.Helper()
	res := k.Do(testkit.Req{Method: "POST", Path: pmPath, Token: c.Access, Body: body})
	want(t, res, http.StatusCreated)
	return res.JSON(t)
}

func listPMs(t *testing.T, k *testkit.Kit, c *testkit.Customer) []any {
	t.Helper()
	res := k.Do(testkit.Req{Method: "GET", Path: pmPath, Token: c.Access})
	want(t, res, http.StatusOK)
	return res.JSON(t)["data"].([]any)
}

func TestPaymentMethodCRUDAndDefault(t *testing.T) { onEachDB(t, paymentMethodCRUDAndDefault) }

func paymentMethodCRUDAndDefault(t *testing.T, k *testkit.Kit) {
	c := k.Register("payer@example.com")

	first := addPM(t, k, c, card(nil))
	if first["is_default"] != true || first["last4"] != "4242" || first["provider"] != "stripe" {
		t.Fatalf("first method: %v", first)
	}
	k.Clock.Advance(time.Second) // ids sort by their millisecond first
	paypal := addPM(t, k, c, map[string]any{"provider": "paypal", "provider_ref": "B-5YL12345AB678901C", "type": "paypal"})
	if paypal["is_default"] != false || paypal["exp_month"] != nil || paypal["last4"] != nil {
		t.Fatalf("second method: %v", paypal)
	}
	if got := listPMs(t, k, c); len(got) != 2 || got[0].(map[string]any)["id"] != first["id"] {
		t.Fatalf("list: %v", got)
	}

	// Setting the default moves it.
	id1, id2 := first["id"].(string), paypal["id"].(string)
	res := k.Do(testkit.Req{Method: "PATCH", Path: pmPath + "/" + id2, Token: c.Access, Body: map[string]any{"is_default": true}})
	want(t, res, http.StatusOK)
	if res.JSON(t)["is_default"] != true {
		t.Fatalf("patched: %s", res.Body)
	}
	got := k.Do(testkit.Req{Method: "GET", Path: pmPath + "/" + id1, Token: c.Access})
	want(t, got, http.StatusOK)
	if got.JSON(t)["is_default"] != false {
		t.Fatalf("the old default kept its flag: %s", got.Body)
	}

	res = k.Do(testkit.Req{Method: "PATCH", Path: pmPath + "/" + id1, Token: c.Access, Body: map[string]any{
		"holder_name": "J. Doe", "exp_month": 1, "exp_year": time.Now().Year() + 5, "metadata": map[string]any{"k": "v"},
	}})
	want(t, res, http.StatusOK)
	if m := res.JSON(t); m["holder_name"] != "J. Doe" || m["exp_month"].(float64) != 1 || m["metadata"].(map[string]any)["k"] != "v" {
		t.Fatalf("patched: %v", m)
	}

	want(t, k.Do(testkit.Req{Method: "DELETE", Path: pmPath + "/" + id2, Token: c.Access}), http.StatusNoContent)
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: pmPath + "/" + id2, Token: c.Access}), http.StatusNotFound, "not_found")
	wantProblem(t, k.Do(testkit.Req{Method: "DELETE", Path: pmPath + "/" + id2, Token: c.Access}), http.StatusNotFound, "not_found")
	// Deleting the default leaves none; the next method saved becomes it.
	if got := listPMs(t, k, c); len(got) != 1 || got[0].(map[string]any)["is_default"] != false {
		t.Fatalf("after delete: %v", got)
	}
	if third := addPM(t, k, c, card(nil)); third["is_default"] != true {
		t.Fatalf("a method saved while none is default did not become it: %v", third)
	}

	for typ, n := range map[string]int{
		core.EventPaymentMethodCreated: 3, core.EventPaymentMethodUpdated: 2, core.EventPaymentMethodDeleted: 1,
	} {
		evs := shopEvents(t, k, typ)
		if len(evs) != n {
			t.Fatalf("%d %s events, want %d", len(evs), typ, n)
		}
		if _, leaked := evs[0].Data["provider_ref"]; leaked {
			t.Fatalf("the event carries the provider reference: %v", evs[0].Data)
		}
	}
}

// Anything that looks like a card number, in any string field at any
// depth, is refused with 400 and nothing is stored (PCI scope).
func TestPaymentMethodRejectsCardNumbers(t *testing.T) {
	k := newKit(t)
	c := k.Register("pan@example.com")
	pan := "4242 4242 4242 4242"
	tests := map[string]func(map[string]any){
		"provider_ref":        func(b map[string]any) { b["provider_ref"] = pan },
		"provider_ref_dashes": func(b map[string]any) { b["provider_ref"] = "4242-4242-4242-4242" },
		"holder_name":         func(b map[string]any) { b["holder_name"] = "Jane 4242424242424242" },
		"brand":               func(b map[string]any) { b["brand"] = "378282246310005" },
		"metadata_value":      func(b map[string]any) { b["metadata"] = map[string]any{"card": pan} },
		"metadata_nested":     func(b map[string]any) { b["metadata"] = map[string]any{"a": []any{1, map[string]any{"b": pan}}} },
		"metadata_key":        func(b map[string]any) { b["metadata"] = map[string]any{"4242424242424242": "x"} },
		"also_invalid_fields": func(b map[string]any) { b["provider_ref"] = pan; b["type"] = "NOT VALID" },
	}
	for name, mod := range tests {
		t.Run("case="+name, func(t *testing.T) {
			wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: pmPath, Token: c.Access, Body: card(mod)}), http.StatusBadRequest, core.CodeCardNumberRejected)
		})
	}
	if got := listPMs(t, k, c); len(got) != 0 {
		t.Fatalf("a refused method was stored: %v", got)
	}
	if n := len(shopEvents(t, k, core.EventPaymentMethodCreated)); n != 0 {
		t.Fatalf("%d created events for refused methods", n)
	}

	// Luhn-invalid 16 digits and 11 digits are not card numbers.
	m := addPM(t, k, c, card(func(b map[string]any) {
		b["metadata"] = map[string]any{"ref": "4242 4242 4242 4241", "phone": "12345678903"}
	}))
	id := m["id"].(string)
	res := k.Do(testkit.Req{Method: "PATCH", Path: pmPath + "/" + id, Token: c.Access, Body: map[string]any{"metadata": map[string]any{"x": []any{pan}}}})
	wantProblem(t, res, http.StatusBadRequest, core.CodeCardNumberRejected)
	res = k.Do(testkit.Req{Method: "PATCH", Path: pmPath + "/" + id, Token: c.Access, Body: map[string]any{"holder_name": pan}})
	wantProblem(t, res, http.StatusBadRequest, core.CodeCardNumberRejected)
	got := k.Do(testkit.Req{Method: "GET", Path: pmPath + "/" + id, Token: c.Access})
	want(t, got, http.StatusOK)
	if g := got.JSON(t); g["metadata"].(map[string]any)["ref"] != "4242 4242 4242 4241" || g["holder_name"] != "Jane Doe" {
		t.Fatalf("a refused update changed the method: %v", g)
	}
}

func TestPaymentMethodValidation(t *testing.T) {
	k := newKit(t)
	c := k.Register("rules@example.com")
	existing := addPM(t, k, c, card(nil))
	year := time.Now().Year()
	tests := []struct {
		name   string
		mod    func(map[string]any)
		status int
		code   string
		field  string
	}{
		{"missing_provider", func(b map[string]any) { delete(b, "provider") }, 422, "validation_failed", "provider"},
		{"missing_provider_ref", func(b map[string]any) { b["provider_ref"] = " " }, 422, "validation_failed", "provider_ref"},
		{"bad_type", func(b map[string]any) { b["type"] = "Credit Card" }, 422, "validation_failed", "type"},
		{"last4_not_digits", func(b map[string]any) { b["last4"] = "42a2" }, 422, "validation_failed", "last4"},
		{"last4_too_long", func(b map[string]any) { b["last4"] = "42424" }, 422, "validation_failed", "last4"},
		{"exp_month_13", func(b map[string]any) { b["exp_month"] = 13 }, 422, "validation_failed", "exp_month"},
		{"exp_year_past", func(b map[string]any) { b["exp_year"] = year - 1 }, 422, "validation_failed", "exp_year"},
		{"exp_month_alone", func(b map[string]any) { delete(b, "exp_year") }, 422, "validation_failed", "exp_year"},
		{"holder_name_too_long", func(b map[string]any) { b["holder_name"] = string(make([]byte, 300)) }, 422, "validation_failed", "holder_name"},
		{"unknown_billing_address", func(b map[string]any) { b["billing_address_id"] = "addr_nope" }, 422, "validation_failed", "billing_address_id"},
		{"metadata_too_many_keys", func(b map[string]any) {
			m := map[string]any{}
			for i := range 51 {
				m["k"+strconv.Itoa(i)] = i
			}
			b["metadata"] = m
		}, 422, "validation_failed", "metadata"},
		{"duplicate_provider_ref", func(b map[string]any) { b["provider_ref"] = existing["provider_ref"] }, 409, core.CodePaymentMethodExists, ""},
		{"unknown_field", func(b map[string]any) { b["card_number"] = "x" }, 400, "unknown_field", "card_number"},
		{"wrong_type", func(b map[string]any) { b["exp_month"] = "12" }, 400, "malformed_json", "exp_month"},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			res := k.Do(testkit.Req{Method: "POST", Path: pmPath, Token: c.Access, Body: card(tt.mod), NoCheck: tt.status == 400})
			wantProblem(t, res, tt.status, tt.code)
			if tt.field != "" {
				errs, _ := res.JSON(t)["errors"].([]any)
				if len(errs) == 0 || errs[0].(map[string]any)["field"] != tt.field {
					t.Fatalf("errors = %v, want field %s", errs, tt.field)
				}
			}
		})
	}
	id := existing["id"].(string)
	for name, body := range map[string]map[string]any{
		"provider_ref": {"provider_ref": "pm_other"}, "provider": {"provider": "adyen"}, "type": {"type": "paypal"},
	} {
		t.Run("case=patch_"+name, func(t *testing.T) {
			res := k.Do(testkit.Req{Method: "PATCH", Path: pmPath + "/" + id, Token: c.Access, Body: body, NoCheck: true})
			wantProblem(t, res, http.StatusBadRequest, "unknown_field")
		})
	}
	res := k.Do(testkit.Req{Method: "PATCH", Path: pmPath + "/" + id, Token: c.Access, Body: map[string]any{"exp_year": year - 1}})
	wantProblem(t, res, 422, "validation_failed")
	if got := listPMs(t, k, c); len(got) != 1 || got[0].(map[string]any)["exp_year"].(float64) != float64(year+3) {
		t.Fatalf("refused writes changed the list: %v", got)
	}
}

func TestPaymentMethodCap(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.Caps.PaymentMethods = 2
	k := newKit(t, testkit.WithCore(cfg))
	c := k.Register("cap@example.com")
	addPM(t, k, c, card(nil))
	addPM(t, k, c, card(nil))
	res := k.Do(testkit.Req{Method: "POST", Path: pmPath, Token: c.Access, Body: card(nil)})
	wantProblem(t, res, 422, "validation_failed")
	errs := res.JSON(t)["errors"].([]any)
	if f := errs[0].(map[string]any); f["field"] != "payment_methods" || f["code"] != "limit_reached" {
		t.Fatalf("errors = %v", errs)
	}
}

// Another customer's method answers 404 to every verb and stays as it was.
func TestPaymentMethodIDOR(t *testing.T) {
	k := newKit(t)
	a, b := k.Register("a@example.com"), k.Register("b@example.com")
	m := addPM(t, k, a, card(nil))
	path := pmPath + "/" + m["id"].(string)
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: path, Token: b.Access}), 404, "not_found")
	wantProblem(t, k.Do(testkit.Req{Method: "PATCH", Path: path, Token: b.Access, Body: map[string]any{"is_default": false}}), 404, "not_found")
	wantProblem(t, k.Do(testkit.Req{Method: "DELETE", Path: path, Token: b.Access}), 404, "not_found")
	if got := listPMs(t, k, b); len(got) != 0 {
		t.Fatalf("b sees a's methods: %v", got)
	}
	got := k.Do(testkit.Req{Method: "GET", Path: path, Token: a.Access})
	want(t, got, 200)
	if got.JSON(t)["is_default"] != true {
		t.Fatalf("a's method changed: %s", got.Body)
	}
	want(t, k.Do(testkit.Req{Method: "GET", Path: pmPath}), http.StatusUnauthorized)
}

func TestAdminAttachPaymentMethod(t *testing.T) {
	k := newKit(t)
	c := k.Register("attach@example.com")
	path := "/admin/v1/customers/" + c.ID + "/payment-methods"
	res := k.Do(testkit.Req{Method: "POST", Path: path, Admin: true, Body: card(nil)})
	want(t, res, http.StatusCreated)
	if got := listPMs(t, k, c); len(got) != 1 || got[0].(map[string]any)["id"] != res.JSON(t)["id"] {
		t.Fatalf("the customer does not see the attached method: %v", got)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: path, Admin: true, Body: card(func(b map[string]any) { b["provider_ref"] = "4242424242424242" })}), 400, core.CodeCardNumberRejected)

	// Another store's secret key cannot reach this store's customer.
	other := k.NewShop("Other store")
	res = k.Do(testkit.Req{Method: "POST", Path: path, Token: other.SecretKey, PK: "-", Body: card(nil)})
	wantProblem(t, res, http.StatusNotFound, "not_found")
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/customers/cus_nope/payment-methods", Admin: true, Body: card(nil)}), 404, "not_found")
	// A customer token is not an admin key.
	want(t, k.Do(testkit.Req{Method: "POST", Path: path, Token: c.Access, PK: "-", Body: card(nil)}), http.StatusUnauthorized)
}

// Concurrent first saves: every one is stored and exactly one is the
// default (the customer's methods are written one transaction at a time).
func TestPaymentMethodConcurrentSaves(t *testing.T) { onEachDB(t, paymentMethodConcurrentSaves) }

func paymentMethodConcurrentSaves(t *testing.T, k *testkit.Kit) {
	c := k.Register("race@example.com")
	const n = 6
	statuses := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		body := card(func(b map[string]any) { b["provider_ref"] = "pm_race_" + strconv.Itoa(i) })
		wg.Go(func() {
			<-start
			statuses[i] = k.Do(testkit.Req{Method: "POST", Path: pmPath, Token: c.Access, Body: body}).Status
		})
	}
	close(start)
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusCreated {
			t.Fatalf("save %d answered %d", i, s)
		}
	}
	defaults := 0
	for _, m := range listPMs(t, k, c) {
		if m.(map[string]any)["is_default"] == true {
			defaults++
		}
	}
	if defaults != 1 {
		t.Fatalf("%d defaults, want 1", defaults)
	}
}

// The billing address must be one of the customer's own; deleting it
// clears it from the method.
func TestPaymentMethodBillingAddress(t *testing.T) {
	k := newKit(t)
	a, b := k.Register("bill@example.com"), k.Register("other-bill@example.com")
	addr := func(c *testkit.Customer) string {
		res := k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/addresses", Token: c.Access,
			Body: map[string]any{"first_name": "Jane", "address1": "1 Main St", "city": "Springfield", "country_code": "US"}})
		want(t, res, http.StatusCreated)
		return res.JSON(t)["id"].(string)
	}
	mine, theirs := addr(a), addr(b)
	res := k.Do(testkit.Req{Method: "POST", Path: pmPath, Token: a.Access, Body: card(func(m map[string]any) { m["billing_address_id"] = theirs })})
	wantProblem(t, res, 422, "validation_failed")
	m := addPM(t, k, a, card(func(m map[string]any) { m["billing_address_id"] = mine }))
	path := pmPath + "/" + m["id"].(string)
	if m["billing_address_id"] != mine {
		t.Fatalf("method: %v", m)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "PATCH", Path: path, Token: a.Access, Body: map[string]any{"billing_address_id": theirs}}), 422, "validation_failed")
	want(t, k.Do(testkit.Req{Method: "DELETE", Path: "/v1/customer/addresses/" + mine, Token: a.Access}), http.StatusNoContent)
	got := k.Do(testkit.Req{Method: "GET", Path: path, Token: a.Access})
	want(t, got, http.StatusOK)
	if got.JSON(t)["billing_address_id"] != nil {
		t.Fatalf("the deleted address is still referenced: %s", got.Body)
	}
}
