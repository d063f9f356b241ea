package token

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// tokenType is the JWS "typ" of access tokens (RFC 9068 §2.1). Checking it
// on verification stops any other JWT we might ever sign with the same keys
// from being accepted as an access token (RFC 8725 §3.11).
const tokenType = "at+jwt"

// ErrNoSigningKey is returned by Sign when the ring holds no private key,
// either because SetKeys was never called or because this node only verifies.
var ErrNoSigningKey = errors.New("token: no signing key")

// Ring holds the current signing key and the set of keys tokens may be
// verified with. Keys live in the database and rotate: callers reload them
// periodically and swap them in with SetKeys, while Sign and Verify keep
// running. A Ring is safe for concurrent use.
type Ring struct {
	issuer string
	leeway time.Duration
	keys   atomic.Pointer[keySet]
}

// keySet is one immutable generation of keys; SetKeys replaces it whole, so
// a concurrent Sign or Verify sees either the old set or the new one.
type keySet struct {
	signingID string
	signer    jose.Signer            // typ at+jwt; nil when there is no signing key
	shaped    map[string]jose.Signer // by shapedTypes entry, same key
	verify    map[string]Key
	jwks      []byte
}

// NewRing returns a ring with no keys that issues tokens for, and accepts
// only tokens from, issuer. leeway is the clock skew tolerated on exp, nbf
// and iat (SECURITY.md asks for at most 60 s); a negative leeway counts as 0.
func NewRing(issuer string, leeway time.Duration) *Ring {
	return &Ring{issuer: issuer, leeway: max(leeway, 0)}
}

// SetKeys atomically replaces the key set. signing signs new tokens and is
// always also a verifying key; verifying holds the other keys whose tokens
// are still accepted (typically the previous signing keys until their last
// tokens expire). A signing Key with a nil Private means "verify only": Sign
// then fails with [ErrNoSigningKey].
//
// SetKeys returns an error, and keeps the previous set, if any key is
// malformed or two different keys share an id; a reload from a corrupted
// database therefore never leaves the ring half-updated.
func (r *Ring) SetKeys(signing Key, verifying []Key) error {
	set := &keySet{verify: make(map[string]Key, len(verifying)+1)}
	// The signing key goes first so that the JWKS lists the current key first.
	all := make([]Key, 0, len(verifying)+1)
	if signing.ID != "" || signing.Public != nil || signing.Private != nil {
		all = append(all, signing)
	}
	all = append(all, verifying...)
	var order []Key
	for _, k := range all {
		if err := k.validate(); err != nil {
			return err
		}
		if prev, dup := set.verify[k.ID]; dup {
			if !prev.Public.Equal(k.Public) {
				return fmt.Errorf("token: two different keys share id %q", k.ID)
			}
			continue
		}
		pub := k.clone()
		pub.Private = nil
		set.verify[k.ID] = pub
		order = append(order, pub)
	}
	if signing.Private != nil {
		k := signing.clone()
		newSigner := func(typ string) (jose.Signer, error) {
			s, err := jose.NewSigner(
				jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: k.Private, KeyID: k.ID}},
				(&jose.SignerOptions{}).WithType(jose.ContentType(typ)),
			)
			if err != nil {
				return nil, fmt.Errorf("token: signer for key %q: %w", k.ID, err)
			}
			return s, nil
		}
		signer, err := newSigner(tokenType)
		if err != nil {
			return err
		}
		set.signingID, set.signer = k.ID, signer
		set.shaped = make(map[string]jose.Signer, len(shapedTypes))
		for _, typ := range shapedTypes {
			if set.shaped[typ], err = newSigner(typ); err != nil {
				return err
			}
		}
	}
	jwks, err := marshalJWKS(order)
	if err != nil {
		return err
	}
	set.jwks = jwks
	r.keys.Store(set)
	return nil
}

// Sign returns a signed access token for c, with header alg EdDSA, the
// signing key's kid and typ at+jwt (or c.Type). An empty c.Issuer means the
// ring's issuer; any other issuer makes a dialect-shaped token that only
// [Ring.VerifyShaped] accepts. Sign refuses claims that verification would
// reject, so a bug shows up where the token is minted rather than as a
// mysterious 401 later.
func (r *Ring) Sign(c Claims) (string, error) {
	set := r.keys.Load()
	if set == nil || set.signer == nil {
		return "", ErrNoSigningKey
	}
	if c.Issuer == "" {
		c.Issuer = r.issuer
	}
	signer := set.signer
	if c.Type != "" && c.Type != tokenType {
		if signer = set.shaped[c.Type]; signer == nil {
			return "", fmt.Errorf("token: typ %q is not offered", c.Type)
		}
	}
	for k := range c.Extra {
		if reservedClaims[k] {
			return "", fmt.Errorf("token: extra claim %q would replace a standard one", k)
		}
	}
	switch {
	case r.issuer == "":
		return "", errors.New("token: ring has no issuer")
	case c.Subject == "" || c.SessionID == "" || c.ID == "":
		return "", errors.New("token: sub, sid and jti are required")
	case c.IssuedAt.IsZero() || c.ExpiresAt.IsZero():
		return "", errors.New("token: iat and exp are required")
	case c.ExpiresAt.Unix() <= c.IssuedAt.Unix():
		return "", errors.New("token: exp must be at least a second after iat")
	case !c.NotBefore.IsZero() && c.NotBefore.Unix() > c.IssuedAt.Unix():
		return "", errors.New("token: nbf may not be after iat")
	}
	std, priv := c.toWire()
	b := jwt.Signed(signer).Claims(std).Claims(priv)
	if len(c.Extra) > 0 {
		b = b.Claims(c.Extra)
	}
	s, err := b.Serialize()
	if err != nil {
		return "", fmt.Errorf("token: sign: %w", err)
	}
	return s, nil
}
