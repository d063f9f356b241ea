package mail

import (
	"context"
	"slices"
	"sync"

	"github.com/clientele/clientele/internal/core"
)

// Recorder is a [core.Mailer] for tests, in a regular file so other
// packages' tests can use it. Mail is sent from a background queue, so a
// test must wait for it; Wait blocks on a signal instead of sleeping.
type Recorder struct {
	mu      sync.Mutex
	msgs    []core.Message
	changed chan struct{} // closed and replaced on every Send
}

var _ core.Mailer = (*Recorder)(nil)

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder {
	return &Recorder{changed: make(chan struct{})}
}

// Send records m and wakes every waiter. It records even when ctx is done,
// so what a test sees does not depend on how the caller's context ended.
func (r *Recorder) Send(_ context.Context, m core.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	close(r.changed)
	r.changed = make(chan struct{})
	return nil
}

// Messages returns a copy of what was recorded so far, oldest first.
func (r *Recorder) Messages() []core.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.msgs)
}

// Wait blocks until at least n messages were recorded and returns them
// all. When ctx ends first it returns what was recorded with ctx's error,
// so a failing test can print what did arrive.
func (r *Recorder) Wait(ctx context.Context, n int) ([]core.Message, error) {
	for {
		r.mu.Lock()
		if len(r.msgs) >= n {
			msgs := slices.Clone(r.msgs)
			r.mu.Unlock()
			return msgs, nil
		}
		changed := r.changed
		r.mu.Unlock()

		select {
		case <-changed:
		case <-ctx.Done():
			return r.Messages(), ctx.Err()
		}
	}
}
