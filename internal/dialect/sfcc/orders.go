package sfcc

import (
	"net/http"
	"strconv"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// orderStatus maps core order states to SCAPI's order statuses.
func orderStatus(state string) string {
	switch state {
	case "completed", "fulfilled", "shipped", "delivered":
		return "completed"
	case "canceled", "cancelled":
		return "cancelled"
	case "failed":
		return "failed"
	case "replaced":
		return "replaced"
	case "new":
		return "new"
	}
	return "created"
}

// major renders minor units as a major-unit number (2 decimals).
func major(v int64) float64 { return float64(v) / 100 }

// orderDoc renders an Order from core's order index (contract §5.10).
func orderDoc(o *core.Order, siteID string) map[string]any {
	d := map[string]any{
		"orderNo": o.Number, "creationDate": ts(o.CreatedAt), "lastModified": ts(o.UpdatedAt),
		"status": orderStatus(o.State), "currency": o.Currency, "orderTotal": major(o.Total),
		"productSubTotal": major(o.Subtotal), "productTotal": major(o.Subtotal - o.DiscountTotal),
		"shippingTotal": major(o.ShippingTotal), "taxTotal": major(o.TaxTotal),
		"siteId": siteID, "channelType": "storefront", "guest": false,
		"customerInfo": map[string]any{"customerId": wireID(o.CustomerID), "customerNo": wireID(o.CustomerID), "email": o.Email},
	}
	if o.PaymentStatus != "" {
		d["paymentStatus"] = o.PaymentStatus
	}
	if o.FulfillmentStatus != "" {
		d["shippingStatus"] = o.FulfillmentStatus
	}
	items := make([]map[string]any, 0, len(o.LineItems))
	for _, li := range o.LineItems {
		it := map[string]any{"itemId": li.ID, "productId": li.ProductID, "quantity": li.Quantity, "price": major(li.Total)}
		if li.VariantID != "" {
			it["productId"] = li.VariantID
		}
		if li.Name != "" {
			it["productName"] = li.Name
		}
		items = append(items, it)
	}
	d["productItems"] = items
	return d
}

// parseWhen reads an RFC 3339 time or a date.
func parseWhen(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// getOrders is getCustomerOrders: newest first, offset paging with total.
func (a *API) getOrders(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, offset := 10, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			return errParam("limit must be from 1 to 50.")
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errParam("offset must be 0 or more.")
		}
		offset = n
	}
	var from, until time.Time
	if v := q.Get("from"); v != "" {
		t, ok := parseWhen(v)
		if !ok {
			return errParam("from must be an RFC 3339 time or a date.")
		}
		from = t
	}
	if v := q.Get("until"); v != "" {
		t, ok := parseWhen(v)
		if !ok {
			return errParam("until must be an RFC 3339 time or a date.")
		}
		until = t
	}
	status := q.Get("status")
	p := principalOf(r)
	var match []core.Order
	if registered(p) {
		pg := core.Page{Limit: 100}
		for {
			page, err := a.svc.Orders(r.Context(), p, pg)
			if err != nil {
				return err
			}
			for _, o := range page.Items {
				if (!from.IsZero() && o.CreatedAt.Before(from)) || (!until.IsZero() && o.CreatedAt.After(until)) ||
					(status != "" && orderStatus(o.State) != status) {
					continue
				}
				match = append(match, o)
			}
			if page.Next == "" {
				break
			}
			pg.Cursor = page.Next
		}
	}
	data := []map[string]any{}
	site := q.Get("siteId")
	for i := offset; i < len(match) && len(data) < limit; i++ {
		data = append(data, orderDoc(&match[i], site))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"data": data, "limit": limit, "offset": offset, "total": len(match)})
}

// getBaskets is getCustomerBaskets: Clientele keeps no baskets.
func (a *API) getBaskets(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]any{"baskets": []any{}, "total": 0})
}
