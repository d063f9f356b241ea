package httpapi

// routesGuests registers the guest-session routes. A guest session is
// refreshed through POST /v1/auth/refresh and ended through POST
// /v1/auth/logout like a customer's (see routes.go); registering or logging
// in with its access token in X-Guest-Token links it to the customer.
func (a *API) routesGuests(h route) {
	h("POST /v1/guest-sessions", a.public(a.startGuestSession))
}
