package server

import (
	"log"
	"net/http"

	"github.com/clientele/clientele/internal/config"
)

// NewHTTPServer is the http.Server that serves h with the configured
// timeouts and header limit, so that a slow or oversized client is cut off
// (SECURITY.md 32): a client trickling its headers is dropped at
// ReadHeaderTimeout, one trickling its body at ReadTimeout, a response
// nobody reads at WriteTimeout, and an idle keep-alive connection at
// IdleTimeout. Request bodies are further capped per route by the
// handlers (64 KiB by default).
func NewHTTPServer(cfg config.Config, h http.Handler, errorLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
		ErrorLog:          errorLog,
	}
}
