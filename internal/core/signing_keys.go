package core

import (
	"context"
	"crypto/ed25519"
	"time"
)

// KeySet is the signing key in force and every key that still verifies.
type KeySet struct {
	Signing   SigningKey
	Verifying []SigningKey
}

// SigningKeys returns the current key set, creating the first key on an
// empty database. The newest unretired key signs; retired keys verify until
// every token they signed has expired, then they are deleted.
func (s *Service) SigningKeys(ctx context.Context) (KeySet, error) {
	keys, err := s.store.ListSigningKeys(ctx)
	if err != nil {
		return KeySet{}, err
	}
	now := s.now()
	var set KeySet
	found := false
	for _, k := range keys {
		if k.RetiredAt != nil && now.Sub(*k.RetiredAt) > s.cfg.MaxAccessTokenTTL+time.Minute {
			if err := s.store.DeleteSigningKey(ctx, k.ID); err != nil {
				return KeySet{}, err
			}
			continue
		}
		set.Verifying = append(set.Verifying, k)
		if k.RetiredAt == nil && (!found || k.CreatedAt.After(set.Signing.CreatedAt)) {
			set.Signing, found = k, true
		}
	}
	if !found {
		k, err := s.newSigningKey(ctx)
		if err != nil {
			return KeySet{}, err
		}
		set.Signing = *k
		set.Verifying = append(set.Verifying, *k)
	}
	return set, nil
}

// RotateSigningKey creates a new signing key and retires the others; the
// retired keys keep verifying until their tokens expire.
func (s *Service) RotateSigningKey(ctx context.Context) (*SigningKey, error) {
	old, err := s.store.ListSigningKeys(ctx)
	if err != nil {
		return nil, err
	}
	k, err := s.newSigningKey(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range old {
		if o.RetiredAt == nil {
			if err := s.store.RetireSigningKey(ctx, o.ID, k.CreatedAt); err != nil {
				return nil, err
			}
		}
	}
	return k, nil
}

func (s *Service) newSigningKey(ctx context.Context) (*SigningKey, error) {
	pub, priv, err := ed25519.GenerateKey(s.random)
	if err != nil {
		return nil, err
	}
	k := &SigningKey{ID: s.newID("key"), Algorithm: "EdDSA", Private: priv.Seed(), Public: pub, CreatedAt: s.now()}
	return k, s.store.CreateSigningKey(ctx, k)
}
