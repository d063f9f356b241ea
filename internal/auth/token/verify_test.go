package token

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

func TestSignVerifyRoundTrip(t *testing.T) {
	r, _ := newRing(t)
	tests := []struct {
		name   string
		claims Claims
	}{
		{"all claims", validClaims()},
		{"issuer filled in", func() Claims { c := validClaims(); c.Issuer = ""; return c }()},
		{"no audience or scope", func() Claims { c := validClaims(); c.Audience, c.Scope = "", ""; return c }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := r.Sign(tt.claims)
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			got, err := r.Verify(tok, now)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			want := tt.claims
			want.Issuer = testIssuer
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Verify claims = %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestVerifyRejects is SECURITY.md cases 12–16 at the token level: every
// row is a token an attacker (or a bug) could present, and each must fail.
func TestVerifyRejects(t *testing.T) {
	r, k1 := newRing(t)
	attacker := seedKey(t, "k1", 0xee) // claims the victim's kid
	valid, err := r.Sign(validClaims())
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(valid, ".")

	tests := []struct {
		name  string
		token string
		at    time.Time // zero means now
		want  error
	}{
		// Garbage.
		{"empty", "", now, ErrInvalidToken},
		{"not a jwt", "hello", now, ErrInvalidToken},
		{"two segments", parts[0] + "." + parts[1], now, ErrInvalidToken},
		{"too long", valid + strings.Repeat("A", maxTokenLen), now, ErrInvalidToken},
		{"JSON serialization", `{"payload":"` + parts[1] + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`, now, ErrInvalidToken},
		{"zero verification time", valid, time.Time{}, ErrInvalidToken},

		// Algorithm confusion (RFC 8725 §2.1).
		{"alg none", handMade(t, map[string]any{"alg": "none", "typ": "at+jwt", "kid": "k1"}, wireClaims(), ""), now, ErrInvalidToken},
		{"alg None", handMade(t, map[string]any{"alg": "None", "typ": "at+jwt", "kid": "k1"}, wireClaims(), ""), now, ErrInvalidToken},
		{"alg none with our signature", handMade(t, map[string]any{"alg": "none", "typ": "at+jwt", "kid": "k1"}, wireClaims(), parts[2]), now, ErrInvalidToken},
		{"HS256 keyed with our public key", signRaw(t, jose.HS256, []byte(k1.Public), atOpts().WithHeader("kid", "k1"), wireClaims()), now, ErrInvalidToken},
		{"ES256-labelled", handMade(t, map[string]any{"alg": "ES256", "typ": "at+jwt", "kid": "k1"}, wireClaims(), parts[2]), now, ErrInvalidToken},

		// Signature.
		{"signature stripped", parts[0] + "." + parts[1] + ".", now, ErrInvalidToken},
		{"signature of another token", parts[0] + "." + parts[1] + "." + strings.Split(mustSign(t, r, func(c *Claims) { c.ID = "other" }), ".")[2], now, ErrInvalidToken},
		{"sub changed, signature kept", replacePayload(t, valid, with(map[string]any{"sub": "cus_victim"})), now, ErrInvalidToken},
		{"exp extended, signature kept", replacePayload(t, valid, with(map[string]any{"exp": now.Add(24 * time.Hour).Unix()})), now, ErrInvalidToken},
		{"header changed, signature kept", b64url.EncodeToString([]byte(`{"alg":"EdDSA","kid":"k1","typ":"AT+JWT"}`)) + "." + parts[1] + "." + parts[2], now, ErrInvalidToken},
		{"attacker key, victim kid", signEd(t, attacker, atOpts(), wireClaims()), now, ErrInvalidToken},

		// Key selection (SECURITY.md case 14): kid is only a map key.
		{"unknown kid", signEd(t, Key{ID: "k9", Private: k1.Private}, atOpts(), wireClaims()), now, ErrInvalidToken},
		{"kid path traversal", signEd(t, Key{ID: "../../dev/null", Private: k1.Private}, atOpts(), wireClaims()), now, ErrInvalidToken},
		{"kid SQL injection", signEd(t, Key{ID: "' OR 1=1--", Private: k1.Private}, atOpts(), wireClaims()), now, ErrInvalidToken},
		{"kid missing", signRaw(t, jose.EdDSA, k1.Private, atOpts(), wireClaims()), now, ErrInvalidToken},
		{"embedded jwk of attacker", signRaw(t, jose.EdDSA, jose.JSONWebKey{Key: attacker.Private, KeyID: "evil"}, func() *jose.SignerOptions { o := atOpts(); o.EmbedJWK = true; return o }(), wireClaims()), now, ErrInvalidToken},
		{"embedded jwk of attacker with victim kid", signRaw(t, jose.EdDSA, jose.JSONWebKey{Key: attacker.Private}, func() *jose.SignerOptions { o := atOpts().WithHeader("kid", "k1"); o.EmbedJWK = true; return o }(), wireClaims()), now, ErrInvalidToken},
		{"embedded jwk of our own key", signRaw(t, jose.EdDSA, jose.JSONWebKey{Key: k1.Private}, func() *jose.SignerOptions { o := atOpts().WithHeader("kid", "k1"); o.EmbedJWK = true; return o }(), wireClaims()), now, ErrInvalidToken},
		{"jku header, our signature", signEd(t, k1, atOpts().WithHeader("jku", "https://evil.example/jwks.json"), wireClaims()), now, ErrInvalidToken},
		{"x5u header, our signature", signEd(t, k1, atOpts().WithHeader("x5u", "https://evil.example/cert.pem"), wireClaims()), now, ErrInvalidToken},
		{"x5c header, our signature", signEd(t, k1, atOpts().WithHeader("x5c", []string{selfSignedCert(t, attacker)}), wireClaims()), now, ErrInvalidToken},
		{"x5t header, our signature", signEd(t, k1, atOpts().WithHeader("x5t", "AAAA"), wireClaims()), now, ErrInvalidToken},
		{"crit header, our signature", signEd(t, k1, atOpts().WithCritical("exp"), wireClaims()), now, ErrInvalidToken},
		{"unknown header, our signature", signEd(t, k1, atOpts().WithHeader("foo", "bar"), wireClaims()), now, ErrInvalidToken},

		// Type (RFC 8725 §3.11, RFC 9068 §4).
		{"typ missing", signEd(t, k1, &jose.SignerOptions{}, wireClaims()), now, ErrInvalidToken},
		{"typ JWT", signEd(t, k1, (&jose.SignerOptions{}).WithType("JWT"), wireClaims()), now, ErrInvalidToken},
		{"typ refresh", signEd(t, k1, (&jose.SignerOptions{}).WithType("rt+jwt"), wireClaims()), now, ErrInvalidToken},
		{"typ with suffix", signEd(t, k1, (&jose.SignerOptions{}).WithType("at+jwt; x=1"), wireClaims()), now, ErrInvalidToken},
		{"typ not a string", signEd(t, k1, (&jose.SignerOptions{}).WithHeader("typ", 1), wireClaims()), now, ErrInvalidToken},

		// Claims.
		{"wrong issuer", signEd(t, k1, atOpts(), with(map[string]any{"iss": "https://evil.example"})), now, ErrInvalidToken},
		{"issuer differs in case", signEd(t, k1, atOpts(), with(map[string]any{"iss": strings.ToUpper(testIssuer)})), now, ErrInvalidToken},
		{"issuer missing", signEd(t, k1, atOpts(), with(map[string]any{"iss": nil})), now, ErrInvalidToken},
		{"sub missing", signEd(t, k1, atOpts(), with(map[string]any{"sub": nil})), now, ErrInvalidToken},
		{"sid missing", signEd(t, k1, atOpts(), with(map[string]any{"sid": nil})), now, ErrInvalidToken},
		{"sid empty", signEd(t, k1, atOpts(), with(map[string]any{"sid": ""})), now, ErrInvalidToken},
		{"jti missing", signEd(t, k1, atOpts(), with(map[string]any{"jti": nil})), now, ErrInvalidToken},
		{"sub not a string", signEd(t, k1, atOpts(), with(map[string]any{"sub": 42})), now, ErrInvalidToken},
		{"two audiences", signEd(t, k1, atOpts(), with(map[string]any{"aud": []string{"store_1", "store_2"}})), now, ErrInvalidToken},
		{"aud not a string", signEd(t, k1, atOpts(), with(map[string]any{"aud": 7})), now, ErrInvalidToken},
		{"payload not JSON, our signature", signBytes(t, k1, []byte("not json")), now, ErrInvalidToken},
		{"payload a JSON array, our signature", signBytes(t, k1, []byte(`["cus_123"]`)), now, ErrInvalidToken},

		// Time (SECURITY.md case 15); the ring's leeway is 30 s.
		{"exp missing", signEd(t, k1, atOpts(), with(map[string]any{"exp": nil})), now, ErrInvalidToken},
		{"exp not a number", signEd(t, k1, atOpts(), with(map[string]any{"exp": "tomorrow"})), now, ErrInvalidToken},
		{"exp overflows", signEd(t, k1, atOpts(), with(map[string]any{"exp": 1e300})), now, ErrInvalidToken},
		{"iat missing", signEd(t, k1, atOpts(), with(map[string]any{"iat": nil})), now, ErrInvalidToken},
		{"iat beyond leeway in the future", signEd(t, k1, atOpts(), with(map[string]any{"iat": now.Add(31 * time.Second).Unix()})), now, ErrInvalidToken},
		{"nbf beyond leeway in the future", signEd(t, k1, atOpts(), with(map[string]any{"nbf": now.Add(31 * time.Second).Unix()})), now, ErrInvalidToken},
		{"expired beyond leeway", valid, now.Add(14*time.Minute + 31*time.Second), ErrExpired},
		{"expired long ago", valid, now.Add(30 * 24 * time.Hour), ErrExpired},
		{"expired and forged", replacePayload(t, valid, with(map[string]any{"sub": "x"})), now.Add(time.Hour), ErrInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims, err := r.Verify(tt.token, tt.at)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify error = %v, want %v", err, tt.want)
			}
			if !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("Verify error = %v does not match ErrInvalidToken", err)
			}
			if tt.want != ErrExpired && errors.Is(err, ErrExpired) {
				t.Fatalf("Verify error = %v, garbage must not report expiry", err)
			}
			if !reflect.DeepEqual(claims, Claims{}) {
				t.Fatalf("Verify returned claims %+v with an error", claims)
			}
		})
	}
}

func TestVerifyAccepts(t *testing.T) {
	r, k1 := newRing(t)
	valid, err := r.Sign(validClaims())
	if err != nil {
		t.Fatal(err)
	}
	exp := now.Add(14 * time.Minute)
	tests := []struct {
		name  string
		token string
		at    time.Time
	}{
		{"now", valid, now},
		{"at exp", valid, exp},
		{"within leeway after exp", valid, exp.Add(20 * time.Second)},
		{"exactly at exp plus leeway", valid, exp.Add(30 * time.Second)},
		{"iat within leeway in the future", valid, now.Add(-time.Minute - 30*time.Second)},
		{"nbf in the past", signEd(t, k1, atOpts(), with(map[string]any{"nbf": now.Add(-time.Minute).Unix()})), now},
		{"nbf within leeway in the future", signEd(t, k1, atOpts(), with(map[string]any{"nbf": now.Add(30 * time.Second).Unix()})), now},
		{"aud as one-element array", signEd(t, k1, atOpts(), with(map[string]any{"aud": []string{"store_1"}})), now},
		{"typ upper case", signEd(t, k1, (&jose.SignerOptions{}).WithType("AT+JWT"), wireClaims()), now},
		{"typ with application/", signEd(t, k1, (&jose.SignerOptions{}).WithType("application/at+jwt"), wireClaims()), now},
		{"unknown claims ignored", signEd(t, k1, atOpts(), with(map[string]any{"client_id": "web"})), now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Verify(tt.token, tt.at)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got.Subject != "cus_123" || got.SessionID != "ses_456" || got.Audience != "store_1" {
				t.Fatalf("Verify claims = %+v", got)
			}
		})
	}
}

func TestVerifyWithoutKeys(t *testing.T) {
	r, _ := newRing(t)
	tok, err := r.Sign(validClaims())
	if err != nil {
		t.Fatal(err)
	}
	empty := NewRing(testIssuer, 0)
	if _, err := empty.Verify(tok, now); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("Verify on a ring without keys = %v, want ErrInvalidToken", err)
	}
}

// TestVerifyIssuerBinding checks that a ring only accepts its own issuer, even
// with the same keys (two deployments sharing keys by mistake).
func TestVerifyIssuerBinding(t *testing.T) {
	r, k1 := newRing(t)
	tok, err := r.Sign(validClaims())
	if err != nil {
		t.Fatal(err)
	}
	other := NewRing("https://other.example.test", 30*time.Second)
	if err := other.SetKeys(k1, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Verify(tok, now); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("Verify by another issuer = %v, want ErrInvalidToken", err)
	}
}

func mustSign(t testing.TB, r *Ring, change func(*Claims)) string {
	t.Helper()
	c := validClaims()
	change(&c)
	tok, err := r.Sign(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// signBytes signs an arbitrary payload with k1's headers, for payloads that
// are not a claims object at all.
func signBytes(t testing.TB, k Key, payload []byte) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: k.Private, KeyID: k.ID}}, atOpts())
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// selfSignedCert returns a base64 DER certificate for k, as an attacker would
// put in an x5c header.
func selfSignedCert(t testing.TB, k Key) string {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "attacker"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(time.Hour),
	}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, k.Public, k.Private)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(der)
}
