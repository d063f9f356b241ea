package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
	"github.com/clientele/clientele/internal/importer"
)

// Options are the native surface's collaborators besides core.
type Options struct {
	Logger *slog.Logger
	// JWKS returns the current public key set as JSON.
	JWKS func() []byte
	// Spec is the OpenAPI document served at /v1/openapi.yaml.
	Spec []byte
	// Checks reports each dependency as "ok", "down" or "degraded" for
	// /readyz; "database" must be among them. Nil checks the store only.
	Checks func(ctx context.Context) map[string]string
	// Imports runs POST /admin/v1/imports jobs; nil makes a runner with
	// the defaults (the server passes its own, to stop it at shutdown).
	Imports *importer.Jobs
}

// API is the native /v1 surface.
type API struct {
	svc     *core.Service
	log     *slog.Logger
	opts    Options
	rt      *httpx.Router
	imports *importer.Jobs

	patterns []string
}

// New builds the native surface's handler.
func New(svc *core.Service, opts Options) *API {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	a := &API{svc: svc, log: opts.Logger, opts: opts, imports: opts.Imports}
	if a.imports == nil {
		a.imports = importer.NewJobs(svc, importer.JobsConfig{Logger: opts.Logger})
	}
	a.rt = httpx.NewRouter(a.Render)
	a.routes()
	return a
}

// ServeHTTP serves the surface with CORS applied.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.cors(a.rt).ServeHTTP(w, r) }

// Patterns lists every route pattern, for the OpenAPI coverage test.
func (a *API) Patterns() []string { return a.patterns }
