package httpx_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// With every place taken, a request is answered by its surface's renderer
// with the overload error, its handler unrun; exempt paths and requests
// after a place frees up run as usual. A nil gate passes everything.
func TestGate(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	var rendered error
	render := func(w http.ResponseWriter, r *http.Request, err error) {
		rendered = err
		w.WriteHeader(599)
	}
	ran := 0
	rt := httpx.NewRouter(render)
	rt.Handle("GET /block", func(w http.ResponseWriter, r *http.Request) error {
		close(entered)
		<-release
		return nil
	})
	rt.Handle("GET /read", func(w http.ResponseWriter, r *http.Request) error { ran++; return nil })
	rt.Handle("GET /healthz", func(w http.ResponseWriter, r *http.Request) error { ran++; return nil })
	g := httpx.NewGate(1, time.Millisecond, "/healthz")
	h := g.Middleware(rt)
	serve := func(path string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code
	}

	done := make(chan int)
	go func() { done <- serve("/block") }()
	<-entered
	if g.InFlight() != 1 {
		t.Fatalf("in flight %d, want 1", g.InFlight())
	}
	var oe *core.OverloadError
	if code := serve("/read"); code != 599 || !errors.As(rendered, &oe) || oe.RetryAfter <= 0 || ran != 0 {
		t.Fatalf("shed read: %d %v ran=%d", code, rendered, ran)
	}
	if code := serve("/healthz"); code != 200 || ran != 1 {
		t.Fatalf("exempt path: %d ran=%d", code, ran)
	}
	close(release)
	if code := <-done; code != 200 {
		t.Fatalf("blocking request: %d", code)
	}
	if code := serve("/read"); code != 200 || ran != 2 || g.Shed() != 1 || g.InFlight() != 0 {
		t.Fatalf("after release: %d ran=%d shed=%d inflight=%d", code, ran, g.Shed(), g.InFlight())
	}

	var none *httpx.Gate = httpx.NewGate(0, time.Second)
	if none != nil || none.Middleware(rt) != http.Handler(rt) || none.Shed() != 0 {
		t.Fatal("a zero limit must mean no gate")
	}
}
