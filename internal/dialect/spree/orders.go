package spree

import (
	"net/http"
	"sort"
	"strings"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// Order is Spree's order (history view). Money comes in pairs: X and
// display_X.
type Order struct {
	ID                        string     `json:"id"`
	MarketID                  *string    `json:"market_id"`
	ChannelID                 *string    `json:"channel_id"`
	Number                    string     `json:"number"`
	Email                     string     `json:"email"`
	CustomerNote              *string    `json:"customer_note"`
	Currency                  string     `json:"currency"`
	Locale                    *string    `json:"locale"`
	TotalQuantity             int        `json:"total_quantity"`
	FulfillmentStatus         *string    `json:"fulfillment_status"`
	PaymentStatus             *string    `json:"payment_status"`
	CompletedAt               *string    `json:"completed_at"`
	ItemTotal                 string     `json:"item_total"`
	DisplayItemTotal          string     `json:"display_item_total"`
	AdjustmentTotal           string     `json:"adjustment_total"`
	DisplayAdjustmentTotal    string     `json:"display_adjustment_total"`
	DiscountTotal             string     `json:"discount_total"`
	DisplayDiscountTotal      string     `json:"display_discount_total"`
	TaxTotal                  string     `json:"tax_total"`
	DisplayTaxTotal           string     `json:"display_tax_total"`
	IncludedTaxTotal          string     `json:"included_tax_total"`
	DisplayIncludedTaxTotal   string     `json:"display_included_tax_total"`
	AdditionalTaxTotal        string     `json:"additional_tax_total"`
	DisplayAdditionalTaxTotal string     `json:"display_additional_tax_total"`
	Total                     string     `json:"total"`
	DisplayTotal              string     `json:"display_total"`
	GiftCardTotal             string     `json:"gift_card_total"`
	DisplayGiftCardTotal      string     `json:"display_gift_card_total"`
	AmountDue                 string     `json:"amount_due"`
	DisplayAmountDue          string     `json:"display_amount_due"`
	DeliveryTotal             string     `json:"delivery_total"`
	DisplayDeliveryTotal      string     `json:"display_delivery_total"`
	StoreCreditTotal          string     `json:"store_credit_total"`
	DisplayStoreCreditTotal   string     `json:"display_store_credit_total"`
	CoveredByStoreCredit      bool       `json:"covered_by_store_credit"`
	Discounts                 []any      `json:"discounts"`
	Fulfillments              []any      `json:"fulfillments"`
	Payments                  []any      `json:"payments"`
	Items                     []LineItem `json:"items"`
	BillingAddress            *Address   `json:"billing_address"`
	ShippingAddress           *Address   `json:"shipping_address"`
	GiftCard                  *GiftCard  `json:"gift_card"`
	Market                    any        `json:"market"`
}

// LineItem is Spree's line item.
type LineItem struct {
	ID                        string  `json:"id"`
	VariantID                 string  `json:"variant_id"`
	Preorder                  bool    `json:"preorder"`
	PreorderShipsAt           *string `json:"preorder_ships_at"`
	Quantity                  int     `json:"quantity"`
	Currency                  string  `json:"currency"`
	Name                      string  `json:"name"`
	Slug                      string  `json:"slug"`
	OptionsText               string  `json:"options_text"`
	Price                     string  `json:"price"`
	DisplayPrice              string  `json:"display_price"`
	Total                     string  `json:"total"`
	DisplayTotal              string  `json:"display_total"`
	AdjustmentTotal           string  `json:"adjustment_total"`
	DisplayAdjustmentTotal    string  `json:"display_adjustment_total"`
	AdditionalTaxTotal        string  `json:"additional_tax_total"`
	DisplayAdditionalTaxTotal string  `json:"display_additional_tax_total"`
	IncludedTaxTotal          string  `json:"included_tax_total"`
	DisplayIncludedTaxTotal   string  `json:"display_included_tax_total"`
	DiscountTotal             string  `json:"discount_total"`
	DisplayDiscountTotal      string  `json:"display_discount_total"`
	PreTaxAmount              string  `json:"pre_tax_amount"`
	DisplayPreTaxAmount       string  `json:"display_pre_tax_amount"`
	DiscountedAmount          string  `json:"discounted_amount"`
	DisplayDiscountedAmount   string  `json:"display_discounted_amount"`
	CompareAtAmount           *string `json:"compare_at_amount"`
	DisplayCompareAtAmount    *string `json:"display_compare_at_amount"`
	ThumbnailURL              *string `json:"thumbnail_url"`
	OptionValues              []any   `json:"option_values"`
	DigitalLinks              []any   `json:"digital_links"`
}

func snapshot(a *core.Address) *Address {
	if a == nil {
		return nil
	}
	v := toAddress(core.SavedAddress{Address: *a})
	return &v
}

func toOrder(o core.Order) Order {
	c := o.Currency
	m := func(v int64) string { return money(v, c) }
	d := func(v int64) string { return displayMoney(v, c) }
	completed := isoTime(o.PlacedAt)
	out := Order{
		ID: outID(o.ID, corePrefixOrder, spreePrefixOrder), Number: o.Number, Email: o.Email, Currency: c,
		TotalQuantity: o.ItemCount, FulfillmentStatus: ptr(o.FulfillmentStatus), PaymentStatus: ptr(o.PaymentStatus),
		CompletedAt: &completed,
		ItemTotal:   m(o.Subtotal), DisplayItemTotal: d(o.Subtotal),
		AdjustmentTotal: m(-o.DiscountTotal), DisplayAdjustmentTotal: d(-o.DiscountTotal),
		DiscountTotal: m(o.DiscountTotal), DisplayDiscountTotal: d(o.DiscountTotal),
		TaxTotal: m(o.TaxTotal), DisplayTaxTotal: d(o.TaxTotal),
		IncludedTaxTotal: m(0), DisplayIncludedTaxTotal: d(0),
		AdditionalTaxTotal: m(o.TaxTotal), DisplayAdditionalTaxTotal: d(o.TaxTotal),
		Total: m(o.Total), DisplayTotal: d(o.Total),
		GiftCardTotal: m(0), DisplayGiftCardTotal: d(0),
		AmountDue: m(0), DisplayAmountDue: d(0),
		DeliveryTotal: m(o.ShippingTotal), DisplayDeliveryTotal: d(o.ShippingTotal),
		StoreCreditTotal: m(0), DisplayStoreCreditTotal: d(0),
		Discounts: []any{}, Fulfillments: []any{}, Payments: []any{}, Items: []LineItem{},
		BillingAddress: snapshot(o.BillingAddress), ShippingAddress: snapshot(o.ShippingAddress),
	}
	if out.TotalQuantity == 0 {
		for _, li := range o.LineItems {
			out.TotalQuantity += li.Quantity
		}
	}
	for i, li := range o.LineItems {
		id := li.ID
		if id == "" {
			id = strings.TrimPrefix(out.ID, spreePrefixOrder) + "x" + string(rune('a'+i%26))
		}
		if !strings.HasPrefix(id, "li_") {
			id = "li_" + sanitizeID(id)
		}
		out.Items = append(out.Items, LineItem{
			ID: id, VariantID: li.VariantID, Quantity: li.Quantity, Currency: c, Name: li.Name,
			Price: m(li.UnitPrice), DisplayPrice: d(li.UnitPrice), Total: m(li.Total), DisplayTotal: d(li.Total),
			AdjustmentTotal: m(0), DisplayAdjustmentTotal: d(0), AdditionalTaxTotal: m(0), DisplayAdditionalTaxTotal: d(0),
			IncludedTaxTotal: m(0), DisplayIncludedTaxTotal: d(0), DiscountTotal: m(0), DisplayDiscountTotal: d(0),
			PreTaxAmount: m(li.Total), DisplayPreTaxAmount: d(li.Total), DiscountedAmount: m(li.Total), DisplayDiscountedAmount: d(li.Total),
			ThumbnailURL: ptr(li.ImageURL), OptionValues: []any{}, DigitalLinks: []any{},
		})
	}
	return out
}

// sanitizeID keeps an id to [A-Za-z0-9] so it is safe in a raw URL path.
func sanitizeID(s string) string {
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func errOrderNotFound() error {
	return newErr(http.StatusNotFound, codeOrderNotFound, "Order not found")
}

func (a *API) listOrders(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	os, err := all(r.Context(), func(pg core.Page) (core.PageOf[core.Order], error) {
		return a.svc.Orders(r.Context(), p, pg)
	})
	if err != nil {
		return err
	}
	sort.SliceStable(os, func(i, j int) bool { return os[i].PlacedAt.After(os[j].PlacedAt) })
	sortOrders(os, r.URL.Query().Get("sort"))
	out := make([]Order, 0, len(os))
	for _, o := range os {
		out = append(out, toOrder(o))
	}
	return respondList(w, r, out)
}

func sortOrders(os []core.Order, param string) {
	for _, f := range strings.Split(param, ",") {
		f = strings.TrimSpace(f)
		desc := strings.HasPrefix(f, "-")
		f = strings.TrimPrefix(f, "-")
		if name, dir, ok := strings.Cut(f, " "); ok {
			f, desc = name, strings.EqualFold(strings.TrimSpace(dir), "desc")
		}
		var less func(i, j int) bool
		switch f {
		case "completed_at", "created_at":
			less = func(i, j int) bool { return os[i].PlacedAt.Before(os[j].PlacedAt) }
		case "updated_at":
			less = func(i, j int) bool { return os[i].UpdatedAt.Before(os[j].UpdatedAt) }
		case "number":
			less = func(i, j int) bool { return os[i].Number < os[j].Number }
		default:
			continue
		}
		sort.SliceStable(os, func(i, j int) bool {
			if desc {
				return less(j, i)
			}
			return less(i, j)
		})
		return
	}
}

func (a *API) getOrder(w http.ResponseWriter, r *http.Request) error {
	o, err := a.svc.Order(r.Context(), principalOf(r), inID(r.PathValue("id"), corePrefixOrder, spreePrefixOrder))
	if err != nil {
		return remap(err, errOrderNotFound(), core.ErrNotFound)
	}
	return writeJSON(w, http.StatusOK, toOrder(*o))
}

// getOrderOptionalAuth is orders.get: with a customer's JWT the same
// lookup as the account's orders; otherwise (no, invalid or guest token,
// or only x-spree-token, which Clientele does not issue) 404.
func (a *API) getOrderOptionalAuth(w http.ResponseWriter, r *http.Request) error {
	tok := httpx.BearerToken(r)
	if tok == "" {
		return errOrderNotFound()
	}
	p, err := a.svc.Authenticate(r.Context(), shopOf(r).ID, tok)
	if err != nil || p.CustomerID == "" {
		return remap(err, errOrderNotFound(), core.ErrUnauthenticated, core.ErrNotFound, core.ErrForbidden, core.ErrInvalid)
	}
	o, err := a.svc.Order(r.Context(), p, inID(r.PathValue("id"), corePrefixOrder, spreePrefixOrder))
	if err != nil {
		return remap(err, errOrderNotFound(), core.ErrNotFound)
	}
	return writeJSON(w, http.StatusOK, toOrder(*o))
}
