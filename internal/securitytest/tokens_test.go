package securitytest

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testkit"
)

var b64 = base64.RawURLEncoding

// parts decodes a JWT's header and claims without verifying.
func parts(t testing.TB, tok string) (header, claims map[string]any) {
	t.Helper()
	p := strings.Split(tok, ".")
	if len(p) != 3 {
		t.Fatalf("not a compact JWS: %q", tok)
	}
	hb, _ := b64.DecodeString(p[0])
	cb, _ := b64.DecodeString(p[1])
	if json.Unmarshal(hb, &header) != nil || json.Unmarshal(cb, &claims) != nil {
		t.Fatalf("not a JWT: %q", tok)
	}
	return header, claims
}

func enc(v any) string {
	b, _ := json.Marshal(v)
	return b64.EncodeToString(b)
}

// signWith signs header and claims as a compact EdDSA JWS with key: the
// way an attacker holding a key (or our own key, to isolate one check)
// would.
func signWith(key ed25519.PrivateKey, header, claims map[string]any) string {
	input := enc(header) + "." + enc(claims)
	return input + "." + b64.EncodeToString(ed25519.Sign(key, []byte(input)))
}

// ourKey is the store's current signing key, read from the service, so a
// test can sign a token that differs from a genuine one in one respect.
func ourKey(t testing.TB, k *testkit.Kit) (string, ed25519.PrivateKey) {
	t.Helper()
	set, err := k.App.Service.SigningKeys(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return set.Signing.ID, ed25519.NewKeyFromSeed(set.Signing.Private)
}

func edit(m map[string]any, kv ...any) map[string]any {
	out := maps.Clone(m)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

// refused sends each token to /v1 and every dialect's profile route and
// wants the surface's 401.
func refused(t *testing.T, k *testkit.Kit, tokens map[string]string) {
	t.Helper()
	for name, tok := range tokens {
		for _, s := range surfaces {
			if r := s.me(t, k, k.PK, tok); r.Status != s.unauthorized {
				t.Errorf("%s via %s: %d %s", name, s.name, r.Status, r.Body)
			}
		}
	}
}

// Case 12: alg none, a stripped signature, or a token of another type
// (typ or token_use naming a refresh or reset token, even signed with our
// key) is 401 (RFC 8725 §3.11).
func case12(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("typ@example.com")
		h, cl := parts(t, c.Access)
		kid, key := ourKey(t, k)
		p := strings.Split(c.Access, ".")
		refused(t, k, map[string]string{
			"alg_none":           enc(edit(h, "alg", "none")) + "." + p[1] + ".",
			"alg_none_with_sig":  enc(edit(h, "alg", "none")) + "." + p[1] + "." + p[2],
			"signature_stripped": p[0] + "." + p[1] + ".",
			"typ_refresh":        signWith(key, edit(h, "kid", kid, "typ", "rt+jwt"), cl),
			"typ_reset":          signWith(key, edit(h, "kid", kid, "typ", "reset+jwt"), cl),
			"typ_JWT":            signWith(key, edit(h, "kid", kid, "typ", "JWT"), cl),
			"token_use_refresh":  signWith(key, edit(h, "kid", kid, "typ", "rt+jwt"), edit(cl, "token_use", "refresh")),
			"token_use_reset":    signWith(key, edit(h, "kid", kid, "typ", "reset"), edit(cl, "token_use", "reset")),
		})
		// The control: the genuine token and one re-signed unchanged pass.
		want(t, me(t, k, c.Access), 200)
		want(t, me(t, k, signWith(key, edit(h, "kid", kid), cl)), 200)
	})
}

// Case 13: an HS256 token MAC'd with our public key bytes from the JWKS, and
// garbage, expired or wrongly signed tokens are 401 on every surface, also
// on routes that allow anonymous callers: never "treated as a guest"
// (Medusa #16601).
func case13(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("hs@example.com")
		h, cl := parts(t, c.Access)
		jwks := native(t, k, "GET", "/.well-known/jwks.json", "", nil)
		want(t, jwks, 200)
		var set struct {
			Keys []map[string]any `json:"keys"`
		}
		if err := json.Unmarshal(jwks.Body, &set); err != nil || len(set.Keys) == 0 {
			t.Fatalf("jwks: %s", jwks.Body)
		}
		pub, _ := b64.DecodeString(set.Keys[0]["x"].(string))
		hsInput := enc(edit(h, "alg", "HS256")) + "." + enc(cl)
		mac := hmac.New(sha256.New, pub)
		mac.Write([]byte(hsInput))
		_, attacker, _ := ed25519.GenerateKey(rand.Reader)
		kid, key := ourKey(t, k)
		bad := map[string]string{
			"hs256_public_key": hsInput + "." + b64.EncodeToString(mac.Sum(nil)),
			"garbage":          "garbage",
			"wrong_signature":  signWith(attacker, h, cl),
			"expired":          signWith(key, edit(h, "kid", kid), edit(cl, "iat", time.Now().Add(-2*time.Hour).Unix(), "exp", time.Now().Add(-time.Hour).Unix())),
		}
		refused(t, k, bad)
		// Routes open to anonymous callers refuse a bad token too.
		for name, tok := range bad {
			if r := native(t, k, "POST", "/v1/auth/logout", tok, nil); r.Status != 401 {
				t.Errorf("%s on logout: %d %s", name, r.Status, r.Body)
			}
			// The Spree contract (§3) prescribes Spree's own behaviour here:
			// an invalid JWT on an optional-auth route is anonymous. That
			// grants nothing an anonymous caller lacks (a guest order also
			// needs its order token), so the case holds as: the answer is
			// the anonymous one, byte for byte, and never data.
			anon := do(t, k, "GET", spreeBase+"/orders/R123", nil, map[string]string{"X-Spree-Api-Key": k.PK})
			if r := do(t, k, "GET", spreeBase+"/orders/R123", nil, with(bearer(tok), "X-Spree-Api-Key", k.PK)); r.Status == 200 || r.Status != anon.Status || string(r.Body) != string(anon.Body) {
				t.Errorf("%s on Spree's optional-auth order route: %d %s (anonymous: %d %s)", name, r.Status, r.Body, anon.Status, anon.Body)
			}
			if r := do(t, k, "GET", "/medusa/store/orders/order_1", nil, with(bearer(tok), "X-Publishable-Api-Key", k.PK)); r.Status == 200 {
				t.Errorf("%s on Medusa's order route: %d %s", name, r.Status, r.Body)
			}
		}
	})
}

// Case 14: kid unknown, a path or SQL, and jku, x5u or an embedded jwk
// naming the attacker's key: 401, with no fetch, file or row looked up.
// (internal/auth/token TestVerifyRejects has the exhaustive header table.)
func case14(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("kid@example.com")
		h, cl := parts(t, c.Access)
		kid, key := ourKey(t, k)
		pub, attacker, _ := ed25519.GenerateKey(rand.Reader)
		jwk := map[string]any{"kty": "OKP", "crv": "Ed25519", "x": b64.EncodeToString(pub)}
		refused(t, k, map[string]string{
			"kid_unknown":            signWith(attacker, edit(h, "kid", "key_unknown"), cl),
			"kid_path":               signWith(attacker, edit(h, "kid", "../../dev/null"), cl),
			"kid_sql":                signWith(attacker, edit(h, "kid", "' OR 1=1--"), cl),
			"kid_missing":            signWith(key, edit(h, "kid", nil), cl),
			"jku_attacker":           signWith(attacker, edit(h, "jku", "https://evil.example/jwks.json"), cl),
			"x5u_attacker":           signWith(attacker, edit(h, "x5u", "https://evil.example/cert.pem"), cl),
			"jwk_attacker":           signWith(attacker, edit(h, "jwk", jwk), cl),
			"jwk_attacker_no_kid":    signWith(attacker, edit(h, "kid", nil, "jwk", jwk), cl),
			"jku_with_our_signature": signWith(key, edit(h, "kid", kid, "jku", "https://evil.example/jwks.json"), cl),
		})
	})
}

// Case 15: expired beyond the leeway, not yet valid, exp missing, another
// store's audience or another issuer: 401.
func case15(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("time@example.com")
		h, cl := parts(t, c.Access)
		kid, key := ourKey(t, k)
		h = edit(h, "kid", kid)
		now := k.Clock.Now()
		other := k.NewShop("Other")
		refused(t, k, map[string]string{
			"expired_past_leeway": signWith(key, h, edit(cl, "iat", now.Add(-20*time.Minute).Unix(), "exp", now.Add(-61*time.Second).Unix())),
			"nbf_future":          signWith(key, h, edit(cl, "nbf", now.Add(2*time.Minute).Unix())),
			"exp_missing":         signWith(key, h, edit(cl, "exp", nil)),
			"other_issuer":        signWith(key, h, edit(cl, "iss", "https://evil.example")),
			"other_store":         signWith(key, h, edit(cl, "aud", other.Shop.ID)),
		})
		// Store A's genuine token with store B's publishable key.
		if r := do(t, k, "GET", "/v1/customer", nil, with(bearer(c.Access), "X-Publishable-Key", other.PublishableKey)); r.Status != 401 {
			t.Errorf("store A token at store B: %d %s", r.Status, r.Body)
		}
		k.Clock.Advance(16 * time.Minute)
		wantProblem(t, me(t, k, c.Access), 401, "token_expired")
	})
}

// Case 16: a changed sub under the old signature is 401; after a key
// rotation old tokens verify while their key is in the JWKS, new tokens
// carry the new kid, and once the old key is gone its tokens are 401.
// (internal/auth/token TestKeyRotation has the ring-level test.)
func case16(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		victim := k.Register("victim@example.com")
		c := k.Register("rot@example.com")
		_, cl := parts(t, c.Access)
		p := strings.Split(c.Access, ".")
		want(t, me(t, k, p[0]+"."+enc(edit(cl, "sub", victim.ID))+"."+p[2]), 401)

		oldHeader, _ := parts(t, c.Access)
		oldKid, oldKey := ourKey(t, k)
		// redated is a token of the old key dated now, so that only the
		// key's presence decides.
		redated := func() string {
			now := k.Clock.Now()
			return signWith(oldKey, edit(oldHeader, "kid", oldKid), edit(cl, "iat", now.Unix(), "exp", now.Add(10*time.Minute).Unix()))
		}
		if _, err := k.App.Service.RotateSigningKey(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := k.App.ReloadKeys(t.Context()); err != nil {
			t.Fatal(err)
		}
		want(t, me(t, k, c.Access), 200)
		want(t, me(t, k, redated()), 200)
		fresh := login(t, k, c.Email, c.Password)
		want(t, fresh, 200)
		newHeader, _ := parts(t, fresh.Str(t, "access_token"))
		if newHeader["kid"] == oldHeader["kid"] {
			t.Fatal("a token after rotation carries the old kid")
		}
		jwks := string(native(t, k, "GET", "/.well-known/jwks.json", "", nil).Body)
		if !strings.Contains(jwks, oldHeader["kid"].(string)) || !strings.Contains(jwks, newHeader["kid"].(string)) {
			t.Fatalf("the JWKS lacks a key: %s", jwks)
		}
		// Past the longest token lifetime the old key is dropped.
		k.Clock.Advance(25*time.Hour + 2*time.Minute)
		if err := k.App.ReloadKeys(t.Context()); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(native(t, k, "GET", "/.well-known/jwks.json", "", nil).Body), oldHeader["kid"].(string)) {
			t.Fatal("the retired key is still published")
		}
		c2 := login(t, k, c.Email, c.Password) // a live session for the re-dated token
		want(t, c2, 200)
		_, cl2 := parts(t, c2.Str(t, "access_token"))
		now := k.Clock.Now()
		gone := signWith(oldKey, edit(oldHeader, "kid", oldKid), edit(cl2, "iat", now.Unix(), "exp", now.Add(10*time.Minute).Unix()))
		wantProblem(t, me(t, k, gone), 401, "invalid_token")
		want(t, me(t, k, c2.Str(t, "access_token")), 200)
	})
}
