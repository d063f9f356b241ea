package httpapi_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testkit"
)

// The rotation rules on both backends: PostgreSQL rotates through its
// one-statement fast path (core.RefreshRotator), SQLite step by step, and
// both must give the same answers.
func TestRefreshRotationOnEachDB(t *testing.T) {
	t.Run("chain_retry_reuse", func(t *testing.T) {
		onEachDB(t, func(t *testing.T, k *testkit.Kit) {
			c := k.Register("chain@example.com")
			a := refresh(k, c.Refresh)
			want(t, a, 200)
			// Touched: the profile works with the new access token.
			want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: a.Str(t, "access_token")}), 200)
			k.Clock.Advance(5 * time.Second)
			b := refresh(k, c.Refresh) // a retry within the grace window
			want(t, b, 200)
			if a.Str(t, "refresh_token") != b.Str(t, "refresh_token") {
				t.Fatal("retry minted a different child")
			}
			next := refresh(k, b.Str(t, "refresh_token"))
			want(t, next, 200)
			k.Clock.Advance(11 * time.Second)
			wantProblem(t, refresh(k, c.Refresh), 401, "refresh_token_reused")
			wantProblem(t, refresh(k, next.Str(t, "refresh_token")), 401, "invalid_grant")
		})
	})
	t.Run("rejects_write_nothing", func(t *testing.T) {
		onEachDB(t, func(t *testing.T, k *testkit.Kit) {
			c := k.Register("rej@example.com")
			other := k.NewShop("Other")
			wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/refresh", PK: other.PublishableKey,
				Body: map[string]string{"refresh_token": c.Refresh}}), 401, "invalid_grant")
			wantProblem(t, refresh(k, "crt_nope"), 401, "invalid_grant")
			// A rotation refused after the fast path ran (logged out
			// session) is rolled back: the token is not spent, so after
			// that nothing changes, and a live token still works.
			d := k.Register("dis@example.com")
			want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/logout", Token: d.Access}), 204)
			wantProblem(t, refresh(k, d.Refresh), 401, "invalid_grant")
			wantProblem(t, refresh(k, d.Refresh), 401, "invalid_grant")
			want(t, refresh(k, c.Refresh), 200)
		})
	})
	t.Run("parallel_same_token", func(t *testing.T) {
		onEachDB(t, func(t *testing.T, k *testkit.Kit) {
			c := k.Register("par@example.com")
			const n = 20
			var wg sync.WaitGroup
			children := make(chan string, n)
			for range n {
				wg.Go(func() {
					if res := refresh(k, c.Refresh); res.Status == http.StatusOK {
						children <- res.Str(t, "refresh_token")
					}
				})
			}
			wg.Wait()
			close(children)
			distinct := map[string]bool{}
			for ch := range children {
				distinct[ch] = true
			}
			if len(distinct) != 1 {
				t.Fatalf("%d distinct children, want 1", len(distinct))
			}
		})
	})
}
