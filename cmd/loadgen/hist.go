package main

import (
	"math"
	"math/bits"
	"sync"
	"time"
)

// histogram records latencies in log-linear buckets: 64 sub-buckets per
// power of two from 1 µs to about 70 s, so any recorded value is reported
// within 1.6 % of itself (the idea of HdrHistogram, at fixed precision).
// It is safe for concurrent use.
type histogram struct {
	mu     sync.Mutex
	counts []uint64
	n      uint64
	max    time.Duration
	sum    time.Duration
}

const (
	subBuckets = 64
	magnitudes = 27 // 2^26 µs ≈ 67 s
)

func newHistogram() *histogram { return &histogram{counts: make([]uint64, subBuckets*magnitudes)} }

func bucketOf(d time.Duration) int {
	us := d.Microseconds()
	if us < subBuckets {
		return int(max(us, 0))
	}
	// us>>shift lands in [64, 128): 64 sub-buckets for this power of two.
	shift := bits.Len64(uint64(us)) - 7
	mag := shift + 1
	if mag >= magnitudes {
		return subBuckets*magnitudes - 1
	}
	return mag*subBuckets + int(us>>uint(shift)) - subBuckets
}

// valueOf is the upper edge of a bucket.
func valueOf(i int) time.Duration {
	mag, sub := i/subBuckets, i%subBuckets
	if mag == 0 {
		return time.Duration(sub+1) * time.Microsecond
	}
	return time.Duration(int64(sub+subBuckets+1)<<uint(mag-1)) * time.Microsecond
}

func (h *histogram) record(d time.Duration) {
	i := bucketOf(d)
	h.mu.Lock()
	h.counts[i]++
	h.n++
	h.sum += d
	h.max = max(h.max, d)
	h.mu.Unlock()
}

// quantile returns the latency below which q of the values lie.
func (h *histogram) quantile(q float64) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == 0 {
		return 0
	}
	target := uint64(math.Ceil(q * float64(h.n)))
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= target {
			return min(valueOf(i), h.max)
		}
	}
	return h.max
}

func (h *histogram) count() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

func (h *histogram) mean() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == 0 {
		return 0
	}
	return h.sum / time.Duration(h.n)
}
