package mail

import (
	"context"
	"log/slog"

	"github.com/clientele/clientele/internal/core"
)

// Log is the sink for when no mail should leave the machine: it records
// that a message went out, with its kind and a masked recipient. It never
// logs the subject or body, because the body holds reset tokens and logs
// are kept and shipped far more widely than mailboxes.
type Log struct {
	logger *slog.Logger
}

var _ core.Mailer = (*Log)(nil)

// NewLog returns a sink logging to logger, or to slog.Default() when nil.
func NewLog(logger *slog.Logger) *Log {
	if logger == nil {
		logger = slog.Default()
	}
	return &Log{logger: logger}
}

// Send logs m's kind and masked recipient and always succeeds.
func (l *Log) Send(ctx context.Context, m core.Message) error {
	l.logger.LogAttrs(ctx, slog.LevelInfo, "mail sent",
		slog.String("kind", m.Kind),
		slog.String("to", mask(m.To)),
	)
	return nil
}
