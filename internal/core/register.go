package core

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Registration is the input of a sign-up.
type Registration struct {
	Email                 string
	Password              string
	FirstName             string
	LastName              string
	Phone                 string
	AcceptsEmailMarketing bool
	Metadata              map[string]any
	// GuestToken, when it is a live guest access token of the same store,
	// links the guest to the new customer (see loginAs); anything else in
	// it is ignored, so a stale guest token never blocks a sign-up.
	GuestToken string
}

// Register creates a customer with a password and logs them in.
//
// The password is hashed before the e-mail's uniqueness is tested, so a
// sign-up for a taken e-mail costs the same time as a fresh one; the taken
// case answers ErrConflict (email_taken), behind the per-IP sign-up limit
// (SECURITY.md case 3, the documented alternative).
func (s *Service) Register(ctx context.Context, sh *Shop, in Registration, meta ClientMeta) (*AuthResult, error) {
	st := s.settings(sh)
	var fields []FieldError
	email, err := NormalizeEmail(in.Email)
	fields = appendFieldErrs(fields, err)
	password := normalizePassword(in.Password)
	fields = appendFieldErrs(fields, s.checkPassword("password", password, email, st))
	p := ProfileUpdate{FirstName: &in.FirstName, LastName: &in.LastName, Phone: &in.Phone}
	if in.Metadata != nil {
		p.Metadata = &in.Metadata
	}
	fields = append(fields, p.validate()...)
	if len(fields) > 0 {
		return nil, &ValidationError{Code: CodeValidationFailed, Fields: fields}
	}
	if err := s.take(ctx, keyRegisterIP(sh.ID, meta.IP), s.cfg.Limits.RegisterPerIP); err != nil {
		return nil, err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	c := &Customer{
		ID: s.newID("cus"), ShopID: sh.ID, Email: strings.TrimSpace(in.Email), EmailNormalized: email,
		PasswordHash: hash, AcceptsEmailMarketing: in.AcceptsEmailMarketing, Status: StatusActive,
		Metadata: in.Metadata, PasswordChangedAt: &now, CreatedAt: now, UpdatedAt: now,
	}
	p.apply(c)
	guest := s.guestToLink(ctx, sh, in.GuestToken)
	var res *AuthResult
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.CreateCustomer(ctx, c); err != nil {
			if errors.Is(err, ErrConflict) {
				return newErr(ErrConflict, CodeEmailTaken, "an account with this e-mail already exists")
			}
			return err
		}
		if err := s.emit(ctx, tx, sh.ID, EventCustomerCreated, c.ID, map[string]any{"email": c.Email}); err != nil {
			return err
		}
		if changed, err := s.newsletterOnRegister(ctx, tx, c); err != nil { // newsletter.go
			return err
		} else if changed {
			if err := tx.UpdateCustomer(ctx, c); err != nil {
				return err
			}
		}
		var err error
		res, err = s.loginAs(ctx, tx, sh, c, guest, meta, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.guestLinked(now, res, guest)
	s.sendWelcome(ctx, sh, c)
	return res, nil
}

// login starts a session for c inside tx and returns its tokens.
func (s *Service) login(ctx context.Context, tx Store, sh *Shop, c *Customer, meta ClientMeta, now time.Time) (*AuthResult, error) {
	return s.loginAs(ctx, tx, sh, c, nil, meta, now)
}

// appendFieldErrs adds the field errors of a ValidationError; other errors
// are not expected here and become a generic invalid field.
func appendFieldErrs(fields []FieldError, err error) []FieldError {
	if err == nil {
		return fields
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		return append(fields, ve.Fields...)
	}
	return append(fields, FieldError{Field: "", Code: FieldInvalid, Message: err.Error()})
}
