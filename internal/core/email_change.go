package core

import (
	"context"
	"errors"
	"strings"
)

// E-mail change events.
const (
	EventEmailChangeRequested = "customer.email_change_requested"
	EventEmailChanged         = "customer.email_changed"
)

// EmailChange is a customer's request to move their account to another
// address.
type EmailChange struct {
	NewEmail    string
	Password    string // the current password
	RedirectURL string // page the confirmation link points to; optional
}

// RequestEmailChange starts moving the account to a new address. It needs
// the current password (a stolen access token alone must not be able to
// take the account over by redirecting its mail; SECURITY.md 30): a
// missing or wrong one is 403 current_password_invalid, and a wrong one
// counts as a failed login. A confirmation link goes to the new address
// and a notice to the old one; nothing changes until the link is opened,
// so the old address keeps working for login and resets meanwhile.
//
// A new address that another account of the store has answers 409
// email_taken. That tells whether an address has an account, but only to
// someone holding this account's password, behind the failed-login and
// mail-sending limits; a silent accept would leave the customer waiting
// for a mail that can never work.
func (s *Service) RequestEmailChange(ctx context.Context, sh *Shop, p *Principal, in EmailChange) error {
	c, err := s.store.GetCustomer(ctx, p.ShopID, p.CustomerID)
	if err != nil {
		return err
	}
	norm, err := NormalizeEmail(in.NewEmail)
	if err != nil {
		return renameEmailField(err, "email", "new_email")
	}
	if norm == c.EmailNormalized {
		return fieldErr("new_email", FieldInvalid, "new_email is the account's current e-mail")
	}
	base, err := s.emailLinkBase(sh, in.RedirectURL, confirmEmailPage)
	if err != nil {
		return err
	}
	if err := s.emailChangePassword(ctx, sh, c, in.Password); err != nil {
		return err
	}
	if _, err := s.store.GetCustomerByEmail(ctx, sh.ID, norm); err == nil {
		return errEmailChangeTaken()
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	if err := s.take(ctx, keyEmailTokenSend(sh.ID, c.ID), s.cfg.Limits.EmailTokenSends); err != nil {
		return err
	}
	newEmail := strings.TrimSpace(in.NewEmail)
	now := s.now()
	var token string
	err = s.store.InTx(ctx, func(tx Store) error {
		// Only the newest request can complete.
		if err := tx.InvalidateEmailTokens(ctx, sh.ID, c.ID, PurposeChangeEmail, now); err != nil {
			return err
		}
		var err error
		if token, err = s.issueEmailToken(ctx, tx, c, PurposeChangeEmail, newEmail, "", now); err != nil {
			return err
		}
		return s.emit(ctx, tx, sh.ID, EventEmailChangeRequested, c.ID, map[string]any{"new_email": newEmail})
	})
	if err != nil {
		return err
	}
	s.send(ctx, Message{
		To: newEmail, Kind: "email_change_confirmation", Subject: "Confirm your new e-mail address for " + sh.Name,
		ShopID: sh.ID, Vars: &MailVars{ShopName: sh.Name, Link: withQuery(base, "token", token), ValidFor: s.cfg.EmailTokenTTL.String()},
		Text: "You asked to use this address for your " + sh.Name + " account.\n\n" +
			"To confirm, open this link within " + s.cfg.EmailTokenTTL.String() + ":\n\n" + withQuery(base, "token", token) +
			"\n\nUntil then your account keeps its current address. If it was not you, ignore this message.\n",
	})
	s.send(ctx, Message{
		To: c.Email, Kind: "email_change_notice", Subject: "A change of your " + sh.Name + " e-mail address was requested",
		ShopID: sh.ID, Vars: &MailVars{ShopName: sh.Name, NewEmail: MaskEmail(newEmail)},
		Text: "Someone signed in to your " + sh.Name + " account asked to change its e-mail address to " + MaskEmail(newEmail) + ".\n\n" +
			"Nothing changes unless the new address confirms it. If it was not you, change your password now and contact the store.\n",
	})
	return nil
}

// ConfirmEmailChange moves the account to the address the token was
// mailed to, marks it verified (the link proves the mailbox), ends
// outstanding password resets and other e-mail-change links (SECURITY.md
// 24: a reset mailed to the old address must not reopen the account), and
// links the new address's guest orders. Sessions stay: the change was
// asked for with the password.
func (s *Service) ConfirmEmailChange(ctx context.Context, sh *Shop, token string, meta ClientMeta) (*EmailConfirmation, error) {
	t, err := s.emailTokenFor(ctx, sh, token, PurposeChangeEmail, meta)
	if err != nil {
		return nil, err
	}
	norm, err := NormalizeEmail(t.Email)
	if err != nil {
		return nil, emailTokenInvalid()
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
		old := c.Email
		c.Email, c.EmailNormalized, c.EmailVerifiedAt, c.UpdatedAt = t.Email, norm, &now, now
		if err := tx.UpdateCustomer(ctx, c); err != nil {
			if errors.Is(err, ErrConflict) {
				// Taken since the request: the token stays unused (the
				// transaction rolls back) in case the other account goes.
				return errEmailChangeTaken()
			}
			return err
		}
		if err := tx.InvalidatePasswordResets(ctx, sh.ID, c.ID, now); err != nil {
			return err
		}
		for _, purpose := range []VerificationPurpose{PurposeChangeEmail, PurposeVerifyEmail} {
			if err := tx.InvalidateEmailTokens(ctx, sh.ID, c.ID, purpose, now); err != nil {
				return err
			}
		}
		if err := s.emit(ctx, tx, sh.ID, EventEmailChanged, c.ID, map[string]any{"old_email": old, "new_email": c.Email}); err != nil {
			return err
		}
		out.Customer = c
		out.OrdersClaimed, err = s.claimByEmail(ctx, tx, c, "email_change")
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// emailChangePassword is the password step of sensitive changes, with
// ChangePassword's rules: the account's failed-login budget is checked
// first, and a wrong password spends from it. A missing password is
// refused alike, without hashing.
func (s *Service) emailChangePassword(ctx context.Context, sh *Shop, c *Customer, password string) error {
	wrong := newErr(ErrForbidden, CodeCurrentPassword, "the current password is incorrect")
	if password == "" {
		return wrong
	}
	if len(password) > 4*MaxPasswordLength {
		return wrong
	}
	acctKey := keyLoginAccount(sh.ID, c.EmailNormalized)
	if err := s.peek(ctx, acctKey, s.cfg.Limits.LoginFailuresPerAccount); err != nil {
		return err
	}
	ok, _, err := s.verify(ctx, c.ShopID, normalizePassword(password), c.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.take(ctx, acctKey, s.cfg.Limits.LoginFailuresPerAccount); err != nil {
			return err
		}
		return wrong
	}
	return nil
}

func errEmailChangeTaken() error {
	return newErr(ErrConflict, CodeEmailTaken, "an account with this e-mail already exists")
}

// renameEmailField renames a field of a ValidationError (NormalizeEmail names
// its field "email").
func renameEmailField(err error, from, to string) error {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := &ValidationError{Code: ve.Code, Fields: make([]FieldError, len(ve.Fields))}
	for i, f := range ve.Fields {
		if f.Field == from {
			f.Field = to
			f.Message = strings.Replace(f.Message, from, to, 1)
		}
		out.Fields[i] = f
	}
	return out
}
