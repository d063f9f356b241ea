package token

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
)

// Key is one Ed25519 key pair with the id ("kid") that tokens signed by it
// carry. Keys loaded only to verify tokens (for example retired keys, or keys
// on a node that never signs) have a nil Private.
type Key struct {
	ID      string
	Private ed25519.PrivateKey // nil for verify-only keys
	Public  ed25519.PublicKey
}

// GenerateKey returns a new random key pair from crypto/rand with the given id.
func GenerateKey(id string) (Key, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Key{}, fmt.Errorf("token: generate key: %w", err)
	}
	k := Key{ID: id, Private: priv, Public: pub}
	return k, k.validate()
}

// KeyFromSeed rebuilds a key pair from its 32-byte RFC 8032 seed, which is how
// signing keys are persisted (the seed is the whole secret).
func KeyFromSeed(id string, seed []byte) (Key, error) {
	if len(seed) != ed25519.SeedSize {
		return Key{}, fmt.Errorf("token: key %q: seed is %d bytes, want %d", id, len(seed), ed25519.SeedSize)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	k := Key{ID: id, Private: priv, Public: priv.Public().(ed25519.PublicKey)}
	return k, k.validate()
}

// validate rejects keys that could only cause confusing failures later: no id
// (tokens could not name it), wrong sizes, or a private half that does not
// belong to the public half (tokens would be signed but never verify).
func (k Key) validate() error {
	switch {
	case k.ID == "":
		return errors.New("token: key has no id")
	case len(k.Public) != ed25519.PublicKeySize:
		return fmt.Errorf("token: key %q: public key is %d bytes, want %d", k.ID, len(k.Public), ed25519.PublicKeySize)
	case k.Private == nil:
		return nil
	case len(k.Private) != ed25519.PrivateKeySize:
		return fmt.Errorf("token: key %q: private key is %d bytes, want %d", k.ID, len(k.Private), ed25519.PrivateKeySize)
	case !k.Public.Equal(k.Private.Public()):
		return fmt.Errorf("token: key %q: private key does not match public key", k.ID)
	}
	return nil
}

// String describes the key without its private half, so that printing a Key
// by accident (in an error, a log line or a test failure) leaks nothing.
func (k Key) String() string {
	return fmt.Sprintf("token.Key{ID: %q, Public: %x, Private: %s}", k.ID, []byte(k.Public), redacted(k.Private))
}

// GoString is String for %#v, which would otherwise print the private key.
func (k Key) GoString() string { return k.String() }

// LogValue keeps the private half out of structured logs (STYLE.md §7 rule 23).
func (k Key) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", k.ID),
		slog.String("public", fmt.Sprintf("%x", []byte(k.Public))),
		slog.Bool("private", k.Private != nil),
	)
}

func redacted(priv ed25519.PrivateKey) string {
	if priv == nil {
		return "none"
	}
	return "REDACTED"
}

// clone copies the key material, so a caller reusing its slices cannot change
// a key set that is already in use.
func (k Key) clone() Key {
	return Key{ID: k.ID, Private: bytes.Clone(k.Private), Public: bytes.Clone(k.Public)}
}
