package core

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
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

// DefaultDialectTokenTTL is the default of the store setting
// medusa_token_ttl (ShopSettings.MedusaTokenTTL): the lifetime of access
// tokens minted by DialectToken and DialectRefresh, bounded by
// Config.MaxAccessTokenTTL and the session's absolute expiry.
const DefaultDialectTokenTTL = 24 * time.Hour

// CodeAlreadyRegistered is the code of completing a sign-up whose identity
// already has a customer.
const CodeAlreadyRegistered = "already_registered"

// TokenClaims lays out a dialect's own claims of a token (see
// TokenShape.Claims): for a customer token customerID is set and
// identityID empty; for a registration token it is the other way round.
// nil means no claims of its own.
type TokenClaims func(customerID, identityID string) map[string]any

func (f TokenClaims) of(customerID, identityID string) map[string]any {
	if f == nil {
		return nil
	}
	return f(customerID, identityID)
}

// RegisterIdentity is step one of a two-step sign-up: it checks the e-mail
// and password, and records a pending identity for an hour in the store
// (so any node can complete it). It fails with ErrConflict (email_taken)
// when a customer with a password or a live pending identity already has
// the e-mail; the database lets exactly one of racing sign-ups win. It
// returns a registration token carrying claims("", identity id).
func (s *Service) RegisterIdentity(ctx context.Context, sh *Shop, email, password string, meta ClientMeta, claims TokenClaims) (string, error) {
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
	// Expired identities of every e-mail go here, so the table holds about
	// an hour of sign-ups whatever the traffic; the index on expiry keeps
	// this cheap.
	if _, err := s.store.PurgePendingIdentities(ctx, sh.ID, now); err != nil {
		return "", err
	}
	p := &PendingIdentity{
		ID: s.newID("authid"), ShopID: sh.ID, Email: strings.TrimSpace(email), EmailNormalized: norm,
		PasswordHash: hash, CreatedAt: now, ExpiresAt: now.Add(PendingIdentityTTL),
	}
	if err := s.store.CreatePendingIdentity(ctx, p); err != nil {
		if errors.Is(err, ErrConflict) {
			return "", taken
		}
		return "", err
	}
	return s.registrationToken(sh, p, now, claims)
}

// registrationToken signs the actorless token of a pending identity. The
// signer requires a sid, so the identity's id stands in for it: no session
// has that id, so the token never passes a customer route.
func (s *Service) registrationToken(sh *Shop, p *PendingIdentity, now time.Time, claims TokenClaims) (string, error) {
	return s.signer.Sign(AccessClaims{
		Issuer: s.cfg.Issuer, Subject: p.ID, Audience: sh.ID, SessionID: p.ID, ID: s.newID("jti"),
		Scope: ScopeRegistration, IssuedAt: now, ExpiresAt: p.ExpiresAt, Extra: claims.of("", p.ID),
	})
}

// DialectLogin is Login that also finishes an interrupted two-step sign-up:
// when the e-mail has no customer but a live pending identity whose
// password matches, it returns a registration token instead of a session.
func (s *Service) DialectLogin(ctx context.Context, sh *Shop, email, password string, meta ClientMeta, claims TokenClaims) (*AuthResult, string, error) {
	res, err := s.Login(ctx, sh, email, password, meta)
	if err == nil || CodeOf(err) != CodeInvalidCredentials {
		return res, "", err
	}
	norm, nerr := NormalizeEmail(email)
	if nerr != nil {
		return nil, "", err
	}
	now := s.now()
	p, perr := s.store.GetPendingIdentityByEmail(ctx, sh.ID, norm)
	if perr != nil {
		if errors.Is(perr, ErrNotFound) {
			return nil, "", err
		}
		return nil, "", perr
	}
	if !now.Before(p.ExpiresAt) {
		return nil, "", err
	}
	ok, _, verr := s.verify(ctx, sh.ID, normalizePassword(password), p.PasswordHash)
	if verr != nil {
		return nil, "", verr
	}
	if !ok {
		return nil, "", err
	}
	tok, terr := s.registrationToken(sh, p, now, claims)
	return nil, tok, terr
}

// pendingFromToken verifies a registration token of the store and reads
// its identity from the store.
func (s *Service) pendingFromToken(ctx context.Context, sh *Shop, token string) (*PendingIdentity, error) {
	c, err := s.signer.Verify(token, s.clock.Now())
	if err != nil || c.Audience != sh.ID || c.Scope != ScopeRegistration {
		return nil, Unauthenticated()
	}
	p, err := s.store.GetPendingIdentity(ctx, sh.ID, c.Subject)
	if err != nil {
		return nil, notFoundAs(err, Unauthenticated())
	}
	return p, nil
}

// IsRegistrationToken reports whether token is a well-formed registration
// token of the store (signature, time and scope), live or already used.
func (s *Service) IsRegistrationToken(sh *Shop, token string) bool {
	c, err := s.signer.Verify(token, s.clock.Now())
	return err == nil && c.Audience == sh.ID && c.Scope == ScopeRegistration
}

// CompleteIdentity is step two of a two-step sign-up: it creates the
// customer of the registration token's pending identity (or upgrades a
// guest customer with that e-mail in place) with profile p, and attaches
// the identity to it. email, when not empty, must be the identity's
// e-mail. A new customer's id carries the identity's ULID, so a dialect
// can name the identity from the customer id alone.
func (s *Service) CompleteIdentity(ctx context.Context, sh *Shop, token, email string, p ProfileUpdate) (*Customer, error) {
	pi, err := s.pendingFromToken(ctx, sh, token)
	if err != nil {
		return nil, err
	}
	if pi.CustomerID != "" {
		return nil, newErr(ErrForbidden, CodeAlreadyRegistered, "the identity already has a customer")
	}
	var fields []FieldError
	if email != "" {
		if n, err := NormalizeEmail(email); err != nil || n != pi.EmailNormalized {
			fields = append(fields, FieldError{Field: "email", Code: FieldInvalid, Message: "Email does not match the registered identity"})
		}
	}
	fields = append(fields, p.validate()...)
	if len(fields) > 0 {
		return nil, &ValidationError{Code: CodeValidationFailed, Fields: fields}
	}
	now := s.now()
	taken := newErr(ErrConflict, CodeEmailTaken, "an account with this e-mail already exists")
	var c *Customer
	err = s.store.InTx(ctx, func(tx Store) error {
		g, err := tx.GetCustomerByEmail(ctx, sh.ID, pi.EmailNormalized)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if g != nil {
			if g.PasswordHash != "" {
				return taken
			}
			g.PasswordHash, g.PasswordChangedAt, g.UpdatedAt = pi.PasswordHash, &now, now
			p.apply(g)
			c = g
			if err := tx.UpdateCustomer(ctx, g); err != nil {
				return err
			}
		} else {
			c = &Customer{
				ID: "cus_" + strings.TrimPrefix(pi.ID, "authid_"), ShopID: sh.ID, Email: pi.Email, EmailNormalized: pi.EmailNormalized,
				PasswordHash: pi.PasswordHash, Status: StatusActive, PasswordChangedAt: &now, CreatedAt: now, UpdatedAt: now,
			}
			p.apply(c)
			if err := tx.CreateCustomer(ctx, c); err != nil {
				if errors.Is(err, ErrConflict) {
					return taken
				}
				return err
			}
			if err := s.emit(ctx, tx, sh.ID, EventCustomerCreated, c.ID, map[string]any{"email": c.Email}); err != nil {
				return err
			}
		}
		// Two completions of one token race here: the attach is
		// conditional, so the loser rolls back its customer.
		if err := tx.AttachPendingIdentity(ctx, sh.ID, pi.ID, c.ID); err != nil {
			if errors.Is(err, ErrConflict) {
				return newErr(ErrForbidden, CodeAlreadyRegistered, "the identity already has a customer")
			}
			return notFoundAs(err, Unauthenticated())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A passwordless customer upgraded in place is welcomed like a new
	// one: either way the customer has just chosen a password.
	s.sendWelcome(ctx, sh, c)
	return c, nil
}

// DialectToken mints an access token for a live customer session of the
// store through ShapedToken, with the deployment issuer (so it also passes
// Authenticate), claims(customer id, "") as its extra claims and the
// store's dialect lifetime (medusa_token_ttl, default 24 h), never past the
// session's absolute expiry nor Config.MaxAccessTokenTTL.
func (s *Service) DialectToken(ctx context.Context, sh *Shop, sessionID string, claims TokenClaims) (string, error) {
	sess, err := s.store.GetSession(ctx, sh.ID, sessionID)
	if err != nil {
		return "", notFoundAs(err, Unauthenticated())
	}
	if sess.CustomerID == "" {
		return "", Unauthenticated()
	}
	tok, _, err := s.ShapedToken(ctx, sh, sessionID, TokenShape{
		Claims: claims.of(sess.CustomerID, ""), TTL: s.settings(sh).MedusaTokenTTL,
	})
	return tok, err
}

// AuthenticateDialect verifies a customer access token of the store (one
// from DialectToken or the native API) and checks its session in the
// store, so a logout on any node is seen at once on every node.
func (s *Service) AuthenticateDialect(ctx context.Context, sh *Shop, token string) (*Principal, error) {
	p, _, err := s.AuthenticateShaped(ctx, sh, token, s.cfg.Issuer, "")
	return p, err
}

// DialectRefresh re-issues an access token (there is no refresh token):
//   - a customer token of a live session → a new token of the same
//     session, whose idle timer is extended;
//   - a registration token whose identity now has a customer → a customer
//     token of a new session;
//   - a registration token still without customer → a new registration token.
func (s *Service) DialectRefresh(ctx context.Context, sh *Shop, token string, meta ClientMeta, claims TokenClaims) (string, error) {
	now := s.now()
	if s.IsRegistrationToken(sh, token) {
		pi, err := s.pendingFromToken(ctx, sh, token)
		if err != nil {
			return "", err
		}
		if pi.CustomerID == "" {
			return s.registrationToken(sh, pi, now, claims)
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
		return s.DialectToken(ctx, sh, res.Tokens.SessionID, claims)
	}
	p, err := s.AuthenticateDialect(ctx, sh, token)
	if err != nil {
		return "", err
	}
	return s.TouchDialectSession(ctx, sh, p, claims)
}

// TouchDialectSession checks the principal's session and customer, extends
// the idle timer and mints a dialect token of that session.
func (s *Service) TouchDialectSession(ctx context.Context, sh *Shop, p *Principal, claims TokenClaims) (string, error) {
	now := s.now()
	sess, err := s.liveSession(ctx, sh, p.SessionID, now)
	if err != nil {
		return "", err
	}
	if err := s.store.TouchSession(ctx, sh.ID, sess.ID, now); err != nil {
		return "", err
	}
	return s.DialectToken(ctx, sh, sess.ID, claims)
}

func (s *Service) liveSession(ctx context.Context, sh *Shop, sid string, now time.Time) (*Session, error) {
	sess, err := s.shapedSession(ctx, sh, sid, now)
	if err != nil {
		return nil, err
	}
	if sess.CustomerID == "" {
		return nil, Unauthenticated()
	}
	return sess, nil
}

// StartCookieSession binds a new opaque cookie value (256 random bits; the
// store keeps only its SHA-256) to the principal's session and returns it
// with the cookie's max age (the store's session idle TTL). The binding
// lives in the store, so the cookie works on every node, and dies with
// the session.
func (s *Service) StartCookieSession(ctx context.Context, sh *Shop, p *Principal) (string, time.Duration, error) {
	now := s.now()
	sess, err := s.liveSession(ctx, sh, p.SessionID, now)
	if err != nil {
		return "", 0, err
	}
	// Expired bindings of the store go here, as with pending identities.
	if _, err := s.store.PurgeSessionCookies(ctx, sh.ID, now); err != nil {
		return "", 0, err
	}
	v := s.newSecret("", 32)
	h := sha256.Sum256([]byte(v))
	err = s.store.CreateSessionCookie(ctx, &SessionCookie{Hash: h[:], ShopID: sh.ID, SessionID: sess.ID, CreatedAt: now, ExpiresAt: sess.ExpiresAt})
	if err != nil {
		return "", 0, notFoundAs(err, Unauthenticated())
	}
	return v, s.settings(sh).RefreshIdleTTL, nil
}

// AuthenticateCookie resolves a session cookie value of the store to its
// principal; revoked or expired sessions are refused (read from the store,
// so a logout on one node reaches all). A cookie use extends the session's
// idle timer.
func (s *Service) AuthenticateCookie(ctx context.Context, sh *Shop, value string) (*Principal, error) {
	if value == "" || len(value) > 100 {
		return nil, Unauthenticated()
	}
	h := sha256.Sum256([]byte(value))
	ck, err := s.store.GetSessionCookie(ctx, sh.ID, h[:])
	if err != nil {
		return nil, notFoundAs(err, Unauthenticated())
	}
	now := s.now()
	if !now.Before(ck.ExpiresAt) {
		return nil, Unauthenticated()
	}
	sess, err := s.liveSession(ctx, sh, ck.SessionID, now)
	if err != nil {
		if errors.Is(err, ErrUnauthenticated) {
			// The session is over for good; so is its cookie.
			_ = s.store.DeleteSessionCookie(ctx, sh.ID, h[:])
		}
		return nil, err
	}
	_ = s.store.TouchSession(ctx, sh.ID, sess.ID, now)
	return &Principal{ShopID: sh.ID, CustomerID: sess.CustomerID, SessionID: sess.ID, Scope: ScopeCustomer, ExpiresAt: sess.ExpiresAt}, nil
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
