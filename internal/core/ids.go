package core

import (
	"crypto/rand"
	"encoding/base64"
	"io"
	"time"
)

// crockford is the ULID alphabet: no I, L, O or U, so ids survive being read aloud.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newULID returns a 26-character ULID: 48 bits of milliseconds then 80 random
// bits, so ids sort by creation time and leak nothing guessable.
func newULID(now time.Time, random io.Reader) string {
	var b [16]byte
	ms := uint64(now.UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	if _, err := io.ReadFull(random, b[6:]); err != nil {
		panic("core: random source failed: " + err.Error())
	}
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
	return prefix + "_" + newULID(s.clock.Now(), s.random)
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
