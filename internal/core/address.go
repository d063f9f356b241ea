package core

import (
	"context"
	"strconv"
	"strings"
)

// FieldLimitReached is the field error code of a write refused because the
// customer already keeps as many of a thing as Config.Caps allows (a 422,
// SECURITY.md 36). It is part of the contract: never rename it.
const FieldLimitReached = "limit_reached"

// Address events, written in the transaction of the change. Their data
// names the customer and nothing of the address itself: the outbox is read
// by webhooks and back offices, and an address is personal data that the
// receiver can fetch through the admin API when it needs it.
const (
	EventAddressCreated = "address.created"
	EventAddressUpdated = "address.updated"
	EventAddressDeleted = "address.deleted"
)

// Address field bounds, in characters.
const (
	maxAddressText  = 255 // names, company, address lines, city, region name
	maxAddressLabel = 64
	maxPostalCode   = 32
	maxRegionCode   = 3
)

// SavedAddress is an address of a customer's book with its default flags.
// The flags live on the customer (Customer.DefaultBillingAddressID and
// DefaultShippingAddressID), which is what keeps each default unique; they
// are filled in from the customer whenever an address is read.
type SavedAddress struct {
	Address
	IsDefaultBilling  bool
	IsDefaultShipping bool
}

// AddressInput is a new address. CountryCode (ISO 3166-1 alpha-2, any
// case) is required; every other field is optional.
type AddressInput struct {
	Label       string
	FirstName   string
	LastName    string
	Company     string
	Address1    string
	Address2    string
	City        string
	RegionCode  string // ISO 3166-2 subdivision without the country ("NY"), any case
	RegionName  string
	PostalCode  string
	CountryCode string
	Phone       string
	Metadata    map[string]any
	// IsDefaultBilling and IsDefaultShipping true make the new address the
	// customer's default of that kind, taking the flag from the address
	// that had it; nil and false leave the defaults alone.
	IsDefaultBilling  *bool
	IsDefaultShipping *bool
	// DefaultIfFirst makes the customer's first address the default of
	// each kind whose flag above is nil, as Spree and Bagisto do.
	DefaultIfFirst bool
}

// AddressPatch is a partial update of an address; nil means "leave as is",
// and "" clears an optional field (CountryCode cannot be cleared).
type AddressPatch struct {
	Label       *string
	FirstName   *string
	LastName    *string
	Company     *string
	Address1    *string
	Address2    *string
	City        *string
	RegionCode  *string
	RegionName  *string
	PostalCode  *string
	CountryCode *string
	Phone       *string
	Metadata    *map[string]any // replaces the whole object
	// IsDefaultBilling true makes the address the default billing address;
	// false, when it is the default, leaves the customer without one.
	// IsDefaultShipping likewise.
	IsDefaultBilling  *bool
	IsDefaultShipping *bool
}

// patch is the input as a patch that sets every field.
func (in AddressInput) patch() AddressPatch {
	p := AddressPatch{
		Label: &in.Label, FirstName: &in.FirstName, LastName: &in.LastName, Company: &in.Company,
		Address1: &in.Address1, Address2: &in.Address2, City: &in.City, RegionCode: &in.RegionCode,
		RegionName: &in.RegionName, PostalCode: &in.PostalCode, CountryCode: &in.CountryCode, Phone: &in.Phone,
		IsDefaultBilling: in.IsDefaultBilling, IsDefaultShipping: in.IsDefaultShipping,
	}
	if in.Metadata != nil {
		p.Metadata = &in.Metadata
	}
	return p
}

// validate checks every field the patch sets, on its trimmed value.
func (p AddressPatch) validate() error {
	var f fields
	text := func(field string, v *string, max int) {
		if v != nil {
			f.text(field, strings.TrimSpace(*v), max)
		}
	}
	text("label", p.Label, maxAddressLabel)
	text("first_name", p.FirstName, maxAddressText)
	text("last_name", p.LastName, maxAddressText)
	text("company", p.Company, maxAddressText)
	text("address1", p.Address1, maxAddressText)
	text("address2", p.Address2, maxAddressText)
	text("city", p.City, maxAddressText)
	text("region_name", p.RegionName, maxAddressText)
	text("postal_code", p.PostalCode, maxPostalCode)
	text("phone", p.Phone, maxPhoneLength)
	if p.Phone != nil && strings.Trim(*p.Phone, "+0123456789 ()-./") != "" {
		f.add("phone", FieldInvalid, "phone may hold digits, spaces, + ( ) - . / only")
	}
	if p.RegionCode != nil {
		if code := addressCode(*p.RegionCode); code != "" && !isRegionCode(code) {
			f.add("region_code", FieldInvalid, "region_code is 1 to 3 letters or digits (ISO 3166-2 without the country)")
		}
	}
	if p.CountryCode != nil {
		if code := addressCode(*p.CountryCode); code == "" {
			f.add("country_code", FieldRequired, "country_code is required")
		} else if _, ok := CountryName(code); !ok {
			f.add("country_code", FieldInvalid, "country_code is not an ISO 3166-1 alpha-2 country code")
		}
	}
	if p.Metadata != nil {
		f.metadata("metadata", *p.Metadata)
	}
	return f.err()
}

// apply writes the fields the patch sets into a: text trimmed, codes upper case.
func (p AddressPatch) apply(a *Address) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&a.Label, p.Label)
	set(&a.FirstName, p.FirstName)
	set(&a.LastName, p.LastName)
	set(&a.Company, p.Company)
	set(&a.Address1, p.Address1)
	set(&a.Address2, p.Address2)
	set(&a.City, p.City)
	set(&a.RegionName, p.RegionName)
	set(&a.PostalCode, p.PostalCode)
	set(&a.Phone, p.Phone)
	if p.RegionCode != nil {
		a.RegionCode = addressCode(*p.RegionCode)
	}
	if p.CountryCode != nil {
		a.CountryCode = addressCode(*p.CountryCode)
	}
	if p.Metadata != nil {
		a.Metadata = *p.Metadata
	}
}

// addressCode trims and upper-cases a country or region code, so "us"
// and " US " are stored as "US".
func addressCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// isRegionCode reports whether code (upper case) is an ISO 3166-2
// subdivision code without its country prefix: 1 to 3 of A–Z and 0–9.
func isRegionCode(code string) bool {
	if len(code) < 1 || len(code) > maxRegionCode {
		return false
	}
	for _, r := range code {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// moveDefaults applies default flags for address id to c: true makes id
// the default of that kind, false clears the default when it is id, nil
// leaves it. It reports whether c changed. Keeping the defaults on the
// customer row is what makes "at most one of each" hold by construction.
func moveDefaults(c *Customer, id string, billing, shipping *bool) bool {
	if id == "" {
		return false
	}
	changed := false
	move := func(cur *string, flag *bool) {
		switch {
		case flag == nil:
		case *flag && *cur != id:
			*cur, changed = id, true
		case !*flag && *cur == id:
			*cur, changed = "", true
		}
	}
	move(&c.DefaultBillingAddressID, billing)
	move(&c.DefaultShippingAddressID, shipping)
	return changed
}

// savedAddress pairs an address with its flags from the customer.
func savedAddress(c *Customer, a Address) SavedAddress {
	return SavedAddress{
		Address:           a,
		IsDefaultBilling:  c.DefaultBillingAddressID == a.ID,
		IsDefaultShipping: c.DefaultShippingAddressID == a.ID,
	}
}

// addressCap is the most addresses one customer may keep.
func (s *Service) addressCap() int {
	if s.cfg.Caps.Addresses > 0 {
		return s.cfg.Caps.Addresses
	}
	return DefaultConfig().Caps.Addresses
}

// addressOwner is the shop and customer of a customer principal. A guest
// has no address book.
func addressOwner(p *Principal) (shopID, customerID string, err error) {
	if p == nil || p.CustomerID == "" {
		return "", "", Unauthenticated()
	}
	return p.ShopID, p.CustomerID, nil
}

// lockAddressBook takes the customer's lock for the rest of tx and reads
// the customer, so the cap check, the insert and the move of a default
// see no concurrent write to the same book (on PostgreSQL, READ COMMITTED
// would otherwise let two requests both pass the cap, or overwrite each
// other's defaults).
func (s *Service) lockAddressBook(ctx context.Context, tx Store, shopID, customerID string) (*Customer, error) {
	if err := tx.LockCustomer(ctx, shopID, customerID); err != nil {
		return nil, err
	}
	return tx.GetCustomer(ctx, shopID, customerID)
}

// saveDefaults writes the customer whose defaults moved, with its event.
func (s *Service) saveDefaults(ctx context.Context, tx Store, c *Customer) error {
	c.UpdatedAt = s.now()
	if err := tx.UpdateCustomer(ctx, c); err != nil {
		return err
	}
	return s.emit(ctx, tx, c.ShopID, EventCustomerUpdated, c.ID, map[string]any{
		"default_billing_address_id":  addressEventID(c.DefaultBillingAddressID),
		"default_shipping_address_id": addressEventID(c.DefaultShippingAddressID),
	})
}

// addressEventID is an optional id for event data: nil when unset.
func addressEventID(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// Addresses lists the customer's address book, oldest first.
func (s *Service) Addresses(ctx context.Context, p *Principal, pg Page) (PageOf[SavedAddress], error) {
	shopID, customerID, err := addressOwner(p)
	if err != nil {
		return PageOf[SavedAddress]{}, err
	}
	return s.AdminAddresses(ctx, shopID, customerID, pg)
}

// Address returns one of the customer's addresses; another customer's id
// is ErrNotFound.
func (s *Service) Address(ctx context.Context, p *Principal, id string) (*SavedAddress, error) {
	shopID, customerID, err := addressOwner(p)
	if err != nil {
		return nil, err
	}
	return s.AdminAddress(ctx, shopID, customerID, id)
}

// CreateAddress adds an address to the customer's book, moving the
// defaults it asks for.
func (s *Service) CreateAddress(ctx context.Context, p *Principal, in AddressInput) (*SavedAddress, error) {
	shopID, customerID, err := addressOwner(p)
	if err != nil {
		return nil, err
	}
	return s.AdminCreateAddress(ctx, shopID, customerID, in)
}

// UpdateAddress changes one of the customer's addresses.
func (s *Service) UpdateAddress(ctx context.Context, p *Principal, id string, u AddressPatch) (*SavedAddress, error) {
	shopID, customerID, err := addressOwner(p)
	if err != nil {
		return nil, err
	}
	return s.AdminUpdateAddress(ctx, shopID, customerID, id, u)
}

// DeleteAddress removes one of the customer's addresses, clearing the
// defaults that pointed at it.
func (s *Service) DeleteAddress(ctx context.Context, p *Principal, id string) error {
	shopID, customerID, err := addressOwner(p)
	if err != nil {
		return err
	}
	return s.AdminDeleteAddress(ctx, shopID, customerID, id)
}

// AdminAddresses lists a customer's address book by shop and customer id,
// for the admin API and for dialects that address customers by id. An
// unknown customer, or another shop's, is ErrNotFound.
func (s *Service) AdminAddresses(ctx context.Context, shopID, customerID string, pg Page) (PageOf[SavedAddress], error) {
	c, err := s.store.GetCustomer(ctx, shopID, customerID)
	if err != nil {
		return PageOf[SavedAddress]{}, err
	}
	page, err := listPage(pg, func(a Address) string { return a.ID }, func(after string, limit int) ([]Address, error) {
		return s.store.ListAddresses(ctx, shopID, customerID, after, limit)
	})
	if err != nil {
		return PageOf[SavedAddress]{}, err
	}
	out := PageOf[SavedAddress]{Items: make([]SavedAddress, len(page.Items)), Next: page.Next}
	for i, a := range page.Items {
		out.Items[i] = savedAddress(c, a)
	}
	return out, nil
}

// AdminAddress returns one address of a customer by ids.
func (s *Service) AdminAddress(ctx context.Context, shopID, customerID, id string) (*SavedAddress, error) {
	c, err := s.store.GetCustomer(ctx, shopID, customerID)
	if err != nil {
		return nil, err
	}
	a, err := s.store.GetAddress(ctx, shopID, customerID, id)
	if err != nil {
		return nil, err
	}
	out := savedAddress(c, *a)
	return &out, nil
}

// AdminCreateAddress adds an address to a customer's book by ids. Past
// Caps.Addresses it is a 422 (limit_reached).
func (s *Service) AdminCreateAddress(ctx context.Context, shopID, customerID string, in AddressInput) (*SavedAddress, error) {
	p := in.patch()
	if err := p.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	a := &Address{ID: s.newID("addr"), ShopID: shopID, CustomerID: customerID, CreatedAt: now, UpdatedAt: now}
	p.apply(a)
	var out SavedAddress
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := s.lockAddressBook(ctx, tx, shopID, customerID)
		if err != nil {
			return err
		}
		n, err := tx.CountAddresses(ctx, shopID, customerID)
		if err != nil {
			return err
		}
		if limit := s.addressCap(); n >= limit {
			return fieldErr("addresses", FieldLimitReached, "a customer may keep at most "+strconv.Itoa(limit)+" addresses")
		}
		if err := tx.CreateAddress(ctx, a); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, shopID, EventAddressCreated, a.ID, map[string]any{"customer_id": customerID}); err != nil {
			return err
		}
		billing, shipping := in.IsDefaultBilling, in.IsDefaultShipping
		if in.DefaultIfFirst && n == 0 {
			yes := true
			if billing == nil {
				billing = &yes
			}
			if shipping == nil {
				shipping = &yes
			}
		}
		if moveDefaults(c, a.ID, billing, shipping) {
			if err := s.saveDefaults(ctx, tx, c); err != nil {
				return err
			}
		}
		out = savedAddress(c, *a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// AdminUpdateAddress changes one address of a customer by ids.
func (s *Service) AdminUpdateAddress(ctx context.Context, shopID, customerID, id string, u AddressPatch) (*SavedAddress, error) {
	if err := u.validate(); err != nil {
		return nil, err
	}
	var out SavedAddress
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := s.lockAddressBook(ctx, tx, shopID, customerID)
		if err != nil {
			return err
		}
		a, err := tx.GetAddress(ctx, shopID, customerID, id)
		if err != nil {
			return err
		}
		u.apply(a)
		a.UpdatedAt = s.now()
		if err := tx.UpdateAddress(ctx, a); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, shopID, EventAddressUpdated, a.ID, map[string]any{"customer_id": customerID}); err != nil {
			return err
		}
		if moveDefaults(c, a.ID, u.IsDefaultBilling, u.IsDefaultShipping) {
			if err := s.saveDefaults(ctx, tx, c); err != nil {
				return err
			}
		}
		out = savedAddress(c, *a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// AdminDeleteAddress removes one address of a customer by ids; a default
// that pointed at it is cleared in the same transaction.
func (s *Service) AdminDeleteAddress(ctx context.Context, shopID, customerID, id string) error {
	return s.store.InTx(ctx, func(tx Store) error {
		c, err := s.lockAddressBook(ctx, tx, shopID, customerID)
		if err != nil {
			return err
		}
		// The defaults are the customer's own addresses, so clearing one
		// here never touches another customer's; an id that is not the
		// customer's fails the delete below and rolls this back.
		no := false
		if moveDefaults(c, id, &no, &no) {
			if err := s.saveDefaults(ctx, tx, c); err != nil {
				return err
			}
		}
		if err := tx.DeleteAddress(ctx, shopID, customerID, id); err != nil {
			return err
		}
		return s.emit(ctx, tx, shopID, EventAddressDeleted, id, map[string]any{"customer_id": customerID})
	})
}
