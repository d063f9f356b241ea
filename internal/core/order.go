package core

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Order events.
const (
	EventOrderUpserted = "order.upserted"
	// EventOrderClaimed: a guest order was linked to a customer (a
	// verified e-mail, an e-mail change, or a confirmed claim).
	EventOrderClaimed = "order.claimed"
)

// Order field bounds.
const (
	maxOrderNumberLength = 100
	maxOrderStatusLength = 64
	maxOrderRefLength    = 255 // ids, SKUs and names of line items
	maxOrderURLLength    = 2048
	// MaxOrderLineItems bounds the line-item summary of one order.
	MaxOrderLineItems = 500
	maxOrderQuantity  = 1_000_000
)

// OrderInput is an order as the store's back end reports it. Amounts are
// minor units of Currency.
type OrderInput struct {
	Email             string // required; the address the order was placed with
	CustomerID        string // optional: links the order to this customer of the store
	State             string // required: placed, completed, canceled, ...
	PaymentStatus     string
	FulfillmentStatus string
	Currency          string // ISO 4217
	Subtotal          int64
	ShippingTotal     int64
	TaxTotal          int64
	DiscountTotal     int64
	Total             int64
	ItemCount         int
	LineItems         []LineItem
	BillingAddress    *Address // snapshot; only the postal fields are kept
	ShippingAddress   *Address
	Metadata          map[string]any
	PlacedAt          string // RFC 3339
}

// order validates the input and builds the order to store.
func (in OrderInput) order(number string) (*Order, error) {
	var f fields
	f.required("number", number, maxOrderNumberLength)
	norm, err := NormalizeEmail(in.Email)
	f = appendFieldErrs(f, err)
	f.text("customer_id", in.CustomerID, maxOrderRefLength)
	f.required("state", in.State, maxOrderStatusLength)
	f.text("payment_status", in.PaymentStatus, maxOrderStatusLength)
	f.text("fulfillment_status", in.FulfillmentStatus, maxOrderStatusLength)
	currency := f.currency("currency", in.Currency)
	for _, a := range []struct {
		field string
		v     int64
	}{
		{"subtotal", in.Subtotal}, {"shipping_total", in.ShippingTotal}, {"tax_total", in.TaxTotal},
		{"discount_total", in.DiscountTotal}, {"total", in.Total},
	} {
		if a.v < 0 {
			f.add(a.field, FieldInvalid, a.field+" must not be negative (minor units)")
		}
	}
	if in.ItemCount < 0 || in.ItemCount > maxOrderQuantity {
		f.add("item_count", FieldInvalid, "item_count must be from 0 to "+strconv.Itoa(maxOrderQuantity))
	}
	if len(in.LineItems) > MaxOrderLineItems {
		f.add("line_items", FieldTooLong, "an order may list at most "+strconv.Itoa(MaxOrderLineItems)+" line items")
	} else {
		for i, li := range in.LineItems {
			f.lineItem("line_items["+strconv.Itoa(i)+"]", li)
		}
	}
	bill := f.addressSnapshot("billing_address", in.BillingAddress)
	ship := f.addressSnapshot("shipping_address", in.ShippingAddress)
	f.metadata("metadata", in.Metadata)
	var placed time.Time
	if strings.TrimSpace(in.PlacedAt) == "" {
		f.add("placed_at", FieldRequired, "placed_at is required")
	} else if placed, err = time.Parse(time.RFC3339Nano, in.PlacedAt); err != nil {
		f.add("placed_at", FieldInvalid, "placed_at must be an RFC 3339 date-time such as 2025-06-01T12:00:00Z")
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	items := make([]LineItem, len(in.LineItems))
	for i, li := range in.LineItems {
		li.Name = strings.TrimSpace(li.Name)
		items[i] = li
	}
	return &Order{
		Number: strings.TrimSpace(number), CustomerID: in.CustomerID,
		Email: strings.TrimSpace(in.Email), EmailNormalized: norm,
		State: strings.TrimSpace(in.State), PaymentStatus: strings.TrimSpace(in.PaymentStatus),
		FulfillmentStatus: strings.TrimSpace(in.FulfillmentStatus), Currency: currency,
		Subtotal: in.Subtotal, ShippingTotal: in.ShippingTotal, TaxTotal: in.TaxTotal,
		DiscountTotal: in.DiscountTotal, Total: in.Total, ItemCount: in.ItemCount,
		LineItems: items, BillingAddress: bill, ShippingAddress: ship, Metadata: in.Metadata,
		PlacedAt: placed.UTC().Truncate(time.Microsecond),
	}, nil
}

// lineItem checks one line of an order.
func (f *fields) lineItem(field string, li LineItem) {
	f.text(field+".id", li.ID, maxOrderRefLength)
	f.text(field+".product_id", li.ProductID, maxOrderRefLength)
	f.text(field+".variant_id", li.VariantID, maxOrderRefLength)
	f.text(field+".sku", li.SKU, maxOrderRefLength)
	f.required(field+".name", li.Name, maxOrderRefLength)
	if li.Quantity < 0 || li.Quantity > maxOrderQuantity {
		f.add(field+".quantity", FieldInvalid, "quantity must be from 0 to "+strconv.Itoa(maxOrderQuantity))
	}
	if li.UnitPrice < 0 || li.Total < 0 {
		f.add(field+".total", FieldInvalid, "unit_price and total must not be negative (minor units)")
	}
	if li.ImageURL != "" && (len(li.ImageURL) > maxOrderURLLength || !isHTTPURL(li.ImageURL)) {
		f.add(field+".image_url", FieldInvalid, "image_url must be an absolute http(s) URL")
	}
}

// addressSnapshot checks an address copied into an order and returns the
// snapshot to keep: postal fields only, ids and label dropped, the country
// code upper-cased.
func (f *fields) addressSnapshot(field string, a *Address) *Address {
	if a == nil {
		return nil
	}
	for _, x := range []struct {
		name string
		v    string
		max  int
	}{
		{"first_name", a.FirstName, maxNameLength}, {"last_name", a.LastName, maxNameLength},
		{"company", a.Company, maxNameLength}, {"address1", a.Address1, maxNameLength},
		{"address2", a.Address2, maxNameLength}, {"city", a.City, maxNameLength},
		{"region_code", a.RegionCode, 10}, {"region_name", a.RegionName, maxNameLength},
		{"postal_code", a.PostalCode, 32}, {"country_code", a.CountryCode, 2}, {"phone", a.Phone, maxPhoneLength},
	} {
		f.text(field+"."+x.name, x.v, x.max)
	}
	cc := strings.ToUpper(strings.TrimSpace(a.CountryCode))
	if cc != "" && (len(cc) != 2 || strings.Trim(cc, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
		f.add(field+".country_code", FieldInvalid, "country_code must be an ISO 3166-1 alpha-2 code such as US")
	}
	t := strings.TrimSpace
	return &Address{
		FirstName: t(a.FirstName), LastName: t(a.LastName), Company: t(a.Company),
		Address1: t(a.Address1), Address2: t(a.Address2), City: t(a.City),
		RegionCode: t(a.RegionCode), RegionName: t(a.RegionName), PostalCode: t(a.PostalCode),
		CountryCode: cc, Phone: t(a.Phone),
	}
}

// UpsertOrder records an order the store's back end reports, idempotently
// by (store, number): reporting the same order again replaces it and keeps
// its id, creation time and owner. It reports whether the order was new.
//
// An order with a customer_id is that customer's (which must be one of
// the store's). Otherwise it stays as it was, or, if it has no owner yet
// and its e-mail belongs to a customer whose e-mail is verified, it is
// linked to that customer at once. An unverified account never gets a
// guest order: whoever registers with somebody else's address must not see
// their orders before proving they read that mailbox.
func (s *Service) UpsertOrder(ctx context.Context, shopID, number string, in OrderInput) (*Order, bool, error) {
	o, err := in.order(number)
	if err != nil {
		return nil, false, err
	}
	now := s.now()
	o.ID, o.ShopID, o.CreatedAt, o.UpdatedAt = s.newID("ord"), shopID, now, now
	var inserted bool
	err = s.store.InTx(ctx, func(tx Store) error {
		if o.CustomerID != "" {
			if _, err := tx.GetCustomer(ctx, shopID, o.CustomerID); err != nil {
				return notFoundAs(err, fieldErr("customer_id", FieldInvalid, "customer_id is not a customer of this store"))
			}
		}
		var err error
		if inserted, err = tx.UpsertOrder(ctx, o); err != nil {
			return err
		}
		got, err := tx.GetOrder(ctx, shopID, "", o.ID)
		if err != nil {
			return err
		}
		if got.CustomerID == "" {
			if err := s.claimForVerified(ctx, tx, got); err != nil {
				return err
			}
		}
		*o = *got
		return s.emit(ctx, tx, shopID, EventOrderUpserted, o.ID, map[string]any{
			"number": o.Number, "inserted": inserted, "customer_id": o.CustomerID,
		})
	})
	if err != nil {
		return nil, false, err
	}
	return o, inserted, nil
}

// claimForVerified links an unowned order to the customer whose verified
// e-mail it was placed with, if there is one.
func (s *Service) claimForVerified(ctx context.Context, tx Store, o *Order) error {
	c, err := tx.GetCustomerByEmail(ctx, o.ShopID, o.EmailNormalized)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if c.EmailVerifiedAt == nil {
		return nil
	}
	ids, err := tx.ClaimOrders(ctx, o.ShopID, c.ID, o.EmailNormalized, []string{o.ID})
	if err != nil {
		return err
	}
	if len(ids) == 1 {
		o.CustomerID = c.ID
	}
	return s.emitClaimed(ctx, tx, o.ShopID, c.ID, "verified_email", ids)
}

// emitClaimed writes one order.claimed event per linked order.
func (s *Service) emitClaimed(ctx context.Context, tx Store, shopID, customerID, via string, ids []string) error {
	for _, id := range ids {
		if err := s.emit(ctx, tx, shopID, EventOrderClaimed, id, map[string]any{"customer_id": customerID, "via": via}); err != nil {
			return err
		}
	}
	return nil
}

// AdminOrder returns the store's order by its number (admin API).
func (s *Service) AdminOrder(ctx context.Context, shopID, number string) (*Order, error) {
	if number == "" || len(number) > 4*maxOrderNumberLength {
		return nil, ErrNotFound
	}
	return s.store.GetOrderByNumber(ctx, shopID, number)
}

// Orders lists the customer's orders, newest first (by when Clientele
// first heard of them).
func (s *Service) Orders(ctx context.Context, p *Principal, pg Page) (PageOf[Order], error) {
	return listPage(pg, func(o Order) string { return o.ID }, func(before string, limit int) ([]Order, error) {
		return s.store.ListOrders(ctx, p.ShopID, p.CustomerID, before, limit)
	})
}

// Order returns one of the customer's orders; a guest order or another
// customer's is ErrNotFound.
func (s *Service) Order(ctx context.Context, p *Principal, id string) (*Order, error) {
	if p.CustomerID == "" {
		return nil, ErrNotFound
	}
	return s.store.GetOrder(ctx, p.ShopID, p.CustomerID, id)
}
