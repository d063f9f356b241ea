package httpapi

// routesImports registers the admin import jobs: an export file uploaded
// as the body becomes a background job whose status can be polled.
func (a *API) routesImports(h route) {
	h("POST /admin/v1/imports", a.admin(a.adminCreateImport))
	h("GET /admin/v1/imports", a.admin(a.adminListImports))
	h("GET /admin/v1/imports/{id}", a.admin(a.adminGetImport))
}
