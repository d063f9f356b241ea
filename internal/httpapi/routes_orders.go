package httpapi

// routesOrders registers the order index: the customer's history, the
// Medusa-style claim of guest orders, and the admin upsert the store's
// order system reports through.
func (a *API) routesOrders(h route) {
	h("GET /v1/customer/orders", a.customer(a.listOrders))
	h("GET /v1/customer/orders/{id}", a.customer(a.getOrder))
	h("POST /v1/customer/orders/claim", a.customer(a.requestOrderClaim))
	h("POST /v1/customer/orders/claim/confirm", a.customer(a.confirmOrderClaim))

	h("PUT /admin/v1/orders/{number}", a.admin(a.upsertOrder))
	h("GET /admin/v1/orders/{number}", a.admin(a.adminGetOrder))
}
