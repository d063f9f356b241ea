package medusa

import (
	"context"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

// orderID maps the core's ord_<ULID> to Medusa's order_<ULID>.
func orderID(id string) string {
	if rest, ok := strings.CutPrefix(id, "ord_"); ok {
		return "order_" + rest
	}
	return id
}

// coreOrderID accepts order_ or ord_ and returns the core's id.
func coreOrderID(id string) string {
	if rest, ok := strings.CutPrefix(id, "order_"); ok {
		return "ord_" + rest
	}
	return id
}

var (
	orderStatuses       = []string{"pending", "completed", "draft", "archived", "canceled", "requires_action"}
	paymentStatuses     = []string{"not_paid", "awaiting", "authorized", "partially_authorized", "captured", "partially_captured", "partially_refunded", "refunded", "canceled", "requires_action"}
	fulfillmentStatuses = []string{"not_fulfilled", "partially_fulfilled", "fulfilled", "partially_shipped", "shipped", "partially_delivered", "delivered", "canceled"}
)

// enum renders v when it is one of Medusa's values, else fallback.
func enum(v string, values []string, fallback string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	switch v {
	case "cancelled":
		v = "canceled"
	case "paid":
		v = "captured"
	}
	if slices.Contains(values, v) {
		return v
	}
	return fallback
}

// major converts minor units to major units of the currency.
func major(amount int64, currency string) float64 {
	exp, ok := core.CurrencyExponent(currency)
	if !ok {
		exp = 2
	}
	return float64(amount) / math.Pow10(exp)
}

func orderAddress(a *core.Address) map[string]any {
	if a == nil {
		return nil
	}
	prov := a.RegionName
	if prov == "" {
		prov = a.RegionCode
	}
	return map[string]any{
		"first_name": opt(a.FirstName), "last_name": opt(a.LastName), "company": opt(a.Company),
		"address_1": opt(a.Address1), "address_2": opt(a.Address2), "city": opt(a.City),
		"country_code": opt(strings.ToLower(a.CountryCode)), "province": opt(prov),
		"postal_code": opt(a.PostalCode), "phone": opt(a.Phone), "metadata": meta(a.Metadata),
	}
}

func toOrder(o *core.Order) map[string]any {
	cur := strings.ToLower(o.Currency)
	m := func(v int64) float64 { return major(v, o.Currency) }
	display, _ := strconv.Atoi(strings.TrimLeft(o.Number, "#"))
	items := []map[string]any{}
	for _, li := range o.LineItems {
		items = append(items, map[string]any{
			"id": li.ID, "title": li.Name, "product_id": opt(li.ProductID), "variant_id": opt(li.VariantID),
			"variant_sku": opt(li.SKU), "thumbnail": opt(li.ImageURL), "quantity": li.Quantity,
			"unit_price": m(li.UnitPrice), "total": m(li.Total), "subtotal": m(li.Total),
		})
	}
	out := map[string]any{
		"id": orderID(o.ID), "display_id": display, "custom_display_id": opt(o.Number),
		"status":             enum(o.State, orderStatuses, "pending"),
		"payment_status":     enum(o.PaymentStatus, paymentStatuses, "not_paid"),
		"fulfillment_status": enum(o.FulfillmentStatus, fulfillmentStatuses, "not_fulfilled"),
		"email":              o.Email, "customer_id": opt(o.CustomerID), "region_id": nil, "sales_channel_id": nil,
		"currency_code": cur, "version": 1, "items": items, "shipping_methods": []any{},
		"shipping_address": orderAddress(o.ShippingAddress), "billing_address": orderAddress(o.BillingAddress),
		"metadata": meta(o.Metadata), "created_at": ts(o.CreatedAt), "updated_at": ts(o.UpdatedAt),
	}
	totals := map[string]int64{
		"total": o.Total, "subtotal": o.Subtotal, "tax_total": o.TaxTotal, "discount_total": o.DiscountTotal,
		"item_total": o.Subtotal, "item_subtotal": o.Subtotal, "shipping_total": o.ShippingTotal,
		"shipping_subtotal": o.ShippingTotal, "original_total": o.Total, "original_subtotal": o.Subtotal,
		"original_tax_total": o.TaxTotal, "original_item_total": o.Subtotal, "original_item_subtotal": o.Subtotal,
		"original_shipping_total": o.ShippingTotal, "original_shipping_subtotal": o.ShippingTotal,
	}
	for _, k := range []string{"discount_tax_total", "item_tax_total", "item_discount_total", "original_item_tax_total",
		"shipping_tax_total", "shipping_discount_total", "original_shipping_tax_total", "gift_card_total",
		"gift_card_tax_total", "credit_line_total"} {
		totals[k] = 0
	}
	for k, v := range totals {
		out[k] = m(v)
	}
	out["summary"] = map[string]any{
		"pending_difference": 0, "current_order_total": m(o.Total), "original_order_total": m(o.Total),
		"transaction_total": 0, "paid_total": 0, "refunded_total": 0, "accounting_total": m(o.Total),
	}
	return out
}

func (h *handler) orderList(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	limit, offset := 50, 0
	if v, err := strconv.Atoi(q.Get("limit")); err == nil && v >= 0 {
		limit = min(v, 100)
	}
	if v, err := strconv.Atoi(q.Get("offset")); err == nil && v >= 0 {
		offset = v
	}
	all, err := h.allOrders(r.Context(), p)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for i := offset; i < len(all) && len(out) < limit; i++ {
		out = append(out, toOrder(&all[i]))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"orders": out, "count": len(all), "offset": offset, "limit": limit})
}

func (h *handler) orderGet(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		if translate(err).Status == http.StatusUnauthorized {
			return errNotFound("Order with id: " + r.PathValue("id") + " was not found")
		}
		return err
	}
	id := r.PathValue("id")
	o, err := h.svc.Order(r.Context(), p, coreOrderID(id))
	if err != nil {
		if errorsIsAny(err, core.ErrNotFound) {
			return errNotFound("Order with id: " + id + " was not found")
		}
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"order": toOrder(o)})
}

// allOrders reads the caller's whole order index, newest first (the
// dialects page by offset; core pages by cursor).
func (h *handler) allOrders(ctx context.Context, p *core.Principal) ([]core.Order, error) {
	var all []core.Order
	pg := core.Page{Limit: core.MaxPageLimit}
	for i := 0; i < 100; i++ {
		page, err := h.svc.Orders(ctx, p, pg)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.Next == "" {
			break
		}
		pg.Cursor = page.Next
	}
	return all, nil
}
