package ratelimit_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/ratelimit"
	"github.com/clientele/clientele/internal/ratelimit/ratelimittest"
	"github.com/clientele/clientele/internal/testenv"
)

var threePerHour = core.Rate{Limit: 3, Window: time.Hour}

// newRedisClient connects to the test Redis (skipping when there is none)
// with opts applied on top of its URL.
func newRedisClient(t *testing.T, opts ...func(*redis.Options)) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(testenv.Redis(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		o(opt)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// newPrefix returns a key prefix no other test (or parallel run) uses, and
// deletes the test's keys afterwards; the database is shared, so it is
// never flushed.
func newPrefix(t *testing.T, c *redis.Client) string {
	t.Helper()
	prefix := "clientele-test:ratelimit:" + rand.Text() + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		var keys []string
		iter := c.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Logf("cleanup: scan %s*: %v", prefix, err)
			return
		}
		if len(keys) > 0 {
			_ = c.Del(ctx, keys...).Err()
		}
	})
	return prefix
}

// logBuffer collects log output from any goroutine.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), s)
}

func newLogger() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewTextHandler(b, nil)), b
}

const unavailableMsg = "Redis unavailable"

// newRedisLimiter is NewRedis with a timeout generous enough for a loaded
// test machine, for tests about answers rather than about timeouts: with
// the production 100ms, a slow reply would be answered by the fallback.
func newRedisLimiter(c redis.UniversalClient, prefix string, fallback core.Limiter, log *slog.Logger) *ratelimit.Redis {
	l := ratelimit.NewRedis(c, prefix, fallback, log)
	ratelimit.SetRedisTiming(l, 10*time.Second, time.Second, 10*time.Second)
	return l
}

func TestRedisConformance(t *testing.T) {
	c := newRedisClient(t)
	ratelimittest.Run(t, func(t *testing.T) core.Limiter {
		// No fallback: a Redis failure must fail the suite, not be
		// answered (and hidden) by the in-memory limiter.
		return newRedisLimiter(c, newPrefix(t, c), nil, nil)
	})
}

// SECURITY.md case 8: attempts alternating between two nodes trip the
// limit at the same total as on one node.
func TestRedisTwoNodesShareOneBudget(t *testing.T) {
	a, b := newRedisClient(t), newRedisClient(t)
	prefix := newPrefix(t, a)
	nodes := []*ratelimit.Redis{
		newRedisLimiter(a, prefix, ratelimit.NewMemory(nil), nil),
		newRedisLimiter(b, prefix, ratelimit.NewMemory(nil), nil),
	}
	tenPer15Min := core.Rate{Limit: 10, Window: 15 * time.Minute}
	total := 0
	for i := range 30 {
		ok, _, err := nodes[i%2].Take(t.Context(), "login:victim@example.com", tenPer15Min)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			total++
		}
	}
	if total != 10 {
		t.Errorf("%d of 30 alternating attempts allowed, want exactly 10", total)
	}
	for i, n := range nodes {
		if f := n.Fallbacks(); f != 0 {
			t.Errorf("node %d used its fallback %d times", i, f)
		}
	}
}

// Keys expire exactly when their TAT passes, so Redis holds state only
// for keys that are currently limited.
func TestRedisKeysExpireWithTheirTAT(t *testing.T) {
	c := newRedisClient(t)
	prefix := newPrefix(t, c)
	l := newRedisLimiter(c, prefix, nil, nil)
	ctx := t.Context()
	pttl := func() time.Duration {
		t.Helper()
		d, err := c.PTTL(ctx, prefix+"a").Result()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	within := func(d, want time.Duration) bool { return d > want-time.Minute && d <= want }

	if _, _, err := l.Peek(ctx, "a", threePerHour); err != nil {
		t.Fatal(err)
	}
	if n := c.Exists(ctx, prefix+"a").Val(); n != 0 {
		t.Fatal("Peek created a key")
	}
	if _, _, err := l.Take(ctx, "a", threePerHour); err != nil {
		t.Fatal(err)
	}
	if d := pttl(); !within(d, 20*time.Minute) {
		t.Errorf("after one take, TTL %v, want about 20m (one emission interval)", d)
	}
	for range 3 { // 2 allowed, 1 denied
		if _, _, err := l.Take(ctx, "a", threePerHour); err != nil {
			t.Fatal(err)
		}
	}
	if d := pttl(); !within(d, time.Hour) {
		t.Errorf("after the burst and a denial, TTL %v, want about 1h", d)
	}
	if err := l.Reset(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if n := c.Exists(ctx, prefix+"a").Val(); n != 0 {
		t.Error("Reset left the key")
	}
}

// Large numbers (a 400-day TTL in ms, TATs in µs) must reach Redis as
// plain digits, not Lua's exponent form.
func TestRedisLongWindow(t *testing.T) {
	c := newRedisClient(t)
	prefix := newPrefix(t, c)
	l := newRedisLimiter(c, prefix, nil, nil)
	long := core.Rate{Limit: 1, Window: 400 * 24 * time.Hour}
	if ok, _, err := l.Take(t.Context(), "a", long); err != nil || !ok {
		t.Fatalf("Take = %v, %v", ok, err)
	}
	if d := c.PTTL(t.Context(), prefix+"a").Val(); d <= long.Window-time.Minute || d > long.Window {
		t.Errorf("TTL %v, want about %v", d, long.Window)
	}
	if ok, retry, err := l.Take(t.Context(), "a", long); err != nil || ok || retry <= long.Window-time.Minute {
		t.Errorf("second Take = (%v, %v, %v), want denied for about %v", ok, retry, err, long.Window)
	}
}

// Refill needs time to pass, and the script reads the Redis server's
// clock; moving the stored TAT back has the same effect as waiting.
func TestRedisRefillsGradually(t *testing.T) {
	c := newRedisClient(t)
	prefix := newPrefix(t, c)
	l := newRedisLimiter(c, prefix, nil, nil)
	ctx := t.Context()
	key := prefix + "a"
	rewind := func(d time.Duration) {
		t.Helper()
		v, err := c.Get(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		tat, err := strconv.ParseInt(v, 10, 64) // also: stored as plain digits
		if err != nil {
			t.Fatalf("stored TAT %q: %v", v, err)
		}
		if err := c.Set(ctx, key, tat-d.Microseconds(), redis.KeepTTL).Err(); err != nil {
			t.Fatal(err)
		}
	}
	take := func(want bool) {
		t.Helper()
		ok, _, err := l.Take(ctx, "a", threePerHour)
		if err != nil || ok != want {
			t.Fatalf("Take = %v, %v; want %v", ok, err, want)
		}
	}

	for range 3 {
		take(true)
	}
	take(false)
	rewind(20 * time.Minute) // one emission interval: one unit back
	take(true)
	take(false)
	rewind(time.Hour) // a whole window: the full burst back
	for range 3 {
		take(true)
	}
	take(false)
}

func TestRedisFallsBackWhenRedisIsDown(t *testing.T) {
	// A client for a port nobody listens on; this needs no Redis at all.
	c := redis.NewClient(&redis.Options{Addr: testenv.ClosedAddr(t)})
	defer c.Close()
	log, logs := newLogger()
	l := ratelimit.NewRedis(c, "clientele-test:", ratelimit.NewMemory(nil), log)
	ctx := t.Context()

	for i := range 3 {
		if ok, _, err := l.Take(ctx, "a", threePerHour); err != nil || !ok {
			t.Fatalf("Take %d = %v, %v; want allowed by the fallback", i, ok, err)
		}
	}
	ok, retry, err := l.Take(ctx, "a", threePerHour)
	if err != nil || ok || retry <= 19*time.Minute || retry > 20*time.Minute {
		t.Fatalf("4th Take = (%v, %v, %v), want (false, ~20m, nil) from the fallback", ok, retry, err)
	}
	if ok, _, err := l.Peek(ctx, "a", threePerHour); err != nil || ok {
		t.Fatalf("Peek = %v, %v; want denied by the fallback", ok, err)
	}
	if err := l.Reset(ctx, "a"); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if ok, _, err := l.Take(ctx, "a", threePerHour); err != nil || !ok {
		t.Fatalf("Take after Reset = %v, %v; want allowed", ok, err)
	}
	if f := l.Fallbacks(); f != 7 {
		t.Errorf("Fallbacks() = %d, want 7 (every call)", f)
	}
	if n := logs.count(unavailableMsg); n != 1 {
		t.Errorf("%d warnings for one outage, want 1:\n%s", n, logs.String())
	}
}

// failFast makes a refused connection fail the command at once, with no
// dial or command retries, so a test knows the call has finished.
func failFast(o *redis.Options) { o.MaxRetries, o.DialerRetries = -1, 1 }

func TestRedisWarnsOncePerPeriod(t *testing.T) {
	opt := &redis.Options{Addr: testenv.ClosedAddr(t)}
	failFast(opt)
	c := redis.NewClient(opt)
	defer c.Close()
	log, logs := newLogger()
	l := ratelimit.NewRedis(c, "clientele-test:", ratelimit.NewMemory(nil), log)
	// No skipping, so every call really fails.
	ratelimit.SetRedisTiming(l, time.Minute, 0, time.Hour)
	for range 50 {
		if _, _, err := l.Take(t.Context(), "a", threePerHour); err != nil {
			t.Fatal(err)
		}
	}
	if f := l.Fallbacks(); f != 50 {
		t.Errorf("Fallbacks() = %d, want 50", f)
	}
	if n := logs.count(unavailableMsg); n != 1 {
		t.Errorf("%d warnings for 50 failures, want 1", n)
	}
}

// countCommands counts the commands a client sends (retries included).
type countCommands struct{ n atomic.Int64 }

func (h *countCommands) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *countCommands) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}
func (h *countCommands) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func TestRedisSkippedAfterFailure(t *testing.T) {
	opt := &redis.Options{Addr: testenv.ClosedAddr(t)}
	failFast(opt)
	c := redis.NewClient(opt)
	defer c.Close()
	hook := &countCommands{}
	c.AddHook(hook)
	l := ratelimit.NewRedis(c, "clientele-test:", ratelimit.NewMemory(nil), slog.New(slog.DiscardHandler))
	ratelimit.SetRedisTiming(l, time.Minute, time.Hour, time.Hour)

	for range 20 {
		if _, _, err := l.Take(t.Context(), "a", threePerHour); err != nil {
			t.Fatal(err)
		}
	}
	if n := hook.n.Load(); n != 1 {
		t.Errorf("%d Redis commands for 20 takes, want 1: the rest skip Redis after its failure", n)
	}
	if f := l.Fallbacks(); f != 20 {
		t.Errorf("Fallbacks() = %d, want 20", f)
	}
}

func TestRedisRecoversAfterOutage(t *testing.T) {
	link := testenv.NewLink()
	c := newRedisClient(t, failFast, func(o *redis.Options) { o.Dialer = link.Dial })
	prefix := newPrefix(t, c)
	log, logs := newLogger()
	l := ratelimit.NewRedis(c, prefix, ratelimit.NewMemory(nil), log)
	ratelimit.SetRedisTiming(l, 10*time.Second, 0, time.Hour) // no skip period
	ctx := t.Context()
	stored := func() string { return c.Get(ctx, prefix+"a").Val() }

	if ok, _, err := l.Take(ctx, "a", threePerHour); err != nil || !ok {
		t.Fatalf("Take = %v, %v", ok, err)
	}
	before := stored()
	if before == "" {
		t.Fatal("Take did not reach Redis")
	}

	link.Cut()
	if ok, _, err := l.Take(ctx, "a", threePerHour); err != nil || !ok {
		t.Fatalf("Take during the outage = %v, %v; want allowed by the fallback", ok, err)
	}
	if f := l.Fallbacks(); f != 1 {
		t.Fatalf("Fallbacks() = %d during the outage, want 1", f)
	}

	link.Restore()
	if ok, _, err := l.Take(ctx, "a", threePerHour); err != nil || !ok {
		t.Fatalf("Take after the outage = %v, %v", ok, err)
	}
	if f := l.Fallbacks(); f != 1 {
		t.Errorf("Fallbacks() = %d after Redis came back, want still 1", f)
	}
	if after := stored(); after == before {
		t.Error("Take after the outage did not reach Redis")
	}
	if logs.count(unavailableMsg) != 1 || logs.count("Redis answers again") != 1 {
		t.Errorf("want one outage warning and one recovery line, got:\n%s", logs.String())
	}
}

// A server that accepts connections and never answers: without its own
// timeout the limiter would wait out the client's (here a minute).
func TestRedisHungServerTimesOut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			cn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, cn)
			mu.Unlock()
		}
	}()
	c := redis.NewClient(&redis.Options{Addr: ln.Addr().String(), ReadTimeout: time.Minute, WriteTimeout: time.Minute})
	t.Cleanup(func() {
		// Closing the server side ends the limiter's abandoned call.
		_ = ln.Close()
		mu.Lock()
		for _, cn := range conns {
			_ = cn.Close()
		}
		mu.Unlock()
		_ = c.Close()
	})
	l := ratelimit.NewRedis(c, "clientele-test:", ratelimit.NewMemory(nil), slog.New(slog.DiscardHandler))

	start := time.Now()
	ok, _, err := l.Take(t.Context(), "a", threePerHour)
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("Take took %v against a hung Redis; the per-call timeout is 100ms", elapsed)
	}
	if err != nil || !ok || l.Fallbacks() != 1 {
		t.Errorf("Take = %v, %v with %d fallbacks; want allowed by the fallback", ok, err, l.Fallbacks())
	}
}

// A caller who gives up is not a Redis failure: no fallback counted, no
// warning, and the next caller still uses Redis.
func TestRedisCallerCancelIsNotAnOutage(t *testing.T) {
	c := newRedisClient(t)
	prefix := newPrefix(t, c)
	log, logs := newLogger()
	l := newRedisLimiter(c, prefix, ratelimit.NewMemory(nil), log)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := l.Take(ctx, "a", threePerHour); err != nil {
		t.Fatalf("Take with a cancelled context: %v; want the fallback's answer", err)
	}
	if f := l.Fallbacks(); f != 0 {
		t.Errorf("Fallbacks() = %d, want 0", f)
	}
	if n := logs.count(unavailableMsg); n != 0 {
		t.Errorf("cancellation logged as an outage:\n%s", logs.String())
	}
	if _, _, err := l.Take(t.Context(), "b", threePerHour); err != nil {
		t.Fatal(err)
	}
	if c.Exists(t.Context(), prefix+"b").Val() != 1 {
		t.Error("the next caller skipped Redis")
	}
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
