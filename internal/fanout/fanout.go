// Package fanout carries session revocations between nodes over Redis
// pub/sub, so a logout on one node reaches the access tokens checked on
// every other node within a second instead of at the next database poll.
//
// Delivery is best effort on purpose: pub/sub drops messages for a
// subscriber that is disconnected, and nothing here tries to replay them.
// Each node's database poll (core.Service.SyncRevocations) is the
// guarantee; this is only the fast path.
package fanout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clientele/clientele/internal/core"
)

const (
	// healthCheck: a subscription idle this long is probed with a PING.
	// A connection that died silently (peer gone, NAT entry expired) never
	// errors on its own; without a probe the node would stop hearing
	// revocations for good. Two silent intervals mean dead.
	healthCheck = 5 * time.Second
	// Re-subscribe backoff: quick at first, since most drops are a Redis
	// restart or failover, and capped so a node rejoins soon after an
	// outage ends without hammering a Redis that is struggling.
	minBackoff = 50 * time.Millisecond
	maxBackoff = 2 * time.Second
)

// wireMessage is the message on the channel. Times are Unix microseconds:
// integers survive any JSON decoder, and finer precision serves no one.
type wireMessage struct {
	SID string `json:"sid"`
	At  int64  `json:"at"`
}

// RedisBus is a [core.RevocationBus] on a Redis pub/sub channel. Every
// node publishes and subscribes on the same channel with its own bus.
type RedisBus struct {
	client  redis.UniversalClient
	channel string
	log     *slog.Logger

	healthCheck            time.Duration
	minBackoff, maxBackoff time.Duration
	onSubscribed           func() // test hook: after each confirmed SUBSCRIBE
	onPong                 func() // test hook: after each health-check reply

	healthy   atomic.Bool
	ready     chan struct{}
	readyOnce sync.Once
}

var _ core.RevocationBus = (*RedisBus)(nil)

// NewRedisBus returns a bus on channel. log receives outage and malformed
// message reports (slog.Default() when nil).
func NewRedisBus(client redis.UniversalClient, channel string, log *slog.Logger) *RedisBus {
	if log == nil {
		log = slog.Default()
	}
	return &RedisBus{
		client: client, channel: channel, log: log,
		healthCheck: healthCheck, minBackoff: minBackoff, maxBackoff: maxBackoff,
		ready: make(chan struct{}),
	}
}

// Publish sends r to every subscribed node, including this one. An error
// means no node heard it; the caller logs it and relies on the poll.
func (b *RedisBus) Publish(ctx context.Context, r core.Revocation) error {
	if r.SessionID == "" {
		return errors.New("fanout: revocation without a session id")
	}
	payload, err := json.Marshal(wireMessage{SID: r.SessionID, At: r.RevokedAt.UnixMicro()})
	if err != nil {
		return fmt.Errorf("fanout: %w", err)
	}
	if err := b.client.Publish(ctx, b.channel, payload).Err(); err != nil {
		b.healthy.Store(false)
		return fmt.Errorf("fanout: publish: %w", err)
	}
	b.healthy.Store(true)
	return nil
}

// Healthy reports whether the last exchange with Redis (a publish, or the
// subscription's confirmation, message or health-check reply) succeeded,
// for /readyz to report Redis as degraded. It is false until the first one.
func (b *RedisBus) Healthy() bool { return b.healthy.Load() }

// Ready is closed once Subscribe's first SUBSCRIBE is confirmed: from then
// on, messages published on the channel reach handle. Tests wait on it
// instead of sleeping; a node needs not, as the database poll covers the
// gap.
func (b *RedisBus) Ready() <-chan struct{} { return b.ready }

// Subscribe calls handle with each revocation published on the channel,
// one at a time on the calling goroutine, until ctx ends; then it returns
// ctx's error. A lost connection or an unreachable Redis never ends it:
// it logs once per outage and subscribes again with capped backoff.
// Messages that fail to decode are logged and skipped. handle should be
// quick (recording a revocation is), since it holds up the next message.
func (b *RedisBus) Subscribe(ctx context.Context, handle func(core.Revocation)) error {
	backoff := b.minBackoff
	inOutage := false
	up := func() {
		backoff = b.minBackoff
		if inOutage {
			inOutage = false
			b.log.Info("fanout: Redis subscription restored", "channel", b.channel)
		}
	}
	for {
		err := b.listen(ctx, handle, up)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.healthy.Store(false)
		if !inOutage {
			inOutage = true
			b.log.Warn("fanout: Redis subscription lost; retrying, and revocations from other nodes arrive by the database poll meanwhile",
				"channel", b.channel, "err", err)
		}
		// Jitter spreads the nodes' reconnections after a Redis restart.
		wait := backoff/2 + rand.N(backoff/2+1)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		backoff = min(2*backoff, b.maxBackoff)
	}
}

// listen runs one subscription until its connection fails or ctx ends,
// calling up after each confirmed SUBSCRIBE.
func (b *RedisBus) listen(ctx context.Context, handle func(core.Revocation), up func()) error {
	ps := b.client.Subscribe(ctx, b.channel)
	defer ps.Close()
	// A blocked read does not watch ctx; closing the connection ends it.
	stop := context.AfterFunc(ctx, func() { _ = ps.Close() })
	defer stop()

	pinged := false
	for {
		msg, err := ps.ReceiveTimeout(ctx, b.healthCheck)
		if err != nil {
			if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() && !pinged && ctx.Err() == nil {
				// Idle, not necessarily dead: the reply to this PING
				// (or its absence, by the next timeout) tells.
				if err := ps.Ping(ctx); err != nil {
					return err
				}
				pinged = true
				continue
			}
			return err
		}
		pinged = false
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" {
				b.healthy.Store(true)
				up()
				b.readyOnce.Do(func() { close(b.ready) })
				if b.onSubscribed != nil {
					b.onSubscribed()
				}
			}
		case *redis.Pong:
			b.healthy.Store(true)
			if b.onPong != nil {
				b.onPong()
			}
		case *redis.Message:
			b.deliver(m.Payload, handle)
		}
	}
}

// deliver decodes one message and hands it on. A malformed message is
// skipped rather than fatal: one bad publisher (an old version, a manual
// PUBLISH) must not stop revocations for everyone.
func (b *RedisBus) deliver(payload string, handle func(core.Revocation)) {
	var m wireMessage
	err := json.Unmarshal([]byte(payload), &m)
	if err == nil && (m.SID == "" || m.At <= 0) {
		err = errors.New("missing sid or at")
	}
	if err != nil {
		// The payload itself is not logged: it is whatever anyone with
		// access to Redis chose to send.
		b.log.Warn("fanout: ignoring malformed revocation message", "channel", b.channel, "bytes", len(payload), "err", err)
		return
	}
	handle(core.Revocation{SessionID: m.SID, RevokedAt: time.UnixMicro(m.At).UTC()})
}
