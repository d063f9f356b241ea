package httpapi

// routesAdmin registers the admin API of this area. Every route needs the
// store's secret key (Authorization: Bearer sk_…) and acts on that store
// only: another store's customer id is a 404.
func (a *API) routesAdmin(h route) {
	h("GET /admin/v1/customers", a.admin(a.adminListCustomers))
	h("GET /admin/v1/customers/{id}", a.admin(a.adminGetCustomer))
	h("PATCH /admin/v1/customers/{id}", a.admin(a.adminPatchCustomer))
	h("POST /admin/v1/customers/{id}/sessions/revoke", a.admin(a.adminRevokeSessions))
	h("POST /admin/v1/customers/{id}/password-reset", a.admin(a.adminTriggerReset))
	h("POST /admin/v1/customers/{id}/tokens", a.admin(a.adminMintToken))
	h("GET /admin/v1/store", a.admin(a.adminGetStore))
	h("PATCH /admin/v1/store", a.admin(a.adminPatchStore))
	h("GET /admin/v1/events", a.admin(a.adminListEvents))
}
