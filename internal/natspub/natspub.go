// Package natspub publishes Clientele's outbox events to NATS JetStream
// (--nats). It implements core.EventPublisher; core decides what to publish
// and when, and records it, so this package only speaks NATS: subjects,
// the stream, and deduplication by event id.
package natspub

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/clientele/clientele/internal/core"
)

// Defaults of Options.
const (
	DefaultStream = "CLIENTELE"
	DefaultPrefix = "clientele"
)

// Options configure a Publisher.
type Options struct {
	URL    string // nats:// or tls:// URL; several may be comma-separated
	Stream string // JetStream stream name (default DefaultStream)
	// Prefix is the first subject token (default DefaultPrefix): events go
	// to <Prefix>.<store id>.<event type>, and the stream captures
	// <Prefix>.>. Tests set their own so their streams do not overlap.
	Prefix string
	// Name is the connection name the NATS server shows (monitoring).
	Name string
}

// Publisher puts events on a JetStream stream. It connects in the
// background and reconnects for ever, so a NATS outage at start or later
// never stops the process: publishes fail meanwhile and the caller's
// events stay in the outbox until a later round.
type Publisher struct {
	nc     *nats.Conn
	js     jetstream.JetStream
	stream string
	prefix string

	mu    sync.Mutex // serialises EnsureStream
	ready bool       // the stream is known to capture our subjects; guarded by mu
}

// New connects (or keeps trying to, in the background) and returns a
// Publisher. Only a malformed URL or option fails here.
func New(o Options) (*Publisher, error) {
	if o.Stream == "" {
		o.Stream = DefaultStream
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	nc, err := nats.Connect(o.URL,
		nats.Name(o.Name),
		// Do not fail start-up, nor give up, while NATS is away.
		nats.RetryOnFailedConnect(true),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		// No reconnect buffer: a publish while disconnected fails at once
		// instead of sitting in a buffer the process may die with; the
		// event is still in the outbox and is retried.
		nats.ReconnectBufSize(-1),
	)
	if err != nil {
		// Not the URL: it may carry a user and password.
		return nil, fmt.Errorf("natspub: connect: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("natspub: %w", err)
	}
	return &Publisher{nc: nc, js: js, stream: o.Stream, prefix: o.Prefix}, nil
}

// Subject is where an event of typ from a store goes.
func (p *Publisher) Subject(shopID, typ string) string {
	return p.prefix + "." + shopID + "." + typ
}

// EnsureStream creates the stream with the subjects <prefix>.> if it is
// absent, and adds those subjects to it if it exists without them; other
// settings an operator gave the stream (retention, replicas, limits) are
// kept. Publish calls it until it succeeds once, and again after the
// stream is found missing.
func (p *Publisher) EnsureStream(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ready {
		return nil
	}
	want := p.prefix + ".>"
	s, err := p.js.Stream(ctx, p.stream)
	switch {
	case errors.Is(err, jetstream.ErrStreamNotFound):
		_, err = p.js.CreateStream(ctx, jetstream.StreamConfig{
			Name: p.stream, Subjects: []string{want},
			Description: "Clientele account events (see the README, Events on NATS)",
		})
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			// Another node created it meanwhile; check its subjects anew.
			if s, err = p.js.Stream(ctx, p.stream); err == nil {
				err = p.update(ctx, s, want)
			}
		}
	case err == nil:
		err = p.update(ctx, s, want)
	}
	if err != nil {
		return fmt.Errorf("natspub: stream %s: %w", p.stream, err)
	}
	p.ready = true
	return nil
}

// update adds want to the stream's subjects when missing.
func (p *Publisher) update(ctx context.Context, s jetstream.Stream, want string) error {
	cfg := s.CachedInfo().Config
	if slices.Contains(cfg.Subjects, want) {
		return nil
	}
	cfg.Subjects = append(cfg.Subjects, want)
	_, err := p.js.UpdateStream(ctx, cfg)
	return err
}

// Publish stores one event on the stream and returns once JetStream has
// acknowledged it. The Nats-Msg-Id header is the event id, so a retry
// within the stream's duplicate window (2 minutes by default) is dropped
// by the server, and an acknowledgement of such a duplicate counts as
// success. The message must land in our stream (expected-stream header),
// not in another that happens to capture the subject.
func (p *Publisher) Publish(ctx context.Context, m core.EventMessage) error {
	if err := p.EnsureStream(ctx); err != nil {
		return err
	}
	msg := &nats.Msg{Subject: p.Subject(m.ShopID, m.Type), Data: m.Body, Header: nats.Header{}}
	msg.Header.Set(jetstream.MsgIDHeader, m.ID)
	if _, err := p.js.PublishMsg(ctx, msg, jetstream.WithExpectStream(p.stream)); err != nil {
		if errors.Is(err, jetstream.ErrNoStreamResponse) || errors.Is(err, jetstream.ErrStreamNotFound) {
			// Deleted or changed under us: recreate before the next try.
			p.mu.Lock()
			p.ready = false
			p.mu.Unlock()
		}
		return fmt.Errorf("natspub: publish %s to %s: %w", m.ID, msg.Subject, err)
	}
	return nil
}

// State is the connection's state for /readyz: "ok" while connected,
// "down" otherwise (the node still serves; events wait in the outbox).
func (p *Publisher) State() string {
	if p.nc.IsConnected() {
		return "ok"
	}
	return "down"
}

// Close closes the connection; a publish under way fails and its event is
// retried from the outbox by the next round on any node.
func (p *Publisher) Close() { p.nc.Close() }
