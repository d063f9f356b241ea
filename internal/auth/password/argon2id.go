package password

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters. They are recorded in every PHC string,
// so changing them never invalidates stored hashes: old hashes still verify
// and Verify reports that they need a rehash.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes of derived hash
}

// DefaultParams returns the OWASP Password Storage Cheat Sheet's argon2id
// configuration (m=19 MiB, t=2, p=1) with a 16-byte salt and a 32-byte hash,
// which is what DESIGN.md §3 prescribes for new hashes.
func DefaultParams() Params {
	return Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// TestParams returns the cheapest parameters this package accepts (64 KiB,
// one pass, one lane), so that tests elsewhere can register and log in many
// customers quickly. Never use them in production: they offer no resistance
// to offline guessing.
func TestParams() Params {
	return Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// Argon2id hashes and verifies passwords with argon2id. It is immutable after
// New and safe for concurrent use.
type Argon2id struct {
	params Params
	dummy  string
}

// New returns a hasher that writes new hashes with p. It also computes the
// hasher's dummy hash (see [Argon2id.DummyHash]), which costs one hash.
//
// New panics if p is out of bounds, because a hasher that cannot hash is a
// configuration bug; configuration code should call [Params.Validate] first
// and report the error there.
func New(p Params) *Argon2id {
	if err := p.Validate(); err != nil {
		panic(fmt.Sprintf("password.New: %v", err))
	}
	h := &Argon2id{params: p}
	dummy, err := h.Hash(rand.Text())
	if err != nil {
		panic(fmt.Sprintf("password.New: dummy hash: %v", err))
	}
	h.dummy = dummy
	return h
}

// Hash returns the PHC string of password under h's parameters, with a fresh
// random salt from crypto/rand.
func (h *Argon2id) Hash(password string) (string, error) {
	if err := h.params.Validate(); err != nil {
		// Only reachable for a zero Argon2id not made by New.
		return "", err
	}
	salt := make([]byte, h.params.SaltLen)
	// crypto/rand.Read never returns an error (it crashes the program
	// instead, since Go 1.24), so a hash can never get a zero salt.
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, h.params.Time, h.params.Memory, h.params.Threads, h.params.KeyLen)
	return encodePHC(h.params, salt, key), nil
}

// Verify reports whether password matches the argon2id PHC string encoded,
// or one of the legacy hashes imported from other platforms (legacy.go:
// bcrypt, PBKDF2, argon2i, scrypt-kdf), which always need a rehash.
//
// A wrong password is ok=false with a nil error; an error means encoded
// could not be checked at all: it wraps [ErrUnknownFormat] for strings this
// package does not understand and
// [ErrParamsOutOfBounds] for hashes whose costs are refused before any work
// is done. needsRehash is true when the password matched but encoded was made
// with parameters other than h's, so the caller should store h.Hash(password);
// it is always false when ok is false, because only a verified password can be
// rehashed.
func (h *Argon2id) Verify(password, encoded string) (ok, needsRehash bool, err error) {
	stored, err := decodePHC(encoded)
	if errors.Is(err, ErrUnknownFormat) {
		ok, err := verifyLegacy(password, encoded)
		return ok, ok, err
	}
	if err != nil {
		return false, false, err
	}
	p := stored.params
	key := argon2.IDKey([]byte(password), stored.salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	// Constant time, so response timing says nothing about how many leading
	// bytes of a guess's hash were right.
	if subtle.ConstantTimeCompare(key, stored.hash) != 1 {
		return false, false, nil
	}
	return true, p != h.params, nil
}

// DummyHash returns a valid hash, made in New from a random password nobody
// knows, with h's parameters. A login for an unknown account verifies the
// submitted password against it, so that it spends exactly the work a real
// account would and its timing does not reveal which e-mails are registered
// (SECURITY.md case 1). Verify against it always reports ok=false.
func (h *Argon2id) DummyHash() string { return h.dummy }
