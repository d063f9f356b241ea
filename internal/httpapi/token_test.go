package httpapi_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/clientele/clientele/internal/testkit"
)

func b64(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// claimsOf decodes (without verifying) the payload of a JWT.
func claimsOf(t *testing.T, tok string) (map[string]any, map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	var h, c map[string]any
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	cb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if json.Unmarshal(hb, &h) != nil || json.Unmarshal(cb, &c) != nil {
		t.Fatalf("not a JWT: %s", tok)
	}
	return h, c
}

func sign(t *testing.T, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("at+jwt")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestForgedAccessTokens(t *testing.T) {
	k := newKit(t)
	c := k.Register("forge@example.com")
	header, claims := claimsOf(t, c.Access)
	kid := header["kid"].(string)

	jwks := k.Do(testkit.Req{Method: "GET", Path: "/.well-known/jwks.json"})
	want(t, jwks, 200)
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	_ = json.Unmarshal(jwks.Body, &set)
	if len(set.Keys) == 0 || set.Keys[0]["kty"] != "OKP" || set.Keys[0]["d"] != nil {
		t.Fatalf("jwks = %s", jwks.Body)
	}
	pub, _ := base64.RawURLEncoding.DecodeString(set.Keys[0]["x"].(string))

	_, attacker, _ := ed25519.GenerateKey(rand.Reader)
	parts := strings.Split(c.Access, ".")
	tampered := map[string]any{}
	for k, v := range claims {
		tampered[k] = v
	}
	tampered["sub"] = "cus_someone_else"

	other := k.NewShop("Other")
	cases := []struct {
		name  string
		token string
		pk    string
		code  string
	}{
		{"alg_none", b64(map[string]any{"alg": "none", "typ": "at+jwt", "kid": kid}) + "." + parts[1] + ".", "", "invalid_token"},
		{"signature_stripped", parts[0] + "." + parts[1] + ".", "", "invalid_token"},
		{"hs256_with_public_key", sign(t, jose.HS256, pub, kid, claims), "", "invalid_token"},
		{"unknown_kid", sign(t, jose.EdDSA, attacker, "key_unknown", claims), "", "invalid_token"},
		{"path_kid", sign(t, jose.EdDSA, attacker, "../../dev/null", claims), "", "invalid_token"},
		{"sql_kid", sign(t, jose.EdDSA, attacker, "' OR 1=1--", claims), "", "invalid_token"},
		{"attacker_key_with_our_kid", sign(t, jose.EdDSA, attacker, kid, claims), "", "invalid_token"},
		{"sub_changed", parts[0] + "." + b64(tampered) + "." + parts[2], "", "invalid_token"},
		{"other_store_pk", c.Access, other.PublishableKey, "invalid_token"},
		{"garbage", "not.a.jwt", "", "invalid_token"},
	}
	for _, tt := range cases {
		t.Run("case="+tt.name, func(t *testing.T) {
			pk := tt.pk
			if pk == "" {
				pk = "-"
			}
			res := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: tt.token, PK: pk})
			wantProblem(t, res, 401, tt.code)
			if !strings.Contains(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatal("401 without WWW-Authenticate: Bearer")
			}
		})
	}
	// The genuine token works, with or without the matching publishable key.
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access, PK: "-"}), 200)
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access}), 200)

	k.Clock.Advance(16 * time.Minute)
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access}), 401, "token_expired")
}

func TestMissingCredentials(t *testing.T) {
	k := newKit(t)
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer"}), 401, "unauthenticated")
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", PK: "-", Body: map[string]string{"email": "a@example.com", "password": "x"}}), 401, "invalid_api_key")
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", PK: "pk_bogus", Body: map[string]string{"email": "a@example.com", "password": "x"}}), 401, "invalid_api_key")
	// A secret key is not a publishable key.
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", PK: k.SK, Body: map[string]string{"email": "a@example.com", "password": "x"}}), 401, "invalid_api_key")
}

func TestSigningKeyRotation(t *testing.T) {
	k := newKit(t)
	c := k.Register("rotate@example.com")
	oldHeader, _ := claimsOf(t, c.Access)
	if _, err := k.App.Service.RotateSigningKey(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := k.App.ReloadKeys(t.Context()); err != nil {
		t.Fatal(err)
	}
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access}), 200)
	fresh := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": c.Password}})
	want(t, fresh, 200)
	newHeader, _ := claimsOf(t, fresh.Str(t, "access_token"))
	if newHeader["kid"] == oldHeader["kid"] {
		t.Fatal("new tokens still carry the old kid")
	}
	var set struct{ Keys []any }
	_ = json.Unmarshal(k.Do(testkit.Req{Method: "GET", Path: "/.well-known/jwks.json"}).Body, &set)
	if len(set.Keys) != 2 {
		t.Fatalf("jwks has %d keys after rotation, want 2", len(set.Keys))
	}
}
