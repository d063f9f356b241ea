package core

import (
	"crypto/sha256"
	"sync"
	"time"
)

// verifiedTokens remembers access tokens whose signature this node already
// verified, keyed by the SHA-256 of the whole token string, until their
// exp. A token-authenticated read then costs a hash instead of an Ed25519
// verification (about 50–90 µs here, most of a profile read). Only the
// signature and claim checks are skipped: the revocation check, the store
// and scope checks still run on every request, so logout reaches a cached
// token at once. The cache is dropped when the set of verifying keys
// changes, so a retired key's tokens are verified (and refused) again.
type verifiedTokens struct {
	mu  sync.RWMutex
	m   map[[32]byte]AccessClaims
	max int
}

// maxVerifiedTokens bounds the cache (about 300 bytes an entry).
const maxVerifiedTokens = 50_000

func newVerifiedTokens(max int) *verifiedTokens {
	return &verifiedTokens{m: make(map[[32]byte]AccessClaims), max: max}
}

func (v *verifiedTokens) get(token string, now time.Time) (AccessClaims, bool) {
	k := sha256.Sum256([]byte(token))
	v.mu.RLock()
	c, ok := v.m[k]
	v.mu.RUnlock()
	if !ok || !now.Before(c.ExpiresAt) {
		return AccessClaims{}, false
	}
	return c, true
}

func (v *verifiedTokens) put(token string, c AccessClaims, now time.Time) {
	if !now.Before(c.ExpiresAt) {
		return
	}
	k := sha256.Sum256([]byte(token))
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.m) >= v.max {
		for key, e := range v.m {
			if !now.Before(e.ExpiresAt) {
				delete(v.m, key)
			}
		}
		if len(v.m) >= v.max {
			return // full of live tokens: verify the rest every time
		}
	}
	v.m[k] = c
}

func (v *verifiedTokens) clear() {
	v.mu.Lock()
	v.m = make(map[[32]byte]AccessClaims)
	v.mu.Unlock()
}

// ForgetVerifiedTokens drops the verified-token cache; call it when the
// verifying keys change.
func (s *Service) ForgetVerifiedTokens() { s.verified.clear() }

// verifyAccess verifies a native access token, from the cache when this
// node has verified the same token before.
func (s *Service) verifyAccess(token string) (AccessClaims, error) {
	now := s.clock.Now()
	if c, ok := s.verified.get(token, now); ok {
		return c, nil
	}
	c, err := s.signer.Verify(token, now)
	if err == nil {
		s.verified.put(token, c, now)
	}
	return c, err
}
