package mail_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mail"
)

// sinkFunc adapts a function to core.Mailer.
type sinkFunc func(context.Context, core.Message) error

func (f sinkFunc) Send(ctx context.Context, m core.Message) error { return f(ctx, m) }

// gate is a sink whose deliveries start visibly and finish only when the
// test says so, which lets tests fill the queue deterministically.
type gate struct {
	started chan core.Message // one value as each delivery begins
	release chan struct{}     // one receive per delivery; close to let all through
	rec     *mail.Recorder
}

func newGate() *gate {
	return &gate{started: make(chan core.Message, 100), release: make(chan struct{}), rec: mail.NewRecorder()}
}

func (g *gate) Send(ctx context.Context, m core.Message) error {
	g.started <- m
	select {
	case <-g.release:
		return g.rec.Send(ctx, m)
	case <-ctx.Done():
		return ctx.Err()
	}
}

func msg(kind string) core.Message {
	return core.Message{To: "jane@example.com", Subject: "s", Text: resetLink, Kind: kind}
}

func kinds(msgs []core.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Kind)
	}
	return out
}

func TestQueueDeliversInOrder(t *testing.T) {
	rec := mail.NewRecorder()
	logger, _ := newLogger()
	q := mail.NewQueue(rec, logger, 10)
	want := []string{"k1", "k2", "k3", "k4", "k5"}
	for _, k := range want {
		if err := q.Send(testCtx(t), msg(k)); err != nil {
			t.Fatalf("Send(%s): %v", k, err)
		}
	}
	got, err := rec.Wait(testCtx(t), len(want))
	if err != nil || !slices.Equal(kinds(got), want) {
		t.Fatalf("delivered %v (%v), want %v", kinds(got), err, want)
	}
	if err := q.Close(testCtx(t)); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func TestQueueFullReturnsErrorWithoutBlocking(t *testing.T) {
	g := newGate()
	logger, logs := newLogger()
	q := mail.NewQueue(g, logger, 1)

	if err := q.Send(testCtx(t), msg("in-flight")); err != nil {
		t.Fatal(err)
	}
	<-g.started // the worker holds the first message, the buffer is empty
	if err := q.Send(testCtx(t), msg("buffered")); err != nil {
		t.Fatal(err)
	}

	// The buffer is full and the sink is stuck: Send must still return.
	done := make(chan error, 1)
	go func() { done <- q.Send(testCtx(t), msg("dropped")) }()
	select {
	case err := <-done:
		if !errors.Is(err, mail.ErrQueueFull) {
			t.Fatalf("Send on a full queue = %v, want ErrQueueFull", err)
		}
	case <-time.After(5 * time.Second): // a failure guard, not synchronisation
		t.Fatal("Send blocked on a full queue")
	}
	out := logs.String()
	if !strings.Contains(out, "queue full") || !strings.Contains(out, "j***@example.com") || strings.Contains(out, "jane@") {
		t.Errorf("drop not logged with a masked recipient:\n%s", out)
	}

	close(g.release)
	if err := q.Close(testCtx(t)); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := kinds(g.rec.Messages()); !slices.Equal(got, []string{"in-flight", "buffered"}) {
		t.Errorf("delivered %v", got)
	}
}

func TestQueueCloseDrains(t *testing.T) {
	g := newGate()
	logger, _ := newLogger()
	q := mail.NewQueue(g, logger, 10)
	want := []string{"a", "b", "c", "d", "e"}
	for _, k := range want {
		if err := q.Send(testCtx(t), msg(k)); err != nil {
			t.Fatal(err)
		}
	}
	<-g.started // one delivery is in progress while Close starts

	closed := make(chan error, 1)
	go func() { closed <- q.Close(testCtx(t)) }()
	close(g.release)
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	// Close returned, so everything queued has been delivered.
	if got := kinds(g.rec.Messages()); !slices.Equal(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
	if err := q.Send(testCtx(t), msg("late")); !errors.Is(err, mail.ErrQueueClosed) {
		t.Errorf("Send after Close = %v, want ErrQueueClosed", err)
	}
	if err := q.Close(testCtx(t)); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestQueueCloseGivesUpWhenCtxEnds(t *testing.T) {
	g := newGate() // never released: the sink hangs
	logger, logs := newLogger()
	q := mail.NewQueue(g, logger, 10)
	for _, k := range []string{"stuck", "left-1", "left-2"} {
		if err := q.Send(testCtx(t), msg(k)); err != nil {
			t.Fatal(err)
		}
	}
	<-g.started

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := q.Close(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close = %v, want context.Canceled", err)
	}
	// Giving up cancels the stuck delivery, and the worker drops the rest.
	select {
	case <-mail.QueueDone(q):
	case <-testCtx(t).Done():
		t.Fatal("worker did not stop after Close gave up")
	}
	out := logs.String()
	if n := strings.Count(out, "mail delivery failed"); n != 1 {
		t.Errorf("logged %d failed deliveries, want 1:\n%s", n, out)
	}
	if n := strings.Count(out, "queue closed before delivery"); n != 2 {
		t.Errorf("logged %d dropped messages, want 2:\n%s", n, out)
	}
	if got := g.rec.Messages(); len(got) != 0 {
		t.Errorf("delivered %v after giving up", kinds(got))
	}
}

type ctxKey struct{}

func TestQueueDetachesDeliveryFromCaller(t *testing.T) {
	type seen struct {
		err      error
		value    any
		deadline time.Duration
	}
	got := make(chan seen, 1)
	logger, _ := newLogger()
	q := mail.NewQueue(sinkFunc(func(ctx context.Context, _ core.Message) error {
		dl, _ := ctx.Deadline()
		got <- seen{ctx.Err(), ctx.Value(ctxKey{}), time.Until(dl)}
		return nil
	}), logger, 1)
	mail.SetQueueTimeout(q, time.Minute)

	// The request is over (cancelled) before the mail goes out.
	ctx, cancel := context.WithCancel(context.WithValue(t.Context(), ctxKey{}, "req-1"))
	cancel()
	if err := q.Send(ctx, msg("notice")); err != nil {
		t.Fatal(err)
	}
	s := <-got
	if s.err != nil {
		t.Errorf("delivery context is done (%v): request cancellation dropped the mail", s.err)
	}
	if s.value != "req-1" {
		t.Errorf("delivery context lost the caller's values: %v", s.value)
	}
	if s.deadline <= 0 || s.deadline > time.Minute {
		t.Errorf("delivery deadline in %v, want within the per-message timeout", s.deadline)
	}
	if err := q.Close(testCtx(t)); err != nil {
		t.Fatal(err)
	}
}

func TestQueueSurvivesFailingSink(t *testing.T) {
	rec := mail.NewRecorder()
	logger, logs := newLogger()
	q := mail.NewQueue(sinkFunc(func(ctx context.Context, m core.Message) error {
		switch m.Kind {
		case "panics":
			panic("boom")
		case "fails":
			return errors.New("550 mailbox unavailable")
		}
		return rec.Send(ctx, m)
	}), logger, 10)
	for _, k := range []string{"panics", "fails", "ok"} {
		if err := q.Send(testCtx(t), msg(k)); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := rec.Wait(testCtx(t), 1); err != nil || got[0].Kind != "ok" {
		t.Fatalf("delivered %v (%v) after failures", kinds(got), err)
	}
	if err := q.Close(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if strings.Count(out, "mail delivery failed") != 2 || !strings.Contains(out, "panicked") || strings.Contains(out, "abc_DEF") {
		t.Errorf("failures not logged as expected:\n%s", out)
	}
}
