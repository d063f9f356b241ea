package bagisto

import "net/http"

// routes registers both families (paths relative to the client's base).
// Everything else — cart, checkout, catalogue, move-to-cart, order cancel
// and reorder — is not Clientele's and answers the family's 404.
func (a *API) routes() {
	h := a.rt.Handle
	c := a.customer

	// Legacy family (Webkul/API, Bagisto ≤ 1.3.3).
	h("POST /api/customer/register", a.register)
	h("POST /api/customer/login", a.login)
	h("POST /api/customer/forgot-password", a.forgotPassword)
	h("POST /api/customer/reset-password", a.resetPassword)
	h("GET /api/customer/get", c(a.getCustomer))
	h("GET /api/customers/{id}", c(a.customerByID))
	h("PUT /api/customer/profile", c(a.updateProfile))
	h("GET /api/customer/logout", c(a.logout))
	h("GET /api/addresses", c(a.listAddresses))
	h("POST /api/addresses/create", c(a.createAddress))
	h("GET /api/addresses/{id}", c(a.getAddress))
	h("PUT /api/addresses/{id}", c(a.updateAddress))
	h("DELETE /api/addresses/{id}", c(a.deleteAddress))
	h("GET /api/orders", c(a.listOrders))
	h("GET /api/orders/{id}", c(a.getOrder))
	h("GET /api/wishlist", c(a.listWishlist))
	h("GET /api/wishlist/add/{product_id}", c(a.toggleWishlist))
	h("DELETE /api/wishlist/{id}", c(a.removeWishlistItem))

	// v1 family (bagisto/rest-api).
	h("POST /api/v1/customer/register", a.register)
	h("POST /api/v1/customer/login", a.login)
	h("POST /api/v1/customer/forgot-password", a.forgotPassword)
	h("POST /api/v1/customer/reset-password", a.resetPassword)
	h("GET /api/v1/customer/get", c(a.getCustomer))
	h("PUT /api/v1/customer/profile", c(a.updateProfile))
	h("POST /api/v1/customer/logout", c(a.logout))
	h("GET /api/v1/customer/addresses", c(a.listAddresses))
	h("POST /api/v1/customer/addresses", c(a.createAddress))
	h("GET /api/v1/customer/addresses/{id}", c(a.getAddress))
	h("PUT /api/v1/customer/addresses/{id}", c(a.updateAddress))
	h("PATCH /api/v1/customer/addresses/make-default/{id}", c(a.makeDefault))
	h("DELETE /api/v1/customer/addresses/{id}", c(a.deleteAddress))
	h("GET /api/v1/customer/orders", c(a.listOrders))
	h("GET /api/v1/customer/orders/{id}", c(a.getOrder))
	h("GET /api/v1/customer/wishlist", c(a.listWishlist))
	h("POST /api/v1/customer/wishlist/{product_id}", c(a.toggleWishlist))
	h("DELETE /api/v1/customer/wishlist/all", c(a.clearWishlist))
	h("POST /api/v1/customer/subscription", c(a.subscribe))
}

// subscribe is the newsletter subscription (could): it sets the
// customer's e-mail marketing consent.
func (a *API) subscribe(w http.ResponseWriter, r *http.Request) error {
	if _, err := body(r); err != nil {
		return err
	}
	yes := true
	if _, err := a.svc.UpdateProfile(r.Context(), principalOf(r), profileConsent(&yes)); err != nil {
		return err
	}
	return ok(w, obj{{"message", "You have successfully subscribed to the newsletter."}})
}
