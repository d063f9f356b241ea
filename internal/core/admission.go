package core

import (
	"context"
	"sync/atomic"
	"time"
)

// workGate is admission control for password hashing. Hashing is the one
// CPU-bound step a caller can trigger at will; queueing it without bound is
// how peers end up answering logins in seconds. The gate runs at most Slots
// hashes at once, lets at most Queue callers wait, each no longer than
// MaxWait, and sheds everybody else at once with an OverloadError, so a
// rejected request costs microseconds.
//
// A caller whose predicted wait (its place in the queue times the recent
// hash time, over the slots) is already past MaxWait is shed at once too:
// under sustained overload, waiting MaxWait only to be shed anyway made
// rejections take MaxWait and spent the waiters' time for nothing
// (BENCHMARKS.md, P4).
type workGate struct {
	slots   chan struct{}
	waiting atomic.Int64
	queue   int64
	maxWait time.Duration
	shed    atomic.Int64
	// avg is a moving average of one hash's duration in nanoseconds, 0
	// until the first hash ends.
	avg atomic.Int64
}

func newWorkGate(l WorkLimits) *workGate {
	if l.Slots <= 0 {
		l.Slots = 1
	}
	if l.MaxWait <= 0 {
		l.MaxWait = 150 * time.Millisecond
	}
	return &workGate{slots: make(chan struct{}, l.Slots), queue: int64(l.Queue), maxWait: l.MaxWait}
}

// overloaded is the error a shed caller gets.
func overloaded() error { return &OverloadError{RetryAfter: time.Second} }

// do runs fn when a slot is free.
func (g *workGate) do(ctx context.Context, fn func()) error {
	select {
	case g.slots <- struct{}{}:
	default:
		n := g.waiting.Add(1)
		if n > g.queue || time.Duration(n*g.avg.Load()/int64(cap(g.slots))) > g.maxWait {
			g.waiting.Add(-1)
			g.shed.Add(1)
			return overloaded()
		}
		t := time.NewTimer(g.maxWait)
		select {
		case g.slots <- struct{}{}:
			t.Stop()
			g.waiting.Add(-1)
		case <-t.C:
			g.waiting.Add(-1)
			g.shed.Add(1)
			return overloaded()
		case <-ctx.Done():
			t.Stop()
			g.waiting.Add(-1)
			return ctx.Err()
		}
	}
	defer func() { <-g.slots }()
	start := time.Now()
	fn()
	g.observe(time.Since(start))
	return nil
}

// full reports whether a caller arriving now would be shed: every slot is
// busy and joining the queue would overflow it or wait past MaxWait. Login
// asks before its rate-limit and database work, so under overload a shed
// request costs neither (they took CPU from the admitted hashes:
// BENCHMARKS.md, P4). It is a snapshot; do still decides for the callers
// it lets through.
func (g *workGate) full() bool {
	if len(g.slots) < cap(g.slots) {
		return false
	}
	n := g.waiting.Load() + 1
	return n > g.queue || time.Duration(n*g.avg.Load()/int64(cap(g.slots))) > g.maxWait
}

// shedEarly sheds the caller when the gate is full, counting it like a
// shed in do.
func (g *workGate) shedEarly() error {
	if !g.full() {
		return nil
	}
	g.shed.Add(1)
	return overloaded()
}

// observe folds one hash's duration into the moving average (weight 1/8:
// a few hashes follow a change of load or of parameters). Lost updates
// between racing callers only make the average a little staler.
func (g *workGate) observe(d time.Duration) {
	old := g.avg.Load()
	if old == 0 {
		g.avg.Store(int64(d))
		return
	}
	g.avg.Store(old + (int64(d)-old)/8)
}

// WorkStats reports the password-work gate's queue depth and shed count.
func (s *Service) WorkStats() (waiting, shed int64) {
	return s.work.waiting.Load(), s.work.shed.Load()
}

// WorkSlots is how many password hashes may run at once.
func (s *Service) WorkSlots() int { return cap(s.work.slots) }

// hash hashes a password under admission control.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	var h string
	var herr error
	if err := s.work.do(ctx, func() { h, herr = s.hasher.Hash(password) }); err != nil {
		return "", err
	}
	return h, herr
}

// verify checks a password of the shop's customer under admission
// control. An empty encoded hash (unknown or passwordless account) is
// verified against the dummy hash, so both paths spend the same work, and
// is never a match. A hash imported with the store's legacy pepper is
// verified over password+pepper; a needed rehash (always, for those) is of
// the password alone, so the pepper is gone with the legacy hash.
func (s *Service) verify(ctx context.Context, shopID, password, encoded string) (ok, rehash bool, err error) {
	known := encoded != ""
	if !known {
		encoded = s.dummyHash
	}
	password, encoded, err = s.unpepper(ctx, shopID, password, encoded)
	if err != nil {
		// No pepper to verify with (or it does not open): a data problem,
		// logged without the pepper; the password counts as wrong, after
		// the same work as any other login.
		s.log.Error("legacy pepper unavailable", "shop_id", shopID, "err", err)
		password, encoded, known = "", s.dummyHash, false
	}
	var verr error
	if err := s.work.do(ctx, func() { ok, rehash, verr = s.hasher.Verify(password, encoded) }); err != nil {
		return false, false, err
	}
	if verr != nil {
		// An undecodable stored hash is a data problem, not the caller's:
		// log it and treat the password as wrong.
		s.log.Error("password hash not verifiable", "err", verr)
		return false, false, nil
	}
	return ok && known, rehash && known, nil
}

// ReuseDetections counts the refresh tokens this node saw presented again
// after rotation (each revoked its session), for metrics.
func (s *Service) ReuseDetections() int64 { return s.reuses.Load() }
