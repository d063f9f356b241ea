package httpapi

// routesPaymentMethods registers the customer's saved payment methods and
// the admin attach.
func (a *API) routesPaymentMethods(h route) {
	h("GET /v1/customer/payment-methods", a.customer(a.listPaymentMethods))
	h("POST /v1/customer/payment-methods", a.customer(a.createPaymentMethod))
	h("GET /v1/customer/payment-methods/{id}", a.customer(a.getPaymentMethod))
	h("PATCH /v1/customer/payment-methods/{id}", a.customer(a.patchPaymentMethod))
	h("DELETE /v1/customer/payment-methods/{id}", a.customer(a.deletePaymentMethod))

	h("POST /admin/v1/customers/{id}/payment-methods", a.admin(a.attachPaymentMethod))
}
