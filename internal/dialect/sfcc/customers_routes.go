package sfcc

import (
	"context"
	"net/http"
	"strings"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

func (a *API) customerRoutes(rt *httpx.Router) {
	h := func(pattern string, fn httpx.HandlerFunc) {
		method, path, _ := strings.Cut(pattern, " ")
		rt.Handle(method+" "+CustRoot+path, a.shopper(fn))
	}
	h("POST /customers", a.register)
	rt.Handle("POST "+CustRoot+"/customers/password/actions/create-reset-token", a.shopperOrKey(a.createResetToken))
	rt.Handle("POST "+CustRoot+"/customers/password/actions/reset", a.shopperOrKey(a.resetWithToken))
	h("GET /customers/{customerId}", a.own(true, a.getCustomer))
	h("PATCH /customers/{customerId}", a.own(true, a.updateCustomer))
	h("PUT /customers/{customerId}/password", a.own(true, a.updatePassword))
	h("POST /customers/{customerId}/addresses", a.own(true, a.createAddress))
	h("GET /customers/{customerId}/addresses/{addressName}", a.own(true, a.getAddress))
	h("PATCH /customers/{customerId}/addresses/{addressName}", a.own(true, a.updateAddress))
	h("DELETE /customers/{customerId}/addresses/{addressName}", a.own(true, a.deleteAddress))
	h("POST /customers/{customerId}/payment-instruments", a.own(true, a.createInstrument))
	h("GET /customers/{customerId}/payment-instruments/{paymentInstrumentId}", a.own(true, a.getInstrument))
	h("PATCH /customers/{customerId}/payment-instruments/{paymentInstrumentId}", a.own(true, a.updateInstrument))
	h("DELETE /customers/{customerId}/payment-instruments/{paymentInstrumentId}", a.own(true, a.deleteInstrument))
	h("GET /customers/{customerId}/orders", a.own(false, a.getOrders))
	h("GET /customers/{customerId}/baskets", a.own(false, a.getBaskets))
	h("GET /customers/{customerId}/product-lists", a.own(false, a.getProductLists))
	h("POST /customers/{customerId}/product-lists", a.own(false, a.createProductList))
	h("GET /customers/{customerId}/product-lists/{listId}", a.own(false, a.getProductList))
	h("PATCH /customers/{customerId}/product-lists/{listId}", a.own(false, a.updateProductList))
	h("DELETE /customers/{customerId}/product-lists/{listId}", a.own(false, a.deleteProductList))
	h("POST /customers/{customerId}/product-lists/{listId}/items", a.own(false, a.createItem))
	h("GET /customers/{customerId}/product-lists/{listId}/items/{itemId}", a.own(false, a.getItem))
	h("PATCH /customers/{customerId}/product-lists/{listId}/items/{itemId}", a.own(false, a.updateItem))
	h("DELETE /customers/{customerId}/product-lists/{listId}/items/{itemId}", a.own(false, a.deleteItem))
}

// shopper resolves the organization, checks siteId and authenticates the
// bearer token (contract §5.1).
func (a *API) shopper(next httpx.HandlerFunc) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		r, err := a.organization(r, errNotFound("No organization with this ID could be found."))
		if err != nil {
			return err
		}
		if !bindingOf(r).HasSite(r.URL.Query().Get("siteId")) {
			return errInvalidSite()
		}
		tok := httpx.BearerToken(r)
		if tok == "" {
			return errUnauthorized()
		}
		p, _, err := a.authenticate(r.Context(), r, tok)
		if err != nil {
			return errUnauthorized()
		}
		return next(w, r.WithContext(context.WithValue(r.Context(), principalKey, p)))
	}
}

// own checks that {customerId} is the token's shopper: another id is 400
// invalid-customer whether it exists or not; a guest's own gcid on a
// registered-only route is 404.
func (a *API) own(registeredOnly bool, next httpx.HandlerFunc) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := principalOf(r)
		id := r.PathValue("customerId")
		self := wireID(p.CustomerID)
		if p.CustomerID == "" {
			self = wireID(p.GuestID)
		}
		if id != self {
			return errInvalidCustomer("CustomerId URL parameter does not match the verified customer represented by the JWT token.")
		}
		if registeredOnly && p.CustomerID == "" {
			return errNotFound("No customer with ID '" + id + "' could be found.")
		}
		return next(w, r)
	}
}

// guestOrCustomer tells whether a principal is a registered customer.
func registered(p *core.Principal) bool { return p.CustomerID != "" }
