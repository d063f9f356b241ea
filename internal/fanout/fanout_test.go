package fanout_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/fanout"
	"github.com/clientele/clientele/internal/testenv"
)

// deadline bounds every wait on Redis (an external process); passing
// tests never come near it.
const deadline = 2 * time.Second

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

// newChannel returns a channel name no other test or parallel run uses.
func newChannel() string { return "clientele-test:revocations:" + rand.Text() }

// failFast: a refused connection fails at once, without go-redis's own
// dial retries, so refusals can be counted one per attempt.
func failFast(o *redis.Options) { o.MaxRetries, o.DialerRetries = -1, 1 }

type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) count(s string) int { return strings.Count(l.String(), s) }

func newLogger() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewTextHandler(b, nil)), b
}

// subscriber runs bus.Subscribe until the test ends, collecting what it
// delivers; done is closed when Subscribe returns, with its result in err.
type subscriber struct {
	got  chan core.Revocation
	done chan struct{}
	err  error
}

func subscribe(t *testing.T, bus *fanout.RedisBus) (*subscriber, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &subscriber{got: make(chan core.Revocation, 16), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		s.err = bus.Subscribe(ctx, func(r core.Revocation) { s.got <- r })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(deadline):
			t.Error("Subscribe did not return after its context ended")
		}
	})
	return s, cancel
}

// returned waits for Subscribe to return and checks it returned because
// its context ended.
func (s *subscriber) returned(t *testing.T) {
	t.Helper()
	wait(t, s.done, "Subscribe to return")
	if !errors.Is(s.err, context.Canceled) {
		t.Errorf("Subscribe returned %v, want context.Canceled", s.err)
	}
}

// running fails t if Subscribe has returned.
func (s *subscriber) running(t *testing.T) {
	t.Helper()
	select {
	case <-s.done:
		t.Fatalf("Subscribe returned %v while Redis was failing", s.err)
	default:
	}
}

func wait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(deadline):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

func (s *subscriber) expect(t *testing.T, want core.Revocation) {
	t.Helper()
	got := wait(t, s.got, "revocation "+want.SessionID)
	if got.SessionID != want.SessionID || !got.RevokedAt.Equal(want.RevokedAt) {
		t.Fatalf("received %+v, want %+v", got, want)
	}
}

func revocation(sid string) core.Revocation {
	// Microseconds: the wire precision.
	return core.Revocation{SessionID: sid, RevokedAt: time.Now().UTC().Truncate(time.Microsecond)}
}

func TestPublishReachesAnotherNode(t *testing.T) {
	channel := newChannel()
	a := fanout.NewRedisBus(newRedisClient(t), channel, nil)
	b := fanout.NewRedisBus(newRedisClient(t), channel, nil)
	sub, cancel := subscribe(t, b)
	wait(t, b.Ready(), "subscription")
	if !b.Healthy() {
		t.Error("subscribed bus not healthy")
	}

	for _, sid := range []string{"sess-1", "sess-2"} {
		r := revocation(sid)
		if err := a.Publish(t.Context(), r); err != nil {
			t.Fatal(err)
		}
		sub.expect(t, r)
	}
	if !a.Healthy() {
		t.Error("publishing bus not healthy")
	}

	cancel()
	sub.returned(t)
}

// The format is a contract between nodes of different versions.
func TestWireFormat(t *testing.T) {
	c := newRedisClient(t)
	channel := newChannel()
	ps := c.Subscribe(t.Context(), channel)
	defer ps.Close()
	if _, err := ps.Receive(t.Context()); err != nil { // the confirmation
		t.Fatal(err)
	}
	at := time.UnixMicro(1_750_000_000_123_456)
	if err := fanout.NewRedisBus(c, channel, nil).Publish(t.Context(), core.Revocation{SessionID: "s1", RevokedAt: at}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), deadline)
	defer cancel()
	msg, err := ps.ReceiveMessage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"sid":"s1","at":1750000000123456}`; msg.Payload != want {
		t.Errorf("payload %s, want %s", msg.Payload, want)
	}
}

func TestMalformedMessagesAreSkipped(t *testing.T) {
	c := newRedisClient(t)
	channel := newChannel()
	log, logs := newLogger()
	bus := fanout.NewRedisBus(newRedisClient(t), channel, log)
	sub, _ := subscribe(t, bus)
	wait(t, bus.Ready(), "subscription")

	bad := []string{
		"not json",
		`{"sid":"","at":1750000000000000}`,
		`{"sid":"s1"}`,
		`{"sid":"s1","at":-5}`,
		`{"sid":42,"at":1750000000000000}`,
		`{"sid":"s1","at":1.75e15}`,
		`["s1",1750000000000000]`,
	}
	for _, p := range bad {
		if err := c.Publish(t.Context(), channel, p).Err(); err != nil {
			t.Fatal(err)
		}
	}
	good := revocation("after-the-junk")
	if err := fanout.NewRedisBus(c, channel, nil).Publish(t.Context(), good); err != nil {
		t.Fatal(err)
	}
	// A channel delivers in order, so anything decoded from the junk would
	// arrive before this.
	sub.expect(t, good)
	if n := logs.count("malformed revocation message"); n != len(bad) {
		t.Errorf("%d malformed messages logged, want %d:\n%s", n, len(bad), logs)
	}
	if strings.Contains(logs.String(), "not json") {
		t.Error("the log repeats a message's payload")
	}
}

func TestPublishRejectsEmptySession(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: testenv.ClosedAddr(t)})
	defer c.Close()
	bus := fanout.NewRedisBus(c, newChannel(), nil)
	if err := bus.Publish(t.Context(), core.Revocation{RevokedAt: time.Now()}); err == nil {
		t.Error("published a revocation with no session id")
	}
}

func TestPublishWhileRedisIsDown(t *testing.T) {
	opt := &redis.Options{Addr: testenv.ClosedAddr(t)}
	failFast(opt)
	c := redis.NewClient(opt)
	defer c.Close()
	bus := fanout.NewRedisBus(c, newChannel(), nil)
	if err := bus.Publish(t.Context(), revocation("s1")); err == nil {
		t.Error("Publish to a dead Redis succeeded")
	}
	if bus.Healthy() {
		t.Error("Healthy() after a failed publish")
	}
}

// Subscribe started while Redis is down keeps retrying instead of
// returning, logs the outage once, and ends when its context does.
func TestSubscribeOutlastsUnreachableRedis(t *testing.T) {
	link := testenv.NewLink()
	link.Cut()
	opt := &redis.Options{Addr: testenv.ClosedAddr(t), Dialer: link.Dial}
	failFast(opt)
	c := redis.NewClient(opt)
	defer c.Close()
	log, logs := newLogger()
	bus := fanout.NewRedisBus(c, newChannel(), log)
	fanout.SetTiming(bus, time.Minute, time.Millisecond, 5*time.Millisecond)
	sub, cancel := subscribe(t, bus)

	for i := range 10 {
		wait(t, link.Refused(), "attempt "+strconv.Itoa(i))
	}
	sub.running(t)
	select {
	case <-bus.Ready():
		t.Fatal("Ready closed without a subscription")
	default:
	}
	if bus.Healthy() {
		t.Error("Healthy() with Redis unreachable")
	}
	if n := logs.count("subscription lost"); n != 1 {
		t.Errorf("%d outage warnings for one outage, want 1:\n%s", n, logs)
	}
	cancel()
	sub.returned(t)
}

func TestResubscribesAfterConnectionLoss(t *testing.T) {
	channel := newChannel()
	a := fanout.NewRedisBus(newRedisClient(t), channel, nil)
	link := testenv.NewLink()
	log, logs := newLogger()
	b := fanout.NewRedisBus(newRedisClient(t, failFast, func(o *redis.Options) { o.Dialer = link.Dial }), channel, log)
	fanout.SetTiming(b, time.Minute, time.Millisecond, 5*time.Millisecond)
	subscribed := make(chan struct{}, 16)
	fanout.OnSubscribed(b, func() { subscribed <- struct{}{} })
	sub, _ := subscribe(t, b)
	wait(t, subscribed, "first subscription")

	link.Cut()
	for i := range 5 { // retried several times, still running
		wait(t, link.Refused(), "attempt "+strconv.Itoa(i))
	}
	if b.Healthy() {
		t.Error("Healthy() during the outage")
	}
	sub.running(t)

	link.Restore()
	wait(t, subscribed, "re-subscription")
	if !b.Healthy() {
		t.Error("not Healthy() after re-subscribing")
	}
	r := revocation("after-outage")
	if err := a.Publish(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	sub.expect(t, r)
	if logs.count("subscription lost") != 1 || logs.count("subscription restored") != 1 {
		t.Errorf("want one outage warning and one recovery line:\n%s", logs)
	}
}

// A connection that goes silent without closing is found by the idle
// health check, and the bus subscribes again on a fresh one.
func TestResubscribesAfterSilentConnectionDeath(t *testing.T) {
	channel := newChannel()
	a := fanout.NewRedisBus(newRedisClient(t), channel, nil)
	link := testenv.NewLink()
	b := fanout.NewRedisBus(newRedisClient(t, func(o *redis.Options) { o.Dialer = link.Dial }), channel, slog.New(slog.DiscardHandler))
	// Long enough that a loaded machine's slow PONG is not mistaken for a
	// dead connection (which would drop the message published below).
	fanout.SetTiming(b, 250*time.Millisecond, time.Millisecond, 5*time.Millisecond)
	subscribed := make(chan struct{}, 16)
	fanout.OnSubscribed(b, func() { subscribed <- struct{}{} })
	sub, _ := subscribe(t, b)
	wait(t, subscribed, "first subscription")

	link.Stall()
	wait(t, subscribed, "re-subscription after the health check failed")
	r := revocation("after-stall")
	if err := a.Publish(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	sub.expect(t, r)
}

// An idle subscription is probed, and a live one answers: probing must
// not tear it down.
func TestIdleHealthCheckKeepsSubscription(t *testing.T) {
	channel := newChannel()
	b := fanout.NewRedisBus(newRedisClient(t), channel, nil)
	fanout.SetTiming(b, 100*time.Millisecond, time.Millisecond, 5*time.Millisecond)
	subscribed := make(chan struct{}, 16)
	fanout.OnSubscribed(b, func() { subscribed <- struct{}{} })
	pongs := make(chan struct{}, 1024)
	fanout.OnPong(b, func() {
		select {
		case pongs <- struct{}{}:
		default:
		}
	})
	sub, _ := subscribe(t, b)
	wait(t, subscribed, "subscription")
	for i := range 3 {
		wait(t, pongs, "health-check reply "+strconv.Itoa(i))
	}
	select {
	case <-subscribed:
		t.Fatal("re-subscribed although every health check was answered")
	default:
	}
	r := revocation("after-idle")
	if err := fanout.NewRedisBus(newRedisClient(t), channel, nil).Publish(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	sub.expect(t, r)
}
