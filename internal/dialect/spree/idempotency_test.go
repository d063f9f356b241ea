package spree_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

var berlin = map[string]any{
	"first_name": "A", "last_name": "L", "address1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country_iso": "DE",
}

func countAddresses(t *testing.T, k *testkit.Kit, tok string) float64 {
	t.Helper()
	r := do(t, k, "GET", base+"/customers/me/addresses", k.PK, tok, nil)
	return r.json(t)["meta"].(map[string]any)["count"].(float64)
}

func TestIdempotencyKey(t *testing.T) {
	k := testkit.New(t)
	alice := register(t, k, k.PK, "idem-alice@example.com")["token"].(string)
	bob := register(t, k, k.PK, "idem-bob@example.com")["token"].(string)
	const key = "spree-sdk-retry-5f1c7b6e-2b1a-4c1e-9f1e-0a1b2c3d4e5f"

	t.Run("case=same_request_replays", func(t *testing.T) {
		first := do(t, k, "POST", base+"/customers/me/addresses", k.PK, alice, berlin, "Idempotency-Key", key)
		again := do(t, k, "POST", base+"/customers/me/addresses", k.PK, alice, berlin, "Idempotency-Key", key)
		if first.Status != 201 || again.Status != 201 || !bytes.Equal(first.Body, again.Body) {
			t.Fatalf("first %d %s / again %d %s", first.Status, first.Body, again.Status, again.Body)
		}
		if first.Header.Get("Idempotent-Replayed") != "" || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("Idempotent-Replayed: first %q, again %q", first.Header.Get("Idempotent-Replayed"), again.Header.Get("Idempotent-Replayed"))
		}
		if !strings.HasPrefix(again.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("replay content type %q", again.Header.Get("Content-Type"))
		}
		if n := countAddresses(t, k, alice); n != 1 {
			t.Fatalf("%v addresses after a retried create, want 1", n)
		}
	})
	t.Run("case=different_request_is_422", func(t *testing.T) {
		other := map[string]any{"first_name": "B", "last_name": "L", "address1": "2 Main St", "city": "Berlin", "postal_code": "10115", "country_iso": "DE"}
		wantError(t, do(t, k, "POST", base+"/customers/me/addresses", k.PK, alice, other, "Idempotency-Key", key), 422, "idempotency_key_reused")
		// Same body on another path is another request too.
		wantError(t, do(t, k, "POST", base+"/wishlists", k.PK, alice, berlin, "Idempotency-Key", key), 422, "idempotency_key_reused")
		if n := countAddresses(t, k, alice); n != 1 {
			t.Fatalf("%v addresses, want 1", n)
		}
	})
	t.Run("case=another_customers_key_never_replays", func(t *testing.T) {
		r := do(t, k, "POST", base+"/customers/me/addresses", k.PK, bob, berlin, "Idempotency-Key", key)
		if r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("bob: %d %v", r.Status, r.Header)
		}
		if countAddresses(t, k, bob) != 1 || countAddresses(t, k, alice) != 1 {
			t.Fatal("address books mixed")
		}
	})
	t.Run("case=delete_and_not_found_replay", func(t *testing.T) {
		r := do(t, k, "POST", base+"/wishlists", k.PK, alice, map[string]any{"name": "Gifts"})
		id := r.json(t)["id"].(string)
		a := do(t, k, "DELETE", base+"/wishlists/"+id, k.PK, alice, nil, "Idempotency-Key", "del-1")
		b := do(t, k, "DELETE", base+"/wishlists/"+id, k.PK, alice, nil, "Idempotency-Key", "del-1")
		if a.Status != 204 || b.Status != 204 || len(b.Body) != 0 || b.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("delete: %d / %d %q %v", a.Status, b.Status, b.Body, b.Header)
		}
		// Without the key the list is gone: 404.
		wantError(t, do(t, k, "DELETE", base+"/wishlists/"+id, k.PK, alice, nil), 404, "record_not_found")
		// A 4xx answer is replayed too.
		wantError(t, do(t, k, "PATCH", base+"/wishlists/wl_nope", k.PK, alice, map[string]any{"name": "x"}, "Idempotency-Key", "nf-1"), 404, "record_not_found")
		r = do(t, k, "PATCH", base+"/wishlists/wl_nope", k.PK, alice, map[string]any{"name": "x"}, "Idempotency-Key", "nf-1")
		wantError(t, r, 404, "record_not_found")
		if r.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatal("404 not replayed")
		}
	})
	t.Run("case=profile_update_replays", func(t *testing.T) {
		a := do(t, k, "PATCH", base+"/customers/me", k.PK, alice, map[string]any{"first_name": "Alice"}, "Idempotency-Key", "prof-1")
		b := do(t, k, "PATCH", base+"/customers/me", k.PK, alice, map[string]any{"first_name": "Alice"}, "Idempotency-Key", "prof-1")
		if a.Status != 200 || b.Status != 200 || b.Header.Get("Idempotent-Replayed") != "true" || b.json(t)["first_name"] != "Alice" {
			t.Fatalf("profile: %d / %d %s", a.Status, b.Status, b.Body)
		}
	})
	t.Run("case=token_bearing_answers_are_never_stored", func(t *testing.T) {
		body := map[string]any{"email": "idem-reg@example.com", "password": "correct-horse-battery-9"}
		first := do(t, k, "POST", base+"/customers", k.PK, "", body, "Idempotency-Key", "reg-1")
		again := do(t, k, "POST", base+"/customers", k.PK, "", body, "Idempotency-Key", "reg-1")
		if first.Status != 201 || again.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("register: %d, again %d %v", first.Status, again.Status, again.Header)
		}
		wantError(t, again, 422, "validation_error") // the e-mail is taken: it ran again
		login := map[string]any{"email": "idem-reg@example.com", "password": "correct-horse-battery-9"}
		a := do(t, k, "POST", base+"/auth/login", k.PK, "", login, "Idempotency-Key", "login-1")
		b := do(t, k, "POST", base+"/auth/login", k.PK, "", login, "Idempotency-Key", "login-1")
		if a.Status != 200 || b.Status != 200 || b.Header.Get("Idempotent-Replayed") != "" ||
			a.json(t)["refresh_token"] == b.json(t)["refresh_token"] {
			t.Fatalf("login replayed tokens: %d %d", a.Status, b.Status)
		}
	})
	t.Run("case=bad_inputs", func(t *testing.T) {
		wantError(t, do(t, k, "POST", base+"/customers/me/addresses", k.PK, alice, berlin, "Idempotency-Key", strings.Repeat("k", 256)), 400, "invalid_request")
		wantError(t, do(t, k, "POST", base+"/customers/me/addresses", k.PK, alice, `{"city":`, "Idempotency-Key", "bad-json"), 400, "invalid_request")
		wantError(t, do(t, k, "POST", base+"/customers/me/addresses", k.PK, alice, `{"x":"`+strings.Repeat("a", 70000)+`"}`, "Idempotency-Key", "too-big"), 413, "request_too_large")
		// No JWT: 401 before any key is looked at.
		wantError(t, do(t, k, "POST", base+"/customers/me/addresses", k.PK, "", berlin, "Idempotency-Key", key), 401, "authentication_required")
		// A 400 for malformed JSON is replayed, not re-run into another answer.
		r := do(t, k, "POST", base+"/customers/me/addresses", k.PK, alice, `{"city":`, "Idempotency-Key", "bad-json")
		if r.Status != 400 || r.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("bad json replay: %d %v", r.Status, r.Header)
		}
	})
	t.Run("case=running_first_request_is_409", func(t *testing.T) {
		// The first attempt is still running (claimed through core, as the
		// handler would), and its retry arrives.
		cid := do(t, k, "GET", base+"/customers/me", k.PK, bob, nil).json(t)["id"].(string)
		body, _ := json.Marshal(berlin)
		call, err := k.App.Service.BeginIdempotent(t.Context(), core.IdempotentRequest{ShopID: k.Shop.ID, CustomerID: cid,
			Key: "running-1", Method: "POST", Path: base + "/customers/me/addresses", Body: body})
		if err != nil || call.Replay != nil {
			t.Fatalf("begin: %v", err)
		}
		r := do(t, k, "POST", base+"/customers/me/addresses", k.PK, bob, berlin, "Idempotency-Key", "running-1")
		wantError(t, r, 409, "idempotency_key_in_use")
		if r.Header.Get("Retry-After") != "1" {
			t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
		}
		if err := call.Abandon(t.Context()); err != nil {
			t.Fatal(err)
		}
		if r := do(t, k, "POST", base+"/customers/me/addresses", k.PK, bob, berlin, "Idempotency-Key", "running-1"); r.Status != 201 {
			t.Fatalf("after abandon: %d %s", r.Status, r.Body)
		}
	})
}
