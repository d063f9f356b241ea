package httpapi

import "github.com/clientele/clientele/internal/core"

// orderJSON is an order as its customer sees it. Amounts are integers in
// minor units of currency. The store's metadata is not shown here (it may
// hold the back end's notes); the admin view has it.
type orderJSON struct {
	ID                string         `json:"id"`
	Number            string         `json:"number"`
	CustomerID        *string        `json:"customer_id"`
	Email             string         `json:"email"`
	State             string         `json:"state"`
	PaymentStatus     *string        `json:"payment_status"`
	FulfillmentStatus *string        `json:"fulfillment_status"`
	Currency          string         `json:"currency"`
	Subtotal          int64          `json:"subtotal"`
	ShippingTotal     int64          `json:"shipping_total"`
	TaxTotal          int64          `json:"tax_total"`
	DiscountTotal     int64          `json:"discount_total"`
	Total             int64          `json:"total"`
	ItemCount         int            `json:"item_count"`
	LineItems         []lineItemJSON `json:"line_items"`
	BillingAddress    *orderAddrJSON `json:"billing_address"`
	ShippingAddress   *orderAddrJSON `json:"shipping_address"`
	PlacedAt          string         `json:"placed_at"`
	CreatedAt         string         `json:"created_at"`
	UpdatedAt         string         `json:"updated_at"`
}

// adminOrderJSON is the admin view: the customer's plus metadata.
type adminOrderJSON struct {
	orderJSON
	Metadata map[string]any `json:"metadata"`
}

// lineItemJSON is a line of an order; optional text is null when unset.
type lineItemJSON struct {
	ID        *string `json:"id"`
	ProductID *string `json:"product_id"`
	VariantID *string `json:"variant_id"`
	SKU       *string `json:"sku"`
	Name      string  `json:"name"`
	Quantity  int     `json:"quantity"`
	UnitPrice int64   `json:"unit_price"`
	Total     int64   `json:"total"`
	ImageURL  *string `json:"image_url"`
}

func toLineItem(li core.LineItem) lineItemJSON {
	return lineItemJSON{
		ID: nullable(li.ID), ProductID: nullable(li.ProductID), VariantID: nullable(li.VariantID), SKU: nullable(li.SKU),
		Name: li.Name, Quantity: li.Quantity, UnitPrice: li.UnitPrice, Total: li.Total, ImageURL: nullable(li.ImageURL),
	}
}

// orderAddrJSON is an address snapshot; optional text is null when unset.
type orderAddrJSON struct {
	FirstName   *string `json:"first_name"`
	LastName    *string `json:"last_name"`
	Company     *string `json:"company"`
	Address1    *string `json:"address1"`
	Address2    *string `json:"address2"`
	City        *string `json:"city"`
	RegionCode  *string `json:"region_code"`
	RegionName  *string `json:"region_name"`
	PostalCode  *string `json:"postal_code"`
	CountryCode *string `json:"country_code"`
	Phone       *string `json:"phone"`
}

func toOrderAddr(a *core.Address) *orderAddrJSON {
	if a == nil {
		return nil
	}
	return &orderAddrJSON{
		FirstName: nullable(a.FirstName), LastName: nullable(a.LastName), Company: nullable(a.Company),
		Address1: nullable(a.Address1), Address2: nullable(a.Address2), City: nullable(a.City),
		RegionCode: nullable(a.RegionCode), RegionName: nullable(a.RegionName), PostalCode: nullable(a.PostalCode),
		CountryCode: nullable(a.CountryCode), Phone: nullable(a.Phone),
	}
}

// lineItemRequest is a line of an order upsert.
type lineItemRequest struct {
	ID        string `json:"id"`
	ProductID string `json:"product_id"`
	VariantID string `json:"variant_id"`
	SKU       string `json:"sku"`
	Name      string `json:"name"`
	Quantity  int    `json:"quantity"`
	UnitPrice int64  `json:"unit_price"`
	Total     int64  `json:"total"`
	ImageURL  string `json:"image_url"`
}

// orderAddrRequest is an address snapshot of an order upsert: the address
// book's postal fields, nothing else.
type orderAddrRequest struct {
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	Company     string `json:"company"`
	Address1    string `json:"address1"`
	Address2    string `json:"address2"`
	City        string `json:"city"`
	RegionCode  string `json:"region_code"`
	RegionName  string `json:"region_name"`
	PostalCode  string `json:"postal_code"`
	CountryCode string `json:"country_code"`
	Phone       string `json:"phone"`
}

func (a *orderAddrRequest) address() *core.Address {
	if a == nil {
		return nil
	}
	return &core.Address{
		FirstName: a.FirstName, LastName: a.LastName, Company: a.Company, Address1: a.Address1, Address2: a.Address2,
		City: a.City, RegionCode: a.RegionCode, RegionName: a.RegionName, PostalCode: a.PostalCode,
		CountryCode: a.CountryCode, Phone: a.Phone,
	}
}

func toOrder(o core.Order) orderJSON {
	items := make([]lineItemJSON, len(o.LineItems))
	for i, li := range o.LineItems {
		items[i] = toLineItem(li)
	}
	return orderJSON{
		ID: o.ID, Number: o.Number, CustomerID: nullable(o.CustomerID), Email: o.Email, State: o.State,
		PaymentStatus: nullable(o.PaymentStatus), FulfillmentStatus: nullable(o.FulfillmentStatus), Currency: o.Currency,
		Subtotal: o.Subtotal, ShippingTotal: o.ShippingTotal, TaxTotal: o.TaxTotal, DiscountTotal: o.DiscountTotal,
		Total: o.Total, ItemCount: o.ItemCount, LineItems: items,
		BillingAddress: toOrderAddr(o.BillingAddress), ShippingAddress: toOrderAddr(o.ShippingAddress),
		PlacedAt: stamp(o.PlacedAt), CreatedAt: stamp(o.CreatedAt), UpdatedAt: stamp(o.UpdatedAt),
	}
}

func toAdminOrder(o core.Order) adminOrderJSON {
	md := o.Metadata
	if md == nil {
		md = map[string]any{}
	}
	return adminOrderJSON{orderJSON: toOrder(o), Metadata: md}
}

// upsertOrderRequest is the body of PUT /admin/v1/orders/{number}.
type upsertOrderRequest struct {
	Email             string            `json:"email"`
	CustomerID        string            `json:"customer_id"`
	State             string            `json:"state"`
	PaymentStatus     string            `json:"payment_status"`
	FulfillmentStatus string            `json:"fulfillment_status"`
	Currency          string            `json:"currency"`
	Subtotal          int64             `json:"subtotal"`
	ShippingTotal     int64             `json:"shipping_total"`
	TaxTotal          int64             `json:"tax_total"`
	DiscountTotal     int64             `json:"discount_total"`
	Total             int64             `json:"total"`
	ItemCount         int               `json:"item_count"`
	LineItems         []lineItemRequest `json:"line_items"`
	BillingAddress    *orderAddrRequest `json:"billing_address"`
	ShippingAddress   *orderAddrRequest `json:"shipping_address"`
	Metadata          map[string]any    `json:"metadata"`
	PlacedAt          string            `json:"placed_at"`
}

func (in upsertOrderRequest) input() core.OrderInput {
	items := make([]core.LineItem, len(in.LineItems))
	for i, li := range in.LineItems {
		items[i] = core.LineItem(li)
	}
	return core.OrderInput{
		Email: in.Email, CustomerID: in.CustomerID, State: in.State, PaymentStatus: in.PaymentStatus,
		FulfillmentStatus: in.FulfillmentStatus, Currency: in.Currency, Subtotal: in.Subtotal,
		ShippingTotal: in.ShippingTotal, TaxTotal: in.TaxTotal, DiscountTotal: in.DiscountTotal, Total: in.Total,
		ItemCount: in.ItemCount, LineItems: items, BillingAddress: in.BillingAddress.address(),
		ShippingAddress: in.ShippingAddress.address(), Metadata: in.Metadata, PlacedAt: in.PlacedAt,
	}
}
