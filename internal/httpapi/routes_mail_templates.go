package httpapi

// routesMailTemplates registers the store's own mail templates.
func (a *API) routesMailTemplates(h route) {
	h("GET /admin/v1/mail-templates", a.admin(a.adminListMailTemplates))
	h("GET /admin/v1/mail-templates/{kind}", a.admin(a.adminGetMailTemplate))
	h("PUT /admin/v1/mail-templates/{kind}", a.admin(a.adminPutMailTemplate))
	h("DELETE /admin/v1/mail-templates/{kind}", a.admin(a.adminDeleteMailTemplate))
}
