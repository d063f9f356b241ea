package token

import (
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
)

// Claims are the claims of an access token (DESIGN.md §3). On the wire they
// are the JWT claims iss, sub, aud, sid, jti, scope, iat and exp; times are
// whole seconds.
type Claims struct {
	Issuer    string
	Subject   string // customer (or guest) id
	Audience  string // store id; empty means no aud claim
	SessionID string // sid: lets revocation of a session reach its tokens
	ID        string // jti
	Scope     string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

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
	return std, privateClaims{SessionID: c.SessionID, Scope: c.Scope}
}

// fromWire joins verified wire claims back into Claims. Times come back in
// UTC so that callers and tests see the same value on every machine.
func fromWire(std jwt.Claims, priv privateClaims) Claims {
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
	return c
}
