package core

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Background jobs run after the caller has returned, are bounded (the
// excess is shed with an OverloadError before any work), and Drain waits
// for the running ones.
func TestBackgroundBoundedAndDrained(t *testing.T) {
	b := newBackground(2)
	release := make(chan struct{})
	finished := make(chan int, 2)
	for i := range 2 {
		if err := b.run(context.Background(), func(context.Context) { <-release; finished <- i }); err != nil {
			t.Fatalf("job %d: %v", i, err)
		}
	}
	var oe *OverloadError
	if err := b.run(context.Background(), func(context.Context) { t.Error("a shed job ran") }); !errors.As(err, &oe) {
		t.Fatalf("third job: %v, want an OverloadError", err)
	}
	short, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := b.wait(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("wait with jobs running = %v, want the deadline", err)
	}
	close(release)
	if err := b.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(finished) != 2 {
		t.Fatalf("%d jobs finished after wait", len(finished))
	}
	// A job outlives the cancellation of the request that started it.
	ctx, stop := context.WithCancel(context.Background())
	got := make(chan error, 1)
	if err := b.run(ctx, func(jctx context.Context) { stop(); got <- jctx.Err() }); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("job context ended with the request: %v", err)
	}
}
