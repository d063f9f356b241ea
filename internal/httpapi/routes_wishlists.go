package httpapi

// routesWishlists registers the customer's wishlists and their items, and
// the public read of a shared list.
func (a *API) routesWishlists(h route) {
	h("GET /v1/customer/wishlists", a.customer(a.listWishlists))
	h("POST /v1/customer/wishlists", a.customer(a.createWishlist))
	h("GET /v1/customer/wishlists/{id}", a.customer(a.getWishlist))
	h("PATCH /v1/customer/wishlists/{id}", a.customer(a.patchWishlist))
	h("DELETE /v1/customer/wishlists/{id}", a.customer(a.deleteWishlist))
	h("GET /v1/customer/wishlists/{id}/items", a.customer(a.listWishlistItems))
	h("POST /v1/customer/wishlists/{id}/items", a.customer(a.addWishlistItem))
	h("GET /v1/customer/wishlists/{id}/items/{item_id}", a.customer(a.getWishlistItem))
	h("PATCH /v1/customer/wishlists/{id}/items/{item_id}", a.customer(a.patchWishlistItem))
	h("DELETE /v1/customer/wishlists/{id}/items/{item_id}", a.customer(a.deleteWishlistItem))

	// Anyone with the link and the store's publishable key may read a list
	// its owner made public.
	h("GET /v1/wishlists/shared/{token}", a.public(a.sharedWishlist))
}
