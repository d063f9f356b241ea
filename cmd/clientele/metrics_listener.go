package main

import (
	"log/slog"
	"net/http"
	"time"
)

// serveMetrics serves Prometheus metrics on a listener of their own when
// addr names one (not "" — then they are on the main listener — and not
// "off"), so an operator can keep them off a public port. The returned
// func stops that listener.
func serveMetrics(addr string, h http.Handler, log *slog.Logger) (stop func(), err error) {
	if addr == "" || addr == "off" || h == nil {
		return func() {}, nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	return serveSide(addr, "metrics", mux, 30*time.Second, log)
}
