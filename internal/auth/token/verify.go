package token

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// ErrInvalidToken is the family of every verification failure. Callers map
// it to 401 and nothing more: the reason (which is in the wrapped message
// for logs) must not reach an attacker. The message never quotes the token.
var ErrInvalidToken = errors.New("token: invalid access token")

// ErrExpired is the one failure callers may tell apart, so that a client can
// be told to refresh rather than to log in again. It matches ErrInvalidToken
// too (errors.Is), so code that only knows the family still rejects it. It is
// returned only for tokens that are otherwise valid.
var ErrExpired = fmt.Errorf("%w: expired", ErrInvalidToken)

// maxTokenLen bounds the input before any parsing. Our tokens are about
// 400 bytes; anything near this limit is not ours and need not be decoded.
const maxTokenLen = 8 << 10

// allowedAlgs is the only algorithm accepted. go-jose refuses every other
// "alg" (including "none" and HS256) while parsing, so the algorithm is fixed
// by our keys and never chosen by the token (RFC 8725 §2.1, §3.1).
var allowedAlgs = []jose.SignatureAlgorithm{jose.EdDSA}

// invalid wraps ErrInvalidToken with a fixed reason for logs.
func invalid(reason string) error { return fmt.Errorf("%w: %s", ErrInvalidToken, reason) }

// Verify checks token and returns its claims. It accepts only a compact JWS
// with one EdDSA signature, typ at+jwt, no key-locating headers, a kid from
// the current key set and a valid signature; then it requires iss to be the
// ring's issuer, sub, sid, jti, iat and exp to be present, and now to lie
// within [nbf, exp] and after iat, each widened by the leeway. Every failure
// wraps [ErrInvalidToken]; an expired but otherwise valid token returns
// [ErrExpired]. Verify never fetches keys or touches files. The audience is
// returned, not checked: the caller compares it with the store it serves.
func (r *Ring) Verify(token string, now time.Time) (Claims, error) {
	return r.verify(token, now, r.issuer, tokenType)
}

// VerifyShaped verifies a dialect-shaped token (see [Claims]): exactly as
// Verify, except that its iss must be issuer and its typ must be typ ("" for
// at+jwt). A dialect passes the issuer its own tokens carry, so tokens
// shaped for one dialect (or store) are refused by another, and native
// tokens are refused by a dialect that shapes its own. The dialect claims
// come back in Extra.
func (r *Ring) VerifyShaped(token string, now time.Time, issuer, typ string) (Claims, error) {
	if issuer == "" {
		return Claims{}, invalid("no expected issuer")
	}
	if typ == "" {
		typ = tokenType
	}
	return r.verify(token, now, issuer, typ)
}

func (r *Ring) verify(token string, now time.Time, issuer, typ string) (Claims, error) {
	if now.IsZero() {
		return Claims{}, invalid("no verification time")
	}
	if len(token) > maxTokenLen {
		return Claims{}, invalid("too long")
	}
	set := r.keys.Load()
	if set == nil {
		return Claims{}, invalid("no keys loaded")
	}
	parsed, err := jwt.ParseSigned(token, allowedAlgs)
	if err != nil {
		return Claims{}, invalid("not an EdDSA compact JWS")
	}
	if len(parsed.Headers) != 1 {
		return Claims{}, invalid("want exactly one signature")
	}
	header := parsed.Headers[0]
	if err := checkHeader(header, typ); err != nil {
		return Claims{}, err
	}
	// The kid is only ever a map key: it names no file, URL or row.
	key, ok := set.verify[header.KeyID]
	if !ok {
		return Claims{}, invalid("unknown kid")
	}
	var std jwt.Claims
	var priv privateClaims
	var extra map[string]any
	if err := parsed.Claims(key.Public, &std, &priv, &extra); err != nil {
		return Claims{}, invalid("bad signature or claims")
	}
	return r.checkClaims(std, priv, extra, issuer, now)
}

// checkHeader accepts exactly the protected header Sign writes: alg, kid and
// typ. Anything else is refused, in particular the headers that would point
// at a key of the token's choosing (jku, x5u, x5c, jwk: RFC 8725 §3.10) and
// "crit"/"b64", which change how the token must be processed. go-jose already
// ignores jku and x5u and only uses jwk or x5c when asked to; refusing them
// is defence in depth against a future change in either library or caller.
func checkHeader(h jose.Header, want string) error {
	if h.Algorithm != string(jose.EdDSA) {
		return invalid("alg is not EdDSA")
	}
	if h.JSONWebKey != nil {
		return invalid("embedded jwk header")
	}
	// go-jose keeps a parsed x5c chain private; Certificates reports whether
	// there is one. An empty pool stops it loading system roots from disk.
	if _, err := h.Certificates(x509.VerifyOptions{Roots: x509.NewCertPool()}); !errors.Is(err, jose.ErrMissingX5cHeader) {
		return invalid("x5c header")
	}
	if h.Nonce != "" {
		return invalid("unexpected nonce header")
	}
	typ, _ := h.ExtraHeaders[jose.HeaderType].(string)
	if !strings.EqualFold(typ, want) && !strings.EqualFold(typ, "application/"+want) {
		// RFC 7515 §4.1.9: media types compare case-insensitively and the
		// "application/" prefix may be omitted.
		return invalid("unexpected typ")
	}
	for name := range h.ExtraHeaders {
		if name != jose.HeaderType {
			return invalid("unexpected header " + headerName(name))
		}
	}
	return nil
}

// headerName names a refused header in an error, but only a known one: the
// name comes from the token, and attacker text has no place in logs.
func headerName(name jose.HeaderKey) string {
	switch name {
	case "jku", "x5u", "x5t", "x5t#S256", "crit", "b64", "cty", "zip":
		return string(name)
	}
	return "(other)"
}

// checkClaims applies the claim policy to a token whose signature is valid.
// Time is checked last so that ErrExpired is only ever returned for a token
// that would otherwise have been accepted.
func (r *Ring) checkClaims(std jwt.Claims, priv privateClaims, extra map[string]any, issuer string, now time.Time) (Claims, error) {
	switch {
	case std.Issuer == "" || std.Issuer != issuer:
		return Claims{}, invalid("wrong issuer")
	case std.Subject == "":
		return Claims{}, invalid("no sub")
	case priv.SessionID == "":
		return Claims{}, invalid("no sid")
	case std.ID == "":
		return Claims{}, invalid("no jti")
	case len(std.Audience) > 1:
		return Claims{}, invalid("more than one aud")
	case std.Expiry == nil:
		return Claims{}, invalid("no exp")
	case std.IssuedAt == nil:
		return Claims{}, invalid("no iat")
	}
	// go-jose applies the leeway: exp+leeway ≥ now, nbf-leeway ≤ now (when
	// nbf is present) and iat-leeway ≤ now.
	err := std.ValidateWithLeeway(jwt.Expected{Issuer: issuer, Time: now}, r.leeway)
	switch {
	case errors.Is(err, jwt.ErrExpired):
		return Claims{}, ErrExpired
	case errors.Is(err, jwt.ErrNotValidYet):
		return Claims{}, invalid("not valid yet (nbf)")
	case errors.Is(err, jwt.ErrIssuedInTheFuture):
		return Claims{}, invalid("issued in the future (iat)")
	case err != nil:
		return Claims{}, invalid("claims rejected")
	}
	return fromWire(std, priv, extra), nil
}
