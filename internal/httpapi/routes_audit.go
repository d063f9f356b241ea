package httpapi

// routesAudit registers the audit log of security events.
func (a *API) routesAudit(h route) {
	h("GET /admin/v1/audit", a.admin(a.adminListAudit))
}
