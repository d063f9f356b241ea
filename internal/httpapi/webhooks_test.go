package httpapi_test

import (
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

// Every bad webhook registration is a 422 naming the field, and nothing is
// created.
func TestWebhookAdminValidation(t *testing.T) {
	k := newKit(t)
	tests := []struct {
		name string
		body map[string]any
	}{
		{"no_url", map[string]any{}},
		{"not_http", map[string]any{"url": "ftp://hooks.example.com/x"}},
		{"relative", map[string]any{"url": "/hooks"}},
		{"credentials", map[string]any{"url": "https://user:pw@hooks.example.com/x"}},
		{"fragment", map[string]any{"url": "https://hooks.example.com/x#frag"}},
		{"loopback", map[string]any{"url": "http://127.0.0.1:8080/x"}},
		{"localhost", map[string]any{"url": "http://localhost/x"}},
		{"private", map[string]any{"url": "https://10.1.2.3/x"}},
		{"metadata", map[string]any{"url": "http://169.254.169.254/latest"}},
		{"ipv6_loopback", map[string]any{"url": "http://[::1]/x"}},
		{"single_label", map[string]any{"url": "http://intranet/x"}},
		{"too_long", map[string]any{"url": "https://hooks.example.com/" + strings.Repeat("a", 2100)}},
		{"blank_event_type", map[string]any{"url": "https://hooks.example.com/x", "event_types": []string{""}}},
		{"too_many_types", map[string]any{"url": "https://hooks.example.com/x", "event_types": manyTypes(51)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/webhooks", Admin: true, Body: tt.body}), 422, "validation_failed")
		})
	}
	list := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/webhooks", Admin: true})
	want(t, list, 200)
	if n := len(list.JSON(t)["data"].([]any)); n != 0 {
		t.Fatalf("%d endpoints created by bad requests", n)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/webhooks", Admin: true, Body: `{"url":`, NoCheck: true}), 400, "malformed_json")
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/webhooks", Admin: true, Body: map[string]any{"url": "https://hooks.example.com/x", "secret": "mine"}, NoCheck: true}), 400, "unknown_field")
}

func manyTypes(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "t" + strings.Repeat("x", i)
	}
	return out
}

// The secret is shown once; another store's endpoint is a 404 on every
// route; publishable keys and customer tokens are refused.
func TestWebhookAdminLifecycleAndIsolation(t *testing.T) {
	k := newKit(t)
	res := k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/webhooks", Admin: true, Body: map[string]any{"url": "https://hooks.example.com/a", "event_types": []string{"customer.updated", "customer.created", "customer.created"}}})
	want(t, res, 201)
	m := res.JSON(t)
	id, secret := m["id"].(string), m["secret"].(string)
	if !strings.HasPrefix(secret, "whsec_") || len(m["event_types"].([]any)) != 2 {
		t.Fatalf("created: %s", res.Body)
	}
	got := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/webhooks/" + id, Admin: true})
	want(t, got, 200)
	if strings.Contains(string(got.Body), secret) {
		t.Fatal("the secret was shown again")
	}
	patched := k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/webhooks/" + id, Admin: true, Body: map[string]any{"disabled": true}})
	want(t, patched, 200)
	if patched.JSON(t)["disabled_reason"] != "disabled by the store" {
		t.Fatalf("patch: %s", patched.Body)
	}

	other := k.NewShop("Other")
	for _, r := range []testkit.Req{
		{Method: "GET", Path: "/admin/v1/webhooks/" + id},
		{Method: "PATCH", Path: "/admin/v1/webhooks/" + id, Body: map[string]any{"url": "https://evil.example.com/x"}},
		{Method: "DELETE", Path: "/admin/v1/webhooks/" + id},
		{Method: "GET", Path: "/admin/v1/webhooks/" + id + "/deliveries"},
		{Method: "POST", Path: "/admin/v1/webhooks/" + id + "/replay", Body: map[string]any{"event_id": "evt_x"}},
	} {
		r.Token, r.PK = other.SecretKey, "-"
		wantProblem(t, k.Do(r), 404, "not_found")
	}
	c := k.Register("not-admin@example.com")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/webhooks", Token: c.Access, PK: "-"}), 401, "invalid_api_key")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/webhooks", Token: k.PK, PK: "-"}), 401, "invalid_api_key")

	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/webhooks/" + id + "/replay", Admin: true, Body: map[string]any{}}), 422, "validation_failed")
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/webhooks/" + id + "/replay", Admin: true,
		Body: map[string]any{"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}}), 422, "validation_failed")

	want(t, k.Do(testkit.Req{Method: "DELETE", Path: "/admin/v1/webhooks/" + id, Admin: true}), 204)
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/webhooks/" + id, Admin: true}), 404, "not_found")
}
