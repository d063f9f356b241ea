package main

import (
	"context"
	"errors"
	"log"
	"log/slog"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// The maintenance commands build a core.Service but never sign tokens, send
// mail or rate-limit; these stand-ins make that explicit.
type (
	nopSigner  struct{}
	nopMailer  struct{}
	nopLimiter struct{}
)

var errNotServing = errors.New("not available in maintenance commands")

func (nopSigner) Sign(core.AccessClaims) (string, error) { return "", errNotServing }
func (nopSigner) Verify(string, time.Time) (core.AccessClaims, error) {
	return core.AccessClaims{}, errNotServing
}
func (nopSigner) VerifyShaped(string, time.Time, string, string) (core.AccessClaims, error) {
	return core.AccessClaims{}, errNotServing
}
func (nopMailer) Send(context.Context, core.Message) error { return errNotServing }
func (nopLimiter) Take(context.Context, string, core.Rate) (bool, time.Duration, error) {
	return true, 0, nil
}
func (nopLimiter) Peek(context.Context, string, core.Rate) (bool, time.Duration, error) {
	return true, 0, nil
}
func (nopLimiter) Reset(context.Context, string) error { return nil }

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// slogErrorLog routes net/http's internal errors (TLS handshakes, bad
// requests) into the structured log.
func slogErrorLog(l *slog.Logger) *log.Logger {
	return slog.NewLogLogger(l.Handler(), slog.LevelWarn)
}
