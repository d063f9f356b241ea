package core

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Profile field bounds.
const (
	maxNameLength    = 255
	maxPhoneLength   = 32
	maxGenderLength  = 32
	maxMetadataKeys  = 50
	maxMetadataKey   = 40
	maxMetadataBytes = 8 * 1024
)

// ProfileUpdate is a partial update of the customer-editable profile fields;
// nil means "leave as is". Nothing else about a customer is editable by the
// customer: e-mail, status, verification and groups change through their
// own flows or the admin API.
type ProfileUpdate struct {
	FirstName             *string
	LastName              *string
	Phone                 *string
	Gender                *string
	DateOfBirth           *string // "YYYY-MM-DD", "" clears
	AcceptsEmailMarketing *bool
	Metadata              *map[string]any // replaces the whole object
	CompanyName           *string
}

func (p ProfileUpdate) validate() []FieldError {
	var f []FieldError
	text := func(field string, v *string, max int) {
		if v == nil {
			return
		}
		if !utf8.ValidString(*v) || strings.ContainsFunc(*v, unicode.IsControl) {
			f = append(f, FieldError{Field: field, Code: FieldInvalid, Message: field + " contains invalid characters"})
		} else if utf8.RuneCountInString(*v) > max {
			f = append(f, FieldError{Field: field, Code: FieldTooLong, Message: field + " is longer than " + strconv.Itoa(max) + " characters"})
		}
	}
	text("first_name", p.FirstName, maxNameLength)
	text("last_name", p.LastName, maxNameLength)
	text("gender", p.Gender, maxGenderLength)
	text("phone", p.Phone, maxPhoneLength)
	text("company_name", p.CompanyName, maxNameLength)
	if p.Phone != nil && *p.Phone != "" && strings.Trim(*p.Phone, "+0123456789 ()-./") != "" {
		f = append(f, FieldError{Field: "phone", Code: FieldInvalid, Message: "phone may hold digits, spaces, + ( ) - . / only"})
	}
	if p.DateOfBirth != nil && *p.DateOfBirth != "" {
		d, err := time.Parse(time.DateOnly, *p.DateOfBirth)
		if err != nil || d.Year() < 1900 || d.After(time.Now()) {
			f = append(f, FieldError{Field: "date_of_birth", Code: FieldInvalid, Message: "date_of_birth must be a past date as YYYY-MM-DD"})
		}
	}
	if p.Metadata != nil {
		m := *p.Metadata
		b, _ := json.Marshal(m)
		switch {
		case len(m) > maxMetadataKeys:
			f = append(f, FieldError{Field: "metadata", Code: FieldTooLong, Message: "metadata has more than 50 keys"})
		case len(b) > maxMetadataBytes:
			f = append(f, FieldError{Field: "metadata", Code: FieldTooLong, Message: "metadata is larger than 8 KiB"})
		default:
			for k := range m {
				if k == "" || len(k) > maxMetadataKey {
					f = append(f, FieldError{Field: "metadata", Code: FieldInvalid, Message: "metadata keys are 1 to 40 bytes"})
					break
				}
			}
		}
	}
	return f
}

func (p ProfileUpdate) apply(c *Customer) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&c.FirstName, p.FirstName)
	set(&c.LastName, p.LastName)
	set(&c.Phone, p.Phone)
	set(&c.Gender, p.Gender)
	set(&c.DateOfBirth, p.DateOfBirth)
	set(&c.CompanyName, p.CompanyName)
	if p.AcceptsEmailMarketing != nil {
		c.AcceptsEmailMarketing = *p.AcceptsEmailMarketing
	}
	if p.Metadata != nil {
		c.Metadata = *p.Metadata
	}
}

// Customer returns the authenticated customer.
func (s *Service) Customer(ctx context.Context, p *Principal) (*Customer, error) {
	return s.store.GetCustomer(ctx, p.ShopID, p.CustomerID)
}

// UpdateProfile applies a partial profile update.
func (s *Service) UpdateProfile(ctx context.Context, p *Principal, u ProfileUpdate) (*Customer, error) {
	if f := u.validate(); len(f) > 0 {
		return nil, &ValidationError{Code: CodeValidationFailed, Fields: f}
	}
	var c *Customer
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if c, err = tx.GetCustomer(ctx, p.ShopID, p.CustomerID); err != nil {
			return err
		}
		u.apply(c)
		c.UpdatedAt = s.now()
		if err := tx.UpdateCustomer(ctx, c); err != nil {
			return err
		}
		if u.AcceptsEmailMarketing != nil {
			if err := s.syncNewsletter(ctx, tx, c); err != nil { // newsletter.go
				return err
			}
		}
		return s.emit(ctx, tx, p.ShopID, EventCustomerUpdated, c.ID, nil)
	})
	return c, err
}

// ChangePassword sets a new password after checking the current one, and
// signs out every other session (the caller's stays).
func (s *Service) ChangePassword(ctx context.Context, sh *Shop, p *Principal, current, next string) error {
	c, err := s.store.GetCustomer(ctx, p.ShopID, p.CustomerID)
	if err != nil {
		return err
	}
	if current == "" {
		return fieldErr("current_password", FieldRequired, "current_password is required")
	}
	next = normalizePassword(next)
	if err := s.checkPassword("new_password", next, c.EmailNormalized, s.settings(sh)); err != nil {
		return err
	}
	acctKey := keyLoginAccount(sh.ID, c.EmailNormalized)
	if err := s.peek(ctx, acctKey, s.cfg.Limits.LoginFailuresPerAccount); err != nil {
		return err
	}
	ok, _, err := s.verify(ctx, c.ShopID, normalizePassword(current), c.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		// Wrong current passwords count as failed logins: a stolen access
		// token must not become a password-guessing oracle.
		if err := s.take(ctx, acctKey, s.cfg.Limits.LoginFailuresPerAccount); err != nil {
			return err
		}
		return newErr(ErrForbidden, CodeCurrentPassword, "the current password is incorrect")
	}
	hash, err := s.hash(ctx, next)
	if err != nil {
		return err
	}
	now := s.now()
	var revoked []string
	err = s.store.InTx(ctx, func(tx Store) error {
		c, err := tx.GetCustomer(ctx, p.ShopID, p.CustomerID)
		if err != nil {
			return err
		}
		if err := s.setPassword(ctx, tx, c, hash, now); err != nil {
			return err
		}
		if revoked, err = s.revokeOthers(ctx, tx, p.ShopID, c.ID, p.SessionID, "password_changed", now); err != nil {
			return err
		}
		return s.emit(ctx, tx, p.ShopID, EventPasswordChanged, c.ID, map[string]any{"sessions_revoked": len(revoked)})
	})
	if err != nil {
		return err
	}
	s.revokeLocal(now, revoked...)
	s.notifyPasswordChanged(ctx, sh, c)
	return nil
}

// DeleteAccount erases the customer after checking their password, with
// every session, token and reset; access tokens stop working at once.
func (s *Service) DeleteAccount(ctx context.Context, sh *Shop, p *Principal, password string) error {
	if password == "" {
		return fieldErr("password", FieldRequired, "password is required")
	}
	c, err := s.store.GetCustomer(ctx, p.ShopID, p.CustomerID)
	if err != nil {
		return err
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
		return newErr(ErrForbidden, CodeCurrentPassword, "the password is incorrect")
	}
	now := s.now()
	var revoked []string
	err = s.store.InTx(ctx, func(tx Store) error {
		var err error
		if revoked, err = s.revokeOthers(ctx, tx, p.ShopID, c.ID, "", "account_deleted", now); err != nil {
			return err
		}
		// Orders stay in the store's books, unlinked and without personal
		// data; everything else of the customer goes with the row.
		if err := tx.AnonymizeCustomerOrders(ctx, p.ShopID, c.ID); err != nil {
			return err
		}
		if err := tx.DeleteCustomer(ctx, p.ShopID, c.ID); err != nil {
			return err
		}
		return s.emit(ctx, tx, p.ShopID, EventCustomerDeleted, c.ID, nil)
	})
	if err != nil {
		return err
	}
	s.revokeLocal(now, append(revoked, p.SessionID)...)
	return nil
}

// Sessions lists the customer's live sessions.
func (s *Service) Sessions(ctx context.Context, p *Principal) ([]Session, error) {
	all, err := s.store.ListSessions(ctx, p.ShopID, p.CustomerID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := all[:0]
	for _, x := range all {
		if now.Before(x.ExpiresAt) {
			out = append(out, x)
		}
	}
	return out, nil
}

// RevokeSession ends one of the customer's own sessions; another
// customer's session id is ErrNotFound.
func (s *Service) RevokeSession(ctx context.Context, p *Principal, id string) error {
	sess, err := s.store.GetSession(ctx, p.ShopID, id)
	if err != nil {
		return err
	}
	if sess.CustomerID != p.CustomerID {
		return ErrNotFound
	}
	now := s.now()
	if err := s.store.RevokeSession(ctx, p.ShopID, id, now, "revoked_by_customer"); err != nil {
		return err
	}
	s.revokeLocal(now, id)
	s.audit(ctx, p.ShopID, AuditSessionRevoked, p.CustomerID, "", "revoked_by_customer")
	return nil
}

// EmailExists answers whether an e-mail has an account, only when the store
// enabled the check (it is an enumeration oracle by design), rate limited per IP.
func (s *Service) EmailExists(ctx context.Context, sh *Shop, email string, meta ClientMeta) (bool, error) {
	if !s.settings(sh).EmailExistsCheck {
		return false, newErr(ErrForbidden, CodeFeatureDisabled, "the e-mail check is disabled for this store")
	}
	norm, err := NormalizeEmail(email)
	if err != nil {
		return false, err
	}
	if err := s.take(ctx, keyEmailExistsIP(sh.ID, meta.IP), s.cfg.Limits.EmailExistsPerIP); err != nil {
		return false, err
	}
	_, err = s.store.GetCustomerByEmail(ctx, sh.ID, norm)
	if err == nil {
		return true, nil
	}
	return false, notFoundAs(err, nil)
}
