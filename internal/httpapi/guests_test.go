package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testkit"
)

// startGuest opens a guest session and returns its access token, refresh
// token and guest id.
func startGuest(t *testing.T, k *testkit.Kit) (access, refreshTok, guestID string) {
	t.Helper()
	res := k.Do(testkit.Req{Method: "POST", Path: "/v1/guest-sessions"})
	want(t, res, http.StatusCreated)
	return res.Str(t, "access_token"), res.Str(t, "refresh_token"), res.Str(t, "guest_id")
}

// outboxEvents lists the kit store's events of one type through the admin API.
func outboxEvents(t *testing.T, k *testkit.Kit, typ string) []map[string]any {
	t.Helper()
	res := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/events?limit=100&type=" + typ, Admin: true})
	want(t, res, http.StatusOK)
	var out []map[string]any
	for _, e := range res.JSON(t)["data"].([]any) {
		out = append(out, e.(map[string]any))
	}
	return out
}

// The guest walk: start → refused on customer routes → refresh → logout,
// after which neither token works.
func TestGuestSessionLifecycle(t *testing.T) {
	k := newKit(t)
	access, refreshTok, guestID := startGuest(t, k)
	if !strings.HasPrefix(guestID, "gst_") || access == "" || !strings.HasPrefix(refreshTok, "crt_") {
		t.Fatalf("guest session: %q %q %q", access, refreshTok, guestID)
	}
	_, claims := claimsOf(t, access)
	if claims["scope"] != "guest" || claims["sub"] != guestID || claims["aud"] != k.Shop.ID {
		t.Fatalf("guest claims = %v", claims)
	}

	// A guest token is not a customer's.
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: access}), 401, "invalid_token")
	wantProblem(t, k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer", Token: access, Body: map[string]any{"first_name": "x"}}), 401, "invalid_token")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/sessions", Token: access}), 401, "invalid_token")

	ref := refresh(k, refreshTok)
	want(t, ref, http.StatusOK)
	m := ref.JSON(t)
	if m["customer"] != nil || m["guest_id"] != guestID {
		t.Fatalf("guest refresh = %s", ref.Body)
	}
	access2, refresh2 := ref.Str(t, "access_token"), ref.Str(t, "refresh_token")
	if _, c2 := claimsOf(t, access2); c2["scope"] != "guest" || c2["sub"] != guestID {
		t.Fatalf("refreshed guest claims = %v", c2)
	}
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/logout", Token: access2, Body: map[string]any{"all": true}}), http.StatusNoContent)
	for _, tok := range []string{access, access2} {
		wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/logout", Token: tok}), 401, "session_revoked")
	}
	wantProblem(t, refresh(k, refresh2), 401, "invalid_grant")

	// A guest refresh token presented twice is reuse, as for a customer:
	// the session ends, and the event names the guest.
	_, rt, gid := startGuest(t, k)
	want(t, refresh(k, rt), http.StatusOK)
	k.Clock.Advance(time.Minute)
	wantProblem(t, refresh(k, rt), 401, "refresh_token_reused")
	evs := outboxEvents(t, k, "customer.refresh_token_reused")
	if len(evs) != 1 || evs[0]["subject_id"] != gid {
		t.Fatalf("reuse events = %v", evs)
	}
}

func TestGuestSessionRequests(t *testing.T) {
	k := newKit(t)
	other := k.NewShop("Other store")
	tests := []struct {
		name   string
		req    testkit.Req
		status int
		code   string
	}{
		{"no_publishable_key", testkit.Req{PK: "-"}, 401, "invalid_api_key"},
		{"secret_key_as_publishable", testkit.Req{PK: k.SK}, 401, "invalid_api_key"},
		{"unknown_field", testkit.Req{Body: map[string]any{"customer_id": "cus_x"}, NoCheck: true}, 400, "unknown_field"},
		{"not_json", testkit.Req{Body: "[", NoCheck: true}, 400, "malformed_json"},
		{"other_store_key_works_for_that_store", testkit.Req{PK: other.PublishableKey, Body: map[string]any{}}, 201, ""},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			tt.req.Method, tt.req.Path = "POST", "/v1/guest-sessions"
			res := k.Do(tt.req)
			if tt.code == "" {
				want(t, res, tt.status)
				return
			}
			wantProblem(t, res, tt.status, tt.code)
		})
	}
	// A guest token of one store is refused with another store's key.
	access, _, _ := startGuest(t, k)
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/logout", Token: access, PK: other.PublishableKey}), 401, "invalid_token")
}

// Registering with X-Guest-Token links the guest: the new session keeps the
// guest id, the guest session ends, and the store hears of it.
func TestRegisterFromGuestSessionLinksGuest(t *testing.T) {
	k := newKit(t)
	access, refreshTok, guestID := startGuest(t, k)
	res := k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", Header: map[string]string{"X-Guest-Token": access},
		Body: map[string]any{"email": "guest@example.com", "password": "correct horse battery staple"}})
	want(t, res, http.StatusCreated)
	m := res.JSON(t)
	if m["guest_id"] != guestID {
		t.Fatalf("guest_id = %v, want %s", m["guest_id"], guestID)
	}
	customerID := m["customer"].(map[string]any)["id"].(string)

	// The guest session ended: its access and refresh tokens are refused.
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/logout", Token: access}), 401, "session_revoked")
	wantProblem(t, refresh(k, refreshTok), 401, "invalid_grant")
	// The customer session keeps the guest id through refresh.
	ref := refresh(k, res.Str(t, "refresh_token"))
	want(t, ref, http.StatusOK)
	if rm := ref.JSON(t); rm["guest_id"] != guestID || rm["customer"].(map[string]any)["id"] != customerID {
		t.Fatalf("refresh of the linked session = %s", ref.Body)
	}

	evs := outboxEvents(t, k, "customer.guest_linked")
	if len(evs) != 1 {
		t.Fatalf("guest_linked events = %v", evs)
	}
	data := evs[0]["data"].(map[string]any)
	if evs[0]["subject_id"] != customerID || data["guest_id"] != guestID || data["customer_id"] != customerID || data["session_id"] != res.Str(t, "session_id") {
		t.Fatalf("event = %v", evs[0])
	}

	// The same guest token cannot link a second account.
	again := k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", Header: map[string]string{"X-Guest-Token": access},
		Body: map[string]any{"email": "second@example.com", "password": "correct horse battery staple"}})
	want(t, again, http.StatusCreated)
	if again.JSON(t)["guest_id"] != nil {
		t.Fatalf("a spent guest token linked again: %s", again.Body)
	}
	if n := len(outboxEvents(t, k, "customer.guest_linked")); n != 1 {
		t.Fatalf("%d guest_linked events, want 1", n)
	}
}

// Logging in with X-Guest-Token links the guest; a guest token that is not
// a live guest session of this store is ignored, never an error.
func TestLoginFromGuestSession(t *testing.T) {
	k := newKit(t)
	c := k.Register("shopper@example.com")
	login := func(guestToken string) *testkit.Response {
		t.Helper()
		res := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Header: map[string]string{"X-Guest-Token": guestToken},
			Body: map[string]string{"email": c.Email, "password": c.Password}})
		want(t, res, http.StatusOK)
		return res
	}

	access, _, guestID := startGuest(t, k)
	if got := login(access).JSON(t)["guest_id"]; got != guestID {
		t.Fatalf("guest_id = %v, want %s", got, guestID)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/logout", Token: access}), 401, "session_revoked")

	other := k.NewShop("Other store")
	otherGuest := k.Do(testkit.Req{Method: "POST", Path: "/v1/guest-sessions", PK: other.PublishableKey})
	want(t, otherGuest, http.StatusCreated)
	loggedOut, _, _ := startGuest(t, k)
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/logout", Token: loggedOut}), http.StatusNoContent)
	ignored := map[string]string{
		"garbage":               "not-a-token",
		"customer_token":        c.Access,
		"other_store_guest":     otherGuest.Str(t, "access_token"),
		"spent_guest_token":     access,
		"logged_out_guest":      loggedOut,
		"refresh_token":         otherGuest.Str(t, "refresh_token"),
		"long_garbage":          strings.Repeat("x", 5000),
		"jwt_shaped_but_forged": "eyJhbGciOiJub25lIn0.eyJzY29wZSI6Imd1ZXN0In0.",
	}
	for name, tok := range ignored {
		t.Run("ignored="+name, func(t *testing.T) {
			if got := login(tok).JSON(t)["guest_id"]; got != nil {
				t.Fatalf("guest_id = %v, want null", got)
			}
		})
	}
	if n := len(outboxEvents(t, k, "customer.guest_linked")); n != 1 {
		t.Fatalf("%d guest_linked events, want 1", n)
	}
	// A customer who logs in without a guest token gets no guest id.
	if got := login("").JSON(t)["guest_id"]; got != nil {
		t.Fatalf("guest_id = %v", got)
	}
}
