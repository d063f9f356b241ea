package token

import (
	"bytes"
	"encoding/json"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"
)

// JWKS returns the JSON Web Key Set (RFC 7517 §5) of every verifying public
// key, current signing key first, for /.well-known/jwks.json. Each key is
// {"kty":"OKP","crv":"Ed25519","x":…,"kid":…,"alg":"EdDSA","use":"sig"}.
// It is computed when keys are set; the caller gets its own copy. Before the
// first SetKeys it returns an empty set.
func (r *Ring) JWKS() []byte {
	set := r.keys.Load()
	if set == nil {
		return []byte(`{"keys":[]}`)
	}
	return bytes.Clone(set.jwks)
}

// marshalJWKS encodes public keys with go-jose. keys must hold public halves
// only; the private half is never passed in, so no "d" can be written.
func marshalJWKS(keys []Key) ([]byte, error) {
	set := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(keys))}
	for _, k := range keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{
			Key:       k.Public,
			KeyID:     k.ID,
			Algorithm: string(jose.EdDSA),
			Use:       "sig",
		})
	}
	b, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("token: marshal JWKS: %w", err)
	}
	return b, nil
}
