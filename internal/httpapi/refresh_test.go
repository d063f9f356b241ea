package httpapi_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testkit"
)

func refresh(k *testkit.Kit, tok string) *testkit.Response {
	return k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": tok}})
}

// A rotated token presented after the grace window is reuse: the whole
// session dies, including the newest refresh token and its access token.
func TestRefreshReuseRevokesSession(t *testing.T) {
	k := newKit(t)
	c := k.Register("reuse@example.com")
	r1 := refresh(k, c.Refresh)
	want(t, r1, 200)
	r2 := refresh(k, r1.Str(t, "refresh_token"))
	want(t, r2, 200)
	newestRefresh, newestAccess := r2.Str(t, "refresh_token"), r2.Str(t, "access_token")

	k.Clock.Advance(11 * time.Second)
	wantProblem(t, refresh(k, c.Refresh), 401, "refresh_token_reused")
	wantProblem(t, refresh(k, newestRefresh), 401, "invalid_grant")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: newestAccess}), 401, "session_revoked")
}

// A client that lost the response retries within the grace window and gets
// the same child, so there is never a fork of two live tokens.
func TestRefreshRetryWithinGraceReturnsSameChild(t *testing.T) {
	k := newKit(t)
	c := k.Register("retry@example.com")
	a := refresh(k, c.Refresh)
	want(t, a, 200)
	k.Clock.Advance(5 * time.Second)
	b := refresh(k, c.Refresh)
	want(t, b, 200)
	if a.Str(t, "refresh_token") != b.Str(t, "refresh_token") {
		t.Fatal("a retry within the grace window minted a different child")
	}
	want(t, refresh(k, b.Str(t, "refresh_token")), 200)
	// Once the child itself was rotated, the grandparent is plain reuse.
	wantProblem(t, refresh(k, c.Refresh), 401, "refresh_token_reused")
}

func TestRefreshParallelSameToken(t *testing.T) {
	k := newKit(t)
	c := k.Register("parallel@example.com")
	const n = 30
	var wg sync.WaitGroup
	children := make(chan string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := refresh(k, c.Refresh)
			if res.Status == http.StatusOK {
				children <- res.Str(t, "refresh_token")
			}
		}()
	}
	wg.Wait()
	close(children)
	distinct := map[string]bool{}
	for ch := range children {
		distinct[ch] = true
	}
	if len(distinct) != 1 {
		t.Fatalf("parallel refreshes produced %d distinct children, want exactly 1", len(distinct))
	}
}

func TestRefreshRejects(t *testing.T) {
	k := newKit(t)
	c := k.Register("rr@example.com")
	other := k.NewShop("Other")
	tests := []struct {
		name string
		req  testkit.Req
	}{
		{"garbage", testkit.Req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": "crt_nope"}}},
		{"empty", testkit.Req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{}}},
		{"access_token_as_refresh", testkit.Req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": c.Access}}},
		{"other_store", testkit.Req{Method: "POST", Path: "/v1/auth/refresh", PK: other.PublishableKey, Body: map[string]string{"refresh_token": c.Refresh}}},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			wantProblem(t, k.Do(tt.req), 401, "invalid_grant")
		})
	}
	// The refresh token is no bearer token.
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Refresh}), 401, "invalid_token")
	// And none of the above spent it.
	want(t, refresh(k, c.Refresh), 200)
}

func TestRefreshExpiry(t *testing.T) {
	k := newKit(t)
	idle := k.Register("idle@example.com")
	k.Clock.Advance(7*24*time.Hour + time.Minute)
	wantProblem(t, refresh(k, idle.Refresh), 401, "invalid_grant")

	// Absolute lifetime: rotating every 6 days (days 6 to 24) never extends
	// the session past day 30.
	c := k.Register("absolute@example.com")
	tok := c.Refresh
	for i := 0; i < 4; i++ {
		k.Clock.Advance(6 * 24 * time.Hour)
		res := refresh(k, tok)
		want(t, res, 200)
		tok = res.Str(t, "refresh_token")
	}
	k.Clock.Advance(6 * 24 * time.Hour)
	wantProblem(t, refresh(k, tok), 401, "invalid_grant")
}
