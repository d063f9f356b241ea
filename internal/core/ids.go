package core

import (
	"crypto/rand"
	"encoding/base64"
	"io"
	"sync"
	"time"
)

// crockford is the ULID alphabet: no I, L, O or U, so ids survive being read aloud.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// ulidGen makes ULIDs that are monotonic within this process: lists are
// ordered by id, so two ids made in the same millisecond (one transaction's
// events, a burst of ledger entries) must still sort in creation order. In a
// new millisecond the 80 bits are drawn afresh; within one they are the
// previous value plus one, as the ULID specification's monotonic mode says.
type ulidGen struct {
	mu     sync.Mutex
	lastMs uint64
	last   [10]byte
}

// next returns the 16 ULID bytes for now.
func (g *ulidGen) next(now time.Time, random io.Reader) [16]byte {
	var b [16]byte
	ms := uint64(now.UnixMilli())
	g.mu.Lock()
	if ms <= g.lastMs {
		ms = g.lastMs // never step back, even if the clock does
		for i := len(g.last) - 1; i >= 0; i-- {
			g.last[i]++
			if g.last[i] != 0 {
				break
			}
		}
	} else {
		if _, err := io.ReadFull(random, g.last[:]); err != nil {
			g.mu.Unlock()
			panic("core: random source failed: " + err.Error())
		}
		// Keep headroom so increments within a millisecond never carry into
		// the timestamp.
		g.last[0] &= 0x7f
		g.lastMs = ms
	}
	copy(b[6:], g.last[:])
	g.mu.Unlock()
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	return b
}

// newULID returns a 26-character ULID: 48 bits of milliseconds then 80 bits
// that are random (or, within one millisecond, the previous id's plus one),
// so ids sort by creation time and leak nothing guessable.
func newULID(g *ulidGen, now time.Time, random io.Reader) string {
	b := g.next(now, random)
	// 128 bits as 26 base32 digits (the first digit carries 3 bits).
	var out [26]byte
	var acc uint64
	var bits uint
	pos := 0
	// Leading 2 zero bits pad 128 to 130 = 26*5.
	acc, bits = 0, 2
	for _, c := range b {
		acc = acc<<8 | uint64(c)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out[pos] = crockford[(acc>>bits)&31]
			pos++
		}
	}
	return string(out[:])
}

// newID returns prefix + "_" + ULID, e.g. "cus_01J…".
func (s *Service) newID(prefix string) string {
	return prefix + "_" + newULID(&s.ids, s.clock.Now(), s.random)
}

// newSecret returns n random bytes encoded as unpadded base64url with a prefix.
func (s *Service) newSecret(prefix string, n int) string {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.random, b); err != nil {
		panic("core: random source failed: " + err.Error())
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// defaultRandom is crypto/rand; tests may inject a deterministic reader.
var defaultRandom io.Reader = rand.Reader
