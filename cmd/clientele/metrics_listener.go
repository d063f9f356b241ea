package main

import (
	"context"
	"log/slog"
	"net"
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
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	log.Info("metrics listening", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}
