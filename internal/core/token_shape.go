package core

import (
	"context"
	"errors"
	"slices"
	"time"
)

// TokenShape is how a dialect lays out the access tokens it hands out, when
// its platform's clients parse them (SLAS clients split sub and isb, Medusa
// clients read actor_id). The core still signs every token with the same
// keys and still owns sid, jti, iat, exp and scope, so session revocation
// reaches shaped tokens exactly as it reaches native ones: there is one
// signing path.
type TokenShape struct {
	// Issuer replaces the deployment issuer. A token with its own issuer is
	// accepted only by AuthenticateShaped with that issuer: never by the
	// native API or another dialect. Empty keeps the deployment issuer (the
	// token then also works natively, extra claims and all).
	Issuer string
	// Subject replaces sub (the customer or guest id). The principal of a
	// shaped token is always read from its session, so sub is free text.
	Subject string
	// Audience replaces aud (the store id); the store then travels in the
	// core-owned claim tid.
	Audience string
	// Type is the JWS typ header: "" (at+jwt), "JWT" or "jwt".
	Type string
	// NotBefore writes nbf = iat.
	NotBefore bool
	// Claims are the dialect's own claims. They may not name a standard
	// claim nor tid.
	Claims map[string]any
	// TTL is the token's lifetime: 0 means the store's access-token TTL. It
	// is bounded by Config.MaxAccessTokenTTL (revocation lists are kept that
	// long) and by the session's absolute expiry.
	TTL time.Duration
}

// ClaimTenant is the core-owned claim that carries the store id of a shaped
// token whose Audience was replaced.
const ClaimTenant = "tid"

// ShapedToken signs an access token for a live session of sh (a customer's
// or a guest's) in a dialect's layout, and returns it with its lifetime.
// A revoked, expired or unknown session, or one whose customer is no longer
// active, is refused with ErrUnauthenticated.
func (s *Service) ShapedToken(ctx context.Context, sh *Shop, sessionID string, shape TokenShape) (string, time.Duration, error) {
	now := s.now()
	sess, err := s.shapedSession(ctx, sh, sessionID, now)
	if err != nil {
		return "", 0, err
	}
	if _, taken := shape.Claims[ClaimTenant]; taken {
		return "", 0, errors.New("core: a token shape may not set tid")
	}
	ttl := shape.TTL
	if ttl <= 0 {
		ttl = s.settings(sh).AccessTokenTTL
	}
	if m := s.cfg.MaxAccessTokenTTL; m > 0 && m < ttl {
		ttl = m
	}
	if rest := sess.ExpiresAt.Sub(now); rest < ttl {
		ttl = rest
	}
	if ttl < time.Second {
		return "", 0, Unauthenticated()
	}
	ttl = ttl.Truncate(time.Second)
	sub, scope := sess.CustomerID, ScopeCustomer
	if sess.CustomerID == "" {
		sub, scope = sess.GuestID, ScopeGuest
	}
	c := AccessClaims{
		Issuer: s.cfg.Issuer, Subject: sub, Audience: sh.ID, SessionID: sess.ID,
		ID: s.newID("jti"), Scope: scope, IssuedAt: now, ExpiresAt: now.Add(ttl),
		Type: shape.Type,
	}
	if shape.Issuer != "" {
		c.Issuer = shape.Issuer
	}
	if shape.Subject != "" {
		c.Subject = shape.Subject
	}
	if shape.NotBefore {
		c.NotBefore = now
	}
	if len(shape.Claims) > 0 || shape.Audience != "" {
		c.Extra = make(map[string]any, len(shape.Claims)+1)
		for k, v := range shape.Claims {
			c.Extra[k] = v
		}
	}
	if shape.Audience != "" {
		c.Audience = shape.Audience
		c.Extra[ClaimTenant] = sh.ID
	}
	tok, err := s.signer.Sign(c)
	return tok, ttl, err
}

// AuthenticateShaped verifies a token a dialect shaped with issuer and typ
// (see TokenShape): signature, algorithm, time, that it belongs to sh (aud
// or tid), that its scope is one of scopes (customer when none are given),
// and that its session is live — read from the store, so revocation is
// authoritative on every node. It returns the principal and the token's
// claims (the dialect's own in Extra).
func (s *Service) AuthenticateShaped(ctx context.Context, sh *Shop, token, issuer, typ string, scopes ...string) (*Principal, *AccessClaims, error) {
	if token == "" {
		return nil, nil, newErr(ErrUnauthenticated, CodeUnauthenticated, "authentication required")
	}
	if len(scopes) == 0 {
		scopes = []string{ScopeCustomer}
	}
	c, err := s.signer.VerifyShaped(token, s.clock.Now(), issuer, typ)
	if err != nil {
		if errors.Is(err, ErrTokenExpired) {
			return nil, nil, newErr(ErrUnauthenticated, CodeTokenExpired, "the access token has expired")
		}
		return nil, nil, newErr(ErrUnauthenticated, CodeInvalidToken, "the access token is invalid")
	}
	shop := c.Audience
	if tid, ok := c.Extra[ClaimTenant].(string); ok {
		shop = tid
	}
	if shop != sh.ID || !slices.Contains(scopes, c.Scope) {
		return nil, nil, newErr(ErrUnauthenticated, CodeInvalidToken, "the access token is invalid")
	}
	sess, err := s.shapedSession(ctx, sh, c.SessionID, s.now())
	if err != nil {
		return nil, nil, newErr(ErrUnauthenticated, CodeSessionRevoked, "the session has ended")
	}
	// The scope was signed with the session's kind; check they still agree.
	if (c.Scope == ScopeGuest) != (sess.CustomerID == "") {
		return nil, nil, newErr(ErrUnauthenticated, CodeInvalidToken, "the access token is invalid")
	}
	p := &Principal{ShopID: sh.ID, CustomerID: sess.CustomerID, SessionID: sess.ID, Scope: c.Scope, ExpiresAt: c.ExpiresAt}
	if sess.CustomerID == "" {
		p.GuestID = sess.GuestID
	}
	return p, &c, nil
}

// shapedSession returns sessionID's session when it is live: not revoked,
// within its idle and absolute limits, and (for a customer session) its
// customer still active.
func (s *Service) shapedSession(ctx context.Context, sh *Shop, sessionID string, now time.Time) (*Session, error) {
	if sessionID == "" || s.revoked.has(sessionID) {
		return nil, Unauthenticated()
	}
	sess, err := s.store.GetSession(ctx, sh.ID, sessionID)
	if err != nil {
		return nil, notFoundAs(err, Unauthenticated())
	}
	if !sess.Active(now, s.settings(sh).RefreshIdleTTL) {
		return nil, Unauthenticated()
	}
	if sess.CustomerID != "" {
		c, err := s.store.GetCustomer(ctx, sh.ID, sess.CustomerID)
		if err != nil {
			return nil, notFoundAs(err, Unauthenticated())
		}
		if c.Status != StatusActive {
			return nil, Unauthenticated()
		}
	}
	return sess, nil
}
