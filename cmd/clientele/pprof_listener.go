package main

import (
	"log/slog"
	"net/http"
	"net/http/pprof"
)

// servePprof serves the runtime profiles on a listener of its own when addr
// is set. They are never mounted on the main listener: a profile shows the
// code's internals and taking one costs CPU, so only an operator who asked
// for it (normally on loopback) can reach them. The returned func stops it.
func servePprof(addr string, log *slog.Logger) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	// A CPU profile or trace runs for its ?seconds=, so no write timeout.
	return serveSide(addr, "pprof", mux, 0, log)
}
