package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clientele/clientele/internal/core"
)

const (
	// callTimeout bounds one Redis round trip. A login waits for it, so it
	// is short: past it, the local answer is better than a slow shared one.
	callTimeout = 100 * time.Millisecond
	// skipAfterFailure: after a failed call, go straight to the fallback
	// for this long, so a dead Redis costs one timeout per second, not one
	// per request.
	skipAfterFailure = time.Second
	// warnEvery spaces the "Redis unavailable" warnings: an outage under
	// load would otherwise log once per request.
	warnEvery = 10 * time.Second
)

// gcraScript is decide() from gcra.go run inside Redis, so that reading
// and updating a key's TAT is one atomic step for every node, and "now" is
// the Redis server's clock, which all nodes share (node clocks drift).
//
// It counts in microseconds: Lua numbers are doubles, exact up to 2^53,
// which Unix microseconds (~1.7e15) fit and nanoseconds (~1.7e18) do not.
//
// KEYS[1] the key; ARGV[1] the emission interval T; ARGV[2] the window;
// ARGV[3] "1" to consume (Take) or "0" to only look (Peek).
// Returns {1, 0} when allowed, {0, µs until a unit frees} when not.
//
// An allowed Take stores the new TAT with a TTL of exactly the time until
// it passes: from then on the key means "full budget", the same as no key,
// so Redis can drop it and idle keys cost nothing.
var gcraScript = redis.NewScript(`
-- Redis 5+ replicates effects, not scripts, by default; older servers need
-- this before a write may follow the non-deterministic TIME.
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local new = tat + interval
local allow_at = new - window
if now < allow_at then
  return {0, allow_at - now}
end
if ARGV[3] == '1' then
  -- Explicit %.0f, because a number's string form depends on the path
  -- (tostring() gives 1.7e+15); GET and PX need plain digits.
  local ttl = math.ceil((new - now) / 1000)
  redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', string.format('%.0f', ttl))
end
return {1, 0}
`)

// Redis is a [core.Limiter] whose state lives in Redis, so every node
// shares one budget per key (two nodes must not double an attacker's
// attempts). It has the same semantics as [Memory], except that times are
// kept in whole microseconds (so a rate whose emission interval is below
// one microsecond is ErrInvalidRate here).
//
// When Redis fails or is slow, each call is answered by a fallback limiter
// (the node's [Memory]) instead: limits then hold per node, which is weaker
// but far better than no limits or failed logins. It goes back to Redis by
// itself once Redis answers.
type Redis struct {
	client   redis.UniversalClient
	prefix   string
	fallback core.Limiter
	log      *slog.Logger

	timeout   time.Duration // per Redis call
	skipFor   time.Duration // after a failure
	warnEvery time.Duration

	epoch     time.Time    // origin of the monotonic readings below
	skipUntil atomic.Int64 // ns since epoch: use the fallback until then
	lastWarn  atomic.Int64 // ns since epoch of the last warning
	degraded  atomic.Bool  // a failure has not yet been followed by a success
	fallbacks atomic.Int64
}

var _ core.Limiter = (*Redis)(nil)

// NewRedis returns a limiter keeping its state in client under keys
// prefix+key. fallback answers while Redis cannot; when nil, Redis errors
// are returned instead (and callers of a core.Limiter fail open). log
// receives the outage warnings (slog.Default() when nil).
//
// Each Redis call is bounded by a short timeout whether or not the client
// has ContextTimeoutEnabled (without it, go-redis waits out its own
// ReadTimeout, 3 s by default, on a hung server).
func NewRedis(client redis.UniversalClient, prefix string, fallback core.Limiter, log *slog.Logger) *Redis {
	if log == nil {
		log = slog.Default()
	}
	r := &Redis{
		client: client, prefix: prefix, fallback: fallback, log: log,
		timeout: callTimeout, skipFor: skipAfterFailure, warnEvery: warnEvery,
		epoch: time.Now(),
	}
	r.lastWarn.Store(-int64(warnEvery)) // the first failure warns at once
	return r
}

// Fallbacks returns how many calls the fallback has answered because
// Redis failed or was being skipped after a failure; for metrics and
// tests. Calls whose own context ended are not counted: that is the
// caller leaving, not Redis failing.
func (r *Redis) Fallbacks() int64 { return r.fallbacks.Load() }

// Take consumes one unit of key's budget under rate, or reports how long
// until one frees.
func (r *Redis) Take(ctx context.Context, key string, rate core.Rate) (bool, time.Duration, error) {
	return r.run(ctx, key, rate, true)
}

// Peek reports what Take would answer, without consuming anything.
func (r *Redis) Peek(ctx context.Context, key string, rate core.Rate) (bool, time.Duration, error) {
	return r.run(ctx, key, rate, false)
}

// Reset forgets key in Redis and in the fallback. The fallback is always
// cleared so that failures it counted during an earlier outage cannot
// resurface in the next one after the customer has since logged in.
func (r *Redis) Reset(ctx context.Context, key string) error {
	if r.fallback != nil {
		if err := r.fallback.Reset(ctx, key); err != nil {
			return err
		}
	}
	_, err := call(ctx, r, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, r.client.Del(ctx, r.prefix+key).Err()
	})
	if err != nil && r.fallback == nil {
		return fmt.Errorf("ratelimit: redis reset: %w", err)
	}
	return nil
}

func (r *Redis) run(ctx context.Context, key string, rate core.Rate, take bool) (bool, time.Duration, error) {
	t, err := interval(rate)
	if err != nil {
		return false, 0, err
	}
	tUS, windowUS := t/time.Microsecond, rate.Window/time.Microsecond
	if tUS < 1 {
		// Truncated to zero, T would allow everything; more than a
		// million events a second is no rule this service has.
		return false, 0, fmt.Errorf("%w: %d per %v is finer than Redis's microseconds", ErrInvalidRate, rate.Limit, rate.Window)
	}
	mode := "0"
	if take {
		mode = "1"
	}
	res, err := call(ctx, r, func(ctx context.Context) ([]int64, error) {
		res, err := gcraScript.Run(ctx, r.client, []string{r.prefix + key}, int64(tUS), int64(windowUS), mode).Int64Slice()
		if err == nil && len(res) != 2 {
			err = fmt.Errorf("ratelimit: redis script returned %v", res)
		}
		return res, err
	})
	if err != nil {
		if r.fallback == nil {
			return false, 0, fmt.Errorf("ratelimit: redis: %w", err)
		}
		if take {
			return r.fallback.Take(ctx, key, rate)
		}
		return r.fallback.Peek(ctx, key, rate)
	}
	return res[0] == 1, time.Duration(res[1]) * time.Microsecond, nil
}

// errSkipped stands for the failure that started the current skip period.
var errSkipped = errors.New("ratelimit: redis skipped after a recent failure")

// call runs f against Redis under r's timeout and does the bookkeeping of
// failures: it counts them, logs them (spaced out), and starts a skip
// period. Any error means "use the fallback".
//
// f runs on its own goroutine so that the timeout holds even when the
// client ignores contexts while reading (go-redis without
// ContextTimeoutEnabled): the caller moves on, and the goroutine ends when
// the client gives up. The skip period bounds how many such goroutines a
// hung Redis can leave behind.
func call[T any](ctx context.Context, r *Redis, f func(context.Context) (T, error)) (T, error) {
	var zero T
	now := r.since()
	if now < r.skipUntil.Load() {
		r.fallbacks.Add(1)
		return zero, errSkipped
	}
	cctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1) // buffered: a late f must not block forever
	go func() {
		v, err := f(cctx)
		done <- result{v, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-cctx.Done():
		res.err = cctx.Err()
	}
	if res.err == nil {
		if r.degraded.Load() && r.degraded.CompareAndSwap(true, false) {
			r.log.Info("ratelimit: Redis answers again; limits are shared across nodes")
		}
		return res.v, nil
	}
	if ctx.Err() != nil {
		// The caller gave up (client disconnected, shutdown): Redis may be
		// fine, so neither count it nor skip Redis for everyone else.
		return zero, res.err
	}
	r.fallbacks.Add(1)
	r.degraded.Store(true)
	r.skipUntil.Store(r.since() + int64(r.skipFor))
	r.warn(now, res.err)
	return zero, res.err
}

// warn logs a Redis failure unless one was logged within warnEvery.
func (r *Redis) warn(now int64, err error) {
	last := r.lastWarn.Load()
	if now-last < int64(r.warnEvery) || !r.lastWarn.CompareAndSwap(last, now) {
		return
	}
	msg := "ratelimit: Redis unavailable; limits are per node until it answers"
	if r.fallback == nil {
		msg = "ratelimit: Redis unavailable and no fallback; requests are not limited"
	}
	r.log.Warn(msg, "err", err, "fallbacks", r.fallbacks.Load())
}

// since reads the monotonic clock, immune to wall-clock steps, as ns.
func (r *Redis) since() int64 { return int64(time.Since(r.epoch)) }
