package httpapi

// routesGroups registers customer groups: store-defined, managed and
// assigned through the admin API only. Customers see their groups on
// their own resource (GET /v1/customer), never edit them.
func (a *API) routesGroups(h route) {
	h("GET /admin/v1/groups", a.admin(a.listGroups))
	h("POST /admin/v1/groups", a.admin(a.createGroup))
	h("GET /admin/v1/groups/{id}", a.admin(a.getGroup))
	h("PATCH /admin/v1/groups/{id}", a.admin(a.patchGroup))
	h("DELETE /admin/v1/groups/{id}", a.admin(a.deleteGroup))

	h("GET /admin/v1/customers/{id}/groups", a.admin(a.getCustomerGroups))
	h("PUT /admin/v1/customers/{id}/groups", a.admin(a.putCustomerGroups))
}
