package httpapi

import (
	"context"
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// adminKeyIDKey carries the store of an admin request (its secret key's).
const adminShopKey ctxKey = 100

// admin requires a secret key (Authorization: Bearer sk_…) and puts its
// store in the context. A publishable key or a customer token is refused:
// the admin surface is for the store's own back end only.
func (a *API) admin(next httpx.HandlerFunc) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		key := httpx.BearerToken(r)
		if key == "" {
			return &httpx.Error{Status: http.StatusUnauthorized, Code: core.CodeInvalidAPIKey, Message: "send a secret key as Authorization: Bearer sk_…"}
		}
		sh, err := a.svc.ShopByKey(r.Context(), key, core.KeySecret)
		if err != nil {
			return err
		}
		ctx := context.WithValue(r.Context(), adminShopKey, sh)
		return a.audited(next, key)(w, r.WithContext(context.WithValue(ctx, shopKey, sh)))
	}
}

// adminShop is the store an admin request acts on.
func adminShop(r *http.Request) *core.Shop {
	s, _ := r.Context().Value(adminShopKey).(*core.Shop)
	return s
}

// adminActor names the caller of an admin request for ledgers and events:
// "admin:<key hint>" would need the key; the store id is what core records.
func adminActor(r *http.Request) string { return "admin:" + adminShop(r).ID }
