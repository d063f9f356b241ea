package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// Errors from [Queue.Send]. The message is dropped (and logged) in both
// cases; callers usually just log too, because failing a request that has
// already committed its change would be worse than a missing notice.
var (
	// ErrQueueFull: the buffer is full; mail is arriving faster than the
	// sink delivers it, and waiting would make the request pay for that.
	ErrQueueFull = errors.New("mail: queue full")
	// ErrQueueClosed: the service is shutting down.
	ErrQueueClosed = errors.New("mail: queue closed")
)

// deliveryTimeout bounds one delivery with its retries (SMTP tries three
// times), so a hung mail server delays the messages behind it by at most
// this much.
const deliveryTimeout = 60 * time.Second

// Queue is an asynchronous, bounded [core.Mailer] in front of a real sink.
// Request latency must never depend on mail (SECURITY.md: a reset for an
// unknown address must take as long as one for a known address), so Send
// only enqueues, and a single worker delivers in order.
type Queue struct {
	sink    core.Mailer
	logger  *slog.Logger
	timeout time.Duration

	mu     sync.RWMutex // orders Send against Close closing jobs
	closed bool
	jobs   chan job

	abort  context.Context // cancelled when Close stops waiting for the drain
	cancel context.CancelFunc
	done   chan struct{} // closed when the worker has exited
}

var _ core.Mailer = (*Queue)(nil)

type job struct {
	ctx context.Context // the caller's values without its cancellation
	m   core.Message
}

// NewQueue starts a queue holding up to size messages (at least 1) that
// delivers them to sink, logging failures to logger (slog.Default() when
// nil). Call Close to stop it.
func NewQueue(sink core.Mailer, logger *slog.Logger, size int) *Queue {
	if logger == nil {
		logger = slog.Default()
	}
	size = max(size, 1)
	abort, cancel := context.WithCancel(context.Background())
	q := &Queue{
		sink:    sink,
		logger:  logger,
		timeout: deliveryTimeout,
		jobs:    make(chan job, size),
		abort:   abort,
		cancel:  cancel,
		done:    make(chan struct{}),
	}
	go q.run()
	return q
}

// Send enqueues m without blocking. The delivery keeps ctx's values (a
// request id for the logs) but not its cancellation or deadline: the
// request is usually over by the time the mail goes out, and that must
// not drop the mail.
func (q *Queue) Send(ctx context.Context, m core.Message) error {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		q.logDropped(ctx, "mail dropped: queue closed", m)
		return ErrQueueClosed
	}
	select {
	case q.jobs <- job{ctx: context.WithoutCancel(ctx), m: m}:
		return nil
	default:
		q.logDropped(ctx, "mail dropped: queue full", m)
		return ErrQueueFull
	}
}

// Close stops accepting messages and waits until those already queued are
// delivered or ctx is done. In the latter case it cancels the delivery in
// progress, drops (and logs) the rest, and returns ctx's error. Calling
// Close again is safe.
func (q *Queue) Close(ctx context.Context) error {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.jobs)
	}
	q.mu.Unlock()

	select {
	case <-q.done:
		return nil
	case <-ctx.Done():
		q.cancel()
		return fmt.Errorf("mail: queue not drained: %w", ctx.Err())
	}
}

func (q *Queue) run() {
	defer close(q.done)
	defer q.cancel() // releases the abort context's resources
	for j := range q.jobs {
		if q.abort.Err() != nil {
			q.logDropped(j.ctx, "mail dropped: queue closed before delivery", j.m)
			continue
		}
		q.deliver(j)
	}
}

func (q *Queue) deliver(j job) {
	ctx, cancel := context.WithTimeout(j.ctx, q.timeout)
	defer cancel()
	stop := context.AfterFunc(q.abort, cancel)
	defer stop()

	if err := q.send(ctx, j.m); err != nil {
		q.logger.LogAttrs(j.ctx, slog.LevelError, "mail delivery failed",
			slog.String("kind", j.m.Kind),
			slog.String("to", mask(j.m.To)),
			slog.Any("error", err),
		)
	}
}

// send turns a panicking sink into an error: one bad message must not take
// the worker, and with it all later mail, down.
func (q *Queue) send(ctx context.Context, m core.Message) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("mail: sink panicked: %v", r)
		}
	}()
	return q.sink.Send(ctx, m)
}

func (q *Queue) logDropped(ctx context.Context, msg string, m core.Message) {
	q.logger.LogAttrs(ctx, slog.LevelWarn, msg,
		slog.String("kind", m.Kind),
		slog.String("to", mask(m.To)),
	)
}
