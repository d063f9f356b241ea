package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// creditAdminPath is the admin ledger route of a customer.
func creditAdminPath(customerID string) string {
	return "/admin/v1/customers/" + customerID + "/store-credits"
}

// creditAdd posts one movement as the kit's admin and returns the answer.
func creditAdd(k *testkit.Kit, customerID string, body map[string]any) *testkit.Response {
	return k.Do(testkit.Req{Method: "POST", Path: creditAdminPath(customerID), Body: body, Admin: true})
}

// creditBalancesOf returns the customer's balances by currency as the customer sees them.
func creditBalancesOf(t *testing.T, k *testkit.Kit, c *testkit.Customer) map[string]float64 {
	t.Helper()
	res := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/store-credits", Token: c.Access})
	want(t, res, http.StatusOK)
	out := map[string]float64{}
	for _, b := range res.JSON(t)["balances"].([]any) {
		m := b.(map[string]any)
		out[m["currency"].(string)] = m["amount"].(float64)
	}
	return out
}

// creditEventCount counts the store's outbox events of one type.
func creditEventCount(t *testing.T, k *testkit.Kit, typ string) int {
	t.Helper()
	p, err := k.App.Service.Events(context.Background(), k.Shop.ID, typ, core.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Items)
}

func TestStoreCreditGrantsShowInBalanceAndHistory(t *testing.T) {
	k := newKit(t)
	c := k.Register("credit@example.com")
	// Ids order the ledger; they are ULIDs, ordered by millisecond, so the
	// fake clock moves between writes.
	want(t, creditAdd(k, c.ID, map[string]any{"currency": "USD", "amount": 1000, "kind": "grant", "reason": "welcome"}), http.StatusCreated)
	k.Clock.Advance(time.Millisecond)
	want(t, creditAdd(k, c.ID, map[string]any{"currency": "jpy", "amount": 500, "kind": "grant"}), http.StatusCreated)
	k.Clock.Advance(time.Millisecond)
	use := creditAdd(k, c.ID, map[string]any{"currency": "USD", "amount": 300, "kind": "use", "reference": "R100"})
	want(t, use, http.StatusCreated)
	if m := use.JSON(t); m["amount"].(float64) != -300 || m["kind"] != "use" || m["author"] != "admin:"+k.Shop.ID || m["reference"] != "R100" {
		t.Fatalf("use entry = %s", use.Body)
	}

	res := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/store-credits", Token: c.Access})
	want(t, res, http.StatusOK)
	m := res.JSON(t)
	bs := m["balances"].([]any)
	if len(bs) != 2 || bs[0].(map[string]any)["currency"] != "JPY" || bs[0].(map[string]any)["amount"].(float64) != 500 ||
		bs[1].(map[string]any)["currency"] != "USD" || bs[1].(map[string]any)["amount"].(float64) != 700 {
		t.Fatalf("balances = %v", bs)
	}
	data := m["data"].([]any)
	var amounts []float64
	for _, e := range data {
		e := e.(map[string]any)
		if _, ok := e["author"]; ok {
			t.Fatalf("the customer sees the author: %v", e)
		}
		amounts = append(amounts, e["amount"].(float64))
	}
	if len(amounts) != 3 || amounts[0] != 1000 || amounts[1] != 500 || amounts[2] != -300 || m["next_cursor"] != nil {
		t.Fatalf("history = %s", res.Body)
	}

	admin := k.Do(testkit.Req{Method: "GET", Path: creditAdminPath(c.ID), Admin: true})
	want(t, admin, http.StatusOK)
	if !strings.Contains(string(admin.Body), `"author":"admin:`+k.Shop.ID+`"`) {
		t.Fatalf("admin history has no author: %s", admin.Body)
	}
	if n, u := creditEventCount(t, k, core.EventStoreCreditGranted), creditEventCount(t, k, core.EventStoreCreditUsed); n != 2 || u != 1 {
		t.Fatalf("events: %d granted, %d used; want 2 and 1", n, u)
	}
}

func TestStoreCreditHistoryPages(t *testing.T) {
	k := newKit(t)
	c := k.Register("pages@example.com")
	for range 25 {
		want(t, creditAdd(k, c.ID, map[string]any{"currency": "EUR", "amount": 1, "kind": "grant"}), http.StatusCreated)
	}
	first := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/store-credits", Token: c.Access})
	want(t, first, http.StatusOK)
	m := first.JSON(t)
	cursor, _ := m["next_cursor"].(string)
	if len(m["data"].([]any)) != 20 || cursor == "" {
		t.Fatalf("first page: %d entries, cursor %q", len(m["data"].([]any)), cursor)
	}
	second := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/store-credits?cursor=" + cursor, Token: c.Access})
	want(t, second, http.StatusOK)
	m = second.JSON(t)
	if len(m["data"].([]any)) != 5 || m["next_cursor"] != nil || m["balances"].([]any)[0].(map[string]any)["amount"].(float64) != 25 {
		t.Fatalf("second page: %s", second.Body)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/store-credits?limit=101", Token: c.Access, NoCheck: true}), 422, "validation_failed")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/store-credits?cursor=bogus", Token: c.Access}), 422, "validation_failed")
}

func TestStoreCreditOverdrawWritesNothing(t *testing.T) {
	k := newKit(t)
	c := k.Register("overdraw@example.com")
	want(t, creditAdd(k, c.ID, map[string]any{"currency": "USD", "amount": 100, "kind": "grant"}), http.StatusCreated)
	for _, body := range []map[string]any{
		{"currency": "USD", "amount": 101, "kind": "use"},
		{"currency": "USD", "amount": 101, "kind": "expire"},
		{"currency": "USD", "amount": -101, "kind": "adjustment", "reason": "correction"},
		// Credit in one currency never covers another.
		{"currency": "EUR", "amount": 1, "kind": "use"},
	} {
		res := creditAdd(k, c.ID, body)
		wantProblem(t, res, http.StatusUnprocessableEntity, core.CodeInsufficientBalance)
		errs := res.JSON(t)["errors"].([]any)
		if f := errs[0].(map[string]any); f["field"] != "amount" || f["code"] != core.CodeInsufficientBalance {
			t.Fatalf("errors = %v", errs)
		}
	}
	if got := creditBalancesOf(t, k, c); len(got) != 1 || got["USD"] != 100 {
		t.Fatalf("balances = %v, want USD 100 only", got)
	}
	res := k.Do(testkit.Req{Method: "GET", Path: creditAdminPath(c.ID), Admin: true})
	if n := len(res.JSON(t)["data"].([]any)); n != 1 {
		t.Fatalf("%d ledger entries, want the grant only", n)
	}
	if creditEventCount(t, k, core.EventStoreCreditUsed)+creditEventCount(t, k, core.EventStoreCreditExpired)+creditEventCount(t, k, core.EventStoreCreditAdjusted) != 0 {
		t.Fatal("a refused movement emitted an event")
	}
	// Exactly the balance is fine, and leaves 0.
	want(t, creditAdd(k, c.ID, map[string]any{"currency": "USD", "amount": 100, "kind": "use"}), http.StatusCreated)
	if got := creditBalancesOf(t, k, c); got["USD"] != 0 {
		t.Fatalf("balances = %v, want USD 0", got)
	}
}

func TestStoreCreditInput(t *testing.T) {
	k := newKit(t)
	c := k.Register("input@example.com")
	other := k.NewShop("Other store")
	tests := []struct {
		name   string
		path   string
		body   any
		status int
		code   string
		field  string
	}{
		{"unknown_currency", "", map[string]any{"currency": "XYZ", "amount": 1, "kind": "grant"}, 422, "validation_failed", "currency"},
		{"historic_currency", "", map[string]any{"currency": "DEM", "amount": 1, "kind": "grant"}, 422, "validation_failed", "currency"},
		{"no_currency", "", map[string]any{"amount": 1, "kind": "grant"}, 422, "validation_failed", "currency"},
		{"zero_grant", "", map[string]any{"currency": "USD", "amount": 0, "kind": "grant"}, 422, "validation_failed", "amount"},
		{"negative_use", "", map[string]any{"currency": "USD", "amount": -5, "kind": "use"}, 422, "validation_failed", "amount"},
		{"negative_refund", "", map[string]any{"currency": "USD", "amount": -5, "kind": "refund"}, 422, "validation_failed", "amount"},
		{"too_large", "", map[string]any{"currency": "USD", "amount": core.MaxCreditAmount + 1, "kind": "grant"}, 422, "validation_failed", "amount"},
		{"adjustment_without_reason", "", map[string]any{"currency": "USD", "amount": 5, "kind": "adjustment"}, 422, "validation_failed", "reason"},
		{"zero_adjustment", "", map[string]any{"currency": "USD", "amount": 0, "kind": "adjustment", "reason": "x"}, 422, "validation_failed", "amount"},
		{"unknown_kind", "", map[string]any{"currency": "USD", "amount": 5, "kind": "gift"}, 422, "validation_failed", "kind"},
		{"no_kind", "", map[string]any{"currency": "USD", "amount": 5}, 422, "validation_failed", "kind"},
		{"reason_too_long", "", map[string]any{"currency": "USD", "amount": 5, "kind": "grant", "reason": strings.Repeat("r", 501)}, 422, "validation_failed", "reason"},
		{"reason_nul", "", map[string]any{"currency": "USD", "amount": 5, "kind": "grant", "reason": "a\u0000b"}, 422, "validation_failed", "reason"},
		{"fractional_amount", "", map[string]any{"currency": "USD", "amount": 10.5, "kind": "grant"}, 400, "malformed_json", "amount"},
		{"amount_as_string", "", map[string]any{"currency": "USD", "amount": "10", "kind": "grant"}, 400, "malformed_json", "amount"},
		{"unknown_field", "", map[string]any{"currency": "USD", "amount": 5, "kind": "grant", "author": "me"}, 400, "unknown_field", "author"},
		{"malformed", "", `{"currency":`, 400, "malformed_json", ""},
		{"unknown_customer", creditAdminPath("cus_01J00000000000000000000000"), map[string]any{"currency": "USD", "amount": 5, "kind": "grant"}, 404, "not_found", ""},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			path := tt.path
			if path == "" {
				path = creditAdminPath(c.ID)
			}
			res := k.Do(testkit.Req{Method: "POST", Path: path, Body: tt.body, Admin: true, NoCheck: tt.status == 400})
			wantProblem(t, res, tt.status, tt.code)
			if tt.field != "" {
				errs, _ := res.JSON(t)["errors"].([]any)
				if len(errs) == 0 || errs[0].(map[string]any)["field"] != tt.field {
					t.Fatalf("errors = %v, want field %s", errs, tt.field)
				}
			}
		})
	}
	if got := creditBalancesOf(t, k, c); len(got) != 0 {
		t.Fatalf("refused requests wrote credit: %v", got)
	}

	// Injection in text fields is stored literally.
	res := creditAdd(k, c.ID, map[string]any{"currency": "usd", "amount": 5, "kind": "grant", "reason": "' OR 1=1--", "reference": `{"$gt":""}`})
	want(t, res, http.StatusCreated)
	if m := res.JSON(t); m["reason"] != "' OR 1=1--" || m["reference"] != `{"$gt":""}` || m["currency"] != "USD" {
		t.Fatalf("entry = %s", res.Body)
	}

	// Another store's secret key cannot read or write this customer's ledger.
	for _, r := range []testkit.Req{
		{Method: "GET", Path: creditAdminPath(c.ID), Token: other.SecretKey, PK: "-"},
		{Method: "POST", Path: creditAdminPath(c.ID), Token: other.SecretKey, PK: "-", Body: map[string]any{"currency": "USD", "amount": 5, "kind": "grant"}},
	} {
		wantProblem(t, k.Do(r), http.StatusNotFound, "not_found")
	}
	// A customer's token is not an admin credential.
	want(t, k.Do(testkit.Req{Method: "POST", Path: creditAdminPath(c.ID), Token: c.Access, PK: "-", Body: map[string]any{"currency": "USD", "amount": 5, "kind": "grant"}}), http.StatusUnauthorized)
	if got := creditBalancesOf(t, k, c); len(got) != 1 || got["USD"] != 5 {
		t.Fatalf("balances = %v, want USD 5", got)
	}
}

// The acceptance case: 20 concurrent uses of 10 against a balance of 100
// succeed exactly 10 times, and the balance ends at 0, never below.
func TestStoreCreditParallelUses(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run("db="+backend, func(t *testing.T) {
			var opts []testkit.Option
			if backend == "postgres" {
				opts = append(opts, testkit.WithPostgres(t))
			}
			k := newKit(t, opts...)
			c := k.Register("parallel@example.com")
			want(t, creditAdd(k, c.ID, map[string]any{"currency": "USD", "amount": 100, "kind": "grant"}), http.StatusCreated)

			const n = 20
			statuses := make([]int, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					<-start
					res := creditAdd(k, c.ID, map[string]any{"currency": "USD", "amount": 10, "kind": "use", "reference": "order"})
					statuses[i] = res.Status
				})
			}
			close(start)
			wg.Wait()
			ok, refused := 0, 0
			for i, s := range statuses {
				switch s {
				case http.StatusCreated:
					ok++
				case http.StatusUnprocessableEntity:
					refused++
				default:
					t.Errorf("use %d: status %d", i, s)
				}
			}
			if ok != 10 || refused != 10 {
				t.Fatalf("%d uses succeeded and %d were refused; want 10 and 10", ok, refused)
			}
			if got := creditBalancesOf(t, k, c); got["USD"] != 0 {
				t.Fatalf("balance = %v, want 0", got["USD"])
			}
			if u := creditEventCount(t, k, core.EventStoreCreditUsed); u != 10 {
				t.Fatalf("%d use events, want 10", u)
			}
		})
	}
}
