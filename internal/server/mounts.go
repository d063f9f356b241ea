package server

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/dialect/bagisto"
	"github.com/clientele/clientele/internal/dialect/medusa"
	"github.com/clientele/clientele/internal/dialect/sfcc"
	"github.com/clientele/clientele/internal/dialect/spree"
)

// A dialect is another platform's wire format over the same core, mounted
// under its own path prefix ("/spree", "/medusa", ...). Everything under the
// prefix — its own 404/405 included — is the dialect's to answer, in its
// platform's error format; everything else goes to the native surface.
type dialect struct {
	prefix  string // without a trailing slash
	handler http.Handler
}

// dialects lists the mounted dialects. Each sees full request paths
// (prefix included).
func dialects(svc *core.Service, log *slog.Logger) []dialect {
	return []dialect{
		{prefix: "/medusa", handler: medusa.New(svc, log)},
		{prefix: "/medusa-v1", handler: medusa.NewV1(svc, log)},
		{prefix: "/spree", handler: spree.New(svc, log)},
		{prefix: bagisto.Prefix, handler: bagisto.New(svc, log)},
		{prefix: "/sfcc", handler: sfcc.New(svc, log, sfcc.ConfigFromEnv())},
	}
}

// mount routes requests under a dialect's prefix to it and the rest to native.
func mount(native http.Handler, ds []dialect) http.Handler {
	if len(ds) == 0 {
		return native
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		for _, d := range ds {
			if p == d.prefix || strings.HasPrefix(p, d.prefix+"/") {
				d.handler.ServeHTTP(w, r)
				return
			}
		}
		native.ServeHTTP(w, r)
	})
}
