package httpx

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// Gate is admission control for all requests: at most a fixed number are
// in flight, a request that finds them all busy waits a short while for
// one, and the rest are shed with 503 and Retry-After. Without it, a load
// past capacity queues without bound in the server's goroutines until
// every request takes seconds and clients time out (BENCHMARKS.md, P8).
//
// A shed request still reaches its surface's Router, which answers it in
// that surface's error format (problem+json, Spree's envelope, Medusa's
// body...) without running its handler: the Gate itself knows no formats.
type Gate struct {
	slots   chan struct{}
	maxWait time.Duration
	shed    atomic.Int64
	exempt  map[string]bool
}

// NewGate returns a gate for limit requests in flight, each waiting at most
// maxWait for a place. Requests for the exempt paths (health probes) are
// never shed. limit ≤ 0 means no gate: nil is returned, and a nil *Gate's
// Middleware passes everything through.
func NewGate(limit int, maxWait time.Duration, exempt ...string) *Gate {
	if limit <= 0 {
		return nil
	}
	g := &Gate{slots: make(chan struct{}, limit), maxWait: maxWait, exempt: map[string]bool{}}
	for _, p := range exempt {
		g.exempt[p] = true
	}
	return g
}

// Shed reports how many requests the gate has refused.
func (g *Gate) Shed() int64 {
	if g == nil {
		return 0
	}
	return g.shed.Load()
}

// InFlight reports how many requests hold a place.
func (g *Gate) InFlight() int {
	if g == nil {
		return 0
	}
	return len(g.slots)
}

type shedKey struct{}

// Middleware admits requests to next.
func (g *Gate) Middleware(next http.Handler) http.Handler {
	if g == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.exempt[r.URL.Path] || g.acquire(r.Context()) {
			if !g.exempt[r.URL.Path] {
				defer func() { <-g.slots }()
			}
			next.ServeHTTP(w, r)
			return
		}
		g.shed.Add(1)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), shedKey{}, true)))
	})
}

func (g *Gate) acquire(ctx context.Context) bool {
	select {
	case g.slots <- struct{}{}:
		return true
	default:
	}
	if g.maxWait <= 0 {
		return false
	}
	t := time.NewTimer(g.maxWait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// shedError is the error a surface renders for a shed request, or nil
// when the request was admitted.
func shedError(r *http.Request) error {
	if shed, _ := r.Context().Value(shedKey{}).(bool); shed {
		return &core.OverloadError{RetryAfter: time.Second}
	}
	return nil
}
