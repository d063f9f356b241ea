package token

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

const shapedIssuer = "slas/prod/clnt_dev"

func shapedClaims() Claims {
	c := validClaims()
	c.Issuer = shapedIssuer
	c.Subject = "cc-slas::clnt_dev::scid:abc::usid:u1"
	c.Audience = "commercecloud/prod/clnt_dev"
	c.NotBefore = c.IssuedAt
	c.Type = "jwt"
	c.Extra = map[string]any{"isb": "uido:slas::upn:Guest", "tid": "store_1", "ist": float64(1)}
	return c
}

// TestShapedRoundTrip: a dialect-shaped token comes back whole from
// VerifyShaped with the dialect's issuer and typ.
func TestShapedRoundTrip(t *testing.T) {
	r, _ := newRing(t)
	want := shapedClaims()
	tok, err := r.Sign(want)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	got, err := r.VerifyShaped(tok, now, shapedIssuer, "jwt")
	if err != nil {
		t.Fatalf("VerifyShaped: %v", err)
	}
	want.Type = "" // a header, not a claim
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("claims = %+v\nwant %+v", got, want)
	}
}

// TestShapedIsolation: shaped tokens are refused where they do not belong,
// and native tokens are refused by a dialect that shapes its own.
func TestShapedIsolation(t *testing.T) {
	r, _ := newRing(t)
	shaped, err := r.Sign(shapedClaims())
	if err != nil {
		t.Fatal(err)
	}
	native, err := r.Sign(validClaims())
	if err != nil {
		t.Fatal(err)
	}
	atShaped := shapedClaims()
	atShaped.Type = ""
	shapedAt, err := r.Sign(atShaped)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  func() error
	}{
		{"shaped token on the native path", func() error { _, err := r.Verify(shaped, now); return err }},
		{"shaped token for another tenant", func() error {
			_, err := r.VerifyShaped(shaped, now, "slas/prod/other", "jwt")
			return err
		}},
		{"native token on a shaped path", func() error { _, err := r.VerifyShaped(native, now, shapedIssuer, "jwt"); return err }},
		{"native token with the native issuer but the dialect typ", func() error {
			_, err := r.VerifyShaped(native, now, testIssuer, "jwt")
			return err
		}},
		{"right issuer, wrong typ", func() error { _, err := r.VerifyShaped(shapedAt, now, shapedIssuer, "jwt"); return err }},
		{"another issuer is never native", func() error {
			c := validClaims()
			c.Issuer = "https://evil.example"
			tok, err := r.Sign(c)
			if err != nil {
				return err
			}
			_, err = r.Verify(tok, now)
			return err
		}},
		{"no expected issuer", func() error { _, err := r.VerifyShaped(shaped, now, "", "jwt"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.err(); !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("err = %v, want ErrInvalidToken", err)
			}
		})
	}
}

// TestSignRefusesBadShapes: Extra cannot override our claims, only offered
// typs are signed, and nbf cannot come after iat.
func TestSignRefusesBadShapes(t *testing.T) {
	r, _ := newRing(t)
	tests := []struct {
		name   string
		change func(*Claims)
	}{
		{"extra sid", func(c *Claims) { c.Extra = map[string]any{"sid": "other"} }},
		{"extra exp", func(c *Claims) { c.Extra = map[string]any{"exp": 1} }},
		{"extra scope", func(c *Claims) { c.Extra = map[string]any{"scope": "admin"} }},
		{"unknown typ", func(c *Claims) { c.Type = "id+jwt" }},
		{"nbf after iat", func(c *Claims) { c.NotBefore = c.IssuedAt.Add(1e9) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := shapedClaims()
			tt.change(&c)
			if tok, err := r.Sign(c); err == nil {
				t.Fatalf("Sign accepted %+v: %s", c, tok)
			} else if strings.Contains(err.Error(), "eyJ") {
				t.Fatalf("error quotes a token: %v", err)
			}
		})
	}
}
