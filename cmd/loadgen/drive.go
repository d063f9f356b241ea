package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// result is the JSON report of one measured run.
type result struct {
	Scenario    string            `json:"scenario"`
	Mode        string            `json:"mode"` // open or closed
	TargetRate  float64           `json:"target_rate,omitempty"`
	Concurrency int               `json:"concurrency"`
	DurationS   float64           `json:"duration_s"`
	Sent        uint64            `json:"sent"`
	OK          uint64            `json:"ok"`
	Shed        uint64            `json:"shed"` // 429 and 503
	ShedNoRetry uint64            `json:"shed_without_retry_after"`
	Errors      uint64            `json:"errors"`   // other statuses and transport errors
	Timeouts    uint64            `json:"timeouts"` // client timeouts
	Skipped     uint64            `json:"skipped"`  // open loop: in-flight cap reached, not sent
	Goodput     float64           `json:"goodput_per_s"`
	Latency     latencyJSON       `json:"latency_ok"`
	ShedLatency latencyJSON       `json:"latency_shed"`
	ByOp        map[string]uint64 `json:"ok_by_op"`
	Statuses    map[string]uint64 `json:"statuses"`
	FirstErrors []string          `json:"first_errors,omitempty"`
}

type latencyJSON struct {
	MeanMS float64 `json:"mean_ms"`
	P50MS  float64 `json:"p50_ms"`
	P90MS  float64 `json:"p90_ms"`
	P99MS  float64 `json:"p99_ms"`
	P999MS float64 `json:"p999_ms"`
	MaxMS  float64 `json:"max_ms"`
}

func latencyOf(h *histogram) latencyJSON {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return latencyJSON{
		MeanMS: ms(h.mean()), P50MS: ms(h.quantile(0.50)), P90MS: ms(h.quantile(0.90)),
		P99MS: ms(h.quantile(0.99)), P999MS: ms(h.quantile(0.999)), MaxMS: ms(h.quantile(1)),
	}
}

// tally collects outcomes from every request goroutine.
type tally struct {
	sent, ok, shed, shedNoRetry, errs, timeouts, skipped atomic.Uint64
	okLat, shedLat                                       *histogram
	mu                                                   sync.Mutex
	byOp, statuses                                       map[string]uint64
	firstErrors                                          []string
}

func newTally() *tally {
	return &tally{okLat: newHistogram(), shedLat: newHistogram(), byOp: map[string]uint64{}, statuses: map[string]uint64{}}
}

func (t *tally) add(name string, r outcome, lat time.Duration) {
	t.sent.Add(1)
	t.mu.Lock()
	if r.status != 0 {
		t.statuses[fmt.Sprint(r.status)]++
	}
	t.mu.Unlock()
	switch {
	case r.timeout:
		t.timeouts.Add(1)
	case r.err != nil && r.status == 0:
		t.errs.Add(1)
		t.note(r.err.Error())
	case r.status >= 200 && r.status < 300:
		t.ok.Add(1)
		t.okLat.record(lat)
		t.mu.Lock()
		t.byOp[name]++
		t.mu.Unlock()
	case r.status == 429 || r.status == 503:
		t.shed.Add(1)
		t.shedLat.record(lat)
		if !r.retryAfter {
			t.shedNoRetry.Add(1)
		}
	default:
		t.errs.Add(1)
		t.note(fmt.Sprintf("%s: status %d", name, r.status))
	}
}

func (t *tally) note(msg string) {
	t.mu.Lock()
	if len(t.firstErrors) < 5 {
		t.firstErrors = append(t.firstErrors, msg)
	}
	t.mu.Unlock()
}

// drive runs the scenario for d and reports it; progress, when not nil,
// gets a line every second.
func drive(ctx context.Context, c *client, sc scenario, p *pool, o options, d time.Duration, progress io.Writer) result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	t := newTally()
	start := time.Now()
	stopProgress := make(chan struct{})
	if progress != nil && o.Progress {
		go func() {
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				select {
				case <-stopProgress:
					return
				case <-tick.C:
					el := time.Since(start).Seconds()
					fmt.Fprintf(progress, "t=%4.0fs sent=%d ok=%d (%.0f/s) shed=%d err=%d timeouts=%d p99=%s\n",
						el, t.sent.Load(), t.ok.Load(), float64(t.ok.Load())/el, t.shed.Load(), t.errs.Load(), t.timeouts.Load(), t.okLat.quantile(0.99))
				}
			}
		}()
	}
	// Requests get their own context, so the ones in flight when the run
	// ends finish and are counted, bounded by the client timeout.
	reqCtx := context.WithoutCancel(ctx)
	mode := "closed"
	var wg sync.WaitGroup
	if o.Rate > 0 {
		mode = "open"
		inflight := make(chan struct{}, o.Concurrency*64)
		interval := time.Duration(float64(time.Second) / o.Rate)
		next := time.Now()
	loop:
		for {
			next = next.Add(interval)
			if w := time.Until(next); w > 0 {
				select {
				case <-ctx.Done():
					break loop
				case <-time.After(w):
				}
			} else if ctx.Err() != nil {
				break
			}
			scheduled := next
			select {
			case inflight <- struct{}{}:
			default:
				t.skipped.Add(1)
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-inflight }()
				name, r := sc.op(reqCtx, c, p)
				t.add(name, r, time.Since(scheduled))
			}()
		}
	} else {
		for range o.Concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					s := time.Now()
					name, r := sc.op(reqCtx, c, p)
					t.add(name, r, time.Since(s))
				}
			}()
		}
	}
	wg.Wait()
	close(stopProgress)
	el := time.Since(start).Seconds()
	t.mu.Lock()
	defer t.mu.Unlock()
	res := result{
		Scenario: o.Scenario, Mode: mode, TargetRate: o.Rate, Concurrency: o.Concurrency, DurationS: el,
		Sent: t.sent.Load(), OK: t.ok.Load(), Shed: t.shed.Load(), ShedNoRetry: t.shedNoRetry.Load(), Errors: t.errs.Load(),
		Timeouts: t.timeouts.Load(), Skipped: t.skipped.Load(), Goodput: float64(t.ok.Load()) / el,
		Latency: latencyOf(t.okLat), ShedLatency: latencyOf(t.shedLat), ByOp: t.byOp, Statuses: t.statuses,
		FirstErrors: t.firstErrors,
	}
	sort.Strings(res.FirstErrors)
	return res
}
