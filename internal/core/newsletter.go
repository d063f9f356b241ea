package core

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Newsletter subscriptions: one per e-mail and store, optionally linked to
// the customer account with that e-mail, and verified by a double opt-in
// (a mailed link) unless the subscriber is the signed-in owner of the
// address. A customer's accepts_email_marketing flag and their linked
// subscription always agree: turning the flag on subscribes them
// (verified), turning it off or unsubscribing removes both.

// NewsletterSubscriber is one subscription.
type NewsletterSubscriber struct {
	ID              string // "sub_" + ULID
	ShopID          string
	Email           string // as given
	EmailNormalized string
	CustomerID      string // the linked account, "" for none
	VerifiedAt      *time.Time
	// TokenHash is the SHA-256 of the one outstanding mailed token, whose
	// use TokenPurpose names; nil when none is outstanding.
	TokenHash      []byte
	TokenPurpose   NewsletterTokenPurpose
	TokenExpiresAt *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Verified reports a confirmed opt-in.
func (n *NewsletterSubscriber) Verified() bool { return n.VerifiedAt != nil }

// NewsletterTokenPurpose says what a mailed subscriber token may do.
type NewsletterTokenPurpose string

// Newsletter token purposes.
const (
	NewsletterTokenNone        NewsletterTokenPurpose = ""
	NewsletterTokenVerify      NewsletterTokenPurpose = "verify"
	NewsletterTokenUnsubscribe NewsletterTokenPurpose = "unsubscribe"
)

// NewsletterStore keeps newsletter subscriptions.
type NewsletterStore interface {
	// CreateNewsletterSubscriber inserts n; ErrConflict when the shop has
	// the e-mail already, or the customer another subscription.
	CreateNewsletterSubscriber(ctx context.Context, n *NewsletterSubscriber) error
	GetNewsletterSubscriber(ctx context.Context, shopID, id string) (*NewsletterSubscriber, error)
	GetNewsletterSubscriberByEmail(ctx context.Context, shopID, emailNormalized string) (*NewsletterSubscriber, error)
	// GetNewsletterSubscriberByCustomer finds the subscription linked to
	// the shop's customer.
	GetNewsletterSubscriberByCustomer(ctx context.Context, shopID, customerID string) (*NewsletterSubscriber, error)
	// GetNewsletterSubscriberByTokenHash finds the shop's subscription whose
	// outstanding token hashes to hash.
	GetNewsletterSubscriberByTokenHash(ctx context.Context, shopID string, hash []byte) (*NewsletterSubscriber, error)
	// UpdateNewsletterSubscriber writes every mutable field of n (by shop and id).
	UpdateNewsletterSubscriber(ctx context.Context, n *NewsletterSubscriber) error
	DeleteNewsletterSubscriber(ctx context.Context, shopID, id string) error
}

// Newsletter events.
const (
	EventNewsletterSubscriptionRequested = "newsletter_subscriber.subscription_requested"
	EventNewsletterSubscribed            = "newsletter_subscriber.subscribed"
	EventNewsletterUnsubscribeRequested  = "newsletter_subscriber.unsubscribe_requested"
	EventNewsletterUnsubscribed          = "newsletter_subscriber.unsubscribed"
)

// CodeNewsletterTokenInvalid: a verification or unsubscribe token is
// unknown, used, expired or not for this subscription (422 in dialects).
const CodeNewsletterTokenInvalid = "newsletter_token_invalid"

// Storefront pages the mailed links point to when no redirect_url is given.
const (
	newsletterVerifyPage      = "/newsletter/verify"
	newsletterUnsubscribePage = "/newsletter/unsubscribe"
)

func keyNewsletterSend(shopID, email string) string { return "newsletter:send:" + shopID + ":" + email }
func keyNewsletterIP(shopID, ip string) string      { return "newsletter:ip:" + shopID + ":" + ip }
func keyNewsletterUseIP(shopID, ip string) string   { return "newsletter:use:ip:" + shopID + ":" + ip }
func keyNewsletterLeaveIP(shopID, ip string) string {
	return "newsletter:leave:ip:" + shopID + ":" + ip
}

func newsletterTokenInvalid() error {
	return newErr(ErrInvalid, CodeNewsletterTokenInvalid, "the newsletter link is invalid or has expired")
}

// forCaller hides the linked account from anyone but its owner, so an
// anonymous subscribe cannot tell which e-mails have accounts.
func (n *NewsletterSubscriber) forCaller(p *Principal) *NewsletterSubscriber {
	out := *n
	if p == nil || p.CustomerID == "" || p.CustomerID != n.CustomerID {
		out.CustomerID = ""
	}
	out.TokenHash, out.TokenPurpose, out.TokenExpiresAt = nil, NewsletterTokenNone, nil
	return &out
}

// CustomerNewsletter returns the subscription linked to the customer, or
// nil when there is none.
func (s *Service) CustomerNewsletter(ctx context.Context, shopID, customerID string) (*NewsletterSubscriber, error) {
	n, err := s.store.GetNewsletterSubscriberByCustomer(ctx, shopID, customerID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return n.forCaller(&Principal{CustomerID: customerID}), nil
}

// Subscribe subscribes an e-mail to the store's newsletter. When p is the
// signed-in customer whose e-mail it is, the subscription is linked to the
// account and verified at once (and accepts_email_marketing turns on).
// Otherwise it stays unverified and a verification link is mailed to the
// address (to redirectURL when on an allowed origin, else the store's
// page; a disallowed one is ignored, never an error). Subscribing again is
// no error: a verified subscription is returned as it is, an unverified
// one gets a fresh link.
func (s *Service) Subscribe(ctx context.Context, sh *Shop, p *Principal, email, redirectURL string, meta ClientMeta) (*NewsletterSubscriber, error) {
	norm, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if err := s.take(ctx, keyNewsletterIP(sh.ID, meta.IP), s.cfg.Limits.RegisterPerIP); err != nil {
		return nil, err
	}
	if p != nil && p.CustomerID != "" {
		c, err := s.store.GetCustomer(ctx, sh.ID, p.CustomerID)
		if err != nil {
			return nil, err
		}
		if c.EmailNormalized == norm {
			var out *NewsletterSubscriber
			err := s.store.InTx(ctx, func(tx Store) error {
				c, err := tx.GetCustomer(ctx, sh.ID, p.CustomerID)
				if err != nil {
					return err
				}
				if !c.AcceptsEmailMarketing {
					c.AcceptsEmailMarketing, c.UpdatedAt = true, s.now()
					if err := tx.UpdateCustomer(ctx, c); err != nil {
						return err
					}
				}
				out, err = s.linkNewsletter(ctx, tx, c)
				return err
			})
			if err != nil {
				return nil, err
			}
			return out.forCaller(p), nil
		}
	}
	n, err := s.store.GetNewsletterSubscriberByEmail(ctx, sh.ID, norm)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if n != nil && n.Verified() {
		return n.forCaller(p), nil
	}
	// Mails to one address are limited (outside the transaction: a
	// limiter call must not hold SQLite's single writer).
	if err := s.take(ctx, keyNewsletterSend(sh.ID, norm), s.cfg.Limits.EmailTokenSends); err != nil {
		return nil, err
	}
	var (
		out   *NewsletterSubscriber
		token string
	)
	err = s.store.InTx(ctx, func(tx Store) error {
		n, err := tx.GetNewsletterSubscriberByEmail(ctx, sh.ID, norm)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if n != nil && n.Verified() {
			out = n // verified in between
			return nil
		}
		now := s.now()
		create := n == nil
		if create {
			n = &NewsletterSubscriber{ID: s.newID("sub"), ShopID: sh.ID, Email: strings.TrimSpace(email),
				EmailNormalized: norm, CreatedAt: now}
		}
		token = s.setNewsletterToken(n, NewsletterTokenVerify, now)
		if create {
			err = tx.CreateNewsletterSubscriber(ctx, n)
		} else {
			err = tx.UpdateNewsletterSubscriber(ctx, n)
		}
		if err != nil {
			return err
		}
		out = n
		return s.emit(ctx, tx, sh.ID, EventNewsletterSubscriptionRequested, n.ID, map[string]any{"email": n.Email})
	})
	if err != nil {
		return nil, err
	}
	if token != "" {
		base := s.newsletterLinkBase(sh, redirectURL, newsletterVerifyPage)
		s.send(ctx, Message{
			To: out.Email, Kind: "newsletter_verification", Subject: "Confirm your subscription to " + sh.Name,
			ShopID: sh.ID, Vars: &MailVars{ShopName: sh.Name, Link: withQuery(base, "token", token), ValidFor: s.cfg.EmailTokenTTL.String()},
			Text: "Please confirm that you want to receive the " + sh.Name + " newsletter at this address.\n\n" +
				"Open this link within " + s.cfg.EmailTokenTTL.String() + ":\n\n" + withQuery(base, "token", token) +
				"\n\nIf you did not ask for it, ignore this message: you will not be subscribed.\n",
		})
	}
	return out.forCaller(p), nil
}

// setNewsletterToken draws a new token for n (replacing any outstanding
// one), stores its hash and returns it.
func (s *Service) setNewsletterToken(n *NewsletterSubscriber, purpose NewsletterTokenPurpose, now time.Time) string {
	token := s.newSecret("", 32)
	exp := now.Add(s.cfg.EmailTokenTTL)
	n.TokenHash, n.TokenPurpose, n.TokenExpiresAt, n.UpdatedAt = hashToken(token), purpose, &exp, now
	return token
}

// newsletterLinkBase is emailLinkBase that ignores a disallowed
// redirect_url (the answer must not probe the allow-list).
func (s *Service) newsletterLinkBase(sh *Shop, redirectURL, page string) string {
	base, err := s.emailLinkBase(sh, redirectURL, page)
	if err != nil {
		base, _ = s.emailLinkBase(sh, "", page)
	}
	return base
}

// linkNewsletter makes c's subscription a verified one of c's current
// e-mail, linked to c, inside tx. A subscription linked to c under an
// older address is replaced by the current address's.
func (s *Service) linkNewsletter(ctx context.Context, tx Store, c *Customer) (*NewsletterSubscriber, error) {
	byEmail, err := tx.GetNewsletterSubscriberByEmail(ctx, c.ShopID, c.EmailNormalized)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	byCustomer, err := tx.GetNewsletterSubscriberByCustomer(ctx, c.ShopID, c.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	n := byEmail
	if n == nil {
		n = byCustomer
	} else if byCustomer != nil && byCustomer.ID != n.ID {
		if err := tx.DeleteNewsletterSubscriber(ctx, c.ShopID, byCustomer.ID); err != nil {
			return nil, err
		}
	}
	now := s.now()
	create := n == nil
	if create {
		n = &NewsletterSubscriber{ID: s.newID("sub"), ShopID: c.ShopID, CreatedAt: now}
	}
	if !create && n.Verified() && n.CustomerID == c.ID && n.EmailNormalized == c.EmailNormalized {
		return n, nil // nothing to change
	}
	n.Email, n.EmailNormalized, n.CustomerID, n.UpdatedAt = c.Email, c.EmailNormalized, c.ID, now
	if n.VerifiedAt == nil {
		n.VerifiedAt = &now
	}
	n.TokenHash, n.TokenPurpose, n.TokenExpiresAt = nil, NewsletterTokenNone, nil
	if create {
		err = tx.CreateNewsletterSubscriber(ctx, n)
	} else {
		err = tx.UpdateNewsletterSubscriber(ctx, n)
	}
	if err != nil {
		return nil, err
	}
	return n, s.emit(ctx, tx, c.ShopID, EventNewsletterSubscribed, n.ID, map[string]any{"customer_id": c.ID})
}

// syncNewsletter makes the customer's subscription follow their
// accepts_email_marketing flag inside tx: on subscribes them (verified:
// they own the address), off removes their subscription. Surfaces that
// change the flag (profile updates) call it in the same transaction.
func (s *Service) syncNewsletter(ctx context.Context, tx Store, c *Customer) error {
	if c.AcceptsEmailMarketing {
		_, err := s.linkNewsletter(ctx, tx, c)
		return err
	}
	n, err := tx.GetNewsletterSubscriberByCustomer(ctx, c.ShopID, c.ID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := tx.DeleteNewsletterSubscriber(ctx, c.ShopID, n.ID); err != nil {
		return err
	}
	return s.emit(ctx, tx, c.ShopID, EventNewsletterUnsubscribed, n.ID, map[string]any{"customer_id": c.ID})
}

// newsletterOnRegister runs in a sign-up's transaction: an earlier
// subscription of the e-mail is linked to the new account, and a verified
// one turns accepts_email_marketing on; asking for marketing at sign-up
// subscribes the account. It may change c, which the caller then stores.
func (s *Service) newsletterOnRegister(ctx context.Context, tx Store, c *Customer) (changed bool, err error) {
	n, err := tx.GetNewsletterSubscriberByEmail(ctx, c.ShopID, c.EmailNormalized)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return false, err
	}
	if n != nil && n.CustomerID == "" {
		if n.Verified() && !c.AcceptsEmailMarketing {
			c.AcceptsEmailMarketing, changed = true, true
		}
		if !n.Verified() && !c.AcceptsEmailMarketing {
			n.CustomerID, n.UpdatedAt = c.ID, s.now()
			return changed, tx.UpdateNewsletterSubscriber(ctx, n)
		}
	}
	if c.AcceptsEmailMarketing {
		if _, err := s.linkNewsletter(ctx, tx, c); err != nil {
			return false, err
		}
	}
	return changed, nil
}

// VerifyNewsletter confirms a subscription with the token mailed to its
// address. If the store has an account with that e-mail and the account
// has no other subscription, the subscription is linked to it and its
// accepts_email_marketing turns on: a verified opt-in is the account
// owner's. Attempts are limited per IP; every failure looks the same.
func (s *Service) VerifyNewsletter(ctx context.Context, sh *Shop, token string, meta ClientMeta) (*NewsletterSubscriber, error) {
	n, err := s.newsletterByToken(ctx, sh, token, NewsletterTokenVerify, meta)
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		cur, err := tx.GetNewsletterSubscriberByTokenHash(ctx, sh.ID, n.TokenHash)
		if err != nil || cur.ID != n.ID {
			return notFoundAs(err, newsletterTokenInvalid())
		}
		now := s.now()
		n = cur
		n.VerifiedAt, n.UpdatedAt = &now, now
		n.TokenHash, n.TokenPurpose, n.TokenExpiresAt = nil, NewsletterTokenNone, nil
		c, err := tx.GetCustomerByEmail(ctx, sh.ID, n.EmailNormalized)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if c != nil {
			// Link to the account unless it has a subscription of its own.
			link := n.CustomerID == c.ID
			if n.CustomerID == "" {
				_, err := tx.GetNewsletterSubscriberByCustomer(ctx, sh.ID, c.ID)
				if err != nil && !errors.Is(err, ErrNotFound) {
					return err
				}
				link = errors.Is(err, ErrNotFound)
			}
			if link {
				n.CustomerID = c.ID
				if !c.AcceptsEmailMarketing {
					c.AcceptsEmailMarketing, c.UpdatedAt = true, now
					if err := tx.UpdateCustomer(ctx, c); err != nil {
						return err
					}
				}
			}
		}
		if err := tx.UpdateNewsletterSubscriber(ctx, n); err != nil {
			return err
		}
		return s.emit(ctx, tx, sh.ID, EventNewsletterSubscribed, n.ID, map[string]any{"customer_id": n.CustomerID})
	})
	if err != nil {
		return nil, err
	}
	return n.forCaller(nil), nil
}

// newsletterByToken finds the live subscription a token of the purpose
// belongs to.
func (s *Service) newsletterByToken(ctx context.Context, sh *Shop, token string, purpose NewsletterTokenPurpose, meta ClientMeta) (*NewsletterSubscriber, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, fieldErr("token", FieldRequired, "token is required")
	}
	if err := s.take(ctx, keyNewsletterUseIP(sh.ID, meta.IP), s.cfg.Limits.ResetCompletePerIP); err != nil {
		return nil, err
	}
	if len(token) > maxEmailTokenLength {
		return nil, newsletterTokenInvalid()
	}
	n, err := s.store.GetNewsletterSubscriberByTokenHash(ctx, sh.ID, hashToken(token))
	if err != nil {
		return nil, notFoundAs(err, newsletterTokenInvalid())
	}
	if n.TokenPurpose != purpose || n.TokenExpiresAt == nil || !s.now().Before(*n.TokenExpiresAt) {
		return nil, newsletterTokenInvalid()
	}
	return n, nil
}

// RequestNewsletterUnsubscribe mails an unsubscribe link to a subscribed
// address. It answers the same whether or not the address is subscribed
// (and for a malformed one), so it reveals nothing; only rate limits and
// outages fail it.
func (s *Service) RequestNewsletterUnsubscribe(ctx context.Context, sh *Shop, email, redirectURL string, meta ClientMeta) error {
	if err := s.take(ctx, keyNewsletterLeaveIP(sh.ID, meta.IP), s.cfg.Limits.ResetPerIP); err != nil {
		return err
	}
	norm, err := NormalizeEmail(email)
	if err != nil {
		return nil
	}
	n, err := s.store.GetNewsletterSubscriberByEmail(ctx, sh.ID, norm)
	if err != nil {
		return ignoreNotFound(err)
	}
	if err := s.take(ctx, keyNewsletterSend(sh.ID, norm), s.cfg.Limits.EmailTokenSends); err != nil {
		// Throttled quietly: a 429 here would tell the address is subscribed.
		return nil
	}
	var token string
	err = s.store.InTx(ctx, func(tx Store) error {
		var err error
		if n, err = tx.GetNewsletterSubscriber(ctx, sh.ID, n.ID); err != nil {
			return err
		}
		token = s.setNewsletterToken(n, NewsletterTokenUnsubscribe, s.now())
		if err := tx.UpdateNewsletterSubscriber(ctx, n); err != nil {
			return err
		}
		return s.emit(ctx, tx, sh.ID, EventNewsletterUnsubscribeRequested, n.ID, nil)
	})
	if err != nil {
		return ignoreNotFound(err)
	}
	base := s.newsletterLinkBase(sh, redirectURL, newsletterUnsubscribePage)
	s.send(ctx, Message{
		To: n.Email, Kind: "newsletter_unsubscribe", Subject: "Unsubscribe from the " + sh.Name + " newsletter",
		ShopID: sh.ID, Vars: &MailVars{ShopName: sh.Name, Link: withQuery(withQuery(base, "id", n.ID), "token", token), ValidFor: s.cfg.EmailTokenTTL.String()},
		Text: "To stop receiving the " + sh.Name + " newsletter at this address, open this link within " +
			s.cfg.EmailTokenTTL.String() + ":\n\n" + withQuery(withQuery(base, "id", n.ID), "token", token) +
			"\n\nIf you did not ask for it, ignore this message: nothing changes.\n",
	})
	return nil
}

// Unsubscribe removes subscription id: the signed-in customer's own (p),
// or any one with the unsubscribe token mailed for it. A customer's other
// ids are ErrNotFound; without a customer or a valid token the answer is
// CodeNewsletterTokenInvalid. Removing a customer's subscription turns
// their accepts_email_marketing off.
func (s *Service) Unsubscribe(ctx context.Context, sh *Shop, p *Principal, id, token string, meta ClientMeta) error {
	var target *NewsletterSubscriber
	if p != nil && p.CustomerID != "" {
		n, err := s.store.GetNewsletterSubscriber(ctx, sh.ID, id)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if n != nil && n.CustomerID == p.CustomerID {
			target = n
		} else if strings.TrimSpace(token) == "" {
			return ErrNotFound
		}
	}
	if target == nil {
		if strings.TrimSpace(token) == "" {
			return newsletterTokenInvalid()
		}
		n, err := s.newsletterByToken(ctx, sh, token, NewsletterTokenUnsubscribe, meta)
		if err != nil {
			return err
		}
		if n.ID != id {
			return newsletterTokenInvalid()
		}
		target = n
	}
	return s.store.InTx(ctx, func(tx Store) error {
		n, err := tx.GetNewsletterSubscriber(ctx, sh.ID, target.ID)
		if err != nil {
			return err
		}
		if err := tx.DeleteNewsletterSubscriber(ctx, sh.ID, n.ID); err != nil {
			return err
		}
		if n.CustomerID != "" {
			c, err := tx.GetCustomer(ctx, sh.ID, n.CustomerID)
			if err != nil {
				return err
			}
			if c.AcceptsEmailMarketing {
				c.AcceptsEmailMarketing, c.UpdatedAt = false, s.now()
				if err := tx.UpdateCustomer(ctx, c); err != nil {
					return err
				}
			}
		}
		return s.emit(ctx, tx, sh.ID, EventNewsletterUnsubscribed, n.ID, map[string]any{"customer_id": n.CustomerID})
	})
}
