package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// serveSide serves h on a listener of its own at addr, for what must stay
// off the main listener (metrics, profiles); name labels its log line.
// writeTimeout 0 means none. The returned func shuts it down.
func serveSide(addr, name string, h http.Handler, writeTimeout time.Duration, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: writeTimeout}
	go func() { _ = srv.Serve(ln) }()
	log.Info(name+" listening", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}
