package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

func (a *API) healthz(w http.ResponseWriter, r *http.Request) error {
	return httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 503 while a dependency is down, so a load balancer sends
// traffic elsewhere; the process itself is fine (see healthz).
func (a *API) readyz(w http.ResponseWriter, r *http.Request) error {
	check := a.opts.Ready
	if check == nil {
		check = a.svc.Ping
	}
	if err := check(r.Context()); err != nil {
		a.log.Warn("not ready", "err", err)
		w.Header().Set("Retry-After", "1")
		return httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]any{
			"status": "unavailable", "checks": map[string]string{"database": "down"},
		})
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"status": "ok", "checks": map[string]string{"database": "ok"}})
}

func (a *API) jwks(w http.ResponseWriter, r *http.Request) error {
	if a.opts.JWKS == nil {
		return core.ErrUnavailable
	}
	w.Header().Set("Content-Type", "application/jwk-set+json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(a.opts.JWKS())
	return err
}

func (a *API) spec(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/yaml")
	_, err := w.Write(a.opts.Spec)
	return err
}
