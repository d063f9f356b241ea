package core

import (
	"context"
	"time"
)

// background runs request work that must not show in the response time
// (see RequestPasswordReset). At most limit jobs run at once; past that a
// request waits up to backgroundMaxWait for a slot and is then shed with an
// OverloadError. Both happen before any account-specific work, so neither
// tells anything about the account asked for.
type background struct {
	slots chan struct{} // one token per running job
}

// backgroundJobs bounds concurrent background jobs: each holds a database
// connection for a moment, and an attacker must not be able to queue an
// unbounded number of them.
const backgroundJobs = 64

// backgroundMaxWait bounds how long a request waits for a free slot.
const backgroundMaxWait = time.Second

// backgroundDelay is how long a job waits before it starts, so that it does
// not compete for a CPU with the answer to the request that started it: on
// a busy 2-core host a job starting at once slowed the 202 of a known
// account's reset request by a third, a measurable difference.
const backgroundDelay = 10 * time.Millisecond

// backgroundTimeout bounds one job; the request that started it is gone.
const backgroundTimeout = 30 * time.Second

func newBackground(limit int) *background {
	return &background{slots: make(chan struct{}, limit)}
}

// run starts fn on its own goroutine with ctx's values but not its
// cancellation, or sheds when no slot frees up in time.
func (b *background) run(ctx context.Context, fn func(ctx context.Context)) error {
	select {
	case b.slots <- struct{}{}:
	default:
		t := time.NewTimer(backgroundMaxWait)
		defer t.Stop()
		select {
		case b.slots <- struct{}{}:
		case <-t.C:
			return overloaded()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	time.AfterFunc(backgroundDelay, func() {
		defer func() { <-b.slots }()
		jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), backgroundTimeout)
		defer cancel()
		fn(jctx)
	})
	return nil
}

// wait blocks until every started job has finished or ctx ends, by taking
// every slot (jobs started meanwhile are shed) and giving them back.
func (b *background) wait(ctx context.Context) error {
	held := 0
	defer func() {
		for range held {
			<-b.slots
		}
	}()
	for held < cap(b.slots) {
		select {
		case b.slots <- struct{}{}:
			held++
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Drain waits for the background work of earlier requests (reset requests
// being issued) to finish, or for ctx to end. Call it before closing the
// store and the mailer, so no accepted request is lost on shutdown.
func (s *Service) Drain(ctx context.Context) error { return s.background.wait(ctx) }
