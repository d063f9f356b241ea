package medusa

import (
	"net/http"

	"github.com/clientele/clientele/internal/core"
)

// cors answers preflights and adds credentialed CORS headers for origins
// the request's store allows (§1.5). A preflight carries no publishable
// key, so it is answered for any origin; the actual response carries
// Access-Control-Allow-Origin only for an origin the resolved store lists,
// and a cookie never authenticates a state-changing request from another
// origin (see principal), so a cross-site page can neither read answers nor
// ride the session cookie.
func (h *handler) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	hd := w.Header()
	hd.Add("Vary", "Origin")
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		hd.Set("Access-Control-Allow-Origin", origin)
		hd.Set("Access-Control-Allow-Credentials", "true")
		hd.Set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
		hd.Set("Access-Control-Allow-Headers", "content-type, accept, authorization, x-publishable-api-key, x-medusa-locale, idempotency-key")
		hd.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

// corsWriter decides Access-Control-Allow-Origin when the response starts,
// by which time the handler has resolved the store.
type corsWriter struct {
	http.ResponseWriter
	r       *http.Request
	h       *handler
	decided bool
}

func (c *corsWriter) decide() {
	if c.decided {
		return
	}
	c.decided = true
	origin := c.r.Header.Get("Origin")
	if origin == "" {
		return
	}
	if sh := c.h.shopQuiet(c.r); sh != nil && core.OriginAllowed(sh, origin) {
		c.Header().Set("Access-Control-Allow-Origin", origin)
		c.Header().Set("Access-Control-Allow-Credentials", "true")
		c.Header().Set("Access-Control-Expose-Headers", "Retry-After")
	}
}

// WriteHeader decides the CORS headers first.
func (c *corsWriter) WriteHeader(code int) { c.decide(); c.ResponseWriter.WriteHeader(code) }

// Write decides the CORS headers first.
func (c *corsWriter) Write(b []byte) (int, error) { c.decide(); return c.ResponseWriter.Write(b) }

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *corsWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// shopQuiet resolves the store of the request's publishable key, or nil.
func (h *handler) shopQuiet(r *http.Request) *core.Shop {
	sh, err := h.shop(r)
	if err != nil {
		return nil
	}
	return sh
}

// crossSite reports whether a state-changing request comes from an origin
// the store does not allow; such a request is never authenticated by the
// session cookie.
func crossSite(r *http.Request, sh *core.Shop) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return false
	}
	origin := r.Header.Get("Origin")
	return origin != "" && !core.OriginAllowed(sh, origin)
}
