package core

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"sync"
	"time"
)

// Support for two-step sign-up, long-lived dialect access tokens and opaque
// session cookies, as Medusa's wire format needs them. Any dialect may use
// these; none of them is Medusa specific in its rules.

// ScopeRegistration is the scope of a registration token: it names a
// pending identity (an e-mail and a password hash not yet attached to a
// customer), not a customer. Customer routes refuse it.
const ScopeRegistration = "registration"

// PendingIdentityTTL is how long a pending identity (and its registration
// token) lives without a customer, so nobody can squat an e-mail. Its
// registration token carries the identity's id as both sub and sid.
const PendingIdentityTTL = time.Hour

// DefaultDialectTokenTTL is the lifetime of access tokens minted by
// DialectToken and DialectRefresh (Medusa's medusa_token_ttl default),
// bounded by Config.MaxAccessTokenTTL and the session's absolute expiry.
const DefaultDialectTokenTTL = 24 * time.Hour

// CodeAlreadyRegistered is the code of completing a sign-up whose identity
// already has a customer.
const CodeAlreadyRegistered = "already_registered"

type pendingIdentity struct {
	ID         string
	ShopID     string
	Email      string
	Norm       string
	Hash       string
	CustomerID string
	ExpiresAt  time.Time
}

type cookieSession struct {
	ShopID     string
	CustomerID string
	SessionID  string
}

// dialectState is kept per Service in memory (one node); pending
// identities expire after an hour, cookies die with their session.
type dialectState struct {
	mu      sync.Mutex
	pending map[string]*pendingIdentity // by id
	cookies map[[32]byte]cookieSession
}

var dialectStates sync.Map // *Service → *dialectState

func (s *Service) dialect() *dialectState {
	if v, ok := dialectStates.Load(s); ok {
		return v.(*dialectState)
	}
	v, _ := dialectStates.LoadOrStore(s, &dialectState{pending: map[string]*pendingIdentity{}, cookies: map[[32]byte]cookieSession{}})
	return v.(*dialectState)
}

// pendingByEmail returns the live pending identity of an e-mail, dropping
// expired ones on the way. Call with d.mu held.
func (d *dialectState) pendingByEmail(shopID, norm string, now time.Time) *pendingIdentity {
	var found *pendingIdentity
	for id, p := range d.pending {
		if !now.Before(p.ExpiresAt) {
			delete(d.pending, id)
			continue
		}
		if p.ShopID == shopID && p.Norm == norm && p.CustomerID == "" {
			found = p
		}
	}
	return found
}

// RegisterIdentity is step one of a two-step sign-up: it checks the e-mail
// and password, and records a pending identity for an hour. It fails with
// ErrConflict (email_taken) when a customer with a password or a live
// pending identity already has the e-mail. It returns a registration token.
func (s *Service) RegisterIdentity(ctx context.Context, sh *Shop, email, password string, meta ClientMeta) (string, error) {
	st := s.settings(sh)
	var fields []FieldError
	norm, err := NormalizeEmail(email)
	fields = appendFieldErrs(fields, err)
	password = normalizePassword(password)
	fields = appendFieldErrs(fields, s.checkPassword("password", password, norm, st))
	if len(fields) > 0 {
		return "", &ValidationError{Code: CodeValidationFailed, Fields: fields}
	}
	if err := s.take(ctx, keyRegisterIP(sh.ID, meta.IP), s.cfg.Limits.RegisterPerIP); err != nil {
		return "", err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return "", err
	}
	taken := newErr(ErrConflict, CodeEmailTaken, "an account with this e-mail already exists")
	c, err := s.store.GetCustomerByEmail(ctx, sh.ID, norm)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return "", err
	}
	if c != nil && c.PasswordHash != "" {
		return "", taken
	}
	now := s.now()
	d := s.dialect()
	d.mu.Lock()
	if d.pendingByEmail(sh.ID, norm, now) != nil {
		d.mu.Unlock()
		return "", taken
	}
	p := &pendingIdentity{ID: s.newID("authid"), ShopID: sh.ID, Email: strings.TrimSpace(email), Norm: norm, Hash: hash, ExpiresAt: now.Add(PendingIdentityTTL)}
	d.pending[p.ID] = p
	d.mu.Unlock()
	return s.registrationToken(sh, p, now)
}

func (s *Service) registrationToken(sh *Shop, p *pendingIdentity, now time.Time) (string, error) {
	return s.signer.Sign(AccessClaims{
		Issuer: s.cfg.Issuer, Subject: p.ID, Audience: sh.ID, SessionID: p.ID, ID: s.newID("jti"),
		Scope: ScopeRegistration, IssuedAt: now, ExpiresAt: p.ExpiresAt,
	})
}

// DialectLogin is Login that also finishes an interrupted two-step sign-up:
// when the e-mail has no customer but a live pending identity whose
// password matches, it returns a registration token instead of a session.
func (s *Service) DialectLogin(ctx context.Context, sh *Shop, email, password string, meta ClientMeta) (*AuthResult, string, error) {
	res, err := s.Login(ctx, sh, email, password, meta)
	if err == nil || CodeOf(err) != CodeInvalidCredentials {
		return res, "", err
	}
	norm, nerr := NormalizeEmail(email)
	if nerr != nil {
		return nil, "", err
	}
	now := s.now()
	d := s.dialect()
	d.mu.Lock()
	p := d.pendingByEmail(sh.ID, norm, now)
	var hash string
	if p != nil {
		hash = p.Hash
	}
	d.mu.Unlock()
	if p == nil {
		return nil, "", err
	}
	ok, _, verr := s.verify(ctx, normalizePassword(password), hash)
	if verr != nil {
		return nil, "", verr
	}
	if !ok {
		return nil, "", err
	}
	tok, terr := s.registrationToken(sh, p, now)
	return nil, tok, terr
}

// pendingFromToken verifies a registration token of the store.
func (s *Service) pendingFromToken(sh *Shop, token string) (*pendingIdentity, error) {
	c, err := s.signer.Verify(token, s.clock.Now())
	if err != nil || c.Audience != sh.ID || c.Scope != ScopeRegistration {
		return nil, Unauthenticated()
	}
	d := s.dialect()
	d.mu.Lock()
	defer d.mu.Unlock()
	p := d.pending[c.Subject]
	if p == nil || p.ShopID != sh.ID {
		return nil, Unauthenticated()
	}
	cp := *p
	return &cp, nil
}

// IsRegistrationToken reports whether token is a well-formed registration
// token of the store (signature, time and scope), live or already used.
func (s *Service) IsRegistrationToken(sh *Shop, token string) bool {
	c, err := s.signer.Verify(token, s.clock.Now())
	return err == nil && c.Audience == sh.ID && c.Scope == ScopeRegistration
}

// CompleteIdentity is step two of a two-step sign-up: it creates the
// customer of the registration token's pending identity (or upgrades a
// guest customer with that e-mail in place) with profile p. email, when
// not empty, must be the identity's e-mail.
func (s *Service) CompleteIdentity(ctx context.Context, sh *Shop, token, email string, p ProfileUpdate) (*Customer, error) {
	pi, err := s.pendingFromToken(sh, token)
	if err != nil {
		return nil, err
	}
	if pi.CustomerID != "" {
		return nil, newErr(ErrForbidden, CodeAlreadyRegistered, "the identity already has a customer")
	}
	var fields []FieldError
	if email != "" {
		if n, err := NormalizeEmail(email); err != nil || n != pi.Norm {
			fields = append(fields, FieldError{Field: "email", Code: FieldInvalid, Message: "Email does not match the registered identity"})
		}
	}
	fields = append(fields, p.validate()...)
	if len(fields) > 0 {
		return nil, &ValidationError{Code: CodeValidationFailed, Fields: fields}
	}
	now := s.now()
	var c *Customer
	err = s.store.InTx(ctx, func(tx Store) error {
		g, err := tx.GetCustomerByEmail(ctx, sh.ID, pi.Norm)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if g != nil {
			if g.PasswordHash != "" {
				return newErr(ErrConflict, CodeEmailTaken, "an account with this e-mail already exists")
			}
			g.PasswordHash, g.PasswordChangedAt, g.UpdatedAt = pi.Hash, &now, now
			p.apply(g)
			c = g
			return tx.UpdateCustomer(ctx, g)
		}
		c = &Customer{
			ID: s.newID("cus"), ShopID: sh.ID, Email: pi.Email, EmailNormalized: pi.Norm,
			PasswordHash: pi.Hash, Status: StatusActive, PasswordChangedAt: &now, CreatedAt: now, UpdatedAt: now,
		}
		p.apply(c)
		if err := tx.CreateCustomer(ctx, c); err != nil {
			if errors.Is(err, ErrConflict) {
				return newErr(ErrConflict, CodeEmailTaken, "an account with this e-mail already exists")
			}
			return err
		}
		return s.emit(ctx, tx, sh.ID, EventCustomerCreated, c.ID, map[string]any{"email": c.Email})
	})
	if err != nil {
		return nil, err
	}
	d := s.dialect()
	d.mu.Lock()
	if live := d.pending[pi.ID]; live != nil {
		live.CustomerID = c.ID
	}
	d.mu.Unlock()
	return c, nil
}

// DialectToken mints an access token for a live session of the store with
// the dialect lifetime (DefaultDialectTokenTTL, capped by
// Config.MaxAccessTokenTTL and the session's absolute expiry).
func (s *Service) DialectToken(ctx context.Context, sh *Shop, sessionID string) (string, error) {
	sess, err := s.store.GetSession(ctx, sh.ID, sessionID)
	if err != nil {
		return "", notFoundAs(err, Unauthenticated())
	}
	return s.dialectToken(sh, sess, s.now())
}

func (s *Service) dialectToken(sh *Shop, sess *Session, now time.Time) (string, error) {
	ttl := DefaultDialectTokenTTL
	if m := s.cfg.MaxAccessTokenTTL; m > 0 && m < ttl {
		ttl = m
	}
	if rest := sess.ExpiresAt.Sub(now); rest < ttl {
		ttl = rest
	}
	if ttl <= 0 || sess.CustomerID == "" {
		return "", Unauthenticated()
	}
	return s.signer.Sign(AccessClaims{
		Issuer: s.cfg.Issuer, Subject: sess.CustomerID, Audience: sh.ID, SessionID: sess.ID,
		ID: s.newID("jti"), Scope: ScopeCustomer, IssuedAt: now, ExpiresAt: now.Add(ttl),
	})
}

// DialectRefresh re-issues an access token (there is no refresh token):
//   - a customer token of a live session → a new token of the same
//     session, whose idle timer is extended;
//   - a registration token whose identity now has a customer → a customer
//     token of a new session;
//   - a registration token still without customer → a new registration token.
func (s *Service) DialectRefresh(ctx context.Context, sh *Shop, token string, meta ClientMeta) (string, error) {
	now := s.now()
	if s.IsRegistrationToken(sh, token) {
		pi, err := s.pendingFromToken(sh, token)
		if err != nil {
			return "", err
		}
		if pi.CustomerID == "" {
			return s.registrationToken(sh, pi, now)
		}
		c, err := s.store.GetCustomer(ctx, sh.ID, pi.CustomerID)
		if err != nil {
			return "", notFoundAs(err, Unauthenticated())
		}
		if c.Status != StatusActive {
			return "", Unauthenticated()
		}
		var res *AuthResult
		err = s.store.InTx(ctx, func(tx Store) error {
			var err error
			res, err = s.login(ctx, tx, sh, c, meta, now)
			return err
		})
		if err != nil {
			return "", err
		}
		return s.DialectToken(ctx, sh, res.Tokens.SessionID)
	}
	p, err := s.Authenticate(ctx, sh.ID, token)
	if err != nil {
		return "", err
	}
	return s.touchDialectSession(ctx, sh, p, now)
}

// touchDialectSession checks the principal's session and customer, extends
// the idle timer and mints a dialect token.
func (s *Service) touchDialectSession(ctx context.Context, sh *Shop, p *Principal, now time.Time) (string, error) {
	sess, err := s.liveSession(ctx, sh, p.SessionID, now)
	if err != nil {
		return "", err
	}
	if err := s.store.TouchSession(ctx, sh.ID, sess.ID, now); err != nil {
		return "", err
	}
	return s.dialectToken(sh, sess, now)
}

func (s *Service) liveSession(ctx context.Context, sh *Shop, sid string, now time.Time) (*Session, error) {
	if s.revoked.has(sid) {
		return nil, Unauthenticated()
	}
	sess, err := s.store.GetSession(ctx, sh.ID, sid)
	if err != nil {
		return nil, notFoundAs(err, Unauthenticated())
	}
	if !sess.Active(now, s.settings(sh).RefreshIdleTTL) || sess.CustomerID == "" {
		return nil, Unauthenticated()
	}
	c, err := s.store.GetCustomer(ctx, sh.ID, sess.CustomerID)
	if err != nil {
		return nil, notFoundAs(err, Unauthenticated())
	}
	if c.Status != StatusActive {
		return nil, Unauthenticated()
	}
	return sess, nil
}

// StartCookieSession binds a new opaque cookie value (256 random bits,
// kept hashed) to the principal's session and returns it with the cookie's
// max age (the store's session idle TTL).
func (s *Service) StartCookieSession(ctx context.Context, sh *Shop, p *Principal) (string, time.Duration, error) {
	if _, err := s.liveSession(ctx, sh, p.SessionID, s.now()); err != nil {
		return "", 0, err
	}
	v := s.newSecret("", 32)
	d := s.dialect()
	d.mu.Lock()
	if n := len(d.cookies); n >= 1024 && n%1024 == 0 {
		// Forget cookies of revoked sessions now and then, so the map
		// does not grow with every logout.
		for k, cs := range d.cookies {
			if s.revoked.has(cs.SessionID) {
				delete(d.cookies, k)
			}
		}
	}
	d.cookies[sha256.Sum256([]byte(v))] = cookieSession{ShopID: sh.ID, CustomerID: p.CustomerID, SessionID: p.SessionID}
	d.mu.Unlock()
	return v, s.settings(sh).RefreshIdleTTL, nil
}

// AuthenticateCookie resolves a session cookie value of the store to its
// principal; revoked or expired sessions are refused. A cookie use extends
// the session's idle timer.
func (s *Service) AuthenticateCookie(ctx context.Context, sh *Shop, value string) (*Principal, error) {
	if value == "" || len(value) > 100 {
		return nil, Unauthenticated()
	}
	key := sha256.Sum256([]byte(value))
	d := s.dialect()
	d.mu.Lock()
	cs, ok := d.cookies[key]
	d.mu.Unlock()
	if !ok || cs.ShopID != sh.ID {
		return nil, Unauthenticated()
	}
	now := s.now()
	sess, err := s.liveSession(ctx, sh, cs.SessionID, now)
	if err != nil {
		d.mu.Lock()
		delete(d.cookies, key)
		d.mu.Unlock()
		return nil, err
	}
	_ = s.store.TouchSession(ctx, sh.ID, sess.ID, now)
	return &Principal{ShopID: sh.ID, CustomerID: cs.CustomerID, SessionID: cs.SessionID, Scope: ScopeCustomer, ExpiresAt: sess.ExpiresAt}, nil
}

// PasswordResetFor reports whether token is a live, unused reset token of
// the store that belongs to the customer with e-mail email, without
// consuming it (for wire formats whose reset completion names the e-mail).
func (s *Service) PasswordResetFor(ctx context.Context, sh *Shop, token, email string) bool {
	norm, err := NormalizeEmail(email)
	if err != nil || token == "" || len(token) > 200 {
		return false
	}
	r, err := s.store.GetPasswordResetByHash(ctx, hashToken(token))
	if err != nil || r.ShopID != sh.ID || r.UsedAt != nil || !s.now().Before(r.ExpiresAt) {
		return false
	}
	c, err := s.store.GetCustomer(ctx, sh.ID, r.CustomerID)
	return err == nil && c.EmailNormalized == norm
}
