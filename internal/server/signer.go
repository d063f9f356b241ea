package server

import (
	"errors"
	"time"

	"github.com/clientele/clientele/internal/auth/token"
	"github.com/clientele/clientele/internal/core"
)

// signer adapts token.Ring to core.Signer, keeping core free of JOSE types.
type signer struct{ ring *token.Ring }

func (s signer) Sign(c core.AccessClaims) (string, error) {
	return s.ring.Sign(token.Claims{
		Issuer: c.Issuer, Subject: c.Subject, Audience: c.Audience, SessionID: c.SessionID,
		ID: c.ID, Scope: c.Scope, IssuedAt: c.IssuedAt, NotBefore: c.NotBefore, ExpiresAt: c.ExpiresAt,
		Extra: c.Extra, Type: c.Type,
	})
}

func (s signer) Verify(tok string, now time.Time) (core.AccessClaims, error) {
	return fromRing(s.ring.Verify(tok, now))
}

func (s signer) VerifyShaped(tok string, now time.Time, issuer, typ string) (core.AccessClaims, error) {
	return fromRing(s.ring.VerifyShaped(tok, now, issuer, typ))
}

func fromRing(c token.Claims, err error) (core.AccessClaims, error) {
	if err != nil {
		if errors.Is(err, token.ErrExpired) {
			return core.AccessClaims{}, core.ErrTokenExpired
		}
		return core.AccessClaims{}, err
	}
	return core.AccessClaims{
		Issuer: c.Issuer, Subject: c.Subject, Audience: c.Audience, SessionID: c.SessionID,
		ID: c.ID, Scope: c.Scope, IssuedAt: c.IssuedAt, NotBefore: c.NotBefore, ExpiresAt: c.ExpiresAt,
		Extra: c.Extra,
	}, nil
}

// loadKeys installs the service's current key set in the ring.
func loadKeys(ring *token.Ring, set core.KeySet) error {
	sign, err := token.KeyFromSeed(set.Signing.ID, set.Signing.Private)
	if err != nil {
		return err
	}
	verify := make([]token.Key, 0, len(set.Verifying))
	for _, k := range set.Verifying {
		v, err := token.KeyFromSeed(k.ID, k.Private)
		if err != nil {
			return err
		}
		verify = append(verify, v)
	}
	return ring.SetKeys(sign, verify)
}
