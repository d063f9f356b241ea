package testenv

import (
	"io"
	"net"
	"sync"
	"testing"
)

// Relay forwards TCP connections to a server until cut, when it closes them
// all and refuses new ones; Restore lets connections through again. Tests
// use it to take a shared server (PostgreSQL) "down" for one client without
// disturbing other tests that use the same server.
type Relay struct {
	upstream string
	ln       net.Listener
	mu       sync.Mutex
	down     bool
	conns    []net.Conn
}

// NewRelay listens on 127.0.0.1 and forwards to upstream (host:port).
func NewRelay(t testing.TB, upstream string) *Relay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &Relay{upstream: upstream, ln: ln}
	t.Cleanup(func() { _ = ln.Close(); r.Cut() })
	go r.serve()
	return r
}

// Addr is the relay's host:port.
func (r *Relay) Addr() string { return r.ln.Addr().String() }

func (r *Relay) serve() {
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return // listener closed
		}
		r.mu.Lock()
		down := r.down
		r.mu.Unlock()
		if down {
			_ = c.Close() // the client sees the server hang up at once
			continue
		}
		up, err := net.Dial("tcp", r.upstream)
		if err != nil {
			_ = c.Close()
			continue
		}
		r.mu.Lock()
		r.conns = append(r.conns, c, up)
		r.mu.Unlock()
		go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
		go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
	}
}

// Cut closes every relayed connection and refuses new ones, as a server
// that went down would.
func (r *Relay) Cut() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = true
	for _, c := range r.conns {
		_ = c.Close()
	}
	r.conns = nil
}

// Restore accepts connections again, as a server that came back would.
func (r *Relay) Restore() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = false
}
