package core

import (
	"context"
	"errors"
	"time"
)

// Login checks an e-mail and password and starts a session.
//
// Every path that reaches the password check spends one argon2id verify:
// an unknown e-mail verifies against a dummy hash of the same cost, so the
// response time does not tell whether the account exists (SECURITY.md 1).
// Failures are counted per account and attempts per IP; the account budget
// is checked before any work, so a locked-out account costs nothing.
func (s *Service) Login(ctx context.Context, sh *Shop, email, password string, meta ClientMeta) (*AuthResult, error) {
	return s.LoginWithGuest(ctx, sh, email, password, "", meta)
}

// LoginWithGuest is Login from a guest session: when guestToken is a live
// guest access token of the same store, the new session keeps its guest id
// and the guest session ends (see loginAs). Any other guestToken is ignored,
// so a stale one never blocks a login.
func (s *Service) LoginWithGuest(ctx context.Context, sh *Shop, email, password, guestToken string, meta ClientMeta) (*AuthResult, error) {
	c, now, err := s.checkCredentials(ctx, sh, email, password, meta)
	if err != nil {
		return nil, err
	}
	guest := s.guestToLink(ctx, sh, guestToken)
	var res *AuthResult
	err = s.store.InTx(ctx, func(tx Store) error {
		var err error
		res, err = s.loginAs(ctx, tx, sh, c, guest, meta, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.guestLinked(now, res, guest)
	s.audit(ctx, sh.ID, AuditLoginSucceeded, c.ID, "", "")
	return res, nil
}

func invalidCredentials() error {
	return newErr(ErrUnauthenticated, CodeInvalidCredentials, "the e-mail or password is incorrect")
}

// checkCredentials is the password check of a login (limits, a constant
// verify cost, status, rehash), without starting a session.
func (s *Service) checkCredentials(ctx context.Context, sh *Shop, email, password string, meta ClientMeta) (*Customer, time.Time, error) {
	norm, err := NormalizeEmail(email)
	if err != nil {
		return nil, time.Time{}, err
	}
	if password == "" {
		return nil, time.Time{}, fieldErr("password", FieldRequired, "password is required")
	}
	if len(password) > 4*MaxPasswordLength {
		// Longer than any acceptable password: wrong, and not worth hashing.
		return nil, time.Time{}, invalidCredentials()
	}
	acctKey := keyLoginAccount(sh.ID, norm)
	if err := s.peek(ctx, acctKey, s.cfg.Limits.LoginFailuresPerAccount); err != nil {
		return nil, time.Time{}, err
	}
	// Known or not, the account does not change this answer: no enumeration.
	if err := s.work.shedEarly(); err != nil {
		return nil, time.Time{}, err
	}
	if err := s.take(ctx, keyLoginIP(sh.ID, meta.IP), s.cfg.Limits.LoginPerIP); err != nil {
		return nil, time.Time{}, err
	}
	c, err := s.store.GetCustomerByEmail(ctx, sh.ID, norm)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, time.Time{}, err
	}
	encoded := ""
	if c != nil {
		encoded = c.PasswordHash
	}
	ok, rehash, err := s.verify(ctx, sh.ID, normalizePassword(password), encoded)
	if err != nil {
		return nil, time.Time{}, err
	}
	if !ok {
		s.audit(ctx, sh.ID, AuditLoginFailed, customerIDOf(c), email, "bad_credentials") // on both paths: same work
		if err := s.take(ctx, acctKey, s.cfg.Limits.LoginFailuresPerAccount); err != nil {
			return nil, time.Time{}, err
		}
		return nil, time.Time{}, invalidCredentials()
	}
	if c.Status != StatusActive {
		s.audit(ctx, sh.ID, AuditLoginFailed, c.ID, email, "account_disabled")
		return nil, time.Time{}, newErr(ErrUnauthenticated, CodeAccountDisabled, "this account is disabled")
	}
	_ = s.limiter.Reset(ctx, acctKey)
	now := s.now()
	if rehash {
		// Upgrade the stored hash to the current parameters while we hold
		// the plaintext; failure only means we try again next login.
		if h, err := s.hash(ctx, normalizePassword(password)); err == nil {
			c.PasswordHash = h
			c.UpdatedAt = now
			if err := s.store.UpdateCustomer(ctx, c); err != nil {
				s.log.Warn("password rehash not saved", "err", err)
			}
		}
	}
	return c, now, nil
}
