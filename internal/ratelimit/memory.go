package ratelimit

import (
	"context"
	"hash/maphash"
	"sync"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const (
	// shardCount splits the key space so concurrent requests for different
	// keys rarely share a mutex. A power of two makes picking a shard a mask.
	shardCount = 32
	// sweepInterval: a shard that takes new keys sweeps at least this often,
	// so keys from a burst that has passed do not linger.
	sweepInterval = time.Minute
	// minSweepLen is the shard size below which growth alone never triggers
	// a sweep; sweeping tiny maps often would cost more than it frees.
	minSweepLen = 256
)

// Memory is an in-process [core.Limiter] using GCRA per key.
//
// Its memory stays bounded by the keys that are currently limited: a key
// whose budget is full again (its TAT is in the past) carries no state, and
// sweeps delete it. A shard sweeps when it has doubled since its last sweep
// (amortised O(1) per new key, like a GC heap target) or when a minute has
// passed, all on the caller's goroutine, so there is nothing to stop.
type Memory struct {
	clock  core.Clock
	seed   maphash.Seed
	shards []shard
}

var _ core.Limiter = (*Memory)(nil)

type shard struct {
	mu        sync.Mutex
	tat       map[string]int64 // key → TAT in Unix nanoseconds
	sweepLen  int              // sweep when len(tat) reaches this
	lastSweep int64            // Unix nanoseconds
	_         [32]byte         // keeps neighbouring mutexes off one cache line
}

// NewMemory returns an empty limiter reading time from clock
// (core.SystemClock when nil).
func NewMemory(clock core.Clock) *Memory {
	return newMemory(clock, shardCount)
}

func newMemory(clock core.Clock, shards int) *Memory {
	if clock == nil {
		clock = core.SystemClock{}
	}
	m := &Memory{clock: clock, seed: maphash.MakeSeed(), shards: make([]shard, shards)}
	now := clock.Now().UnixNano()
	for i := range m.shards {
		m.shards[i] = shard{tat: make(map[string]int64), sweepLen: minSweepLen, lastSweep: now}
	}
	return m
}

// shard picks key's shard with a per-process random seed, so clients who
// choose keys (e-mails, IPs) cannot aim them all at one mutex.
func (m *Memory) shard(key string) *shard {
	return &m.shards[maphash.String(m.seed, key)%uint64(len(m.shards))]
}

// Take consumes one unit of key's budget under r, or reports how long
// until one frees. ctx is unused: the call never waits.
func (m *Memory) Take(_ context.Context, key string, r core.Rate) (bool, time.Duration, error) {
	return m.decide(key, r, true)
}

// Peek reports what Take would answer, without consuming anything.
func (m *Memory) Peek(_ context.Context, key string, r core.Rate) (bool, time.Duration, error) {
	return m.decide(key, r, false)
}

// Reset forgets key, giving it a full budget (e.g. after a successful
// login clears the failed-attempt counter).
func (m *Memory) Reset(_ context.Context, key string) error {
	s := m.shard(key)
	s.mu.Lock()
	delete(s.tat, key)
	s.mu.Unlock()
	return nil
}

func (m *Memory) decide(key string, r core.Rate, take bool) (bool, time.Duration, error) {
	t, err := interval(r)
	if err != nil {
		return false, 0, err
	}
	now := m.clock.Now().UnixNano()
	s := m.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()

	old, known := s.tat[key]
	tat, allowed, retryAfter := decide(old, now, t, r.Window)
	if take && allowed {
		s.tat[key] = tat
		if !known {
			s.maybeSweep(now)
		}
	}
	return allowed, retryAfter, nil
}

// maybeSweep runs only when a key was added, because only then can the
// shard grow. The caller holds s.mu.
func (s *shard) maybeSweep(now int64) {
	if len(s.tat) < s.sweepLen && now-s.lastSweep < int64(sweepInterval) {
		return
	}
	for k, tat := range s.tat {
		if tat <= now { // budget full again: same as no entry
			delete(s.tat, k)
		}
	}
	s.lastSweep = now
	s.sweepLen = max(minSweepLen, 2*len(s.tat))
}
