package core

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// This file holds what the SFCC (SLAS) dialect needs beyond the native
// flows: shoppers continued by usid, single-use PKCE authorization codes,
// sessions bound to a client and channel, and credential checks without a
// session. Nothing here is SFCC wire format; any OAuth-code dialect could
// use it.

// Error codes of the authorization-code grant.
const (
	CodeAuthCodeInvalid = "invalid_authorization_code"
	CodePKCEFailed      = "pkce_failed"
)

// SFCCAuthCodeTTL is how long an authorization code can be redeemed.
const SFCCAuthCodeTTL = 60 * time.Second

var (
	usidPattern     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	verifierPattern = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)
)

// SFCCShopperFor continues the shopper of sh whose usid is usid, or — for
// an empty, malformed, unknown or other store's usid — creates a new one
// (which spends the per-IP guest budget, like a guest session).
func (s *Service) SFCCShopperFor(ctx context.Context, sh *Shop, usid string, meta ClientMeta) (*SFCCShopper, error) {
	if usidPattern.MatchString(usid) {
		sp, err := s.store.GetSFCCShopper(ctx, sh.ID, usid)
		if err == nil {
			return sp, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	if err := s.take(ctx, keyGuestIP(sh.ID, meta.IP), s.cfg.Limits.RegisterPerIP); err != nil {
		return nil, err
	}
	sp := &SFCCShopper{USID: s.newUUID(), ShopID: sh.ID, GuestID: s.newID("gst"), CreatedAt: s.now()}
	if err := s.store.CreateSFCCShopper(ctx, sp); err != nil {
		return nil, err
	}
	return sp, nil
}

// newUUID returns a random lower-case UUID v4.
func (s *Service) newUUID() string {
	var b [16]byte
	if _, err := io.ReadFull(s.random, b[:]); err != nil {
		panic("core: random source failed: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// SFCCCodeGrant is what an authorization code is bound to.
type SFCCCodeGrant struct {
	ClientID    string
	RedirectURI string
	ChannelID   string
	Shopper     *SFCCShopper
	CustomerID  string // registered login; empty for a guest
	// Challenge is the S256 PKCE challenge; empty makes the code
	// redeemable by a private client (secret key) only.
	Challenge string
}

// IssueSFCCAuthCode stores a new single-use code for g and returns it.
func (s *Service) IssueSFCCAuthCode(ctx context.Context, sh *Shop, g SFCCCodeGrant) (string, error) {
	if g.Challenge != "" && !challengePattern.MatchString(g.Challenge) {
		return "", newErr(ErrInvalid, CodePKCEFailed, "code_challenge must be a base64url SHA-256")
	}
	code := s.newSecret("", 32)
	now := s.now()
	c := &SFCCAuthCode{
		ID: s.newID("sac"), ShopID: sh.ID, Hash: hashToken(code), ClientID: g.ClientID, RedirectURI: g.RedirectURI,
		ChannelID: g.ChannelID, USID: g.Shopper.USID, CustomerID: g.CustomerID, Challenge: g.Challenge,
		CreatedAt: now, ExpiresAt: now.Add(SFCCAuthCodeTTL),
	}
	if err := s.store.CreateSFCCAuthCode(ctx, c); err != nil {
		return "", err
	}
	return code, nil
}

var challengePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// SFCCRedemption is a code exchange.
type SFCCRedemption struct {
	Code        string
	Verifier    string
	ClientID    string
	RedirectURI string
	ChannelID   string
	DNT         string // "", "true" or "false"
	// Private is set when the caller authenticated with a secret key of
	// the store; only then may a code without challenge be redeemed.
	Private bool
}

// SFCCSessionResult is a started or refreshed SLAS session.
type SFCCSessionResult struct {
	Session      *Session
	Binding      *SFCCSession
	Customer     *Customer // nil for a guest
	RefreshToken string
}

// RedeemSFCCAuthCode exchanges a code for a new session: the code must be
// live, unused, issued to the same client, redirect URI and channel, and
// the verifier must hash (S256) to its challenge. A second use of a code
// fails and ends the session the first use started (RFC 9700 §4.2.4).
func (s *Service) RedeemSFCCAuthCode(ctx context.Context, sh *Shop, r SFCCRedemption, meta ClientMeta) (*SFCCSessionResult, error) {
	invalid := newErr(ErrInvalid, CodeAuthCodeInvalid, "the authorization code is invalid")
	pkce := newErr(ErrInvalid, CodePKCEFailed, "PKCE verification failed")
	if r.Code == "" || len(r.Code) > 100 {
		return nil, invalid
	}
	now := s.now()
	var (
		res     *SFCCSessionResult
		replay  string
		errUsed = errors.New("code used")
	)
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := tx.GetSFCCAuthCodeByHash(ctx, hashToken(r.Code))
		if err != nil {
			return notFoundAs(err, invalid)
		}
		if c.ShopID != sh.ID {
			return invalid
		}
		if c.UsedAt != nil {
			replay = c.SessionID
			return errUsed
		}
		if !now.Before(c.ExpiresAt) || c.ClientID != r.ClientID || c.RedirectURI != r.RedirectURI || c.ChannelID != r.ChannelID {
			return invalid
		}
		switch {
		case c.Challenge != "":
			if !r.Private || r.Verifier != "" {
				if !verifierPattern.MatchString(r.Verifier) || !challengeMatches(c.Challenge, r.Verifier) {
					return pkce
				}
			}
		case !r.Private:
			return invalid
		}
		sp, err := tx.GetSFCCShopper(ctx, sh.ID, c.USID)
		if err != nil {
			return notFoundAs(err, invalid)
		}
		res, err = s.startSFCCSession(ctx, tx, sh, sp, c.CustomerID, c.ClientID, c.ChannelID, r.DNT, meta, now)
		if err != nil {
			return err
		}
		return conflictAs(tx.UseSFCCAuthCode(ctx, c.ID, res.Session.ID, now), invalid)
	})
	if errors.Is(err, errUsed) {
		if replay != "" {
			if err := s.store.RevokeSession(ctx, sh.ID, replay, now, "authorization_code_reused"); err != nil && !errors.Is(err, ErrNotFound) {
				return nil, err
			}
			s.revokeLocal(now, replay)
		}
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// challengeMatches reports whether base64url(SHA-256(verifier)) equals the
// challenge, in constant time.
func challengeMatches(challenge, verifier string) bool {
	sum := sha256.Sum256([]byte(verifier))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

// StartSFCCGuestSession starts a guest session for a private client
// (client_credentials): the caller has authenticated with a secret key.
func (s *Service) StartSFCCGuestSession(ctx context.Context, sh *Shop, sp *SFCCShopper, clientID, channelID, dnt string, meta ClientMeta) (*SFCCSessionResult, error) {
	var res *SFCCSessionResult
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		res, err = s.startSFCCSession(ctx, tx, sh, sp, "", clientID, channelID, dnt, meta, s.now())
		return err
	})
	return res, err
}

// startSFCCSession starts the core session (a guest's, or a customer's that
// keeps the shopper's guest id) and binds it, in tx.
func (s *Service) startSFCCSession(ctx context.Context, tx Store, sh *Shop, sp *SFCCShopper, customerID, clientID, channelID, dnt string, meta ClientMeta, now time.Time) (*SFCCSessionResult, error) {
	res := &SFCCSessionResult{}
	sess := &Session{GuestID: sp.GuestID, ExpiresAt: now.Add(s.settings(sh).RefreshTokenTTL)}
	if customerID != "" {
		c, err := tx.GetCustomer(ctx, sh.ID, customerID)
		if err != nil {
			return nil, notFoundAs(err, Unauthenticated())
		}
		if c.Status != StatusActive {
			return nil, newErr(ErrUnauthenticated, CodeAccountDisabled, "this account is disabled")
		}
		sess.CustomerID, res.Customer = c.ID, c
	}
	sess, refresh, err := s.startSessionAs(ctx, tx, sh, sess, meta, now)
	if err != nil {
		return nil, err
	}
	b := &SFCCSession{SessionID: sess.ID, ShopID: sh.ID, ClientID: clientID, ChannelID: channelID, USID: sp.USID, DNT: dnt, CreatedAt: now}
	if err := tx.CreateSFCCSession(ctx, b); err != nil {
		return nil, err
	}
	res.Session, res.Binding, res.RefreshToken = sess, b, refresh
	return res, nil
}

// sfccSessionOf returns the live SLAS session a current (not rotated)
// refresh token belongs to, checking that it was issued to clientID.
func (s *Service) sfccSessionOf(ctx context.Context, sh *Shop, token, clientID string) (*Session, *SFCCSession, error) {
	if !strings.HasPrefix(token, refreshPrefix) || len(token) > 100 {
		return nil, nil, invalidGrant()
	}
	rt, err := s.store.GetRefreshTokenByHash(ctx, hashToken(token))
	if err != nil {
		return nil, nil, notFoundAs(err, invalidGrant())
	}
	sess, err := s.store.GetSession(ctx, sh.ID, rt.SessionID)
	if err != nil {
		return nil, nil, notFoundAs(err, invalidGrant())
	}
	b, err := s.store.GetSFCCSession(ctx, sh.ID, sess.ID)
	if err != nil {
		return nil, nil, notFoundAs(err, invalidGrant())
	}
	if b.ClientID != clientID || !sess.Active(s.now(), s.settings(sh).RefreshIdleTTL) {
		return nil, nil, invalidGrant()
	}
	return sess, b, nil
}

// RefreshSFCC rotates a SLAS session's refresh token (core rotation and
// reuse detection) after checking that the token was issued to clientID
// and, when channelID is given, for that channel. Tokens of sessions that
// are not SLAS sessions are refused.
func (s *Service) RefreshSFCC(ctx context.Context, sh *Shop, token, clientID, channelID string, meta ClientMeta) (*SFCCSessionResult, error) {
	_, b, err := s.sfccSessionOf(ctx, sh, token, clientID)
	if err != nil {
		return nil, err
	}
	if channelID != "" && channelID != b.ChannelID {
		return nil, invalidGrant()
	}
	ar, err := s.Refresh(ctx, sh, token, meta)
	if err != nil {
		return nil, err
	}
	sess, err := s.store.GetSession(ctx, sh.ID, ar.Tokens.SessionID)
	if err != nil {
		return nil, notFoundAs(err, invalidGrant())
	}
	return &SFCCSessionResult{Session: sess, Binding: b, Customer: ar.Customer, RefreshToken: ar.Tokens.RefreshToken}, nil
}

// LogoutSFCC ends the SLAS session of a current refresh token issued to
// clientID; sessionID, when not empty, must be that session (the caller's
// access token). With all, a customer's every session ends.
func (s *Service) LogoutSFCC(ctx context.Context, sh *Shop, token, clientID, sessionID string, all bool) error {
	sess, _, err := s.sfccSessionOf(ctx, sh, token, clientID)
	if err != nil {
		return err
	}
	if sessionID != "" && sessionID != sess.ID {
		return invalidGrant()
	}
	now := s.now()
	ids := []string{sess.ID}
	err = s.store.InTx(ctx, func(tx Store) error {
		if all && sess.CustomerID != "" {
			more, err := tx.RevokeCustomerSessions(ctx, sh.ID, sess.CustomerID, "", now, "logout_all")
			ids = append(ids, more...)
			return err
		}
		return tx.RevokeSession(ctx, sh.ID, sess.ID, now, "logout")
	})
	if err != nil {
		return err
	}
	s.revokeLocal(now, ids...)
	return nil
}

// SFCCSessionBinding returns the SLAS binding of a session of sh.
func (s *Service) SFCCSessionBinding(ctx context.Context, sh *Shop, sessionID string) (*SFCCSession, error) {
	return s.store.GetSFCCSession(ctx, sh.ID, sessionID)
}

// VerifyCredentials checks a login's e-mail and password exactly as Login
// does (limits, constant cost, status) without starting a session, for
// flows that start it later (an authorization code).
func (s *Service) VerifyCredentials(ctx context.Context, sh *Shop, email, password string, meta ClientMeta) (*Customer, error) {
	c, _, err := s.checkCredentials(ctx, sh, email, password, meta)
	return c, err
}

// SecretKeyOf reports whether key is a live secret key of sh.
func (s *Service) SecretKeyOf(ctx context.Context, sh *Shop, key string) bool {
	k, err := s.ShopByKey(ctx, key, KeySecret)
	return err == nil && k.ID == sh.ID
}

// IssuePasswordResetToken creates a reset token for the active customer
// with e-mail email and returns it instead of mailing it, for a trusted
// back-office caller (a secret-key holder) that delivers it itself. Like
// RequestPasswordReset it supersedes older tokens; an unknown or disabled
// customer is ErrNotFound.
func (s *Service) IssuePasswordResetToken(ctx context.Context, sh *Shop, email string) (string, time.Duration, error) {
	norm, err := NormalizeEmail(email)
	if err != nil {
		return "", 0, ErrNotFound
	}
	c, err := s.store.GetCustomerByEmail(ctx, sh.ID, norm)
	if err != nil {
		return "", 0, err
	}
	if c.Status != StatusActive {
		return "", 0, ErrNotFound
	}
	token := s.newSecret("", 32)
	now := s.now()
	ttl := s.settings(sh).ResetTokenTTL
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.InvalidatePasswordResets(ctx, sh.ID, c.ID, now); err != nil {
			return err
		}
		if err := tx.CreatePasswordReset(ctx, &PasswordReset{
			ID: s.newID("prt"), ShopID: sh.ID, CustomerID: c.ID, Hash: hashToken(token), CreatedAt: now, ExpiresAt: now.Add(ttl),
		}); err != nil {
			return err
		}
		return s.emit(ctx, tx, sh.ID, EventPasswordResetRequested, c.ID, map[string]any{"redirect_origin": "", "via": "secret_key"})
	})
	if err != nil {
		return "", 0, err
	}
	return token, ttl, nil
}

// ResetTokenTTL is the store's reset-token lifetime.
func (s *Service) ResetTokenTTL(sh *Shop) time.Duration { return s.settings(sh).ResetTokenTTL }

// TrustedUserAgent is the user agent of sessions a secret key started on a
// customer's behalf; dialects mark their tokens from it.
const TrustedUserAgent = trustedUserAgent

// StartSFCCTrustedSession starts a SLAS session on behalf of the active
// customer with e-mail email, for a caller that authenticated with a
// secret key (SLAS trusted-system flow). Like MintTrustedToken the session
// is marked trusted-system in the customer's session list and every start
// is audited by a customer.token_minted event naming actor; unlike it, the
// session has a refresh token, as SLAS clients expect. An unknown or
// disabled customer is ErrNotFound.
func (s *Service) StartSFCCTrustedSession(ctx context.Context, sh *Shop, sp *SFCCShopper, email, clientID, channelID, actor string) (*SFCCSessionResult, error) {
	norm, err := NormalizeEmail(email)
	if err != nil {
		return nil, ErrNotFound
	}
	c, err := s.store.GetCustomerByEmail(ctx, sh.ID, norm)
	if err != nil {
		return nil, err
	}
	if c.Status != StatusActive {
		return nil, ErrNotFound
	}
	now := s.now()
	var res *SFCCSessionResult
	err = s.store.InTx(ctx, func(tx Store) error {
		var err error
		res, err = s.startSFCCSession(ctx, tx, sh, sp, c.ID, clientID, channelID, "", ClientMeta{UserAgent: trustedUserAgent}, now)
		if err != nil {
			return err
		}
		return s.emit(ctx, tx, sh.ID, EventTokenMinted, c.ID, map[string]any{
			"actor": actor, "session_id": res.Session.ID, "expires_at": res.Session.ExpiresAt.Format(time.RFC3339),
		})
	})
	return res, err
}
