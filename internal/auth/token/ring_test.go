package token

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// decodeSegment decodes one JSON segment of a compact JWS.
func decodeSegment(t testing.TB, token string, i int) map[string]any {
	t.Helper()
	raw, err := b64url.DecodeString(strings.Split(token, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSignWireFormat pins the exact header and claim names other systems
// (SDKs, gateways reading our JWKS) rely on.
func TestSignWireFormat(t *testing.T) {
	r, _ := newRing(t)
	tok := mustSign(t, r, func(*Claims) {})
	header := decodeSegment(t, tok, 0)
	want := map[string]any{"alg": "EdDSA", "kid": "k1", "typ": "at+jwt"}
	if !maps.Equal(header, want) {
		t.Errorf("header = %v, want %v", header, want)
	}
	payload := decodeSegment(t, tok, 1)
	keys := slices.Sorted(maps.Keys(payload))
	if want := []string{"aud", "exp", "iat", "iss", "jti", "scope", "sid", "sub"}; !slices.Equal(keys, want) {
		t.Errorf("claims = %v, want %v", keys, want)
	}
	if payload["aud"] != "store_1" {
		t.Errorf("aud = %v, want the single string store_1", payload["aud"])
	}
	if payload["exp"] != float64(now.Add(14*time.Minute).Unix()) {
		t.Errorf("exp = %v, want %d", payload["exp"], now.Add(14*time.Minute).Unix())
	}
}

func TestSignRefuses(t *testing.T) {
	r, _ := newRing(t)
	tests := []struct {
		name   string
		change func(*Claims)
	}{
		{"no subject", func(c *Claims) { c.Subject = "" }},
		{"no session", func(c *Claims) { c.SessionID = "" }},
		{"no jti", func(c *Claims) { c.ID = "" }},
		{"no iat", func(c *Claims) { c.IssuedAt = time.Time{} }},
		{"no exp", func(c *Claims) { c.ExpiresAt = time.Time{} }},
		{"exp before iat", func(c *Claims) { c.ExpiresAt = c.IssuedAt.Add(-time.Second) }},
		{"exp within iat's second", func(c *Claims) { c.ExpiresAt = c.IssuedAt.Add(500 * time.Millisecond) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validClaims()
			tt.change(&c)
			if tok, err := r.Sign(c); err == nil {
				t.Fatalf("Sign = %q, want an error", tok)
			}
		})
	}
}

func TestSignWithoutSigningKey(t *testing.T) {
	_, k1 := newRing(t)
	verifyOnly := Key{ID: k1.ID, Public: k1.Public}
	noIssuer := NewRing("", 0)
	if err := noIssuer.SetKeys(k1, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ring func() *Ring
		want error
	}{
		{"never set", func() *Ring { return NewRing(testIssuer, 0) }, ErrNoSigningKey},
		{"verify-only signing key", func() *Ring {
			r := NewRing(testIssuer, 0)
			if err := r.SetKeys(verifyOnly, nil); err != nil {
				t.Fatal(err)
			}
			return r
		}, ErrNoSigningKey},
		{"only verifying keys", func() *Ring {
			r := NewRing(testIssuer, 0)
			if err := r.SetKeys(Key{}, []Key{verifyOnly}); err != nil {
				t.Fatal(err)
			}
			return r
		}, ErrNoSigningKey},
		{"ring without issuer", func() *Ring { return noIssuer }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validClaims()
			c.Issuer = ""
			_, err := tt.ring().Sign(c)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("Sign error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSetKeysRejectsBadKeys(t *testing.T) {
	k1 := seedKey(t, "k1", 1)
	k2 := seedKey(t, "k2", 2)
	tests := []struct {
		name      string
		signing   Key
		verifying []Key
	}{
		{"signing key without id", Key{Private: k1.Private, Public: k1.Public}, nil},
		{"verifying key without id", k1, []Key{{Public: k2.Public}}},
		{"mismatched halves", Key{ID: "k1", Private: k1.Private, Public: k2.Public}, nil},
		{"short public key", k1, []Key{{ID: "k2", Public: k2.Public[:31]}}},
		{"short private key", Key{ID: "k1", Private: k1.Private[:32], Public: k1.Public}, nil},
		{"private without public", Key{ID: "k1", Private: k1.Private}, nil},
		{"two keys share an id", k1, []Key{{ID: "k1", Public: k2.Public}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := newRing(t)
			before := r.JWKS()
			if err := r.SetKeys(tt.signing, tt.verifying); err == nil {
				t.Fatal("SetKeys accepted a bad key set")
			}
			// The previous set stays in force.
			if got := r.JWKS(); string(got) != string(before) {
				t.Fatalf("JWKS changed after a failed SetKeys:\n%s\n%s", before, got)
			}
			if _, err := r.Sign(validClaims()); err != nil {
				t.Fatalf("Sign after a failed SetKeys: %v", err)
			}
		})
	}
}

func TestSetKeysCopiesKeys(t *testing.T) {
	k1 := seedKey(t, "k1", 1)
	r := NewRing(testIssuer, 0)
	if err := r.SetKeys(k1, nil); err != nil {
		t.Fatal(err)
	}
	tok := mustSign(t, r, func(*Claims) {})
	clear(k1.Public) // the caller reuses its buffer
	clear(k1.Private)
	if _, err := r.Verify(tok, now); err != nil {
		t.Fatalf("Verify after the caller's key buffers changed: %v", err)
	}
}

// TestKeyRotation is SECURITY.md case 16: old tokens verify while their key
// is still published and fail once it is removed; new tokens name the new key.
func TestKeyRotation(t *testing.T) {
	k1 := seedKey(t, "k1", 1)
	k2 := seedKey(t, "k2", 2)
	r := NewRing(testIssuer, 30*time.Second)
	if err := r.SetKeys(k1, nil); err != nil {
		t.Fatal(err)
	}
	old := mustSign(t, r, func(*Claims) {})

	steps := []struct {
		name      string
		signing   Key
		verifying []Key
		oldValid  bool
		newKid    string
	}{
		{"rotate, keep old key for verification", k2, []Key{{ID: k1.ID, Public: k1.Public}}, true, "k2"},
		{"retire old key", k2, nil, false, "k2"},
		{"old key back as verify-only", k2, []Key{k1}, true, "k2"},
	}
	for _, step := range steps {
		if err := r.SetKeys(step.signing, step.verifying); err != nil {
			t.Fatalf("%s: SetKeys: %v", step.name, err)
		}
		_, err := r.Verify(old, now)
		if step.oldValid && err != nil {
			t.Errorf("%s: old token rejected: %v", step.name, err)
		}
		if !step.oldValid && !errors.Is(err, ErrInvalidToken) {
			t.Errorf("%s: old token error = %v, want ErrInvalidToken", step.name, err)
		}
		fresh := mustSign(t, r, func(*Claims) {})
		if kid := decodeSegment(t, fresh, 0)["kid"]; kid != step.newKid {
			t.Errorf("%s: new token kid = %v, want %s", step.name, kid, step.newKid)
		}
		if _, err := r.Verify(fresh, now); err != nil {
			t.Errorf("%s: new token rejected: %v", step.name, err)
		}
	}
}

// TestRingConcurrent exercises Sign, Verify, JWKS and SetKeys together under
// the race detector, as a key reload does in production.
func TestRingConcurrent(t *testing.T) {
	k1 := seedKey(t, "k1", 1)
	k2 := seedKey(t, "k2", 2)
	r := NewRing(testIssuer, 0)
	if err := r.SetKeys(k1, []Key{k2}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				if i == 0 {
					signing, other := k1, k2
					if j%2 == 1 {
						signing, other = k2, k1
					}
					if err := r.SetKeys(signing, []Key{other}); err != nil {
						errs <- err
					}
					continue
				}
				tok, err := r.Sign(validClaims())
				if err != nil {
					errs <- err
					continue
				}
				if _, err := r.Verify(tok, now); err != nil {
					errs <- err
				}
				_ = r.JWKS()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func BenchmarkSign(b *testing.B) {
	r, _ := newRing(b)
	c := validClaims()
	for b.Loop() {
		if _, err := r.Sign(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	r, _ := newRing(b)
	tok, err := r.Sign(validClaims())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := r.Verify(tok, now); err != nil {
			b.Fatal(err)
		}
	}
}
