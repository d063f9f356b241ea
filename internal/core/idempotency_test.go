package core_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

func idemReq(k *testkit.Kit, customerID, key, body string) core.IdempotentRequest {
	return core.IdempotentRequest{ShopID: k.Shop.ID, CustomerID: customerID, Key: key,
		Method: "POST", Path: "/x/addresses", Body: []byte(body)}
}

// begin starts a call that must run (no replay).
func begin(t *testing.T, k *testkit.Kit, req core.IdempotentRequest) *core.IdempotentCall {
	t.Helper()
	c, err := k.App.Service.BeginIdempotent(t.Context(), req)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	if c.Replay != nil {
		t.Fatalf("begin replayed %d %s, want a fresh call", c.Replay.Status, c.Replay.Body)
	}
	return c
}

func TestIdempotency(t *testing.T) {
	k := testkit.New(t)
	svc := k.App.Service
	alice, bob := k.Register("idem-a@example.com"), k.Register("idem-b@example.com")
	other := k.NewShop("Other")
	created := core.IdempotentResponse{Status: 201, ContentType: "application/json", Body: []byte(`{"id":"addr_1"}`)}

	t.Run("case=replays_the_stored_answer", func(t *testing.T) {
		req := idemReq(k, alice.ID, "k-replay", `{"city":"Berlin"}`)
		if err := begin(t, k, req).Finish(t.Context(), created); err != nil {
			t.Fatal(err)
		}
		c, err := svc.BeginIdempotent(t.Context(), req)
		if err != nil || c.Replay == nil || c.Replay.Status != 201 || string(c.Replay.Body) != `{"id":"addr_1"}` ||
			c.Replay.ContentType != "application/json" {
			t.Fatalf("replay = %+v, %v", c, err)
		}
	})
	t.Run("case=different_request_is_reused", func(t *testing.T) {
		req := idemReq(k, alice.ID, "k-reused", `{"city":"Berlin"}`)
		if err := begin(t, k, req).Finish(t.Context(), created); err != nil {
			t.Fatal(err)
		}
		for name, mod := range map[string]func(*core.IdempotentRequest){
			"body":   func(r *core.IdempotentRequest) { r.Body = []byte(`{"city":"Paris"}`) },
			"path":   func(r *core.IdempotentRequest) { r.Path = "/x/wishlists" },
			"method": func(r *core.IdempotentRequest) { r.Method = "PATCH" },
		} {
			r := req
			mod(&r)
			_, err := svc.BeginIdempotent(t.Context(), r)
			if core.CodeOf(err) != core.CodeIdempotencyKeyReused || !errors.Is(err, core.ErrInvalid) {
				t.Fatalf("%s changed: %v, want idempotency_key_reused", name, err)
			}
		}
	})
	t.Run("case=running_request_is_in_use", func(t *testing.T) {
		req := idemReq(k, alice.ID, "k-running", `{}`)
		first := begin(t, k, req)
		_, err := svc.BeginIdempotent(t.Context(), req)
		if core.CodeOf(err) != core.CodeIdempotencyKeyInUse || !errors.Is(err, core.ErrConflict) {
			t.Fatalf("second begin: %v, want idempotency_key_in_use", err)
		}
		if err := first.Finish(t.Context(), core.IdempotentResponse{Status: 204}); err != nil {
			t.Fatal(err)
		}
		c, err := svc.BeginIdempotent(t.Context(), req)
		if err != nil || c.Replay == nil || c.Replay.Status != 204 || c.Replay.Body == nil {
			t.Fatalf("after finish: %+v, %v", c, err)
		}
	})
	t.Run("case=crashed_request_frees_the_key_after_its_lease", func(t *testing.T) {
		req := idemReq(k, alice.ID, "k-crashed", `{}`)
		begin(t, k, req) // never finished
		k.Clock.Advance(time.Minute)
		begin(t, k, req)
	})
	t.Run("case=failures_are_not_replayed", func(t *testing.T) {
		for _, status := range []int{500, 503, 429, 408} {
			req := idemReq(k, alice.ID, "k-fail-"+strconv.Itoa(status), `{}`)
			if err := begin(t, k, req).Finish(t.Context(), core.IdempotentResponse{Status: status}); err != nil {
				t.Fatal(err)
			}
			begin(t, k, req) // runs again
		}
		req := idemReq(k, alice.ID, "k-abandon", `{}`)
		if err := begin(t, k, req).Abandon(t.Context()); err != nil {
			t.Fatal(err)
		}
		begin(t, k, req)
	})
	t.Run("case=client_errors_are_replayed", func(t *testing.T) {
		req := idemReq(k, alice.ID, "k-422", `{}`)
		if err := begin(t, k, req).Finish(t.Context(), core.IdempotentResponse{Status: 422, Body: []byte(`{"error":{}}`)}); err != nil {
			t.Fatal(err)
		}
		if c, err := svc.BeginIdempotent(t.Context(), req); err != nil || c.Replay == nil || c.Replay.Status != 422 {
			t.Fatalf("422 replay: %+v, %v", c, err)
		}
	})
	t.Run("case=scoped_per_customer_and_store", func(t *testing.T) {
		req := idemReq(k, alice.ID, "k-scoped", `{}`)
		if err := begin(t, k, req).Finish(t.Context(), created); err != nil {
			t.Fatal(err)
		}
		// Bob's identical key is his own: it runs, never replays Alice's answer.
		begin(t, k, idemReq(k, bob.ID, "k-scoped", `{}`))
		// Alice's id with another store is not hers there (no such customer).
		r := req
		r.ShopID = other.Shop.ID
		if _, err := svc.BeginIdempotent(t.Context(), r); !errors.Is(err, core.ErrNotFound) {
			t.Fatalf("other store: %v, want not found", err)
		}
	})
	t.Run("case=replay_window_ends", func(t *testing.T) {
		req := idemReq(k, alice.ID, "k-window", `{}`)
		if err := begin(t, k, req).Finish(t.Context(), created); err != nil {
			t.Fatal(err)
		}
		k.Clock.Advance(core.IdempotencyReplayWindow)
		begin(t, k, req)
	})
	t.Run("case=bad_keys", func(t *testing.T) {
		for name, req := range map[string]core.IdempotentRequest{
			"too_long":    idemReq(k, alice.ID, strings.Repeat("k", 256), `{}`),
			"empty":       idemReq(k, alice.ID, "", `{}`),
			"no_customer": idemReq(k, "", "k", `{}`),
		} {
			if _, err := svc.BeginIdempotent(t.Context(), req); !errors.Is(err, core.ErrInvalid) {
				t.Fatalf("%s: %v, want invalid", name, err)
			}
		}
		if core.CheckIdempotencyKey(strings.Repeat("k", 255)) != nil || core.CheckIdempotencyKey(strings.Repeat("k", 256)) == nil {
			t.Fatal("CheckIdempotencyKey bound is not 255")
		}
	})
	t.Run("case=purge_drops_expired_records", func(t *testing.T) {
		req := idemReq(k, bob.ID, "k-purge", `{}`)
		if err := begin(t, k, req).Finish(t.Context(), created); err != nil {
			t.Fatal(err)
		}
		k.Clock.Advance(core.IdempotencyReplayWindow + time.Second)
		n, err := svc.PurgeIdempotencyRecords(t.Context())
		if err != nil || n == 0 {
			t.Fatalf("purge: %d, %v", n, err)
		}
		if n, _ := svc.PurgeIdempotencyRecords(t.Context()); n != 0 {
			t.Fatalf("second purge deleted %d", n)
		}
	})
}
