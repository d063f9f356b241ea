package httpapi

import "github.com/clientele/clientele/internal/httpx"

// routes maps the whole native API. Public routes need a publishable key
// (X-Publishable-Key); customer routes need a bearer access token.
func (a *API) routes() {
	var h route = func(pattern string, fn httpx.HandlerFunc) {
		a.patterns = append(a.patterns, pattern)
		a.rt.Handle(pattern, fn)
	}
	h("GET /healthz", a.healthz)
	h("GET /readyz", a.readyz)
	h("GET /.well-known/jwks.json", a.jwks)
	h("GET /v1/openapi.yaml", a.spec)

	h("POST /v1/customers", a.public(a.register))
	h("POST /v1/auth/login", a.public(a.login))
	h("POST /v1/auth/refresh", a.public(a.refresh))
	h("GET /v1/auth/email-exists", a.public(a.emailExists))
	h("POST /v1/password-resets", a.public(a.requestReset))
	h("POST /v1/password-resets/complete", a.public(a.completeReset))

	h("POST /v1/auth/logout", a.session(a.logout)) // a guest may log out too
	h("GET /v1/customer", a.customer(a.getCustomer))
	h("PATCH /v1/customer", a.customer(a.patchCustomer))
	h("DELETE /v1/customer", a.customer(a.deleteCustomer))
	h("POST /v1/customer/password", a.customer(a.changePassword))
	h("GET /v1/customer/sessions", a.customer(a.listSessions))
	h("DELETE /v1/customer/sessions/{id}", a.customer(a.revokeSession))
	h("GET /v1/customer/export", a.customer(a.exportCustomer))

	// Account resources, one file (and one api/parts file) per area.
	a.routesAddresses(h)
	a.routesGroups(h)
	a.routesWishlists(h)
	a.routesCredit(h)
	a.routesPaymentMethods(h)
	a.routesOrders(h)
	a.routesVerification(h)
	a.routesGuests(h)
	a.routesAdmin(h)
	a.routesWebhooks(h)
	a.routesSFCC(h)
	a.routesAudit(h)
	a.routesMailTemplates(h)
	a.routesImports(h)
}

// route registers one pattern; every area's routes function takes it.
type route func(pattern string, fn httpx.HandlerFunc)
