package core

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"time"
)

// ScopeCustomer is the scope of a customer's access token.
const ScopeCustomer = "customer"

// ScopeGuest is the scope of a guest's access token: a session with no
// customer (DESIGN §3), whose sub claim is the guest id. Customer routes
// refuse it.
const ScopeGuest = "guest"

// refreshPrefix marks Clientele refresh tokens, so secret scanners can spot
// them and a refresh token is never mistaken for a JWT.
const refreshPrefix = "crt_"

// ClientMeta is what a surface knows about the caller, for rate limits and
// the session list.
type ClientMeta struct {
	IP        string
	UserAgent string
}

// Tokens is an issued access/refresh token pair.
type Tokens struct {
	AccessToken  string
	ExpiresIn    time.Duration
	RefreshToken string
	SessionID    string
}

// AuthResult is what a successful sign-up, login, refresh or reset returns.
type AuthResult struct {
	Customer *Customer // nil for a guest session
	// GuestID is the session's guest id: a guest session's own, or the one
	// a customer session kept when it was started from a guest session.
	GuestID string
	Tokens  Tokens
}

// Principal is an authenticated caller, from a verified access token.
type Principal struct {
	ShopID     string
	CustomerID string // empty for a guest
	GuestID    string // set for a guest (scope guest)
	SessionID  string
	Scope      string
	ExpiresAt  time.Time
}

func hashToken(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}

// childToken derives the refresh token that replaces parent. Deriving it
// (HMAC with a deployment secret) instead of drawing it at random lets a
// client that lost the response retry within the grace window and receive
// the very same child, so a retry never forks the family into two live
// tokens (SECURITY.md 18); without the secret nobody can compute it.
func (s *Service) childToken(parent string) string {
	m := hmac.New(sha256.New, s.refreshKey)
	m.Write([]byte(parent))
	return refreshPrefix + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// startSessionAs creates sess, whose owner (CustomerID and/or GuestID) and
// ExpiresAt the caller set, with its id, store, times and client, and its
// first refresh token inside tx, and returns the plaintext token.
func (s *Service) startSessionAs(ctx context.Context, tx Store, sh *Shop, sess *Session, meta ClientMeta, now time.Time) (*Session, string, error) {
	sess.ID, sess.ShopID, sess.CreatedAt, sess.LastUsedAt = s.newID("ses"), sh.ID, now, now
	sess.UserAgent, sess.IP = truncate(meta.UserAgent, 255), truncate(meta.IP, 64)
	if err := tx.CreateSession(ctx, sess); err != nil {
		return nil, "", err
	}
	plain := s.newSecret(refreshPrefix, 32)
	rt := &RefreshToken{ID: s.newID("rt"), SessionID: sess.ID, Hash: hashToken(plain), CreatedAt: now}
	if err := tx.CreateRefreshToken(ctx, rt); err != nil {
		return nil, "", err
	}
	return sess, plain, nil
}

// accessToken signs an access token for a session: a customer's (sub the
// customer id, scope customer) or a guest's (sub the guest id, scope guest).
func (s *Service) accessToken(sh *Shop, sess *Session, now time.Time) (string, time.Duration, error) {
	ttl := s.settings(sh).AccessTokenTTL
	if rest := sess.ExpiresAt.Sub(now); rest < ttl {
		ttl = rest // never outlive the session
	}
	sub, scope := sess.CustomerID, ScopeCustomer
	if sess.CustomerID == "" {
		sub, scope = sess.GuestID, ScopeGuest
	}
	tok, err := s.signer.Sign(AccessClaims{
		Issuer: s.cfg.Issuer, Subject: sub, Audience: sh.ID, SessionID: sess.ID,
		ID: s.newID("jti"), Scope: scope, IssuedAt: now, ExpiresAt: now.Add(ttl),
	})
	return tok, ttl, err
}

// Authenticate verifies a customer access token. shopID, when not empty,
// is the store named by the request's publishable key: a token for another
// store is rejected. Revoked sessions are rejected even though their tokens
// are still within exp. A guest token is rejected: see AuthenticateGuest.
func (s *Service) Authenticate(ctx context.Context, shopID, token string) (*Principal, error) {
	return s.authenticate(shopID, token, ScopeCustomer)
}

// authenticate verifies an access token whose scope is one of scopes.
func (s *Service) authenticate(shopID, token string, scopes ...string) (*Principal, error) {
	if token == "" {
		return nil, newErr(ErrUnauthenticated, CodeUnauthenticated, "authentication required")
	}
	c, err := s.verifyAccess(token)
	if err != nil {
		if errors.Is(err, ErrTokenExpired) {
			return nil, newErr(ErrUnauthenticated, CodeTokenExpired, "the access token has expired")
		}
		return nil, newErr(ErrUnauthenticated, CodeInvalidToken, "the access token is invalid")
	}
	if (shopID != "" && c.Audience != shopID) || !slices.Contains(scopes, c.Scope) {
		return nil, newErr(ErrUnauthenticated, CodeInvalidToken, "the access token is invalid")
	}
	if s.revoked.has(c.SessionID) {
		return nil, newErr(ErrUnauthenticated, CodeSessionRevoked, "the session has ended")
	}
	p := &Principal{ShopID: c.Audience, SessionID: c.SessionID, Scope: c.Scope, ExpiresAt: c.ExpiresAt}
	if c.Scope == ScopeGuest {
		p.GuestID = c.Subject
	} else {
		p.CustomerID = c.Subject
	}
	return p, nil
}

// ErrTokenExpired is what a Signer returns (or wraps) for a well-formed,
// correctly signed token whose exp has passed.
var ErrTokenExpired = errors.New("token expired")

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
