package core

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Refresh exchanges a refresh token for a new pair (RFC 9700 §4.14 rotation).
//
//   - An active token is rotated: it is marked used and its child issued.
//   - A token rotated within the grace window whose child is still active
//     returns that same child: the client lost the first response and is
//     retrying. No second live token ever exists.
//   - Any other presentation of a rotated token is reuse: the token was
//     copied. The whole session is revoked, and the revocation is committed
//     even though the request fails.
func (s *Service) Refresh(ctx context.Context, sh *Shop, token string, meta ClientMeta) (*AuthResult, error) {
	if !strings.HasPrefix(token, refreshPrefix) || len(token) > 100 {
		return nil, invalidGrant()
	}
	st := s.settings(sh)
	now := s.now()
	var (
		sess   *Session
		cust   *Customer
		child  string
		reused bool
	)
	err := s.store.InTx(ctx, func(tx Store) error {
		child = s.childToken(token)
		// The fast path rotates first and judges after: a rejection below
		// returns an error, and the rollback undoes the rotation.
		rt, rotated, err := s.rotateFast(ctx, tx, sh.ID, token, child, now)
		if err != nil {
			return err
		}
		if rotated != nil {
			sess = rotated
		} else {
			if rt, err = tx.GetRefreshTokenByHash(ctx, hashToken(token)); err != nil {
				return notFoundAs(err, invalidGrant())
			}
			if sess, err = tx.GetSession(ctx, sh.ID, rt.SessionID); err != nil {
				return notFoundAs(err, invalidGrant())
			}
		}
		if !sess.Active(now, st.RefreshIdleTTL) {
			return invalidGrant()
		}
		// A guest session has no customer to check (DESIGN §3).
		if sess.CustomerID != "" {
			cust, err = tx.GetCustomer(ctx, sh.ID, sess.CustomerID)
			if err != nil {
				return notFoundAs(err, invalidGrant())
			}
			if cust.Status != StatusActive {
				return newErr(ErrUnauthenticated, CodeAccountDisabled, "this account is disabled")
			}
		}
		if rotated != nil {
			return nil // rotated, child inserted and session touched
		}
		if rt.RotatedAt == nil {
			if err := tx.MarkRefreshTokenRotated(ctx, rt.ID, now); err != nil {
				return err
			}
			next := &RefreshToken{ID: s.newID("rt"), SessionID: sess.ID, Hash: hashToken(child), ParentID: rt.ID, CreatedAt: now}
			if err := tx.CreateRefreshToken(ctx, next); err != nil {
				return err
			}
			return tx.TouchSession(ctx, sh.ID, sess.ID, now)
		}
		if now.Sub(*rt.RotatedAt) <= s.cfg.RefreshReuseGrace {
			c, err := tx.GetRefreshTokenChild(ctx, rt.ID)
			if err == nil && c.RotatedAt == nil {
				return nil // a retry: hand out the same child again
			}
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		reused = true
		if err := tx.RevokeSession(ctx, sh.ID, sess.ID, now, "refresh_token_reused"); err != nil {
			return err
		}
		return s.emit(ctx, tx, sh.ID, EventRefreshTokenReuse, sessionSubject(sess), map[string]any{"session_id": sess.ID})
	})
	if err != nil {
		return nil, err
	}
	if reused {
		s.reuses.Add(1)
		s.revokeLocal(now, sess.ID)
		s.log.Warn("refresh token reuse: session revoked", "session", sess.ID, "store", sh.ID)
		return nil, newErr(ErrUnauthenticated, CodeRefreshTokenReused, "the refresh token was already used; the session has been ended")
	}
	at, ttl, err := s.accessToken(sh, sess, now)
	if err != nil {
		return nil, err
	}
	return &AuthResult{Customer: cust, GuestID: sess.GuestID, Tokens: Tokens{AccessToken: at, ExpiresIn: ttl, RefreshToken: child, SessionID: sess.ID}}, nil
}

// rotateFast rotates the token through the store's [RefreshRotator] when it
// has one. It returns the session (non-nil) only when it rotated; a nil
// session with a nil error means "take the step-by-step path".
func (s *Service) rotateFast(ctx context.Context, tx Store, shopID, token, child string, now time.Time) (*RefreshToken, *Session, error) {
	r, ok := tx.(RefreshRotator)
	if !ok {
		return nil, nil, nil
	}
	next := &RefreshToken{ID: s.newID("rt"), Hash: hashToken(child), CreatedAt: now}
	rt, sess, err := r.RotateRefreshTokenByHash(ctx, shopID, hashToken(token), next, now)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, nil
	}
	return rt, sess, err
}

func invalidGrant() error {
	return newErr(ErrUnauthenticated, CodeRefreshTokenInvalid, "the refresh token is invalid, expired or revoked")
}

// notFoundAs turns ErrNotFound into repl and passes anything else through.
func notFoundAs(err, repl error) error {
	if errors.Is(err, ErrNotFound) {
		return repl
	}
	return err
}

// Logout ends the caller's session, or with all every session of the
// customer. A guest has one session, so all ends just that one.
func (s *Service) Logout(ctx context.Context, p *Principal, all bool) error {
	now := s.now()
	if !all || p.CustomerID == "" {
		if err := s.store.RevokeSession(ctx, p.ShopID, p.SessionID, now, "logout"); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		s.revokeLocal(now, p.SessionID)
		return nil
	}
	ids, err := s.store.RevokeCustomerSessions(ctx, p.ShopID, p.CustomerID, "", now, "logout_all")
	if err != nil {
		return err
	}
	s.revokeLocal(now, append(ids, p.SessionID)...)
	s.audit(ctx, p.ShopID, AuditSessionRevoked, p.CustomerID, "", "logout_all")
	return nil
}

// revokeOthers revokes every session of a customer but keep (which may be
// empty) inside tx and returns the ids, to be published after commit.
func (s *Service) revokeOthers(ctx context.Context, tx Store, shopID, customerID, keep, reason string, now time.Time) ([]string, error) {
	return tx.RevokeCustomerSessions(ctx, shopID, customerID, keep, now, reason)
}
