package httpapi_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testkit"
)

// skDo sends an admin request with the kit store's secret key.
func skDo(k *testkit.Kit, method, path string, body any) *testkit.Response {
	return k.Do(testkit.Req{Method: method, Path: path, Body: body, Admin: true})
}

// customerAdminRoutes are this area's admin routes, with a body each accepts.
func customerAdminRoutes(customerID string) []struct {
	method, path string
	body         any
} {
	c := "/admin/v1/customers/" + customerID
	return []struct {
		method, path string
		body         any
	}{
		{"GET", "/admin/v1/customers", nil},
		{"GET", c, nil},
		{"PATCH", c, map[string]any{"first_name": "Mallory"}},
		{"POST", c + "/sessions/revoke", nil},
		{"POST", c + "/password-reset", map[string]any{}},
		{"POST", c + "/tokens", map[string]any{}},
		{"GET", "/admin/v1/store", nil},
		{"PATCH", "/admin/v1/store", map[string]any{"name": "Mallory's"}},
		{"GET", "/admin/v1/events", nil},
	}
}

// Only the store's secret key opens the admin API: no key, a publishable
// key (as header or bearer), a customer's or a guest's access token are
// 401 on every route, and change nothing.
func TestAdminRequiresTheSecretKey(t *testing.T) {
	k := newKit(t)
	c := k.Register("victim@example.com")
	guest, _, _ := startGuest(t, k)
	callers := []struct {
		name string
		req  testkit.Req
	}{
		{"no_key", testkit.Req{PK: "-"}},
		{"publishable_key_header", testkit.Req{}},
		{"publishable_key_as_bearer", testkit.Req{PK: "-", Token: k.PK}},
		{"customer_token", testkit.Req{Token: c.Access}},
		{"guest_token", testkit.Req{Token: guest}},
		{"secret_key_garbage", testkit.Req{PK: "-", Token: "sk_nope"}},
		{"secret_key_in_publishable_header", testkit.Req{PK: k.SK}},
	}
	for _, caller := range callers {
		for _, r := range customerAdminRoutes(c.ID) {
			t.Run(fmt.Sprintf("caller=%s/route=%s_%s", caller.name, r.method, r.path), func(t *testing.T) {
				req := caller.req
				req.Method, req.Path, req.Body = r.method, r.path, r.body
				wantProblem(t, k.Do(req), 401, "invalid_api_key")
			})
		}
	}
	// Nothing changed: the customer's token still works, no event but the
	// sign-up's, no mail.
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access}), 200)
	res := skDo(k, "GET", "/admin/v1/events", nil)
	want(t, res, 200)
	if n := len(res.JSON(t)["data"].([]any)); n != 1 {
		t.Fatalf("%d events after refused admin calls, want 1: %s", n, res.Body)
	}
	for _, m := range k.Mail.Messages() {
		if m.Kind != "welcome" { // the sign-up's own
			t.Fatalf("%s mail sent", m.Kind)
		}
	}
}

// A secret key of store B reads and writes store B only: store A's
// customer ids are 404, and B's store and events are B's.
func TestAdminSecretKeyOfAnotherStore(t *testing.T) {
	k := newKit(t)
	c := k.Register("a-customer@example.com")
	other := k.NewShop("Store B")
	b := func(method, path string, body any) *testkit.Response {
		return k.Do(testkit.Req{Method: method, Path: path, Body: body, Token: other.SecretKey, PK: "-"})
	}
	for _, r := range customerAdminRoutes(c.ID) {
		if !strings.Contains(r.path, c.ID) {
			continue
		}
		t.Run(r.method+"_"+r.path, func(t *testing.T) {
			wantProblem(t, b(r.method, r.path, r.body), 404, "not_found")
		})
	}
	list := b("GET", "/admin/v1/customers", nil)
	want(t, list, 200)
	if n := len(list.JSON(t)["data"].([]any)); n != 0 {
		t.Fatalf("store B lists %d customers of store A", n)
	}
	store := b("GET", "/admin/v1/store", nil)
	want(t, store, 200)
	if store.Str(t, "id") != other.Shop.ID {
		t.Fatalf("store B's key read store %s", store.Str(t, "id"))
	}
	evs := b("GET", "/admin/v1/events", nil)
	want(t, evs, 200)
	if n := len(evs.JSON(t)["data"].([]any)); n != 0 {
		t.Fatalf("store B sees %d events of store A", n)
	}
	// Store A's customer is untouched and still logged in.
	me := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access})
	want(t, me, 200)
	if me.Str(t, "first_name") != "Test" {
		t.Fatalf("store A's customer changed: %s", me.Body)
	}
}

func TestAdminSearchCustomers(t *testing.T) {
	k := newKit(t)
	var ids []string
	for _, p := range []struct{ email, first, last string }{
		{"ann@example.com", "Ann", "Lee"},
		{"Anna@Example.org", "Anna", "Lovelace"},
		{"an_x@example.com", "Grace", "Hopper"},
		{"bob@example.com", "Émile", "Zola"},
	} {
		k.Clock.Advance(time.Millisecond) // ids sort by creation time across milliseconds
		res := k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", Body: map[string]any{
			"email": p.email, "password": "correct horse battery staple", "first_name": p.first, "last_name": p.last,
		}})
		want(t, res, 201)
		ids = append(ids, res.JSON(t)["customer"].(map[string]any)["id"].(string))
	}
	want(t, skDo(k, "PATCH", "/admin/v1/customers/"+ids[3], map[string]any{"status": "disabled"}), 200)
	vip := skDo(k, "POST", "/admin/v1/groups", map[string]any{"name": "VIP"})
	want(t, vip, 201)
	vipID := vip.Str(t, "id")
	for _, id := range []string{ids[1], ids[3]} {
		want(t, skDo(k, "PUT", "/admin/v1/customers/"+id+"/groups", map[string]any{"group_ids": []string{vipID}}), 200)
	}

	found := func(query string) []string {
		t.Helper()
		res := skDo(k, "GET", "/admin/v1/customers?"+query, nil)
		want(t, res, 200)
		var got []string
		for _, c := range res.JSON(t)["data"].([]any) {
			got = append(got, c.(map[string]any)["id"].(string))
		}
		return got
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"", ids},
		{"email=ann", ids[0:2]},
		{"email=" + url.QueryEscape(" ANN "), ids[0:2]},
		{"email=" + url.QueryEscape("ａｎｎ"), ids[0:2]}, // NFKC, as sign-up
		{"email=" + url.QueryEscape("an_"), ids[2:3]},
		{"email=" + url.QueryEscape("%"), nil},
		{"name=LOVE", ids[1:2]},
		{"name=" + url.QueryEscape("ÉMILE"), ids[3:4]},
		{"name=" + url.QueryEscape("ce ho"), ids[2:3]},
		{"status=disabled", ids[3:4]},
		{"status=active&email=an", ids[0:3]},
		{"group_id=cgrp_nothing", nil},
		{"group_id=" + vipID, []string{ids[1], ids[3]}},
		{"group_id=" + vipID + "&status=active", ids[1:2]},
	}
	for _, tt := range tests {
		t.Run("query="+tt.query, func(t *testing.T) {
			got := found(tt.query)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}

	// Pagination: limit and the opaque cursor walk every customer once.
	var walked []string
	path := "/admin/v1/customers?limit=3"
	for pages := 0; ; pages++ {
		res := skDo(k, "GET", path, nil)
		want(t, res, 200)
		m := res.JSON(t)
		for _, c := range m["data"].([]any) {
			walked = append(walked, c.(map[string]any)["id"].(string))
		}
		next, _ := m["next_cursor"].(string)
		if next == "" {
			if pages != 1 {
				t.Fatalf("%d pages, want 2", pages+1)
			}
			break
		}
		path = "/admin/v1/customers?limit=3&cursor=" + url.QueryEscape(next)
	}
	if strings.Join(walked, ",") != strings.Join(ids, ",") {
		t.Fatalf("walked %v, want %v", walked, ids)
	}

	bad := []struct {
		query, code string
		status      int
	}{
		{"status=banned", "validation_failed", 422},
		{"limit=-1", "validation_failed", 422},
		{"limit=101", "validation_failed", 422},
		{"limit=ten", "malformed_json", 400},
		{"cursor=not-ours", "validation_failed", 422},
		{"email=" + url.QueryEscape("a\x00b"), "validation_failed", 422},
		{"name=" + strings.Repeat("n", 300), "validation_failed", 422},
	}
	for _, tt := range bad {
		t.Run("bad="+tt.query[:min(len(tt.query), 20)], func(t *testing.T) {
			wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/customers?" + tt.query, Admin: true, NoCheck: true}), tt.status, tt.code)
		})
	}
}

func TestAdminGetAndPatchCustomer(t *testing.T) {
	k := newKit(t)
	c := k.Register("patch@example.com")
	got := skDo(k, "GET", "/admin/v1/customers/"+c.ID, nil)
	want(t, got, 200)
	if got.Str(t, "email") != c.Email || got.JSON(t)["email_verified"] != false {
		t.Fatalf("customer = %s", got.Body)
	}
	wantProblem(t, skDo(k, "GET", "/admin/v1/customers/cus_00000000000000000000000000", nil), 404, "not_found")

	res := skDo(k, "PATCH", "/admin/v1/customers/"+c.ID, map[string]any{
		"first_name": "Ada", "last_name": "Lovelace", "email_verified": true, "metadata": map[string]any{"tier": "gold"},
	})
	want(t, res, 200)
	m := res.JSON(t)
	if m["first_name"] != "Ada" || m["email_verified"] != true || m["metadata"].(map[string]any)["tier"] != "gold" {
		t.Fatalf("patched = %s", res.Body)
	}
	evs := outboxEvents(t, k, "customer.updated")
	if len(evs) != 1 || evs[0]["subject_id"] != c.ID {
		t.Fatalf("customer.updated events = %v", evs)
	}
	want(t, skDo(k, "PATCH", "/admin/v1/customers/"+c.ID, map[string]any{"email_verified": false}), 200)
	if v := skDo(k, "GET", "/admin/v1/customers/"+c.ID, nil).JSON(t)["email_verified"]; v != false {
		t.Fatalf("email_verified = %v after clearing", v)
	}

	bad := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"unknown_status", map[string]any{"status": "banned"}, 422, "validation_failed"},
		{"email_is_not_patchable", map[string]any{"email": "x@example.com"}, 400, "unknown_field"},
		{"password_hash", map[string]any{"password_hash": "x"}, 400, "unknown_field"},
		{"store_id", map[string]any{"store_id": "sto_x"}, 400, "unknown_field"},
		{"name_too_long", map[string]any{"first_name": strings.Repeat("n", 256)}, 422, "validation_failed"},
		{"bad_phone", map[string]any{"phone": "call me"}, 422, "validation_failed"},
		{"wrong_type", map[string]any{"email_verified": "yes"}, 400, "malformed_json"},
		{"injection", map[string]any{"status": "active' OR 1=1--"}, 422, "validation_failed"},
	}
	for _, tt := range bad {
		t.Run("bad="+tt.name, func(t *testing.T) {
			res := k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/customers/" + c.ID, Body: tt.body, Admin: true, NoCheck: tt.status == 400})
			wantProblem(t, res, tt.status, tt.code)
		})
	}
	if after := skDo(k, "GET", "/admin/v1/customers/"+c.ID, nil); after.Str(t, "first_name") != "Ada" || after.Str(t, "status") != "active" {
		t.Fatalf("a refused patch changed the customer: %s", after.Body)
	}
	wantProblem(t, skDo(k, "PATCH", "/admin/v1/customers/cus_00000000000000000000000000", map[string]any{"first_name": "x"}), 404, "not_found")
}

// Disabling ends every session at once and locks the account out of login
// and refresh; enabling lets the customer log in again.
func TestAdminDisableAndEnableCustomer(t *testing.T) {
	k := newKit(t)
	c := k.Register("disable@example.com")
	other := k.Register("bystander@example.com")
	loginBody := map[string]string{"email": c.Email, "password": c.Password}
	second := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: loginBody})
	want(t, second, 200)

	res := skDo(k, "PATCH", "/admin/v1/customers/"+c.ID, map[string]any{"status": "disabled"})
	want(t, res, 200)
	if res.Str(t, "status") != "disabled" {
		t.Fatalf("status = %s", res.Body)
	}
	for _, tok := range []string{c.Access, second.Str(t, "access_token")} {
		wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: tok}), 401, "session_revoked")
	}
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: loginBody}), 401, "account_disabled")
	for _, rt := range []string{c.Refresh, second.Str(t, "refresh_token")} {
		want(t, refresh(k, rt), 401)
	}
	// A trusted token cannot be minted for a disabled customer either.
	wantProblem(t, skDo(k, "POST", "/admin/v1/customers/"+c.ID+"/tokens", map[string]any{}), 409, "account_disabled")
	// Another customer is untouched.
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: other.Access}), 200)

	disabled := outboxEvents(t, k, "customer.disabled")
	if len(disabled) != 1 || disabled[0]["data"].(map[string]any)["sessions_revoked"] != float64(2) {
		t.Fatalf("customer.disabled events = %v", disabled)
	}
	// Disabling again is no second disable.
	want(t, skDo(k, "PATCH", "/admin/v1/customers/"+c.ID, map[string]any{"status": "disabled"}), 200)
	if n := len(outboxEvents(t, k, "customer.disabled")); n != 1 {
		t.Fatalf("%d customer.disabled events", n)
	}

	want(t, skDo(k, "PATCH", "/admin/v1/customers/"+c.ID, map[string]any{"status": "active"}), 200)
	if n := len(outboxEvents(t, k, "customer.enabled")); n != 1 {
		t.Fatalf("%d customer.enabled events", n)
	}
	back := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: loginBody})
	want(t, back, 200)
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: back.Str(t, "access_token")}), 200)
	// The sessions revoked by the disable stay revoked.
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access}), 401)
}

func TestAdminRevokeSessions(t *testing.T) {
	k := newKit(t)
	c := k.Register("revoke@example.com")
	other := k.Register("keep@example.com")
	want(t, skDo(k, "POST", "/admin/v1/customers/"+c.ID+"/sessions/revoke", nil), 204)
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access}), 401, "session_revoked")
	wantProblem(t, refresh(k, c.Refresh), 401, "invalid_grant")
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: other.Access}), 200)
	// The customer may log in again.
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": c.Password}}), 200)
	evs := outboxEvents(t, k, "customer.sessions_revoked")
	if len(evs) != 1 || evs[0]["subject_id"] != c.ID || evs[0]["data"].(map[string]any)["sessions_revoked"] != float64(1) {
		t.Fatalf("events = %v", evs)
	}
	wantProblem(t, skDo(k, "POST", "/admin/v1/customers/cus_00000000000000000000000000/sessions/revoke", nil), 404, "not_found")
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/customers/" + c.ID + "/sessions/revoke", Body: map[string]any{"all": true}, Admin: true, NoCheck: true}), 400, "unknown_field")
}

func TestAdminTriggerPasswordReset(t *testing.T) {
	k := newKit(t)
	c := k.Register("reset-me@example.com")
	res := skDo(k, "POST", "/admin/v1/customers/"+c.ID+"/password-reset", nil)
	want(t, res, 202)
	msgs := waitMails(t, k, "password_reset", 1)
	if msgs[0].To != c.Email || msgs[0].Kind != "password_reset" || !strings.Contains(msgs[0].Text, "https://shop.example/reset?token=") {
		t.Fatalf("mail = %+v", msgs[0])
	}
	if n := len(outboxEvents(t, k, "customer.password_reset_requested")); n != 1 {
		t.Fatalf("%d reset events", n)
	}
	// A redirect on an allowed origin is used; another origin is refused.
	want(t, skDo(k, "POST", "/admin/v1/customers/"+c.ID+"/password-reset", map[string]any{"redirect_url": "https://shop.example/account/reset"}), 202)
	if msgs := waitMails(t, k, "password_reset", 2); !strings.Contains(msgs[1].Text, "https://shop.example/account/reset?token=") {
		t.Fatalf("second mail: %+v", msgs)
	}
	wantProblem(t, skDo(k, "POST", "/admin/v1/customers/"+c.ID+"/password-reset", map[string]any{"redirect_url": "https://evil.example/reset"}), 400, "redirect_url_not_allowed")
	wantProblem(t, skDo(k, "POST", "/admin/v1/customers/cus_00000000000000000000000000/password-reset", nil), 404, "not_found")
	want(t, skDo(k, "PATCH", "/admin/v1/customers/"+c.ID, map[string]any{"status": "disabled"}), 200)
	wantProblem(t, skDo(k, "POST", "/admin/v1/customers/"+c.ID+"/password-reset", nil), 409, "account_disabled")
	if n := len(mailsOf(k, "password_reset")); n != 2 {
		t.Fatalf("%d reset mails, want 2", n)
	}
}

// A trusted-system token works on customer routes, expires after its TTL,
// and every mint is audited.
func TestAdminTrustedToken(t *testing.T) {
	k := newKit(t)
	c := k.Register("trusted@example.com")
	res := skDo(k, "POST", "/admin/v1/customers/"+c.ID+"/tokens", map[string]any{"ttl_seconds": 60})
	want(t, res, 201)
	m := res.JSON(t)
	if m["expires_in"] != float64(60) || m["token_type"] != "Bearer" {
		t.Fatalf("token = %s", res.Body)
	}
	if _, ok := m["refresh_token"]; ok {
		t.Fatal("a trusted token came with a refresh token")
	}
	tok := res.Str(t, "access_token")
	_, claims := claimsOf(t, tok)
	if claims["sub"] != c.ID || claims["scope"] != "customer" || claims["aud"] != k.Shop.ID {
		t.Fatalf("claims = %v", claims)
	}
	me := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: tok})
	want(t, me, 200)
	if me.Str(t, "id") != c.ID {
		t.Fatalf("trusted token reads %s", me.Body)
	}
	// The customer sees the session.
	sessions := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/sessions", Token: c.Access})
	want(t, sessions, 200)
	if !strings.Contains(string(sessions.Body), `"user_agent":"trusted-system"`) {
		t.Fatalf("sessions = %s", sessions.Body)
	}
	evs := outboxEvents(t, k, "customer.token_minted")
	if len(evs) != 1 || evs[0]["subject_id"] != c.ID {
		t.Fatalf("events = %v", evs)
	}
	data := evs[0]["data"].(map[string]any)
	if data["actor"] != "admin:"+k.Shop.ID || data["session_id"] != res.Str(t, "session_id") || data["expires_at"] == nil {
		t.Fatalf("event data = %v", data)
	}

	// Past its TTL and the verifier's clock-skew leeway (60 s).
	k.Clock.Advance(60*time.Second + time.Minute + time.Second)
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: tok}), 401, "token_expired")

	// Without ttl_seconds the maximum (5 minutes) applies.
	def := skDo(k, "POST", "/admin/v1/customers/"+c.ID+"/tokens", nil)
	want(t, def, 201)
	if def.JSON(t)["expires_in"] != float64(300) {
		t.Fatalf("default ttl: %s", def.Body)
	}
	// It can be revoked like any session.
	want(t, skDo(k, "POST", "/admin/v1/customers/"+c.ID+"/sessions/revoke", nil), 204)
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: def.Str(t, "access_token")}), 401, "session_revoked")

	bad := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"above_max", map[string]any{"ttl_seconds": 301}, 422, "validation_failed"},
		{"zero", map[string]any{"ttl_seconds": 0}, 422, "validation_failed"},
		{"negative", map[string]any{"ttl_seconds": -5}, 422, "validation_failed"},
		{"huge", map[string]any{"ttl_seconds": int64(1) << 62}, 422, "validation_failed"},
		{"not_a_number", map[string]any{"ttl_seconds": "60"}, 400, "malformed_json"},
		{"scope_is_not_settable", map[string]any{"scope": "admin"}, 400, "unknown_field"},
	}
	for _, tt := range bad {
		t.Run("bad="+tt.name, func(t *testing.T) {
			res := k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/customers/" + c.ID + "/tokens", Body: tt.body, Admin: true, NoCheck: tt.status == 400})
			wantProblem(t, res, tt.status, tt.code)
		})
	}
	wantProblem(t, skDo(k, "POST", "/admin/v1/customers/cus_00000000000000000000000000/tokens", nil), 404, "not_found")
	if n := len(outboxEvents(t, k, "customer.token_minted")); n != 2 {
		t.Fatalf("%d token_minted events, want 2", n)
	}
}
