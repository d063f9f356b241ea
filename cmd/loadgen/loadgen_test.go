package main

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
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
