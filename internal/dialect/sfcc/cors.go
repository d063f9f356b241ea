package sfcc

import (
	"net/http"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

// cors answers preflights for any origin (a preflight carries neither the
// token nor anything that changes state) and, on actual responses, allows
// only the origins the organization's store lists (contract §2.2). No
// cookies are used, so credentials are never allowed.
func (a *API) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	h := w.Header()
	h.Add("Vary", "Origin")
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
		allowed := "authorization, content-type"
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			allowed = req // custom x-* and c_* headers clients add
		}
		h.Set("Access-Control-Allow-Headers", allowed)
		h.Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

// corsWriter decides Access-Control-Allow-Origin when the response starts,
// by which time the route has resolved the organization's store.
type corsWriter struct {
	http.ResponseWriter
	r       *http.Request
	a       *API
	decided bool
}

func (c *corsWriter) decide() {
	if c.decided {
		return
	}
	c.decided = true
	origin := c.r.Header.Get("Origin")
	org := orgFromPath(c.r.URL.Path)
	if org == "" {
		return
	}
	sh, _, err := c.a.svc.SFCCOrganization(c.r.Context(), org, c.a.cfg.Dev)
	if err == nil && core.OriginAllowed(sh, origin) {
		c.Header().Set("Access-Control-Allow-Origin", origin)
		c.Header().Set("Access-Control-Expose-Headers", "Retry-After, Location")
	}
}

// WriteHeader decides the CORS headers first.
func (c *corsWriter) WriteHeader(status int) {
	c.decide()
	c.ResponseWriter.WriteHeader(status)
}

// Write decides the CORS headers first.
func (c *corsWriter) Write(b []byte) (int, error) {
	c.decide()
	return c.ResponseWriter.Write(b)
}

// orgFromPath finds the segment after "organizations".
func orgFromPath(p string) string {
	parts := strings.Split(p, "/")
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == "organizations" {
			return parts[i+1]
		}
	}
	return ""
}
