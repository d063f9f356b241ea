package core

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

// A caller whose predicted wait is past MaxWait is shed at once, without
// waiting: with an hour's MaxWait and 40 minutes a hash, the first waiter
// (predicted 40 min) queues and the second (80 min) is refused while the
// slot is still held. A gate that waited would hang this test.
func TestWorkGateShedsPredictedLongWaits(t *testing.T) {
	g := newWorkGate(WorkLimits{Slots: 1, Queue: 16, MaxWait: time.Hour})
	g.avg.Store(int64(40 * time.Minute))
	entered, release := make(chan struct{}), make(chan struct{})
	holder := make(chan error, 1)
	go func() { holder <- g.do(context.Background(), func() { close(entered); <-release }) }()
	<-entered

	queued := make(chan error, 1)
	go func() { queued <- g.do(context.Background(), func() {}) }()
	for g.waiting.Load() != 1 {
		runtime.Gosched()
	}

	var oe *OverloadError
	if err := g.do(context.Background(), func() { t.Error("ran past a full prediction") }); !errors.As(err, &oe) {
		t.Fatalf("second waiter: %v, want an OverloadError at once", err)
	}
	if g.shed.Load() != 1 || g.waiting.Load() != 1 {
		t.Fatalf("shed %d waiting %d, want 1 and 1", g.shed.Load(), g.waiting.Load())
	}
	close(release)
	if err := <-holder; err != nil {
		t.Fatal(err)
	}
	if err := <-queued; err != nil {
		t.Fatalf("the waiter within its prediction: %v", err)
	}
}

// The moving average starts at the first observation and then moves an
// eighth of the way to each new one.
func TestWorkGateAverage(t *testing.T) {
	g := newWorkGate(WorkLimits{})
	for _, c := range []struct {
		obs, want time.Duration
	}{{80 * time.Millisecond, 80 * time.Millisecond}, {160 * time.Millisecond, 90 * time.Millisecond}, {10 * time.Millisecond, 80 * time.Millisecond}} {
		g.observe(c.obs)
		if got := time.Duration(g.avg.Load()); got != c.want {
			t.Fatalf("after %v: %v, want %v", c.obs, got, c.want)
		}
	}
}

// full tells a caller it would be shed only while every slot is busy and
// the queue cannot take it in time; shedEarly counts the shed.
func TestWorkGateFull(t *testing.T) {
	for _, tc := range []struct {
		name          string
		busy, waiting int
		queue         int
		avg           time.Duration
		want          bool
	}{
		{"slot_free", 1, 0, 0, time.Hour, false},
		{"busy_queue_room_short_wait", 2, 1, 4, time.Millisecond, false},
		{"busy_queue_full", 2, 4, 4, time.Millisecond, true},
		{"busy_no_queue", 2, 0, 0, 0, true},
		{"busy_predicted_wait_too_long", 2, 1, 16, time.Second, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newWorkGate(WorkLimits{Slots: 2, Queue: tc.queue, MaxWait: 150 * time.Millisecond})
			for range tc.busy {
				g.slots <- struct{}{}
			}
			g.waiting.Store(int64(tc.waiting))
			g.avg.Store(int64(tc.avg))
			if got := g.full(); got != tc.want {
				t.Fatalf("full() = %v, want %v", got, tc.want)
			}
			err := g.shedEarly()
			var oe *OverloadError
			if tc.want != errors.As(err, &oe) || g.shed.Load() != map[bool]int64{true: 1}[tc.want] {
				t.Fatalf("shedEarly() = %v with shed count %d, want shed %v", err, g.shed.Load(), tc.want)
			}
		})
	}
}
