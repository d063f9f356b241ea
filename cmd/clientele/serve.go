package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
)

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig("serve", args, getenv, stderr, true, nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	defer applyMemoryLimit(cfg, getenv, log)()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	if cfg.Issuer == "" {
		cfg.Issuer = "http://" + ln.Addr().String()
	}
	app, err := server.Build(ctx, server.Options{Config: cfg, Logger: log})
	if err != nil {
		return err
	}
	if err := ensureDevStore(ctx, app.Service, stdout); err != nil {
		_ = app.Close(context.Background())
		return err
	}
	srv := server.NewHTTPServer(cfg, app.Handler, slogErrorLog(log))
	stopMetrics, err := serveMetrics(cfg.MetricsAddr, app.Metrics, log)
	if err != nil {
		_ = app.Close(context.Background())
		return err
	}
	defer stopMetrics()
	stopPprof, err := servePprof(cfg.PprofAddr, log)
	if err != nil {
		_ = app.Close(context.Background())
		return err
	}
	defer stopPprof()
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	go app.Background(bg)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "clientele %s listening on http://%s\n", version, ln.Addr())
	log.Info("listening", "addr", ln.Addr().String(), "db", redactDSN(cfg.DB))

	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		err = srv.Shutdown(sctx)
		cancel()
	}
	stopBG()
	cctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if cerr := app.Close(cctx); cerr != nil {
		log.Warn("close", "err", cerr)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// ensureDevStore creates a store on an empty database and prints its keys,
// so the service is usable with zero configuration. Keys are stored hashed:
// this is the only time they are shown.
func ensureDevStore(ctx context.Context, svc *core.Service, stdout io.Writer) error {
	_, err := svc.OldestShop(ctx)
	if err == nil {
		return nil
	}
	if !errors.Is(err, core.ErrNotFound) {
		return err
	}
	created, err := svc.CreateShop(ctx, core.NewShop{
		Name:           "Dev store",
		AllowedOrigins: []string{"http://localhost:3000", "http://127.0.0.1:3000"},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created dev store %s (keys are shown only now; keep them)\n", created.Shop.ID)
	fmt.Fprintf(stdout, "publishable key: %s\n", created.PublishableKey)
	fmt.Fprintf(stdout, "secret key: %s\n", created.SecretKey)
	return nil
}

// applyMemoryLimit gives the Go runtime serve's soft memory limit unless
// GOMEMLIMIT is set (the runtime has read that already, and an operator's
// explicit choice wins). It returns the function that restores the
// previous limit, so an in-process serve in tests leaves none behind.
func applyMemoryLimit(cfg config.Config, getenv func(string) string, log *slog.Logger) func() {
	limit := cfg.MemoryLimit()
	if getenv("GOMEMLIMIT") != "" || limit <= 0 {
		return func() {}
	}
	prev := debug.SetMemoryLimit(limit)
	log.Info("memory limit", "mib", limit>>20)
	return func() { debug.SetMemoryLimit(prev) }
}
