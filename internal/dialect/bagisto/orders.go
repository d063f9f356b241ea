package bagisto

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

// orderStatuses are Bagisto's order states with their labels; any other
// state of ours reads as processing (contract §5.5).
var orderStatuses = map[string]string{
	"pending": "Pending", "pending_payment": "Pending Payment", "processing": "Processing",
	"completed": "Completed", "canceled": "Canceled", "closed": "Closed", "fraud": "Fraud",
}

func orderStatus(state string) (string, string) {
	s := strings.ToLower(strings.TrimSpace(state))
	if s == "cancelled" {
		s = "canceled"
	}
	if l, ok := orderStatuses[s]; ok {
		return s, l
	}
	return "processing", orderStatuses["processing"]
}

// currencySymbols are the symbols of common currencies; others print
// their code.
var currencySymbols = map[string]string{
	"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CNY": "¥", "AUD": "A$", "CAD": "CA$",
	"CHF": "CHF ", "SEK": "kr ", "NOK": "kr ", "DKK": "kr ", "PLN": "zł ", "BRL": "R$", "MXN": "MX$", "AED": "AED ",
}

// money renders minor units as Bagisto's decimal string (4 places) and
// its formatted twin (symbol, 2 places).
func money(minor int64, currency string) (string, string) {
	exp, ok := core.CurrencyExponent(currency)
	if !ok {
		exp = 2
	}
	neg := minor < 0
	if neg {
		minor = -minor
	}
	scale := int64(1)
	for range exp {
		scale *= 10
	}
	whole, frac := minor/scale, minor%scale
	// Scale the fraction to 4 places (every active currency has at most 4).
	f4 := frac
	for range 4 - exp {
		f4 *= 10
	}
	sign := ""
	if neg {
		sign = "-"
	}
	dec := sign + strconv.FormatInt(whole, 10) + "." + pad(f4, 4)
	f2 := (f4 + 50) / 100 // round half up to cents
	w2 := whole
	if f2 == 100 {
		w2, f2 = w2+1, 0
	}
	sym, ok := currencySymbols[currency]
	if !ok {
		sym = currency + " "
	}
	return dec, sign + sym + strconv.FormatInt(w2, 10) + "." + pad(f2, 2)
}

func pad(n int64, width int) string {
	s := strconv.FormatInt(n, 10)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// orderAddressView renders an order's address snapshot.
func orderAddressView(o *core.Order, a *core.Address) any {
	if a == nil {
		return nil
	}
	country, countryName := countryOut(a.CountryCode)
	return obj{{"id", nil}, {"email", orNull(o.Email)}, {"first_name", orNull(a.FirstName)}, {"last_name", orNull(a.LastName)},
		{"address1", addressLines(a)}, {"country", country}, {"country_name", countryName}, {"state", stateOut(a)},
		{"city", orNull(a.City)}, {"postcode", orNull(a.PostalCode)}, {"phone", orNull(a.Phone)},
		{"created_at", ts(o.CreatedAt)}, {"updated_at", ts(o.UpdatedAt)}}
}

// orderView renders an order (contract §5.5).
func orderView(num int64, o *core.Order, sh *core.Shop, customer obj, c *core.Customer, v1 bool) obj {
	twin := "formated_"
	if v1 {
		twin = "formatted_"
	}
	cur := o.Currency
	amount := func(out obj, name string, minor int64) obj {
		d, f := money(minor, cur)
		return out.with(name, d).with(twin+name, f)
	}
	status, label := orderStatus(o.State)
	qty := 0
	for _, li := range o.LineItems {
		qty += li.Quantity
	}
	first, last := c.FirstName, c.LastName
	out := obj{{"id", num}, {"increment_id", o.Number}, {"status", status}, {"status_label", label},
		{"channel_name", sh.Name}, {"is_guest", 0}, {"customer_email", orNull(o.Email)},
		{"customer_first_name", orNull(first)}, {"customer_last_name", orNull(last)},
		{"shipping_method", metaString(o.Metadata, "shipping_method")}, {"shipping_title", metaString(o.Metadata, "shipping_title")},
		{"payment_title", metaString(o.Metadata, "payment_title")}, {"shipping_description", metaString(o.Metadata, "shipping_description")},
		{"coupon_code", metaString(o.Metadata, "coupon_code")}, {"is_gift", 0},
		{"total_item_count", max(o.ItemCount, len(o.LineItems))}, {"total_qty_ordered", qty},
		{"base_currency_code", cur}, {"channel_currency_code", cur}, {"order_currency_code", cur}}
	pair := func(name string, minor int64) {
		out = amount(out, name, minor)
		out = amount(out, "base_"+name, minor)
	}
	pair("grand_total", o.Total)
	pair("grand_total_invoiced", 0)
	pair("grand_total_refunded", 0)
	pair("sub_total", o.Subtotal)
	pair("sub_total_invoiced", 0)
	out = amount(out, "sub_total_refunded", 0)
	pair("discount_amount", o.DiscountTotal)
	pair("discount_invoiced", 0)
	pair("discount_refunded", 0)
	pair("tax_amount", o.TaxTotal)
	pair("tax_amount_invoiced", 0)
	pair("tax_amount_refunded", 0)
	pair("shipping_amount", o.ShippingTotal)
	pair("shipping_invoiced", 0)
	pair("shipping_refunded", 0)
	if v1 {
		pair("sub_total_incl_tax", o.Subtotal+o.TaxTotal)
		pair("shipping_amount_incl_tax", o.ShippingTotal)
	}
	out = out.with("discount_percent", "0.0000")
	out = out.with("customer", customer)
	out = out.with("shipping_address", orderAddressView(o, o.ShippingAddress)).with("billing_address", orderAddressView(o, o.BillingAddress))
	items := []obj{}
	for i, li := range o.LineItems {
		it := obj{{"id", i + 1}, {"sku", orNull(li.SKU)}, {"type", "simple"}, {"name", li.Name}, {"qty_ordered", li.Quantity}}
		it = amount(it, "price", li.UnitPrice)
		it = amount(it, "total", li.Total)
		it = amount(it, "tax_amount", 0)
		items = append(items, it)
	}
	return out.with("items", items).with("invoices", []any{}).with("shipments", []any{}).
		with("updated_at", ts(o.UpdatedAt)).with("created_at", ts(o.CreatedAt))
}

// orderRows loads and renders orders (all of the caller's, or the one
// id), filtered by ?status when listing.
func (a *API) orderRows(r *http.Request, only string) ([]row, error) {
	sh, p, v1 := shopOf(r), principalOf(r), isV1(r)
	c, err := a.me(r)
	if err != nil {
		return nil, err
	}
	var orders []core.Order
	if only != "" {
		o, err := a.svc.Order(r.Context(), p, only)
		if err != nil {
			return nil, err
		}
		orders = []core.Order{*o}
	} else {
		pg := core.Page{Limit: core.MaxPageLimit}
		for {
			res, err := a.svc.Orders(r.Context(), p, pg)
			if err != nil {
				return nil, err
			}
			orders = append(orders, res.Items...)
			if res.Next == "" {
				break
			}
			pg.Cursor = res.Next
		}
	}
	if f := r.URL.Query().Get("status"); f != "" && only == "" {
		want := map[string]bool{}
		for _, s := range strings.Split(f, ",") {
			want[strings.TrimSpace(s)] = true
		}
		kept := orders[:0]
		for _, o := range orders {
			if s, _ := orderStatus(o.State); want[s] {
				kept = append(kept, o)
			}
		}
		orders = kept
	}
	ids := make([]string, len(orders))
	for i := range orders {
		ids[i] = orders[i].ID
	}
	nums, err := a.svc.Aliases(r.Context(), sh.ID, core.AliasOrder, ids...)
	if err != nil {
		return nil, err
	}
	cust, err := a.customerView(r.Context(), sh, c, v1)
	if err != nil {
		return nil, err
	}
	rows := make([]row, len(orders))
	for i := range orders {
		o := &orders[i]
		rows[i] = row{num: nums[o.ID], created: o.CreatedAt, updated: o.UpdatedAt, total: o.Total, view: orderView(nums[o.ID], o, sh, cust, c, v1)}
	}
	return rows, nil
}

func (a *API) listOrders(w http.ResponseWriter, r *http.Request) error {
	rows, err := a.orderRows(r, "")
	if err != nil {
		return err
	}
	sortRows(r, rows, true)
	return ok(w, paginate(r, rows))
}

func (a *API) getOrder(w http.ResponseWriter, r *http.Request) error {
	num, valid := pathNum(r.PathValue("id"))
	if !valid {
		return errNotFound()
	}
	id, err := a.svc.ResolveMine(r.Context(), principalOf(r), core.AliasOrder, num)
	if err != nil {
		return err
	}
	rows, err := a.orderRows(r, id)
	if err != nil {
		return err
	}
	return ok(w, obj{{"data", rows[0].view}})
}
