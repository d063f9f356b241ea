package core

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Payment-method events.
const (
	EventPaymentMethodCreated = "payment_method.created"
	EventPaymentMethodUpdated = "payment_method.updated"
	EventPaymentMethodDeleted = "payment_method.deleted"
)

// CodePaymentMethodExists is the 409 for a provider reference the store
// already has saved: one provider token belongs to one saved method.
const CodePaymentMethodExists = "payment_method_exists"

// pmLimitReached is the field code of the 422 past Caps.PaymentMethods,
// the code every capped collection uses.
const pmLimitReached = "limit_reached"

// Payment-method field bounds.
const (
	maxProviderRefLength = 255
	maxBrandLength       = 32
	maxPMTokenLength     = 64 // provider and type names
	maxExpYearsAhead     = 50
)

// PaymentMethodInput is a payment method to save: what the storefront got
// from the payment provider's client SDK (a token, never a card number).
type PaymentMethodInput struct {
	Provider         string // "stripe", "adyen", ... (lower-case name)
	ProviderRef      string // the provider's token/reference
	Type             string // card, paypal, klarna, ... (lower-case name)
	Brand            string
	Last4            string // exactly 4 digits, or empty
	ExpMonth         int    // 1–12, or 0 with ExpYear 0 for none
	ExpYear          int    // four digits, not in the past
	HolderName       string
	BillingAddressID string // one of the customer's addresses, or empty
	IsDefault        bool
	Metadata         map[string]any
}

// PaymentMethodUpdate is a partial update; nil leaves a field as it is.
// The provider, its reference and the type never change: a new token is a
// new payment method.
type PaymentMethodUpdate struct {
	IsDefault        *bool
	BillingAddressID *string // "" clears
	ExpMonth         *int
	ExpYear          *int
	HolderName       *string
	Metadata         *map[string]any // replaces the whole object
}

// hasPAN reports whether any string of the input looks like a card number.
func (in PaymentMethodInput) hasPAN() bool {
	for _, v := range []string{in.Provider, in.ProviderRef, in.Type, in.Brand, in.Last4, in.HolderName, in.BillingAddressID} {
		if LooksLikePAN(v) {
			return true
		}
	}
	return anyLooksLikePAN(in.Metadata)
}

func (u PaymentMethodUpdate) hasPAN() bool {
	for _, v := range []*string{u.BillingAddressID, u.HolderName} {
		if v != nil && LooksLikePAN(*v) {
			return true
		}
	}
	return u.Metadata != nil && anyLooksLikePAN(*u.Metadata)
}

// validate checks the fields that need no stored state.
func (in PaymentMethodInput) validate() error {
	var f fields
	f.pmName("provider", in.Provider)
	f.required("provider_ref", in.ProviderRef, maxProviderRefLength)
	f.pmName("type", in.Type)
	f.text("brand", in.Brand, maxBrandLength)
	if in.Last4 != "" && (len(in.Last4) != 4 || strings.Trim(in.Last4, "0123456789") != "") {
		f.add("last4", FieldInvalid, "last4 must be exactly 4 digits")
	}
	f.text("holder_name", in.HolderName, maxNameLength)
	f.text("billing_address_id", in.BillingAddressID, maxPMTokenLength)
	f.metadata("metadata", in.Metadata)
	return f.err()
}

func (u PaymentMethodUpdate) validate() error {
	var f fields
	if u.HolderName != nil {
		f.text("holder_name", *u.HolderName, maxNameLength)
	}
	if u.BillingAddressID != nil {
		f.text("billing_address_id", *u.BillingAddressID, maxPMTokenLength)
	}
	if u.Metadata != nil {
		f.metadata("metadata", *u.Metadata)
	}
	return f.err()
}

// pmName checks a required lower-case name such as a provider or a type.
func (f *fields) pmName(field, v string) {
	switch {
	case v == "":
		f.add(field, FieldRequired, field+" is required")
	case len(v) > maxPMTokenLength || strings.Trim(v, "abcdefghijklmnopqrstuvwxyz0123456789_-.") != "":
		f.add(field, FieldInvalid, field+" must be 1 to 64 lower-case letters, digits, '_', '-' or '.'")
	}
}

// checkExpiry checks an expiry date against now: both parts or neither,
// month 1–12, and not already past (a card is valid through the last day
// of its expiry month).
func checkExpiry(month, year int, now time.Time) error {
	var f fields
	switch {
	case month == 0 && year == 0:
		return nil
	case month < 1 || month > 12:
		f.add("exp_month", FieldInvalid, "exp_month must be 1 to 12")
	case year < now.Year() || year > now.Year()+maxExpYearsAhead:
		f.add("exp_year", FieldInvalid, "exp_year must be from "+strconv.Itoa(now.Year())+" to "+strconv.Itoa(now.Year()+maxExpYearsAhead))
	case year == now.Year() && month < int(now.Month()):
		f.add("exp_month", FieldInvalid, "the payment method has expired")
	}
	return f.err()
}

// PaymentMethods lists the customer's saved payment methods, oldest first.
func (s *Service) PaymentMethods(ctx context.Context, p *Principal, pg Page) (PageOf[PaymentMethod], error) {
	return listPage(pg, func(m PaymentMethod) string { return m.ID }, func(after string, limit int) ([]PaymentMethod, error) {
		return s.store.ListPaymentMethods(ctx, p.ShopID, p.CustomerID, after, limit)
	})
}

// PaymentMethod returns one of the customer's payment methods; another
// customer's is ErrNotFound.
func (s *Service) PaymentMethod(ctx context.Context, p *Principal, id string) (*PaymentMethod, error) {
	return s.store.GetPaymentMethod(ctx, p.ShopID, p.CustomerID, id)
}

// AddPaymentMethod saves a payment method for the customer.
func (s *Service) AddPaymentMethod(ctx context.Context, p *Principal, in PaymentMethodInput) (*PaymentMethod, error) {
	return s.createPaymentMethod(ctx, p.ShopID, p.CustomerID, in)
}

// AttachPaymentMethod saves a payment method for a customer of the store
// (admin API: the store's back end attaches what its payment provider
// reported). A customer of another store is ErrNotFound.
func (s *Service) AttachPaymentMethod(ctx context.Context, shopID, customerID string, in PaymentMethodInput) (*PaymentMethod, error) {
	return s.createPaymentMethod(ctx, shopID, customerID, in)
}

// createPaymentMethod validates and stores a method. The first method a
// customer saves, or any while none is default, becomes the default;
// asking for the default moves it, in the same transaction.
func (s *Service) createPaymentMethod(ctx context.Context, shopID, customerID string, in PaymentMethodInput) (*PaymentMethod, error) {
	// The card-number check runs first and alone: such a request is
	// refused whatever else is wrong with it, and nothing of it is kept.
	if in.hasPAN() {
		return nil, errCardNumber()
	}
	in.Provider, in.Type = strings.TrimSpace(in.Provider), strings.TrimSpace(in.Type)
	in.ProviderRef, in.HolderName = strings.TrimSpace(in.ProviderRef), strings.TrimSpace(in.HolderName)
	in.Brand = strings.TrimSpace(in.Brand)
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	if err := checkExpiry(in.ExpMonth, in.ExpYear, now); err != nil {
		return nil, err
	}
	m := &PaymentMethod{
		ID: s.newID("pm"), ShopID: shopID, CustomerID: customerID,
		Provider: in.Provider, ProviderRef: in.ProviderRef, Type: in.Type, Brand: in.Brand, Last4: in.Last4,
		ExpMonth: in.ExpMonth, ExpYear: in.ExpYear, HolderName: in.HolderName, BillingAddressID: in.BillingAddressID,
		IsDefault: in.IsDefault, Metadata: in.Metadata, CreatedAt: now, UpdatedAt: now,
	}
	err := s.store.InTx(ctx, func(tx Store) error {
		// Serialise writes to one customer's methods (a row lock on
		// PostgreSQL), so two concurrent saves cannot both pass the cap or
		// both become the default.
		if err := tx.LockCustomer(ctx, shopID, customerID); err != nil {
			return err
		}
		limit := s.cfg.Caps.PaymentMethods
		have, err := tx.ListPaymentMethods(ctx, shopID, customerID, "", limit+1)
		if err != nil {
			return err
		}
		if len(have) >= limit {
			return fieldErr("payment_methods", pmLimitReached, "a customer may keep at most "+strconv.Itoa(limit)+" payment methods")
		}
		if err := s.checkBillingAddress(ctx, tx, shopID, customerID, m.BillingAddressID); err != nil {
			return err
		}
		if !m.IsDefault {
			m.IsDefault = !hasDefaultPM(have)
		}
		if m.IsDefault {
			if err := tx.ClearDefaultPaymentMethod(ctx, shopID, customerID, m.ID); err != nil {
				return err
			}
		}
		if err := tx.CreatePaymentMethod(ctx, m); err != nil {
			return pmConflict(err)
		}
		return s.emit(ctx, tx, shopID, EventPaymentMethodCreated, m.ID, pmEventData(m))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// UpdatePaymentMethod applies a partial update to one of the customer's
// payment methods. Setting is_default moves the default to it.
func (s *Service) UpdatePaymentMethod(ctx context.Context, p *Principal, id string, u PaymentMethodUpdate) (*PaymentMethod, error) {
	if u.hasPAN() {
		return nil, errCardNumber()
	}
	if err := u.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	var m *PaymentMethod
	err := s.store.InTx(ctx, func(tx Store) error {
		if err := tx.LockCustomer(ctx, p.ShopID, p.CustomerID); err != nil {
			return err
		}
		var err error
		if m, err = tx.GetPaymentMethod(ctx, p.ShopID, p.CustomerID, id); err != nil {
			return err
		}
		if u.ExpMonth != nil {
			m.ExpMonth = *u.ExpMonth
		}
		if u.ExpYear != nil {
			m.ExpYear = *u.ExpYear
		}
		if u.ExpMonth != nil || u.ExpYear != nil {
			if err := checkExpiry(m.ExpMonth, m.ExpYear, now); err != nil {
				return err
			}
		}
		if u.HolderName != nil {
			m.HolderName = strings.TrimSpace(*u.HolderName)
		}
		if u.Metadata != nil {
			m.Metadata = *u.Metadata
		}
		if u.BillingAddressID != nil && *u.BillingAddressID != m.BillingAddressID {
			if err := s.checkBillingAddress(ctx, tx, p.ShopID, p.CustomerID, *u.BillingAddressID); err != nil {
				return err
			}
			m.BillingAddressID = *u.BillingAddressID
		}
		if u.IsDefault != nil {
			if *u.IsDefault && !m.IsDefault {
				if err := tx.ClearDefaultPaymentMethod(ctx, p.ShopID, p.CustomerID, m.ID); err != nil {
					return err
				}
			}
			m.IsDefault = *u.IsDefault
		}
		m.UpdatedAt = now
		if err := tx.UpdatePaymentMethod(ctx, m); err != nil {
			return pmConflict(err)
		}
		return s.emit(ctx, tx, p.ShopID, EventPaymentMethodUpdated, m.ID, pmEventData(m))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// DeletePaymentMethod removes one of the customer's payment methods.
// Deleting the default leaves none default until the customer picks one
// or saves a new method (which then becomes the default): Clientele does
// not guess which card the customer wants charged.
func (s *Service) DeletePaymentMethod(ctx context.Context, p *Principal, id string) error {
	return s.store.InTx(ctx, func(tx Store) error {
		m, err := tx.GetPaymentMethod(ctx, p.ShopID, p.CustomerID, id)
		if err != nil {
			return err
		}
		if err := tx.DeletePaymentMethod(ctx, p.ShopID, p.CustomerID, id); err != nil {
			return err
		}
		return s.emit(ctx, tx, p.ShopID, EventPaymentMethodDeleted, id, pmEventData(m))
	})
}

// checkBillingAddress makes sure a billing address id is one of the
// customer's addresses; another customer's is an invalid field, not a
// 404, so the request says which part is wrong without telling whether
// the address exists elsewhere.
func (s *Service) checkBillingAddress(ctx context.Context, tx Store, shopID, customerID, addressID string) error {
	if addressID == "" {
		return nil
	}
	if _, err := tx.GetAddress(ctx, shopID, customerID, addressID); err != nil {
		if errors.Is(err, ErrNotFound) {
			return fieldErr("billing_address_id", FieldInvalid, "billing_address_id is not one of the customer's addresses")
		}
		return err
	}
	return nil
}

func hasDefaultPM(list []PaymentMethod) bool {
	for _, m := range list {
		if m.IsDefault {
			return true
		}
	}
	return false
}

func pmConflict(err error) error {
	if errors.Is(err, ErrConflict) {
		return newErr(ErrConflict, CodePaymentMethodExists, "this payment method is already saved")
	}
	return err
}

// pmEventData describes a method for webhooks: no provider reference (it
// charges the customer when paired with the store's provider key, so it
// travels only where it is needed) and no holder name.
func pmEventData(m *PaymentMethod) map[string]any {
	return map[string]any{
		"customer_id": m.CustomerID, "provider": m.Provider, "type": m.Type,
		"brand": m.Brand, "last4": m.Last4, "is_default": m.IsDefault,
	}
}
