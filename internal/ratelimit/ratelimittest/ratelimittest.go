// Package ratelimittest is the conformance suite every [core.Limiter]
// implementation passes, so the Redis limiter and the in-memory one it
// falls back to can be swapped without changing what a client observes.
//
// The suite never moves time: the Redis limiter reads the Redis server's
// clock, which no test can set. It uses rates slow enough (3 per hour, so
// one unit frees every 20 minutes) that the real time a test takes changes
// no answer, and leaves refill timing to each implementation's own tests.
package ratelimittest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/ratelimit"
)

// threePerHour has emission interval T = 20m: a denial must name a wait in
// (0, 20m], and nothing refills while the suite runs.
var threePerHour = core.Rate{Limit: 3, Window: time.Hour}

const interval = 20 * time.Minute

// Run runs the suite. newLimiter must return a limiter with no state for
// any key (for a shared store: its own key prefix), and is called once
// per subtest; subtests may run in parallel.
func Run(t *testing.T, newLimiter func(t *testing.T) core.Limiter) {
	t.Run("burst-then-deny", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t)
		takeN(t, l, "a", threePerHour, 3)
		retry := denied(t, l.Take, "a", threePerHour)
		if retry <= interval-time.Minute {
			// Allowing a full minute of test time; anything shorter means
			// the budget refilled early or the burst was mis-sized.
			t.Errorf("retryAfter %v, want about %v", retry, interval)
		}
	})

	t.Run("denied-take-consumes-nothing", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t)
		takeN(t, l, "a", threePerHour, 3)
		first := denied(t, l.Take, "a", threePerHour)
		for range 5 {
			// A consuming denial would push the wait out by T each time.
			if retry := denied(t, l.Take, "a", threePerHour); retry > first {
				t.Fatalf("retryAfter grew from %v to %v across denied takes", first, retry)
			}
		}
	})

	t.Run("peek-does-not-consume", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t)
		for range 10 {
			allowed(t, l.Peek, "a", threePerHour)
		}
		takeN(t, l, "a", threePerHour, 3)
		for range 3 {
			denied(t, l.Peek, "a", threePerHour)
		}
		denied(t, l.Take, "a", threePerHour)
	})

	t.Run("peek-matches-take", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t)
		takeN(t, l, "a", threePerHour, 2)
		allowed(t, l.Peek, "a", threePerHour) // one unit left
		takeN(t, l, "a", threePerHour, 1)
		peek := denied(t, l.Peek, "a", threePerHour)
		take := denied(t, l.Take, "a", threePerHour)
		if take > peek {
			t.Errorf("Peek said wait %v, then Take said %v", peek, take)
		}
	})

	t.Run("reset-restores-full-budget", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t)
		takeN(t, l, "a", threePerHour, 3)
		denied(t, l.Take, "a", threePerHour)
		reset(t, l, "a")
		takeN(t, l, "a", threePerHour, 3)
		denied(t, l.Take, "a", threePerHour)
	})

	t.Run("reset-unknown-key", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t)
		reset(t, l, "never-seen")
		takeN(t, l, "never-seen", threePerHour, 3)
	})

	t.Run("keys-independent", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t)
		takeN(t, l, "a", threePerHour, 3)
		denied(t, l.Take, "a", threePerHour)
		takeN(t, l, "b", threePerHour, 3) // a's exhaustion does not touch b
		reset(t, l, "b")
		denied(t, l.Take, "a", threePerHour) // nor b's reset a
		takeN(t, l, "b", threePerHour, 3)
	})

	t.Run("keys-are-exact", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t)
		// Keys are built from e-mails and IPs: near-identical strings must
		// not share a budget.
		takeN(t, l, "login:a@example.com", threePerHour, 3)
		for _, k := range []string{"login:A@example.com", "login:a@example.com ", "login:a@example.co", "", "login:a@example.com\x00"} {
			allowed(t, l.Take, k, threePerHour)
		}
	})

	t.Run("limit-one", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t)
		r := core.Rate{Limit: 1, Window: time.Hour}
		takeN(t, l, "a", r, 1)
		if retry := denied(t, l.Take, "a", r); retry <= 59*time.Minute {
			t.Errorf("retryAfter %v, want about 1h", retry)
		}
	})

	t.Run("invalid-rate", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t)
		for _, r := range []core.Rate{
			{Limit: 0, Window: time.Minute},
			{Limit: -1, Window: time.Minute},
			{Limit: 10, Window: 0},
			{Limit: 10, Window: -time.Minute},
			{Limit: 10, Window: 5 * time.Nanosecond},
		} {
			if ok, _, err := l.Take(t.Context(), "k", r); !errors.Is(err, ratelimit.ErrInvalidRate) || ok {
				t.Errorf("Take with %+v = %v, %v; want denied with ErrInvalidRate", r, ok, err)
			}
			if _, _, err := l.Peek(t.Context(), "k", r); !errors.Is(err, ratelimit.ErrInvalidRate) {
				t.Errorf("Peek with %+v = %v; want ErrInvalidRate", r, err)
			}
		}
	})

	t.Run("concurrent-take-allows-exactly-limit", func(t *testing.T) {
		t.Parallel()
		l := newLimiter(t)
		tenPerHour := core.Rate{Limit: 10, Window: time.Hour}
		var n atomic.Int32
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				<-start
				ok, _, err := l.Take(context.Background(), "victim@example.com", tenPerHour)
				if err != nil {
					t.Error(err)
				}
				if ok {
					n.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		if got := n.Load(); got != 10 {
			t.Fatalf("%d of 50 concurrent takes allowed, want exactly 10", got)
		}
	})
}

type decideFunc func(ctx context.Context, key string, r core.Rate) (bool, time.Duration, error)

func takeN(t *testing.T, l core.Limiter, key string, r core.Rate, n int) {
	t.Helper()
	for i := range n {
		ok, retry, err := l.Take(t.Context(), key, r)
		if err != nil || !ok || retry != 0 {
			t.Fatalf("Take %d of %q: (%v, %v, %v), want (true, 0, nil)", i+1, key, ok, retry, err)
		}
	}
}

func allowed(t *testing.T, f decideFunc, key string, r core.Rate) {
	t.Helper()
	ok, retry, err := f(t.Context(), key, r)
	if err != nil || !ok || retry != 0 {
		t.Fatalf("%q: (%v, %v, %v), want (true, 0, nil)", key, ok, retry, err)
	}
}

// denied checks for a denial whose wait is in (0, T] and returns the wait.
func denied(t *testing.T, f decideFunc, key string, r core.Rate) time.Duration {
	t.Helper()
	ok, retry, err := f(t.Context(), key, r)
	if err != nil || ok || retry <= 0 || retry > r.Window/time.Duration(r.Limit) {
		t.Fatalf("%q: (%v, %v, %v), want (false, (0, %v], nil)", key, ok, retry, err, r.Window/time.Duration(r.Limit))
	}
	return retry
}

func reset(t *testing.T, l core.Limiter, key string) {
	t.Helper()
	if err := l.Reset(t.Context(), key); err != nil {
		t.Fatalf("Reset(%q): %v", key, err)
	}
}
