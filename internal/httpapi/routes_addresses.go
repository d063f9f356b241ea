package httpapi

// routesAddresses registers the address book: the customer's own under
// /v1/customer/addresses (another customer's id is a 404), and the admin
// read of any customer's book of the secret key's store.
func (a *API) routesAddresses(h route) {
	h("GET /v1/customer/addresses", a.customer(a.listAddresses))
	h("POST /v1/customer/addresses", a.customer(a.createAddress))
	h("GET /v1/customer/addresses/{id}", a.customer(a.getAddress))
	h("PATCH /v1/customer/addresses/{id}", a.customer(a.patchAddress))
	h("DELETE /v1/customer/addresses/{id}", a.customer(a.deleteAddress))

	h("GET /admin/v1/customers/{id}/addresses", a.admin(a.adminListAddresses))
}
