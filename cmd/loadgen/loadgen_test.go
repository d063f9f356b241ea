package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testkit"
)

// Quantiles come back within the histogram's precision (1.6 %).
func TestHistogramQuantiles(t *testing.T) {
	h := newHistogram()
	for i := 1; i <= 10000; i++ {
		h.record(time.Duration(i) * 10 * time.Microsecond) // 10 µs … 100 ms, uniform
	}
	for _, tt := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.9, 90 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}} {
		got := h.quantile(tt.q)
		if rel := math.Abs(float64(got-tt.want)) / float64(tt.want); rel > 0.02 {
			t.Errorf("q%.2f = %s, want %s ± 2 %%", tt.q, got, tt.want)
		}
	}
	if h.count() != 10000 {
		t.Fatalf("count = %d", h.count())
	}
	big := newHistogram()
	big.record(10 * time.Minute) // beyond the top bucket: clamped, not lost
	if big.quantile(1) != 10*time.Minute {
		t.Fatalf("max = %s", big.quantile(1))
	}
}

// Every scenario runs against a real server and reports JSON with no
// errors. (A functional test: it asserts what happened, never how fast.)
func TestScenariosAgainstServer(t *testing.T) {
	k := testkit.New(t)
	for _, sc := range []string{"read", "refresh", "login", "mixed", "spree", "medusa"} {
		t.Run(sc, func(t *testing.T) {
			var out bytes.Buffer
			args := []string{"-url", k.Server.URL, "-pk", k.PK, "-scenario", sc, "-customers", "4", "-duration", "300ms", "-concurrency", "2", "-progress=false", "-timeout", "20s"}
			if sc == "read" {
				args = append(args, "-rate", "100") // open loop
			}
			if err := run(t.Context(), args, &out, io.Discard); err != nil {
				t.Fatal(err)
			}
			var r result
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatalf("%v: %s", err, out.Bytes())
			}
			if r.OK == 0 || r.Errors != 0 || r.Timeouts != 0 || r.Sent != r.OK+r.Shed {
				t.Fatalf("report: %s", out.Bytes())
			}
		})
	}
}

// Bad flags are refused before any traffic.
func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{}, {"-pk", "pk_x", "-scenario", "nope"}, {"-pk", "pk_x", "-concurrency", "0"}, {"-pk", "pk_x", "-rate", "-1"}} {
		if err := run(t.Context(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// -start-at in the past starts at once and says how late it is, and still
// measures; a start-at far ahead gives way to a cancelled context instead
// of holding the run.
func TestStartAt(t *testing.T) {
	k := testkit.New(t)
	base := []string{"-url", k.Server.URL, "-pk", k.PK, "-scenario", "read", "-customers", "2", "-duration", "200ms", "-concurrency", "2", "-progress=false", "-timeout", "20s"}
	var out, errOut bytes.Buffer
	past := strconv.FormatInt(time.Now().Add(-time.Minute).UnixMilli(), 10)
	if err := run(t.Context(), append(base, "-start-at", past), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	var r result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil || r.OK == 0 {
		t.Fatalf("report %s: %v", out.Bytes(), err)
	}
	if !strings.Contains(errOut.String(), "late (setup took longer than -start-at allowed)") {
		t.Fatalf("stderr does not say the start was late: %q", errOut.String())
	}

	ctx, cancel := context.WithCancel(t.Context())
	future := strconv.FormatInt(time.Now().Add(time.Hour).UnixMilli(), 10)
	w := &cancelOnSetup{cancel: cancel}
	if err := run(ctx, append(base, "-start-at", future), io.Discard, w); !errors.Is(err, context.Canceled) {
		t.Fatalf("run waiting for -start-at returned %v, want context.Canceled", err)
	}
}

// cancelOnSetup cancels once loadgen reports its setup done, i.e. while it
// waits for -start-at.
type cancelOnSetup struct{ cancel func() }

func (c *cancelOnSetup) Write(p []byte) (int, error) {
	if bytes.HasPrefix(p, []byte("setup:")) {
		c.cancel()
	}
	return len(p), nil
}
