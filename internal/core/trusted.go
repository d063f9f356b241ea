package core

import (
	"context"
	"strconv"
	"time"
)

// EventTokenMinted: a secret key minted an access token on a customer's
// behalf (trusted-system flow). It is the audit record of who acted as
// the customer, until when.
const EventTokenMinted = "customer.token_minted"

// trustedUserAgent marks the sessions of minted tokens in the customer's
// session list, so the customer can see (and end) them.
const trustedUserAgent = "trusted-system"

// MintTrustedToken issues an access token on behalf of a customer, for the
// store's own back end (SLAS trusted-system flow): a secret key holder acts
// as the customer, e.g. to call a customer route from a server-rendered
// checkout.
//
// The token is scope customer, so every customer route accepts it, and
// lives ttl (zero means the maximum), at most Config.TrustedTokenTTL. It
// belongs to a session of its own, so it can be revoked like any login
// (the customer sees it in their session list as "trusted-system") and is
// ended by disabling the account. No refresh token is issued: when the
// token expires the back end mints another, and every mint is audited by
// a customer.token_minted event naming actor. A disabled customer is a
// conflict.
func (s *Service) MintTrustedToken(ctx context.Context, shopID, customerID string, ttl time.Duration, actor string) (*Tokens, error) {
	// Never beyond the longest access token: revocations are remembered
	// only that long.
	max := min(s.cfg.TrustedTokenTTL, s.cfg.MaxAccessTokenTTL)
	if ttl == 0 {
		ttl = max
	}
	if ttl < time.Second || ttl > max {
		return nil, fieldErr("ttl_seconds", FieldInvalid, "ttl_seconds must be between 1 and "+strconv.Itoa(int(max/time.Second)))
	}
	sh, err := s.Shop(ctx, shopID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	sess := &Session{
		ID: s.newID("ses"), ShopID: shopID, CustomerID: customerID, CreatedAt: now, LastUsedAt: now,
		ExpiresAt: now.Add(ttl), UserAgent: trustedUserAgent,
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		c, err := tx.GetCustomer(ctx, shopID, customerID)
		if err != nil {
			return err
		}
		if c.Status != StatusActive {
			return errAccountDisabledConflict()
		}
		if err := tx.CreateSession(ctx, sess); err != nil {
			return err
		}
		return s.emit(ctx, tx, shopID, EventTokenMinted, customerID, map[string]any{
			"actor": actor, "session_id": sess.ID, "expires_at": sess.ExpiresAt.Format(time.RFC3339),
		})
	})
	if err != nil {
		return nil, err
	}
	tok, err := s.signer.Sign(AccessClaims{
		Issuer: s.cfg.Issuer, Subject: customerID, Audience: sh.ID, SessionID: sess.ID,
		ID: s.newID("jti"), Scope: ScopeCustomer, IssuedAt: now, ExpiresAt: sess.ExpiresAt,
	})
	if err != nil {
		return nil, err
	}
	return &Tokens{AccessToken: tok, ExpiresIn: ttl, SessionID: sess.ID}, nil
}
