package core

import (
	"context"
	"errors"
	"strings"
	"time"
)

// E-mail verification events.
const (
	EventEmailVerificationRequested = "customer.email_verification_requested"
	EventEmailVerified              = "customer.email_verified"
)

// E-mail token error codes.
const (
	// CodeEmailTokenInvalid: a verification, e-mail-change or claim token
	// is unknown, used, expired, or not for this request (400).
	CodeEmailTokenInvalid = "email_token_invalid"
	// CodeEmailAlreadyVerified: a verification mail was asked for an
	// e-mail that is verified already (409).
	CodeEmailAlreadyVerified = "email_already_verified"
)

// maxEmailTokenLength bounds a presented token; ours are 43 characters.
const maxEmailTokenLength = 200

// Storefront pages e-mailed links point to when the request names no
// redirect_url: on the origin of the store's password-reset page.
const (
	verifyEmailPage  = "/verify-email"
	confirmEmailPage = "/confirm-email"
	claimOrdersPage  = "/claim-orders"
)

// EmailConfirmation is the outcome of confirming an e-mail (verification
// or change): the customer as it now is, and the guest orders that became
// theirs.
type EmailConfirmation struct {
	Customer      *Customer
	OrdersClaimed []string
}

// Rate-limit keys of e-mail tokens: mails sent per customer, and
// confirmations (token guesses) per client IP.
func keyEmailTokenSend(shopID, customerID string) string {
	return "etoken:send:" + shopID + ":" + customerID
}
func keyEmailTokenUseIP(shopID, ip string) string { return "etoken:use:ip:" + shopID + ":" + ip }

// RequestEmailVerification mails a single-use verification link to the
// customer's current address. Older verification links stop working. An
// address that is verified already answers 409 email_already_verified:
// the caller is the account's owner, so this tells nobody anything new,
// and a storefront can show "already verified" instead of a mail that
// never comes.
func (s *Service) RequestEmailVerification(ctx context.Context, sh *Shop, p *Principal, redirectURL string) error {
	base, err := s.emailLinkBase(sh, redirectURL, verifyEmailPage)
	if err != nil {
		return err
	}
	c, err := s.store.GetCustomer(ctx, p.ShopID, p.CustomerID)
	if err != nil {
		return err
	}
	if c.EmailVerifiedAt != nil {
		return newErr(ErrConflict, CodeEmailAlreadyVerified, "the e-mail is already verified")
	}
	if err := s.take(ctx, keyEmailTokenSend(sh.ID, c.ID), s.cfg.Limits.EmailTokenSends); err != nil {
		return err
	}
	now := s.now()
	var token string
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.InvalidateEmailTokens(ctx, sh.ID, c.ID, PurposeVerifyEmail, now); err != nil {
			return err
		}
		var err error
		if token, err = s.issueEmailToken(ctx, tx, c, PurposeVerifyEmail, c.Email, "", now); err != nil {
			return err
		}
		return s.emit(ctx, tx, sh.ID, EventEmailVerificationRequested, c.ID, map[string]any{"redirect_origin": originOf(base)})
	})
	if err != nil {
		return err
	}
	s.send(ctx, Message{
		To: c.Email, Kind: "email_verification", Subject: "Confirm your e-mail address for " + sh.Name,
		ShopID: sh.ID, Vars: &MailVars{ShopName: sh.Name, Link: withQuery(base, "token", token), ValidFor: s.cfg.EmailTokenTTL.String()},
		Text: "Please confirm that this is the e-mail address of your " + sh.Name + " account.\n\n" +
			"Open this link within " + s.cfg.EmailTokenTTL.String() + ":\n\n" + withQuery(base, "token", token) +
			"\n\nIf you did not create an account, ignore this message.\n",
	})
	return nil
}

// ConfirmEmailVerification marks the address a token was mailed to as
// verified, if it is still the customer's, and in the same transaction
// links every guest order of the store placed with that address to the
// customer. It needs no session: the link is often opened on another
// device. Proof of reading the mailbox is the token itself.
func (s *Service) ConfirmEmailVerification(ctx context.Context, sh *Shop, token string, meta ClientMeta) (*EmailConfirmation, error) {
	t, err := s.emailTokenFor(ctx, sh, token, PurposeVerifyEmail, meta)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := &EmailConfirmation{}
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := useEmailToken(ctx, tx, t, now); err != nil {
			return err
		}
		c, err := tx.GetCustomer(ctx, sh.ID, t.CustomerID)
		if err != nil {
			return notFoundAs(err, emailTokenInvalid())
		}
		norm, err := NormalizeEmail(t.Email)
		if err != nil || norm != c.EmailNormalized {
			// The customer changed address since the mail was sent.
			return emailTokenInvalid()
		}
		if c.EmailVerifiedAt == nil {
			c.EmailVerifiedAt, c.UpdatedAt = &now, now
			if err := tx.UpdateCustomer(ctx, c); err != nil {
				return err
			}
			if err := s.emit(ctx, tx, sh.ID, EventEmailVerified, c.ID, map[string]any{"email": c.Email}); err != nil {
				return err
			}
		}
		out.Customer = c
		out.OrdersClaimed, err = s.claimByEmail(ctx, tx, c, "verified_email")
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// claimByEmail links every unowned order of the store placed with the
// customer's (verified) address to the customer.
func (s *Service) claimByEmail(ctx context.Context, tx Store, c *Customer, via string) ([]string, error) {
	ids, err := tx.ClaimOrders(ctx, c.ShopID, c.ID, c.EmailNormalized, nil)
	if err != nil {
		return nil, err
	}
	if ids == nil {
		ids = []string{}
	}
	return ids, s.emitClaimed(ctx, tx, c.ShopID, c.ID, via, ids)
}

// emailLinkBase picks the page a mailed link points to: redirectURL when
// given (checked against the store's allowed origins by the reset rules),
// else page on the origin of the store's password-reset page.
func (s *Service) emailLinkBase(sh *Shop, redirectURL, page string) (string, error) {
	base, err := s.resetBase(sh, redirectURL)
	if err != nil || redirectURL != "" {
		return base, err
	}
	return originOf(base) + page, nil
}

// issueEmailToken stores a new token for c inside tx and returns it.
func (s *Service) issueEmailToken(ctx context.Context, tx Store, c *Customer, purpose VerificationPurpose, email, subject string, now time.Time) (string, error) {
	token := s.newSecret("", 32)
	err := tx.CreateEmailToken(ctx, &EmailToken{
		ID: s.newID("etk"), ShopID: c.ShopID, CustomerID: c.ID, Purpose: purpose, Email: email, Subject: subject,
		Hash: hashToken(token), CreatedAt: now, ExpiresAt: now.Add(s.cfg.EmailTokenTTL),
	})
	return token, err
}

// emailTokenFor finds a live token of the purpose for the store. Attempts
// are limited per IP like reset completions (SECURITY.md 25), and every
// failure looks the same.
func (s *Service) emailTokenFor(ctx context.Context, sh *Shop, token string, purpose VerificationPurpose, meta ClientMeta) (*EmailToken, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, fieldErr("token", FieldRequired, "token is required")
	}
	if err := s.take(ctx, keyEmailTokenUseIP(sh.ID, meta.IP), s.cfg.Limits.ResetCompletePerIP); err != nil {
		return nil, err
	}
	if len(token) > maxEmailTokenLength {
		return nil, emailTokenInvalid()
	}
	t, err := s.store.GetEmailTokenByHash(ctx, hashToken(token))
	if err != nil {
		return nil, notFoundAs(err, emailTokenInvalid())
	}
	if t.ShopID != sh.ID || t.Purpose != purpose || t.UsedAt != nil || !s.now().Before(t.ExpiresAt) {
		return nil, emailTokenInvalid()
	}
	return t, nil
}

// useEmailToken consumes t inside tx: of two concurrent confirmations
// exactly one gets past this.
func useEmailToken(ctx context.Context, tx Store, t *EmailToken, now time.Time) error {
	err := tx.UseEmailToken(ctx, t.ID, now)
	if errors.Is(err, ErrConflict) || errors.Is(err, ErrNotFound) {
		return emailTokenInvalid()
	}
	return err
}

func emailTokenInvalid() error {
	return newErr(ErrInvalid, CodeEmailTokenInvalid, "the link is invalid or has expired")
}
