// Package spree is the Spree Store API v3 dialect: the wire format of
// Spree's storefront API and its official SDK (@spree/sdk), mounted under
// /spree over the same core as the native API. It only translates; every
// rule lives in core. The contract is /work/shared/contracts/spree.md.
package spree

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// Prefix is where the dialect is mounted; Base is the root of its routes.
const (
	Prefix = "/spree"
	Base   = Prefix + "/api/v3/store"
)

// API is the Spree dialect's HTTP handler.
type API struct {
	svc *core.Service
	log *slog.Logger
	rt  *httpx.Router
	h   http.Handler
}

// New returns the dialect's handler for every path under /spree.
func New(svc *core.Service, log *slog.Logger) *API {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &API{svc: svc, log: log, rt: httpx.NewRouter(render)}
	a.routes()
	a.h = httpx.Recover(log, render, sparseFields(a.rt))
	return a
}

// ServeHTTP answers CORS preflights, checks the Idempotency-Key and
// dispatches.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a.cors(w, r) {
		return
	}
	if err := core.CheckIdempotencyKey(r.Header.Get("Idempotency-Key")); err != nil {
		render(w, r, newErr(http.StatusBadRequest, codeInvalidRequest, "Idempotency-Key must be at most 255 characters"))
		return
	}
	a.h.ServeHTTP(w, r)
}

const (
	corsMethods = "GET, POST, PATCH, DELETE"
	corsHeaders = "content-type, x-spree-api-key, authorization, idempotency-key, x-spree-token, x-spree-locale, x-spree-currency, x-spree-country, x-spree-channel"
	corsExpose  = "Retry-After, Idempotent-Replayed, X-RateLimit-Limit, X-RateLimit-Remaining"
)

// cors reflects an Origin (the publishable key, not the origin, is what
// authorises a storefront; no credentials are used) and answers
// preflights. It reports whether the request was a preflight.
func (a *API) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", corsExpose)
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		h.Set("Access-Control-Allow-Methods", corsMethods)
		h.Set("Access-Control-Allow-Headers", corsHeaders)
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

type ctxKey int

const (
	shopKey ctxKey = iota
	principalKey
)

func shopOf(r *http.Request) *core.Shop {
	s, _ := r.Context().Value(shopKey).(*core.Shop)
	return s
}

func principalOf(r *http.Request) *core.Principal {
	p, _ := r.Context().Value(principalKey).(*core.Principal)
	return p
}

func meta(r *http.Request) core.ClientMeta {
	return core.ClientMeta{IP: httpx.ClientIP(r.Context()), UserAgent: r.UserAgent()}
}

// public requires a valid publishable key in x-spree-api-key.
func (a *API) public(next httpx.HandlerFunc) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pk := strings.TrimSpace(r.Header.Get("X-Spree-Api-Key"))
		if pk == "" {
			return errAPIKey()
		}
		sh, err := a.svc.ShopByKey(r.Context(), pk, core.KeyPublishable)
		if err != nil {
			return remap(err, errAPIKey(), core.ErrNotFound, core.ErrUnauthenticated, core.ErrInvalid, core.ErrForbidden)
		}
		return next(w, r.WithContext(context.WithValue(r.Context(), shopKey, sh)))
	}
}

// customer requires the publishable key and a customer's access token of
// that store. Any token failure is 401 authentication_required (what makes
// a storefront refresh).
func (a *API) customer(next httpx.HandlerFunc) httpx.HandlerFunc {
	return a.public(func(w http.ResponseWriter, r *http.Request) error {
		tok := httpx.BearerToken(r)
		if tok == "" {
			return errAuthRequired()
		}
		p, err := a.svc.Authenticate(r.Context(), shopOf(r).ID, tok)
		if err != nil {
			return remap(err, errAuthRequired(), core.ErrUnauthenticated, core.ErrNotFound, core.ErrForbidden, core.ErrInvalid)
		}
		if p.CustomerID == "" {
			return errAuthRequired()
		}
		return next(w, r.WithContext(context.WithValue(r.Context(), principalKey, p)))
	})
}

// routes registers the whole surface.
func (a *API) routes() {
	h := func(pattern string, fn httpx.HandlerFunc) {
		method, path, _ := strings.Cut(pattern, " ")
		a.rt.Handle(method+" "+Base+path, fn)
	}
	// A customer's resource mutation: authenticated, and its retries with
	// the same Idempotency-Key are answered from the first attempt.
	mut := func(fn httpx.HandlerFunc) httpx.HandlerFunc { return a.customer(a.idempotent(fn)) }
	h("POST /customers", a.public(a.register))
	h("POST /auth/login", a.public(a.login))
	h("POST /auth/refresh", a.public(a.refresh))
	h("POST /auth/logout", a.public(a.logout))
	h("POST /password_resets", a.public(a.requestReset))
	h("PATCH /password_resets/{token}", a.public(a.completeReset))

	h("GET /customers/me", a.customer(a.getCustomer))
	h("PATCH /customers/me", mut(a.updateCustomer))

	h("GET /customers/me/addresses", a.customer(a.listAddresses))
	h("POST /customers/me/addresses", mut(a.createAddress))
	h("GET /customers/me/addresses/{id}", a.customer(a.getAddress))
	h("PATCH /customers/me/addresses/{id}", mut(a.updateAddress))
	h("DELETE /customers/me/addresses/{id}", mut(a.deleteAddress))

	h("GET /customers/me/orders", a.customer(a.listOrders))
	h("GET /customers/me/orders/{id}", a.customer(a.getOrder))
	h("GET /orders/{id}", a.public(a.getOrderOptionalAuth))

	h("GET /customers/me/credit_cards", a.customer(a.listCreditCards))
	h("GET /customers/me/credit_cards/{id}", a.customer(a.getCreditCard))
	h("DELETE /customers/me/credit_cards/{id}", mut(a.deleteCreditCard))

	h("GET /customers/me/gift_cards", a.customer(a.listGiftCards))
	h("GET /customers/me/gift_cards/{id}", a.customer(a.getGiftCard))

	h("GET /customers/me/store_credits", a.customer(a.listStoreCredits))
	h("GET /customers/me/store_credits/{id}", a.customer(a.getStoreCredit))

	h("GET /wishlists", a.customer(a.listWishlists))
	h("POST /wishlists", mut(a.createWishlist))
	h("GET /wishlists/{id}", a.customer(a.getWishlist))
	h("PATCH /wishlists/{id}", mut(a.updateWishlist))
	h("DELETE /wishlists/{id}", mut(a.deleteWishlist))
	h("POST /wishlists/{id}/items", mut(a.createWishlistItem))
	h("PATCH /wishlists/{id}/items/{item_id}", mut(a.updateWishlistItem))
	h("DELETE /wishlists/{id}/items/{item_id}", mut(a.deleteWishlistItem))

	// Spree's auth is optional here: a valid JWT names the customer, an
	// invalid one is anonymous.
	h("POST /newsletter_subscribers", a.public(a.subscribe))
	h("POST /newsletter_subscribers/verify", a.public(a.verifyNewsletter))
	h("POST /newsletter_subscribers/request_unsubscribe", a.public(a.requestUnsubscribe))
	h("DELETE /newsletter_subscribers/{id}", a.public(a.unsubscribe))

	// Payment setup sessions need a payment provider integration that
	// Clientele does not have yet (contract §6.10).
	h("POST /customers/me/payment_setup_sessions", a.customer(func(w http.ResponseWriter, r *http.Request) error {
		return errNotFound("Payment method")
	}))
	h("GET /customers/me/payment_setup_sessions/{id}", a.customer(func(w http.ResponseWriter, r *http.Request) error {
		return errNotFound("Payment setup session")
	}))
	h("PATCH /customers/me/payment_setup_sessions/{id}/complete", a.customer(func(w http.ResponseWriter, r *http.Request) error {
		return errNotFound("Payment setup session")
	}))

	// Everything else under /spree (catalogue, carts, checkout...) is not
	// Clientele's: the router answers 404 record_not_found in the envelope.
}
