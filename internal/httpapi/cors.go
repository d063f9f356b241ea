package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// cors answers preflights and adds CORS headers to responses for origins
// the request's store allows.
//
// A preflight carries no publishable key (browsers send header names, not
// values), so it is answered for any origin without credentials; the
// response that matters, the actual one, carries Access-Control-Allow-Origin
// only when the resolved store lists the origin, so a page on another origin
// cannot read it. Tokens travel in headers, never cookies, so there is no
// ambient credential a cross-origin request could ride on.
func (a *API) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Publishable-Key, X-Guest-Token, Idempotency-Key")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(&corsWriter{ResponseWriter: w, r: r, api: a, origin: origin}, r)
	})
}

// corsWriter decides Access-Control-Allow-Origin when the response starts,
// by which time the handler has resolved the store.
type corsWriter struct {
	http.ResponseWriter
	r       *http.Request
	api     *API
	origin  string
	decided bool
}

func (c *corsWriter) decide() {
	if c.decided {
		return
	}
	c.decided = true
	if sh := c.api.shopForCORS(c.r); sh != nil && core.OriginAllowed(sh, c.origin) {
		c.Header().Set("Access-Control-Allow-Origin", c.origin)
		c.Header().Set("Access-Control-Expose-Headers", "Retry-After, X-Request-Id")
	}
}

func (c *corsWriter) WriteHeader(code int) { c.decide(); c.ResponseWriter.WriteHeader(code) }

func (c *corsWriter) Write(b []byte) (int, error) { c.decide(); return c.ResponseWriter.Write(b) }

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *corsWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// shopForCORS resolves the store from the publishable key or the token's
// audience; it is only used to pick CORS headers.
func (a *API) shopForCORS(r *http.Request) *core.Shop {
	ctx := r.Context()
	if pk := r.Header.Get("X-Publishable-Key"); pk != "" {
		if sh, err := a.svc.ShopByKey(ctx, pk, core.KeyPublishable); err == nil {
			return sh
		}
		return nil
	}
	if tok := httpx.BearerToken(r); tok != "" {
		if p, err := a.svc.AuthenticateSession(ctx, "", tok); err == nil {
			if sh, err := a.svc.Shop(ctx, p.ShopID); err == nil {
				return sh
			}
		}
	}
	return nil
}
