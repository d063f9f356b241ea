package httpx

import (
	"net/http"

	"github.com/clientele/clientele/internal/core"
)

// WithRequestMeta hands core what an audit entry records about a request
// (client IP, user agent, request id) on every surface, native or dialect,
// without threading them through each call. It must run inside
// WithRequestID and WithClientIP, which set the first two.
func WithRequestMeta(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := core.WithRequestMeta(r.Context(), core.RequestMeta{
			IP: ClientIP(r.Context()), UserAgent: r.UserAgent(), RequestID: RequestID(r.Context()),
		})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
