package httpapi_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// giftCardIssue issues a card as the kit's admin and returns its id and code.
func giftCardIssue(t *testing.T, k *testkit.Kit, body map[string]any) (id, code string) {
	t.Helper()
	res := k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/gift-cards", Body: body, Admin: true})
	want(t, res, http.StatusCreated)
	return res.Str(t, "id"), res.Str(t, "code")
}

// giftCardRedeemAs posts a code as the customer.
func giftCardRedeemAs(k *testkit.Kit, c *testkit.Customer, code string) *testkit.Response {
	return k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/gift-cards/redeem", Token: c.Access, Body: map[string]string{"code": code}})
}

// creditRelogin gives c a fresh access token after the clock moved past its expiry.
func creditRelogin(t *testing.T, k *testkit.Kit, c *testkit.Customer) {
	t.Helper()
	res := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": c.Password}})
	want(t, res, http.StatusOK)
	c.Access = res.Str(t, "access_token")
}

// giftCardsOf lists the customer's cards.
func giftCardsOf(t *testing.T, k *testkit.Kit, c *testkit.Customer) []any {
	t.Helper()
	res := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/gift-cards", Token: c.Access})
	want(t, res, http.StatusOK)
	return res.JSON(t)["data"].([]any)
}

func TestGiftCardIssueRedeemList(t *testing.T) {
	k := newKit(t)
	c := k.Register("gift@example.com")
	res := k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/gift-cards", Admin: true, Body: map[string]any{
		"currency": "usd", "amount": 5000, "metadata": map[string]any{"campaign": "spring"},
	}})
	want(t, res, http.StatusCreated)
	issued := res.JSON(t)
	code, id := issued["code"].(string), issued["id"].(string)
	if !regexp.MustCompile(`^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$`).MatchString(code) ||
		issued["last4"] != code[len(code)-4:] || issued["balance"].(float64) != 5000 || issued["currency"] != "USD" ||
		issued["customer_id"] != nil || issued["status"] != "active" {
		t.Fatalf("issued = %s", res.Body)
	}

	// Lower case, with spaces for dashes: the same code.
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	r1 := giftCardRedeemAs(k, c, typed)
	want(t, r1, http.StatusOK)
	if m := r1.JSON(t); m["id"] != id || m["balance"].(float64) != 5000 || m["redeemed_at"] == nil || m["last4"] != issued["last4"] {
		t.Fatalf("redeemed = %s", r1.Body)
	}
	if strings.Contains(string(r1.Body), code) || strings.Contains(string(r1.Body), core.NormalizeGiftCardCode(code)) {
		t.Fatalf("the code is shown again: %s", r1.Body)
	}
	cards := giftCardsOf(t, k, c)
	if len(cards) != 1 || cards[0].(map[string]any)["id"] != id || cards[0].(map[string]any)["balance"].(float64) != 5000 {
		t.Fatalf("cards = %v", cards)
	}

	// Redeeming again is an idempotent success: same card, one event.
	r2 := giftCardRedeemAs(k, c, code)
	want(t, r2, http.StatusOK)
	if r2.Str(t, "id") != id || r2.Str(t, "redeemed_at") != r1.Str(t, "redeemed_at") {
		t.Fatalf("second redeem = %s", r2.Body)
	}
	if n := creditEventCount(t, k, core.EventGiftCardRedeemed); n != 1 {
		t.Fatalf("%d redeemed events, want 1", n)
	}
	if n := creditEventCount(t, k, core.EventGiftCardIssued); n != 1 {
		t.Fatalf("%d issued events, want 1", n)
	}

	// The customer reads the card's ledger; the admin sees the author and
	// the owner, never the code.
	detail := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/gift-cards/" + id, Token: c.Access})
	want(t, detail, http.StatusOK)
	entries := detail.JSON(t)["entries"].([]any)
	if len(entries) != 1 || entries[0].(map[string]any)["kind"] != "grant" || entries[0].(map[string]any)["amount"].(float64) != 5000 {
		t.Fatalf("entries = %v", entries)
	}
	admin := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/gift-cards/" + id, Admin: true})
	want(t, admin, http.StatusOK)
	if m := admin.JSON(t); m["customer_id"] != c.ID || m["code"] != nil || m["metadata"].(map[string]any)["campaign"] != "spring" {
		t.Fatalf("admin view = %s", admin.Body)
	}
}

// Unknown, someone else's, expired and disabled codes get one answer.
func TestGiftCardRedeemRefusalsAreIdentical(t *testing.T) {
	k := newKit(t)
	a, b := k.Register("a@example.com"), k.Register("b@example.com")
	_, taken := giftCardIssue(t, k, map[string]any{"currency": "EUR", "amount": 100})
	want(t, giftCardRedeemAs(k, a, taken), http.StatusOK)
	_, expiring := giftCardIssue(t, k, map[string]any{"currency": "EUR", "amount": 100, "expires_at": k.Clock.Now().Add(time.Hour).Format(time.RFC3339)})
	disabledID, disabled := giftCardIssue(t, k, map[string]any{"currency": "EUR", "amount": 100})
	ctx := context.Background()
	g, err := k.App.Store.GetGiftCard(ctx, k.Shop.ID, disabledID)
	if err != nil {
		t.Fatal(err)
	}
	now := k.Clock.Now()
	g.DisabledAt = &now
	if err := k.App.Store.UpdateGiftCard(ctx, g); err != nil {
		t.Fatal(err)
	}
	k.Clock.Advance(2 * time.Hour)
	creditRelogin(t, k, a)
	creditRelogin(t, k, b)

	var first []byte
	for name, code := range map[string]string{
		"unknown": "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "another_customers": taken, "expired": expiring,
		"disabled": disabled, "malformed": "not a code!",
	} {
		res := giftCardRedeemAs(k, b, code)
		wantProblem(t, res, http.StatusUnprocessableEntity, core.CodeGiftCardInvalid)
		if first == nil {
			first = res.Body
		} else if string(res.Body) != string(first) {
			t.Fatalf("%s: answer differs:\n%s\n%s", name, res.Body, first)
		}
	}
	if cards := giftCardsOf(t, k, b); len(cards) != 0 {
		t.Fatalf("b got cards: %v", cards)
	}
	if cards := giftCardsOf(t, k, a); len(cards) != 1 {
		t.Fatalf("a's cards = %v", cards)
	}
	// Input errors are not refusals of a code.
	wantProblem(t, giftCardRedeemAs(k, b, "  "), http.StatusUnprocessableEntity, "validation_failed")
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/gift-cards/redeem", Token: b.Access, Body: map[string]any{"code": taken, "customer_id": b.ID}, NoCheck: true}), 400, "unknown_field")
}

// The 11th code attempt of a customer within an hour is refused with 429,
// even a right one, until the window has passed.
func TestGiftCardRedeemBruteForceLimited(t *testing.T) {
	k := newKit(t)
	c := k.Register("guesser@example.com")
	_, code := giftCardIssue(t, k, map[string]any{"currency": "USD", "amount": 100})
	for i := range 10 {
		wantProblem(t, giftCardRedeemAs(k, c, "WRONG-CODE-"+strings.Repeat(string(rune('A'+i)), 4)), 422, core.CodeGiftCardInvalid)
	}
	limited := giftCardRedeemAs(k, c, "WRONG-CODE-XXXX")
	wantProblem(t, limited, http.StatusTooManyRequests, "rate_limited")
	if limited.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	wantProblem(t, giftCardRedeemAs(k, c, code), http.StatusTooManyRequests, "rate_limited")
	k.Clock.Advance(61 * time.Minute)
	creditRelogin(t, k, c)
	want(t, giftCardRedeemAs(k, c, code), http.StatusOK)
}

func TestGiftCardAdmin(t *testing.T) {
	k := newKit(t)
	c := k.Register("owner@example.com")
	id, code := giftCardIssue(t, k, map[string]any{"currency": "EUR", "amount": 5000, "code": "Spring-Sale-2025", "customer_id": c.ID})
	if code != "Spring-Sale-2025" {
		t.Fatalf("code = %q", code)
	}
	// Assigned at issue: listed at once, and redeeming it is a no-op.
	if cards := giftCardsOf(t, k, c); len(cards) != 1 || cards[0].(map[string]any)["redeemed_at"] != nil {
		t.Fatalf("cards = %v", cards)
	}
	want(t, giftCardRedeemAs(k, c, "springsale2025"), http.StatusOK)

	adjust := func(body map[string]any) *testkit.Response {
		return k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/gift-cards/" + id + "/adjustments", Body: body, Admin: true})
	}
	wantProblem(t, adjust(map[string]any{"amount": 6000, "kind": "use"}), 422, core.CodeInsufficientBalance)
	wantProblem(t, adjust(map[string]any{"amount": -1000}), 422, "validation_failed") // an adjustment needs a reason
	res := adjust(map[string]any{"amount": -1000, "reason": "partial refund clawback", "reference": "R9"})
	want(t, res, http.StatusCreated)
	if m := res.JSON(t); m["kind"] != "adjustment" || m["amount"].(float64) != -1000 || m["author"] != "admin:"+k.Shop.ID {
		t.Fatalf("entry = %s", res.Body)
	}
	want(t, adjust(map[string]any{"amount": 4000, "kind": "use", "reference": "order-1"}), http.StatusCreated)
	wantProblem(t, adjust(map[string]any{"amount": 1, "kind": "use"}), 422, core.CodeInsufficientBalance)
	got := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/gift-cards/" + id, Admin: true})
	want(t, got, http.StatusOK)
	if m := got.JSON(t); m["balance"].(float64) != 0 || len(m["entries"].([]any)) != 3 {
		t.Fatalf("card = %s", got.Body)
	}
	if n := creditEventCount(t, k, core.EventGiftCardAdjusted); n != 2 {
		t.Fatalf("%d adjusted events, want 2", n)
	}

	tests := []struct {
		name   string
		body   any
		status int
		code   string
		field  string
	}{
		{"duplicate_code_other_spelling", map[string]any{"currency": "EUR", "amount": 1, "code": "spring sale 2025"}, 409, "conflict", ""},
		{"short_code", map[string]any{"currency": "EUR", "amount": 1, "code": "abc"}, 422, "validation_failed", "code"},
		{"bad_currency", map[string]any{"currency": "EURO", "amount": 1}, 422, "validation_failed", "currency"},
		{"zero_amount", map[string]any{"currency": "EUR", "amount": 0}, 422, "validation_failed", "amount"},
		{"past_expiry", map[string]any{"currency": "EUR", "amount": 1, "expires_at": "2001-01-01T00:00:00Z"}, 422, "validation_failed", "expires_at"},
		{"bad_expiry", map[string]any{"currency": "EUR", "amount": 1, "expires_at": "tomorrow"}, 400, "malformed_json", "expires_at"},
		{"unknown_customer", map[string]any{"currency": "EUR", "amount": 1, "customer_id": "cus_nobody"}, 422, "validation_failed", "customer_id"},
		{"unknown_field", map[string]any{"currency": "EUR", "amount": 1, "balance": 9}, 400, "unknown_field", "balance"},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			res := k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/gift-cards", Body: tt.body, Admin: true, NoCheck: tt.status == 400})
			wantProblem(t, res, tt.status, tt.code)
			if tt.field != "" {
				errs, _ := res.JSON(t)["errors"].([]any)
				if len(errs) == 0 || errs[0].(map[string]any)["field"] != tt.field {
					t.Fatalf("errors = %v, want field %s", errs, tt.field)
				}
			}
		})
	}
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/gift-cards/gc_nothing", Admin: true}), 404, "not_found")
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/gift-cards/gc_nothing/adjustments", Admin: true, Body: map[string]any{"amount": 1, "kind": "grant"}}), 404, "not_found")
}

// Customer B never sees or reaches A's credit or cards, and another
// store's admin never reaches either.
func TestCreditAndGiftCardIDOR(t *testing.T) {
	k := newKit(t)
	a, b := k.Register("a@example.com"), k.Register("b@example.com")
	other := k.NewShop("Other store")
	want(t, creditAdd(k, a.ID, map[string]any{"currency": "USD", "amount": 700, "kind": "grant"}), http.StatusCreated)
	cardID, code := giftCardIssue(t, k, map[string]any{"currency": "USD", "amount": 100})
	want(t, giftCardRedeemAs(k, a, code), http.StatusOK)
	unassignedID, _ := giftCardIssue(t, k, map[string]any{"currency": "USD", "amount": 100})

	res := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/store-credits", Token: b.Access})
	want(t, res, http.StatusOK)
	if m := res.JSON(t); len(m["balances"].([]any)) != 0 || len(m["data"].([]any)) != 0 {
		t.Fatalf("b sees credit: %s", res.Body)
	}
	if cards := giftCardsOf(t, k, b); len(cards) != 0 {
		t.Fatalf("b sees cards: %v", cards)
	}
	for _, id := range []string{cardID, unassignedID} {
		wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/gift-cards/" + id, Token: b.Access}), 404, "not_found")
	}
	// B's token is no admin credential; another store's secret key misses.
	want(t, k.Do(testkit.Req{Method: "GET", Path: creditAdminPath(a.ID), Token: b.Access, PK: "-"}), http.StatusUnauthorized)
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/gift-cards/" + cardID, Token: b.Access, PK: "-"}), http.StatusUnauthorized)
	for _, r := range []testkit.Req{
		{Method: "GET", Path: "/admin/v1/gift-cards/" + cardID},
		{Method: "POST", Path: "/admin/v1/gift-cards/" + cardID + "/adjustments", Body: map[string]any{"amount": 100, "kind": "use"}},
	} {
		r.Token, r.PK = other.SecretKey, "-"
		wantProblem(t, k.Do(r), http.StatusNotFound, "not_found")
	}
	// A's customer token with another store's publishable key is refused.
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/store-credits", Token: a.Access, PK: other.PublishableKey}), http.StatusUnauthorized)
	// Nothing of A's changed.
	if got := creditBalancesOf(t, k, a); got["USD"] != 700 {
		t.Fatalf("a's balance = %v", got)
	}
	if cards := giftCardsOf(t, k, a); len(cards) != 1 || cards[0].(map[string]any)["balance"].(float64) != 100 {
		t.Fatalf("a's cards = %v", cards)
	}
}
