package ratelimit

import (
	"time"

	"github.com/clientele/clientele/internal/core"
)

// Hooks for the external tests in package ratelimit_test.

// Sweep tuning, so tests can reason about when sweeps happen.
const (
	MinSweepLen   = minSweepLen
	SweepInterval = sweepInterval
)

// NewMemoryShards lets a test use one shard, so sweeps become predictable.
func NewMemoryShards(clock core.Clock, shards int) *Memory { return newMemory(clock, shards) }

// Count returns how many keys m holds state for.
func Count(m *Memory) int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		n += len(s.tat)
		s.mu.Unlock()
	}
	return n
}

// SetRedisTiming replaces r's per-call timeout, skip period after a
// failure and warning spacing, so tests need not wait out production
// values. Call it before r is used.
func SetRedisTiming(r *Redis, timeout, skipFor, warnEvery time.Duration) {
	r.timeout, r.skipFor, r.warnEvery = timeout, skipFor, warnEvery
	r.lastWarn.Store(-int64(warnEvery))
}
