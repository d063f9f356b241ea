package ratelimit_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/ratelimit"
)

// fakeClock is a settable clock; only the test moves it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// tenPer15Min is the failed-login rule from SECURITY.md: T = 90s.
var tenPer15Min = core.Rate{Limit: 10, Window: 15 * time.Minute}

type op int

const (
	take op = iota
	peek
	reset
	advance
)

// step is one action; for take and peek it also states the expected answer.
type step struct {
	op    op
	key   string
	by    time.Duration // for advance
	n     int           // repeat count (default 1)
	allow bool
	retry time.Duration
}

func takes(n int, key string, allow bool, retry time.Duration) step {
	return step{op: take, key: key, n: n, allow: allow, retry: retry}
}

func TestMemoryGCRA(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rate  core.Rate
		steps []step
	}{
		{"case=burst-then-deny", tenPer15Min, []step{
			takes(10, "a", true, 0),
			takes(1, "a", false, 90*time.Second),
			{op: advance, by: 89 * time.Second},
			takes(1, "a", false, time.Second),
			{op: advance, by: time.Second},
			takes(1, "a", true, 0),
			takes(1, "a", false, 90*time.Second),
		}},
		{"case=denied-take-consumes-nothing", tenPer15Min, []step{
			takes(10, "a", true, 0),
			takes(5, "a", false, 90*time.Second),
			{op: advance, by: 90 * time.Second},
			takes(1, "a", true, 0),
		}},
		{"case=peek-does-not-consume", tenPer15Min, []step{
			{op: peek, key: "a", n: 20, allow: true},
			takes(10, "a", true, 0),
			{op: peek, key: "a", n: 3, allow: false, retry: 90 * time.Second},
			takes(1, "a", false, 90*time.Second),
		}},
		{"case=reset", tenPer15Min, []step{
			takes(10, "a", true, 0),
			takes(1, "a", false, 90*time.Second),
			{op: reset, key: "a"},
			takes(10, "a", true, 0),
			takes(1, "a", false, 90*time.Second),
		}},
		{"case=keys-independent", tenPer15Min, []step{
			takes(10, "a", true, 0),
			takes(1, "a", false, 90*time.Second),
			takes(10, "b", true, 0),
			{op: reset, key: "b"},
			takes(1, "a", false, 90*time.Second),
		}},
		{"case=full-refill-after-window", tenPer15Min, []step{
			takes(10, "a", true, 0),
			{op: advance, by: 15 * time.Minute},
			takes(10, "a", true, 0),
			takes(1, "a", false, 90*time.Second),
		}},
		{"case=refill-is-gradual", tenPer15Min, []step{
			takes(10, "a", true, 0),
			{op: advance, by: 5 * 90 * time.Second},
			takes(5, "a", true, 0),
			takes(1, "a", false, 90*time.Second),
		}},
		{"case=limit-one", core.Rate{Limit: 1, Window: time.Second}, []step{
			takes(1, "a", true, 0),
			{op: advance, by: 300 * time.Millisecond},
			takes(1, "a", false, 700*time.Millisecond),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newClock()
			m := ratelimit.NewMemory(clock)
			ctx := t.Context()
			for i, s := range tc.steps {
				for j := range max(s.n, 1) {
					var (
						allowed bool
						retry   time.Duration
						err     error
					)
					switch s.op {
					case advance:
						clock.Advance(s.by)
						continue
					case reset:
						if err := m.Reset(ctx, s.key); err != nil {
							t.Fatalf("step %d: Reset: %v", i, err)
						}
						continue
					case take:
						allowed, retry, err = m.Take(ctx, s.key, tc.rate)
					case peek:
						allowed, retry, err = m.Peek(ctx, s.key, tc.rate)
					}
					if err != nil || allowed != s.allow || retry != s.retry {
						t.Fatalf("step %d.%d: got (%v, %v, %v), want (%v, %v, nil)", i, j, allowed, retry, err, s.allow, s.retry)
					}
				}
			}
		})
	}
}

func TestMemoryRejectsInvalidRate(t *testing.T) {
	m := ratelimit.NewMemory(newClock())
	for _, r := range []core.Rate{
		{Limit: 0, Window: time.Minute},
		{Limit: -1, Window: time.Minute},
		{Limit: 10, Window: 0},
		{Limit: 10, Window: 5 * time.Nanosecond}, // T would be 0: no limit at all
	} {
		if allowed, _, err := m.Take(t.Context(), "k", r); !errors.Is(err, ratelimit.ErrInvalidRate) || allowed {
			t.Errorf("Take with %+v = %v, %v; want denied with ErrInvalidRate", r, allowed, err)
		}
		if _, _, err := m.Peek(t.Context(), "k", r); !errors.Is(err, ratelimit.ErrInvalidRate) {
			t.Errorf("Peek with %+v = %v; want ErrInvalidRate", r, err)
		}
	}
}

func TestMemoryConcurrentTakeAllowsExactlyLimit(t *testing.T) {
	m := ratelimit.NewMemory(newClock()) // time stands still
	var allowed atomic.Int32
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			<-start
			ok, _, err := m.Take(context.Background(), "victim@example.com", tenPer15Min)
			if err != nil {
				t.Error(err)
			}
			if ok {
				allowed.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	if n := allowed.Load(); n != 10 {
		t.Fatalf("%d of 50 concurrent takes allowed, want exactly 10", n)
	}
}

func TestMemoryKeepsNoStateForUnlimitedKeys(t *testing.T) {
	m := ratelimit.NewMemory(newClock())
	for i := range 100 {
		_, _, _ = m.Peek(t.Context(), fmt.Sprint("peek-", i), tenPer15Min)
	}
	if n := ratelimit.Count(m); n != 0 {
		t.Errorf("Peek created %d entries", n)
	}
	_, _, _ = m.Take(t.Context(), "a", tenPer15Min)
	_ = m.Reset(t.Context(), "a")
	if n := ratelimit.Count(m); n != 0 {
		t.Errorf("Reset left %d entries", n)
	}
}

func TestMemorySweepsStaleKeysOverTime(t *testing.T) {
	clock := newClock()
	m := ratelimit.NewMemory(clock)
	const n = 1000
	for i := range n {
		_, _, _ = m.Take(t.Context(), fmt.Sprint("old-", i), tenPer15Min)
	}
	if got := ratelimit.Count(m); got != n {
		t.Fatalf("Count = %d, want %d", got, n)
	}

	// Every old key's budget is full again and a sweep interval has passed.
	clock.Advance(tenPer15Min.Window + ratelimit.SweepInterval)
	// 1000 new keys reach all 32 shards (missing one has odds ~1e-13), and
	// the first new key in each shard sweeps it.
	for i := range n {
		_, _, _ = m.Take(t.Context(), fmt.Sprint("new-", i), tenPer15Min)
	}
	if got := ratelimit.Count(m); got != n {
		t.Fatalf("Count = %d after the sweep, want only the %d new keys", got, n)
	}
}

func TestMemorySweepsWhenShardDoubles(t *testing.T) {
	clock := newClock()
	m := ratelimit.NewMemoryShards(clock, 1)
	perSecond := core.Rate{Limit: 1, Window: time.Second}
	const old = ratelimit.MinSweepLen + 44
	// The first sweep (at MinSweepLen keys) finds nothing stale and sets
	// the next one at twice the size.
	for i := range old {
		_, _, _ = m.Take(t.Context(), fmt.Sprint("old-", i), perSecond)
	}
	// Old budgets refill, but well within a sweep interval: only growth
	// can trigger the next sweep.
	clock.Advance(2 * time.Second)
	fresh := 2*ratelimit.MinSweepLen - old
	for i := range fresh {
		_, _, _ = m.Take(t.Context(), fmt.Sprint("new-", i), perSecond)
	}
	if got := ratelimit.Count(m); got != fresh {
		t.Fatalf("Count = %d, want %d (old keys swept when the shard doubled)", got, fresh)
	}
}
