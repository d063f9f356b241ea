package core

import (
	"context"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Admin customer events.
const (
	// EventCustomerDisabled: an admin disabled the account; every session
	// was revoked in the same transaction.
	EventCustomerDisabled = "customer.disabled"
	// EventCustomerEnabled: an admin enabled a disabled account again.
	EventCustomerEnabled = "customer.enabled"
)

// Revoke reasons of admin actions, as recorded on the sessions.
const (
	reasonAccountDisabled = "account_disabled"
	reasonRevokedByAdmin  = "revoked_by_admin"
)

// Search bounds.
const (
	maxEmailPrefix = MaxEmailLength
	maxGroupID     = 100
)

// AdminCustomerUpdate is an admin's partial update of a customer; nil means
// "leave as is". It holds the profile fields a customer may edit too, plus
// the status and the e-mail verification only an admin may set. E-mail,
// password and groups change through their own flows.
type AdminCustomerUpdate struct {
	Status                *CustomerStatus
	FirstName             *string
	LastName              *string
	Phone                 *string
	Gender                *string
	DateOfBirth           *string
	AcceptsEmailMarketing *bool
	Metadata              *map[string]any
	// EmailVerified true marks the e-mail verified now (if it was not);
	// false clears the verification.
	EmailVerified *bool
}

func (u AdminCustomerUpdate) profile() ProfileUpdate {
	return ProfileUpdate{
		FirstName: u.FirstName, LastName: u.LastName, Phone: u.Phone, Gender: u.Gender,
		DateOfBirth: u.DateOfBirth, AcceptsEmailMarketing: u.AcceptsEmailMarketing, Metadata: u.Metadata,
	}
}

// normalizeQuery checks a search and brings it to the form the store
// compares: the e-mail prefix like NormalizeEmail (trim, NFKC, lower case)
// but without requiring a whole address, the name trimmed, NFKC and lower
// case (the store folds names to lower case to compare).
func normalizeQuery(q CustomerQuery) (CustomerQuery, error) {
	var f fields
	q.EmailPrefix = strings.ToLower(norm.NFKC.String(strings.TrimSpace(q.EmailPrefix)))
	f.text("email", q.EmailPrefix, maxEmailPrefix)
	q.Name = strings.ToLower(norm.NFKC.String(strings.TrimSpace(q.Name)))
	f.text("name", q.Name, maxNameLength)
	if q.Status != "" && q.Status != StatusActive && q.Status != StatusDisabled {
		f.add("status", FieldInvalid, "status must be active or disabled")
	}
	q.GroupID = strings.TrimSpace(q.GroupID)
	f.text("group_id", q.GroupID, maxGroupID)
	return q, f.err()
}

// AdminSearchCustomers lists a store's customers matching q, by id (creation
// order): an e-mail prefix, a case-insensitive part of the name, a status
// and a group, each optional.
func (s *Service) AdminSearchCustomers(ctx context.Context, shopID string, q CustomerQuery, p Page) (PageOf[Customer], error) {
	q, err := normalizeQuery(q)
	if err != nil {
		return PageOf[Customer]{}, err
	}
	return listPage(p, func(c Customer) string { return c.ID }, func(after string, limit int) ([]Customer, error) {
		return s.store.SearchCustomers(ctx, shopID, q, after, limit)
	})
}

// AdminCustomer returns one of the store's customers; another store's id
// is ErrNotFound.
func (s *Service) AdminCustomer(ctx context.Context, shopID, id string) (*Customer, error) {
	return s.store.GetCustomer(ctx, shopID, id)
}

// AdminUpdateCustomer applies an admin's partial update. Disabling revokes
// every session of the customer in the same transaction, and their access
// tokens are refused at once; a disabled customer cannot log in or refresh
// until enabled again. It emits customer.updated with the names of the
// fields written, and customer.disabled or customer.enabled when the status
// changes.
func (s *Service) AdminUpdateCustomer(ctx context.Context, shopID, id string, u AdminCustomerUpdate) (*Customer, error) {
	f := fields(u.profile().validate())
	if u.Status != nil && *u.Status != StatusActive && *u.Status != StatusDisabled {
		f.add("status", FieldInvalid, "status must be active or disabled")
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	now := s.now()
	var (
		c       *Customer
		revoked []string
	)
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if c, err = tx.GetCustomer(ctx, shopID, id); err != nil {
			return err
		}
		was := c.Status
		u.profile().apply(c)
		if u.Status != nil {
			c.Status = *u.Status
		}
		claim := false
		if u.EmailVerified != nil {
			switch {
			case *u.EmailVerified && c.EmailVerifiedAt == nil:
				c.EmailVerifiedAt = &now
				claim = true
			case !*u.EmailVerified:
				c.EmailVerifiedAt = nil
			}
		}
		c.UpdatedAt = now
		if err := tx.UpdateCustomer(ctx, c); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, shopID, EventCustomerUpdated, c.ID, map[string]any{"fields": u.names(), "by": "admin"}); err != nil {
			return err
		}
		if claim {
			// A verified e-mail owns the guest orders placed with it,
			// whoever verified it.
			if _, err := s.claimByEmail(ctx, tx, c, "admin_verified"); err != nil {
				return err
			}
		}
		switch {
		case was != StatusDisabled && c.Status == StatusDisabled:
			if revoked, err = tx.RevokeCustomerSessions(ctx, shopID, c.ID, "", now, reasonAccountDisabled); err != nil {
				return err
			}
			return s.emit(ctx, tx, shopID, EventCustomerDisabled, c.ID, map[string]any{"sessions_revoked": len(revoked)})
		case was == StatusDisabled && c.Status != StatusDisabled:
			return s.emit(ctx, tx, shopID, EventCustomerEnabled, c.ID, nil)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.revokeLocal(now, revoked...)
	return c, nil
}

// names lists the wire-neutral names of the fields u sets, for the event.
func (u AdminCustomerUpdate) names() []string {
	var out []string
	add := func(set bool, name string) {
		if set {
			out = append(out, name)
		}
	}
	add(u.Status != nil, "status")
	add(u.FirstName != nil, "first_name")
	add(u.LastName != nil, "last_name")
	add(u.Phone != nil, "phone")
	add(u.Gender != nil, "gender")
	add(u.DateOfBirth != nil, "date_of_birth")
	add(u.AcceptsEmailMarketing != nil, "accepts_email_marketing")
	add(u.Metadata != nil, "metadata")
	add(u.EmailVerified != nil, "email_verified")
	if out == nil {
		out = []string{}
	}
	return out
}

// AdminRevokeSessions ends every session of a customer ("log out
// everywhere" on the store's behalf) and returns how many it ended.
func (s *Service) AdminRevokeSessions(ctx context.Context, shopID, id string) (int, error) {
	now := s.now()
	var revoked []string
	err := s.store.InTx(ctx, func(tx Store) error {
		// The customer must be the store's: another store's id is a 404,
		// not a silent "0 sessions".
		if _, err := tx.GetCustomer(ctx, shopID, id); err != nil {
			return err
		}
		var err error
		if revoked, err = tx.RevokeCustomerSessions(ctx, shopID, id, "", now, reasonRevokedByAdmin); err != nil {
			return err
		}
		return s.emit(ctx, tx, shopID, EventSessionsRevoked, id, map[string]any{"sessions_revoked": len(revoked), "by": "admin"})
	})
	if err != nil {
		return 0, err
	}
	s.revokeLocal(now, revoked...)
	return len(revoked), nil
}

// AdminTriggerReset sends a customer the password-reset mail, through the
// same flow (limits, token, event, mail) as the customer's own request.
// redirectURL, when set, must be on one of the store's allowed origins. A
// disabled customer is a conflict: the flow would silently send nothing.
func (s *Service) AdminTriggerReset(ctx context.Context, shopID, id, redirectURL string, meta ClientMeta) error {
	sh, err := s.Shop(ctx, shopID)
	if err != nil {
		return err
	}
	c, err := s.store.GetCustomer(ctx, shopID, id)
	if err != nil {
		return err
	}
	if c.Status != StatusActive {
		return errAccountDisabledConflict()
	}
	// The admin knows the account exists: issue synchronously, so a
	// failure reaches the caller.
	norm, base, err := s.resetRequest(ctx, sh, c.EmailNormalized, redirectURL, meta)
	if err != nil {
		return err
	}
	return s.issueReset(ctx, sh, norm, resetDelivery{base: base}, s.newSecret("", 32), s.now())
}

// errAccountDisabledConflict is the admin-side answer when an action needs
// an active account: a conflict with the account's state (409), not the
// 401 a customer gets for the same code.
func errAccountDisabledConflict() error {
	return newErr(ErrConflict, CodeAccountDisabled, "the account is disabled")
}
