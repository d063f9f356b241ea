package testenv

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
)

// ErrCut is what a cut [Link] answers to a dial.
var ErrCut = errors.New("testenv: link is cut")

// Link is a dialer (for redis.Options.Dialer and the like) that a test can
// cut and restore, to simulate a server outage and its end without
// stopping a server that other tests share.
type Link struct {
	mu      sync.Mutex
	down    bool
	conns   map[*linkConn]struct{}
	refused chan struct{}
}

// NewLink returns a working link.
func NewLink() *Link {
	return &Link{conns: make(map[*linkConn]struct{}), refused: make(chan struct{}, 1024)}
}

// Dial connects like net.Dialer, unless the link is cut.
func (l *Link) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	l.mu.Lock()
	down := l.down
	l.mu.Unlock()
	if down {
		select {
		case l.refused <- struct{}{}:
		default: // nobody is counting this many refusals
		}
		return nil, ErrCut
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	lc := &linkConn{Conn: c, link: l}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down { // cut while dialling: the outage includes this connection
		_ = c.Close()
		return nil, ErrCut
	}
	l.conns[lc] = struct{}{}
	return lc, nil
}

// Cut closes every open connection and refuses new ones until Restore.
func (l *Link) Cut() {
	l.mu.Lock()
	l.down = true
	conns := l.conns
	l.conns = make(map[*linkConn]struct{})
	l.mu.Unlock()
	for c := range conns {
		_ = c.Conn.Close()
	}
}

// Stall makes the connections open now go silent without closing: what
// they send is dropped and nothing more arrives, as when the peer dies
// without a FIN or a NAT forgets the flow. New connections still work.
// Reads still honour deadlines, which is how a client can notice.
func (l *Link) Stall() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for c := range l.conns {
		c.stalled.Store(true)
	}
}

// Restore lets dials through again.
func (l *Link) Restore() {
	l.mu.Lock()
	l.down = false
	l.mu.Unlock()
}

// Refused receives once for each dial refused while cut (up to a buffer of
// 1024), so a test can wait for a client to have retried.
func (l *Link) Refused() <-chan struct{} { return l.refused }

// linkConn forgets itself on Close so a long test does not accumulate
// closed connections.
type linkConn struct {
	net.Conn
	link    *Link
	stalled atomic.Bool
}

func (c *linkConn) Read(p []byte) (int, error) {
	for {
		n, err := c.Conn.Read(p)
		if err != nil || !c.stalled.Load() {
			return n, err
		}
		// Stalled: whatever arrived is lost on the way.
	}
}

func (c *linkConn) Write(p []byte) (int, error) {
	if c.stalled.Load() {
		return len(p), nil // "sent", and lost on the way
	}
	return c.Conn.Write(p)
}

func (c *linkConn) Close() error {
	c.link.mu.Lock()
	delete(c.link.conns, c)
	c.link.mu.Unlock()
	return c.Conn.Close()
}
