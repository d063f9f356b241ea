package httpapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

func TestAdminStoreSettings(t *testing.T) {
	k := newKit(t)
	got := skDo(k, "GET", "/admin/v1/store", nil)
	want(t, got, 200)
	m := got.JSON(t)
	// The settings in force: the deployment defaults where the store set none.
	if m["id"] != k.Shop.ID || m["access_token_ttl_seconds"] != float64(900) || m["reset_token_ttl_seconds"] != float64(900) ||
		m["min_password_length"] != float64(8) || m["email_exists_check"] != false {
		t.Fatalf("store = %s", got.Body)
	}

	bad := []struct {
		name   string
		body   any
		status int
		code   string
		field  string
	}{
		{"origin_with_path", map[string]any{"allowed_origins": []string{"https://shop.example/path"}}, 422, "validation_failed", "allowed_origins"},
		{"origin_not_http", map[string]any{"allowed_origins": []string{"javascript:alert(1)"}}, 422, "validation_failed", "allowed_origins"},
		{"origin_wildcard", map[string]any{"allowed_origins": []string{"*"}}, 422, "validation_failed", "allowed_origins"},
		{"reset_url_relative", map[string]any{"password_reset_url": "/reset"}, 422, "validation_failed", "password_reset_url"},
		{"empty_name", map[string]any{"name": "  "}, 422, "validation_failed", "name"},
		{"access_ttl_too_short", map[string]any{"access_token_ttl_seconds": 59}, 422, "validation_failed", "access_token_ttl_seconds"},
		{"access_ttl_too_long", map[string]any{"access_token_ttl_seconds": 86401}, 422, "validation_failed", "access_token_ttl_seconds"},
		{"refresh_ttl_too_short", map[string]any{"refresh_token_ttl_seconds": 3599}, 422, "validation_failed", "refresh_token_ttl_seconds"},
		{"refresh_ttl_too_long", map[string]any{"refresh_token_ttl_seconds": 365*86400 + 1}, 422, "validation_failed", "refresh_token_ttl_seconds"},
		{"idle_above_refresh", map[string]any{"refresh_token_ttl_seconds": 7200, "refresh_idle_ttl_seconds": 7201}, 422, "validation_failed", "refresh_idle_ttl_seconds"},
		{"reset_ttl_too_short", map[string]any{"reset_token_ttl_seconds": 299}, 422, "validation_failed", "reset_token_ttl_seconds"},
		{"reset_ttl_too_long", map[string]any{"reset_token_ttl_seconds": 3601}, 422, "validation_failed", "reset_token_ttl_seconds"},
		{"ttl_negative", map[string]any{"access_token_ttl_seconds": -1}, 422, "validation_failed", "access_token_ttl_seconds"},
		{"ttl_huge", map[string]any{"access_token_ttl_seconds": int64(1) << 62}, 422, "validation_failed", "access_token_ttl_seconds"},
		{"min_password_7", map[string]any{"min_password_length": 7}, 422, "validation_failed", "min_password_length"},
		{"min_password_16", map[string]any{"min_password_length": 16}, 422, "validation_failed", "min_password_length"},
		{"unknown_field", map[string]any{"id": "sto_other"}, 400, "unknown_field", "id"},
		{"wrong_type", map[string]any{"email_exists_check": "yes"}, 400, "malformed_json", "email_exists_check"},
	}
	for _, tt := range bad {
		t.Run("bad="+tt.name, func(t *testing.T) {
			res := k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/store", Body: tt.body, Admin: true, NoCheck: tt.status == 400})
			wantProblem(t, res, tt.status, tt.code)
			errs, _ := res.JSON(t)["errors"].([]any)
			if len(errs) == 0 || errs[0].(map[string]any)["field"] != tt.field {
				t.Fatalf("errors = %v, want field %s", errs, tt.field)
			}
		})
	}
	// A refused patch changes nothing and emits nothing.
	if after := skDo(k, "GET", "/admin/v1/store", nil); string(after.Body) != string(got.Body) {
		t.Fatalf("a refused patch changed the store:\n%s\n%s", got.Body, after.Body)
	}
	if n := len(outboxEvents(t, k, "store.updated")); n != 0 {
		t.Fatalf("%d store.updated events after refused patches", n)
	}

	// The e-mail check is off until the store turns it on.
	probe := func() *testkit.Response {
		return k.Do(testkit.Req{Method: "GET", Path: "/v1/auth/email-exists?email=nobody@example.com"})
	}
	wantProblem(t, probe(), 403, "feature_disabled")
	res := skDo(k, "PATCH", "/admin/v1/store", map[string]any{
		"name": "Renamed", "email_exists_check": true, "access_token_ttl_seconds": 120,
		"allowed_origins": []string{"https://Other.Example", "https://other.example/"}, "min_password_length": 12,
	})
	want(t, res, 200)
	m = res.JSON(t)
	origins := []string{}
	for _, o := range m["allowed_origins"].([]any) {
		origins = append(origins, o.(string))
	}
	// Normalised and deduplicated; the reset page's origin stays allowed.
	if !slices.Equal(origins, []string{"https://other.example", "https://shop.example"}) || m["name"] != "Renamed" {
		t.Fatalf("store = %s", res.Body)
	}
	// In force at once on this node.
	ok := probe()
	want(t, ok, 200)
	if ok.JSON(t)["exists"] != false {
		t.Fatalf("email-exists = %s", ok.Body)
	}
	reg := k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", Body: map[string]any{"email": "ttl@example.com", "password": "elevenchars"}})
	wantProblem(t, reg, 422, "validation_failed")
	reg = k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", Body: map[string]any{"email": "ttl@example.com", "password": "twelve chars"}})
	want(t, reg, http.StatusCreated)
	if reg.JSON(t)["expires_in"] != float64(120) {
		t.Fatalf("access token ttl = %s", reg.Body)
	}
	evs := outboxEvents(t, k, "store.updated")
	if len(evs) != 1 || evs[0]["subject_id"] != k.Shop.ID {
		t.Fatalf("store.updated events = %v", evs)
	}
	fields, _ := evs[0]["data"].(map[string]any)["fields"].([]any)
	if len(fields) != 5 {
		t.Fatalf("event fields = %v", fields)
	}

	// Moving the reset page keeps its new origin allowed.
	res = skDo(k, "PATCH", "/admin/v1/store", map[string]any{"password_reset_url": "https://account.example/reset", "allowed_origins": []string{}})
	want(t, res, 200)
	if o := res.JSON(t)["allowed_origins"].([]any); len(o) != 1 || o[0] != "https://account.example" {
		t.Fatalf("origins = %v", o)
	}
}
