package token

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

func TestJWKS(t *testing.T) {
	k1 := seedKey(t, "k1", 1)
	k2 := seedKey(t, "k2", 2)
	k3 := seedKey(t, "k3", 3)
	tests := []struct {
		name      string
		signing   Key
		verifying []Key
		wantKids  []string
	}{
		{"signing only", k1, nil, []string{"k1"}},
		{"signing first, then verifying", k2, []Key{k1, k3}, []string{"k2", "k1", "k3"}},
		{"signing key repeated", k1, []Key{k1, k2}, []string{"k1", "k2"}},
		{"private keys passed as verifying", k1, []Key{k2, k3}, []string{"k1", "k2", "k3"}},
		{"verify-only ring", Key{}, []Key{{ID: "k2", Public: k2.Public}}, []string{"k2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRing(testIssuer, 0)
			if err := r.SetKeys(tt.signing, tt.verifying); err != nil {
				t.Fatal(err)
			}
			raw := r.JWKS()
			// No private material, in any spelling: "d" is the private
			// scalar of an OKP JWK (RFC 8037 §2).
			if bytes.Contains(raw, []byte(`"d"`)) {
				t.Fatalf("JWKS contains a private key: %s", raw)
			}
			var generic struct {
				Keys []map[string]any `json:"keys"`
			}
			if err := json.Unmarshal(raw, &generic); err != nil {
				t.Fatal(err)
			}
			if len(generic.Keys) != len(tt.wantKids) {
				t.Fatalf("JWKS has %d keys, want %d: %s", len(generic.Keys), len(tt.wantKids), raw)
			}
			for i, k := range generic.Keys {
				want := map[string]any{"kty": "OKP", "crv": "Ed25519", "kid": tt.wantKids[i], "alg": "EdDSA", "use": "sig"}
				for name, v := range want {
					if k[name] != v {
						t.Errorf("key %d: %s = %v, want %v", i, name, k[name], v)
					}
				}
				if len(k) != len(want)+1 { // plus "x"
					t.Errorf("key %d has members %v, want exactly kty crv x kid alg use", i, k)
				}
			}
			// A standard client can use the set to find our public keys.
			var set jose.JSONWebKeySet
			if err := json.Unmarshal(raw, &set); err != nil {
				t.Fatal(err)
			}
			for _, kid := range tt.wantKids {
				found := set.Key(kid)
				if len(found) != 1 || !found[0].IsPublic() {
					t.Fatalf("kid %s: found %d keys, want one public key", kid, len(found))
				}
				want := map[string]ed25519.PublicKey{"k1": k1.Public, "k2": k2.Public, "k3": k3.Public}[kid]
				if !want.Equal(found[0].Key) {
					t.Fatalf("kid %s: wrong public key", kid)
				}
			}
		})
	}
}

func TestJWKSBeforeKeysAndCopy(t *testing.T) {
	r := NewRing(testIssuer, 0)
	if got := string(r.JWKS()); got != `{"keys":[]}` {
		t.Fatalf("JWKS before SetKeys = %s, want an empty set", got)
	}
	if err := r.SetKeys(seedKey(t, "k1", 1), nil); err != nil {
		t.Fatal(err)
	}
	a := r.JWKS()
	a[0] = 'X'
	if b := r.JWKS(); b[0] != '{' {
		t.Fatal("JWKS returned the ring's own buffer")
	}
}
