package core

import (
	"context"
	"time"
)

// Guest events.
const (
	// EventGuestLinked: a guest registered or logged in; its guest id now
	// belongs to the customer, so the store can attach the guest's cart or
	// basket to the account.
	EventGuestLinked = "customer.guest_linked"
)

// reasonGuestLinked is the revoke reason of a guest session that became a
// customer session.
const reasonGuestLinked = "guest_linked"

// GuestResult is a new guest session.
type GuestResult struct {
	GuestID string // "gst_" + ULID, the handle a cart or basket is kept under
	Tokens  Tokens
}

// StartGuestSession starts a session for an anonymous shopper (SLAS
// hint=guest, Medusa and Spree carts): no customer, a fresh guest id, an
// access token with scope guest and a refresh token that rotates like a
// customer's. The session lives at most Config.GuestSessionTTL and, like a
// customer's, ends when unused for the store's refresh idle TTL.
//
// Starting one writes rows, so it spends the per-IP sign-up budget (in a
// budget of its own): an anonymous caller must not be able to fill the
// sessions table at will. Like a login, it writes no outbox event: a guest
// session is not a change the store's back end reacts to until it is linked.
func (s *Service) StartGuestSession(ctx context.Context, sh *Shop, meta ClientMeta) (*GuestResult, error) {
	if err := s.take(ctx, keyGuestIP(sh.ID, meta.IP), s.cfg.Limits.RegisterPerIP); err != nil {
		return nil, err
	}
	now := s.now()
	sess := &Session{GuestID: s.newID("gst"), ExpiresAt: now.Add(s.cfg.GuestSessionTTL)}
	var refresh string
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		sess, refresh, err = s.startSessionAs(ctx, tx, sh, sess, meta, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	at, ttl, err := s.accessToken(sh, sess, now)
	if err != nil {
		return nil, err
	}
	return &GuestResult{GuestID: sess.GuestID, Tokens: Tokens{AccessToken: at, ExpiresIn: ttl, RefreshToken: refresh, SessionID: sess.ID}}, nil
}

// AuthenticateGuest verifies a guest access token (scope guest); shopID,
// when not empty, must be its store. A customer token is refused.
func (s *Service) AuthenticateGuest(ctx context.Context, shopID, token string) (*Principal, error) {
	return s.authenticate(shopID, token, ScopeGuest)
}

// AuthenticateSession verifies a customer's or a guest's access token, for
// the few routes both may call (logout). The Principal's CustomerID is empty
// for a guest.
func (s *Service) AuthenticateSession(ctx context.Context, shopID, token string) (*Principal, error) {
	return s.authenticate(shopID, token, ScopeCustomer, ScopeGuest)
}

// guestToLink returns the guest session a sign-up or login should link, or
// nil. The token must be a live guest access token of sh whose session is
// still active. Anything else is ignored and logged at debug level: a
// storefront sending a stale guest token must not stop a customer from
// logging in, and linking is a convenience, never a requirement.
func (s *Service) guestToLink(ctx context.Context, sh *Shop, token string) *Session {
	if token == "" {
		return nil
	}
	p, err := s.authenticate(sh.ID, token, ScopeGuest)
	if err != nil {
		s.log.Debug("guest token ignored", "reason", CodeOf(err), "store", sh.ID)
		return nil
	}
	sess, err := s.store.GetSession(ctx, sh.ID, p.SessionID)
	if err != nil {
		s.log.Debug("guest session ignored", "reason", CodeOf(err), "store", sh.ID)
		return nil
	}
	if sess.CustomerID != "" || sess.GuestID != p.GuestID || !sess.Active(s.now(), s.settings(sh).RefreshIdleTTL) {
		s.log.Debug("guest session ignored", "reason", "not a live guest session", "store", sh.ID)
		return nil
	}
	return sess
}

// loginAs starts a session for c inside tx and returns its tokens. With a
// guest session (from guestToLink), the new session keeps the guest's id,
// the guest session ends (reason guest_linked) and customer.guest_linked is
// emitted, all in tx.
//
// The guest session is read again inside tx so that of two logins from one
// guest token only the first links it where the store serialises writers
// (SQLite); on PostgreSQL two exactly concurrent logins from one guest token
// may both link it, which leaves one guest id on two sessions and two
// events, harmless for a cart handle.
func (s *Service) loginAs(ctx context.Context, tx Store, sh *Shop, c *Customer, guest *Session, meta ClientMeta, now time.Time) (*AuthResult, error) {
	sess := &Session{CustomerID: c.ID, ExpiresAt: now.Add(s.settings(sh).RefreshTokenTTL)}
	if guest != nil {
		g, err := tx.GetSession(ctx, sh.ID, guest.ID)
		if err != nil {
			return nil, err
		}
		if g.RevokedAt == nil {
			sess.GuestID = g.GuestID
		}
	}
	sess, refresh, err := s.startSessionAs(ctx, tx, sh, sess, meta, now)
	if err != nil {
		return nil, err
	}
	if sess.GuestID != "" {
		if err := tx.RevokeSession(ctx, sh.ID, guest.ID, now, reasonGuestLinked); err != nil {
			return nil, err
		}
		if err := s.emit(ctx, tx, sh.ID, EventGuestLinked, c.ID, map[string]any{
			"guest_id": sess.GuestID, "customer_id": c.ID, "session_id": sess.ID,
		}); err != nil {
			return nil, err
		}
	}
	at, ttl, err := s.accessToken(sh, sess, now)
	if err != nil {
		return nil, err
	}
	return &AuthResult{Customer: c, GuestID: sess.GuestID, Tokens: Tokens{AccessToken: at, ExpiresIn: ttl, RefreshToken: refresh, SessionID: sess.ID}}, nil
}

// guestLinked, after the commit of a login that linked guest, puts the
// guest session on the deny-list, so its access token stops working at once.
func (s *Service) guestLinked(now time.Time, res *AuthResult, guest *Session) {
	if guest != nil && res.GuestID != "" {
		s.revokeLocal(now, guest.ID)
	}
}

// sessionSubject is the id an event about a session is about: its customer,
// or for a guest session its guest id.
func sessionSubject(sess *Session) string {
	if sess.CustomerID != "" {
		return sess.CustomerID
	}
	return sess.GuestID
}

func keyGuestIP(shopID, ip string) string { return "guest:ip:" + shopID + ":" + ip }
