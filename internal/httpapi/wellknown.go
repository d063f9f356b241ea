package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

func (a *API) healthz(w http.ResponseWriter, r *http.Request) error {
	return httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 503 while the database is down, so a load balancer sends
// traffic elsewhere; the process itself is fine (see healthz). A node whose
// optional dependencies (Redis) are down still serves, on local fallbacks,
// and says "degraded" with 200.
func (a *API) readyz(w http.ResponseWriter, r *http.Request) error {
	checks := map[string]string{"database": "ok"}
	if a.opts.Checks != nil {
		checks = a.opts.Checks(r.Context())
	} else if err := a.svc.Ping(r.Context()); err != nil {
		checks["database"] = "down"
	}
	status, code := "ok", http.StatusOK
	for name, state := range checks {
		if state == "ok" {
			continue
		}
		if name == "database" {
			status, code = "unavailable", http.StatusServiceUnavailable
			break
		}
		status = "degraded"
	}
	if code != http.StatusOK {
		a.log.Warn("not ready", "checks", checks)
		w.Header().Set("Retry-After", "1")
	}
	return httpx.WriteJSON(w, code, map[string]any{"status": status, "checks": checks})
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
