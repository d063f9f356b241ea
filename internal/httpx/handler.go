package httpx

import (
	"net/http"
)

// HandlerFunc is a handler that returns its error instead of writing it, so
// that one renderer per surface decides how every failure looks.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Renderer writes err as a response in a surface's error format.
type Renderer func(w http.ResponseWriter, r *http.Request, err error)

// Handle adapts fn to an http.Handler that renders fn's error with render.
// A request the Gate shed is answered with the overload error, unrun.
func Handle(render Renderer, fn HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := shedError(r); err != nil {
			render(w, r, err)
			return
		}
		if err := fn(w, r); err != nil {
			render(w, r, err)
		}
	})
}

// Router wraps a ServeMux so that unknown routes and wrong methods are
// rendered by the surface instead of the mux's text/plain answers.
type Router struct {
	Mux    *http.ServeMux
	Render Renderer
}

// NewRouter returns a Router with an empty mux.
func NewRouter(render Renderer) *Router {
	return &Router{Mux: http.NewServeMux(), Render: render}
}

// Handle registers fn for pattern (e.g. "POST /v1/customers").
func (rt *Router) Handle(pattern string, fn HandlerFunc) {
	rt.Mux.Handle(pattern, Handle(rt.Render, fn))
}

// ServeHTTP dispatches, rendering 404 and 405 with the surface's renderer.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, pattern := rt.Mux.Handler(r)
	if pattern != "" {
		// Serve through the mux, not h: only ServeMux.ServeHTTP sets the
		// request's path values.
		rt.Mux.ServeHTTP(w, r)
		return
	}
	// Let the mux decide between 404 and 405 (and set Allow), but discard
	// its body.
	cw := &captureWriter{header: make(http.Header)}
	h.ServeHTTP(cw, r)
	if allow := cw.header.Get("Allow"); allow != "" {
		w.Header().Set("Allow", allow)
	}
	if cw.status == http.StatusMethodNotAllowed {
		rt.Render(w, r, MethodNotAllowed())
		return
	}
	rt.Render(w, r, NotFound())
}

type captureWriter struct {
	header http.Header
	status int
}

func (c *captureWriter) Header() http.Header         { return c.header }
func (c *captureWriter) Write(b []byte) (int, error) { return len(b), nil }
func (c *captureWriter) WriteHeader(s int)           { c.status = s }
