package token

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const testIssuer = "https://auth.example.test"

// now is the fixed verification time of these tests; nothing reads the clock.
var now = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

// seedKey returns a deterministic key, so failures reproduce exactly.
func seedKey(t testing.TB, id string, b byte) Key {
	t.Helper()
	k, err := KeyFromSeed(id, bytes.Repeat([]byte{b}, ed25519.SeedSize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// newRing returns a ring signing with k1 and a 30 s leeway.
func newRing(t testing.TB) (*Ring, Key) {
	t.Helper()
	k1 := seedKey(t, "k1", 1)
	r := NewRing(testIssuer, 30*time.Second)
	if err := r.SetKeys(k1, nil); err != nil {
		t.Fatal(err)
	}
	return r, k1
}

func validClaims() Claims {
	return Claims{
		Issuer:    testIssuer,
		Subject:   "cus_123",
		Audience:  "store_1",
		SessionID: "ses_456",
		ID:        "jti_789",
		Scope:     "customer",
		IssuedAt:  now.Add(-time.Minute),
		ExpiresAt: now.Add(14 * time.Minute),
	}
}

// wireClaims is validClaims as a JSON object, for tests that need to write
// claims Sign would refuse.
func wireClaims() map[string]any {
	return map[string]any{
		"iss":   testIssuer,
		"sub":   "cus_123",
		"aud":   "store_1",
		"sid":   "ses_456",
		"jti":   "jti_789",
		"scope": "customer",
		"iat":   now.Add(-time.Minute).Unix(),
		"exp":   now.Add(14 * time.Minute).Unix(),
	}
}

// with returns wireClaims with changes applied; a nil value deletes the claim.
func with(changes map[string]any) map[string]any {
	c := wireClaims()
	for k, v := range changes {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

// atOpts are the signer options Sign uses: typ at+jwt, kid from the key.
func atOpts() *jose.SignerOptions { return (&jose.SignerOptions{}).WithType(tokenType) }

// signRaw signs claims with go-jose directly, bypassing Sign's checks, so a
// test can build any token a real signer (ours or an attacker's) could.
func signRaw(t testing.TB, alg jose.SignatureAlgorithm, key any, opts *jose.SignerOptions, claims any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// signEd signs claims with an Ed25519 key, naming it by kid.
func signEd(t testing.TB, k Key, opts *jose.SignerOptions, claims any) string {
	t.Helper()
	return signRaw(t, jose.EdDSA, jose.JSONWebKey{Key: k.Private, KeyID: k.ID}, opts, claims)
}

var b64url = base64.RawURLEncoding

// handMade assembles a compact JWS from JSON header and payload and a raw
// signature segment, for tokens no JOSE library would produce.
func handMade(t testing.TB, header, payload any, sig string) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	p, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return b64url.EncodeToString(h) + "." + b64url.EncodeToString(p) + "." + sig
}

// replacePayload swaps a token's payload and keeps its header and signature.
func replacePayload(t testing.TB, token string, payload any) string {
	t.Helper()
	parts := strings.Split(token, ".")
	p, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return parts[0] + "." + b64url.EncodeToString(p) + "." + parts[2]
}
