package token

import (
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
)

// Claims are the claims of an access token (DESIGN.md §3). On the wire they
// are the JWT claims iss, sub, aud, sid, jti, scope, iat and exp (and nbf
// when set); times are whole seconds.
//
// A dialect may shape its tokens the way its platform's clients parse them:
// another issuer (such a token is accepted only by [Ring.VerifyShaped] with
// that issuer, never by [Ring.Verify]), claims of its own in Extra, and the
// "JWT" typ some clients expect. The signing keys, algorithm and the
// required sid/jti/iat/exp stay the same, so there is one signing path.
type Claims struct {
	Issuer    string
	Subject   string // customer (or guest) id, or a dialect's subject layout
	Audience  string // store id; empty means no aud claim
	SessionID string // sid: lets revocation of a session reach its tokens
	ID        string // jti
	Scope     string
	IssuedAt  time.Time
	NotBefore time.Time // zero: no nbf claim
	ExpiresAt time.Time
	// Extra holds a dialect's own claims. Its names may not be any of the
	// claims above (Sign refuses them); values must marshal to JSON.
	Extra map[string]any
	// Type is the JWS typ header: "" means at+jwt (RFC 9068); a dialect
	// whose clients expect it may use "JWT" or "jwt".
	Type string
}

// reservedClaims are the claim names Extra may not use: they are ours.
var reservedClaims = map[string]bool{
	"iss": true, "sub": true, "aud": true, "sid": true, "jti": true,
	"scope": true, "iat": true, "nbf": true, "exp": true,
}

// shapedTypes are the typ headers a dialect may choose besides at+jwt.
var shapedTypes = []string{"JWT", "jwt"}

// privateClaims are the claims go-jose's jwt.Claims does not model: "sid" as
// registered in the IANA JWT registry by OpenID Connect Front-Channel Logout,
// and "scope" as defined by RFC 8693 §4.2 and used by RFC 9068 §2.2.3.
type privateClaims struct {
	SessionID string `json:"sid,omitempty"`
	Scope     string `json:"scope,omitempty"`
}

// toWire splits c into go-jose's registered claims and our private ones.
func (c Claims) toWire() (jwt.Claims, privateClaims) {
	std := jwt.Claims{
		Issuer:   c.Issuer,
		Subject:  c.Subject,
		ID:       c.ID,
		IssuedAt: jwt.NewNumericDate(c.IssuedAt),
		Expiry:   jwt.NewNumericDate(c.ExpiresAt),
	}
	if c.Audience != "" {
		std.Audience = jwt.Audience{c.Audience}
	}
	if !c.NotBefore.IsZero() {
		std.NotBefore = jwt.NewNumericDate(c.NotBefore)
	}
	return std, privateClaims{SessionID: c.SessionID, Scope: c.Scope}
}

// fromWire joins verified wire claims back into Claims. Times come back in
// UTC so that callers and tests see the same value on every machine.
func fromWire(std jwt.Claims, priv privateClaims, extra map[string]any) Claims {
	c := Claims{
		Issuer:    std.Issuer,
		Subject:   std.Subject,
		SessionID: priv.SessionID,
		ID:        std.ID,
		Scope:     priv.Scope,
		IssuedAt:  std.IssuedAt.Time().UTC(),
		ExpiresAt: std.Expiry.Time().UTC(),
	}
	if len(std.Audience) == 1 {
		c.Audience = std.Audience[0]
	}
	if std.NotBefore != nil {
		c.NotBefore = std.NotBefore.Time().UTC()
	}
	for k, v := range extra {
		if !reservedClaims[k] {
			if c.Extra == nil {
				c.Extra = map[string]any{}
			}
			c.Extra[k] = v
		}
	}
	return c
}
