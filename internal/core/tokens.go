package core

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"
)

// ScopeCustomer is the scope of a customer's access token.
const ScopeCustomer = "customer"

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
	Customer *Customer
	Tokens   Tokens
}

// Principal is an authenticated caller, from a verified access token.
type Principal struct {
	ShopID     string
	CustomerID string
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

// startSession creates a session and its first refresh token inside tx and
// returns the plaintext token.
func (s *Service) startSession(ctx context.Context, tx Store, sh *Shop, customerID string, meta ClientMeta, now time.Time) (*Session, string, error) {
	st := s.settings(sh)
	sess := &Session{
		ID: s.newID("ses"), ShopID: sh.ID, CustomerID: customerID, CreatedAt: now, LastUsedAt: now,
		ExpiresAt: now.Add(st.RefreshTokenTTL), UserAgent: truncate(meta.UserAgent, 255), IP: truncate(meta.IP, 64),
	}
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

// accessToken signs an access token for a session.
func (s *Service) accessToken(sh *Shop, sess *Session, now time.Time) (string, time.Duration, error) {
	ttl := s.settings(sh).AccessTokenTTL
	if rest := sess.ExpiresAt.Sub(now); rest < ttl {
		ttl = rest // never outlive the session
	}
	tok, err := s.signer.Sign(AccessClaims{
		Issuer: s.cfg.Issuer, Subject: sess.CustomerID, Audience: sh.ID, SessionID: sess.ID,
		ID: s.newID("jti"), Scope: ScopeCustomer, IssuedAt: now, ExpiresAt: now.Add(ttl),
	})
	return tok, ttl, err
}

// Authenticate verifies a customer access token. shopID, when not empty,
// is the store named by the request's publishable key: a token for another
// store is rejected. Revoked sessions are rejected even though their tokens
// are still within exp.
func (s *Service) Authenticate(ctx context.Context, shopID, token string) (*Principal, error) {
	if token == "" {
		return nil, newErr(ErrUnauthenticated, CodeUnauthenticated, "authentication required")
	}
	c, err := s.signer.Verify(token, s.clock.Now())
	if err != nil {
		if errors.Is(err, ErrTokenExpired) {
			return nil, newErr(ErrUnauthenticated, CodeTokenExpired, "the access token has expired")
		}
		return nil, newErr(ErrUnauthenticated, CodeInvalidToken, "the access token is invalid")
	}
	if (shopID != "" && c.Audience != shopID) || c.Scope != ScopeCustomer {
		return nil, newErr(ErrUnauthenticated, CodeInvalidToken, "the access token is invalid")
	}
	if s.revoked.has(c.SessionID) {
		return nil, newErr(ErrUnauthenticated, CodeSessionRevoked, "the session has ended")
	}
	return &Principal{ShopID: c.Audience, CustomerID: c.Subject, SessionID: c.SessionID, Scope: c.Scope, ExpiresAt: c.ExpiresAt}, nil
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
