package mailtmpl

import (
	"context"
	"errors"
	"log/slog"

	"github.com/clientele/clientele/internal/core"
)

// Source finds a store's own template (core.Store does).
type Source interface {
	GetMailTemplate(ctx context.Context, shopID, kind string) (*core.MailTemplate, error)
}

// Renderer is a core.Mailer that renders each message before handing it to
// the next sink. It belongs behind the mail queue, so the template lookup
// and rendering happen off the request: a reset for a known address must
// not do measurably more work in the request than one for an unknown one.
type Renderer struct {
	next core.Mailer
	src  Source
	log  *slog.Logger
}

var _ core.Mailer = (*Renderer)(nil)

// NewRenderer renders with src's templates (nil: defaults only) and logs
// template failures to log (slog.Default() when nil).
func NewRenderer(next core.Mailer, src Source, log *slog.Logger) *Renderer {
	if log == nil {
		log = slog.Default()
	}
	return &Renderer{next: next, src: src, log: log}
}

// Send renders m and passes it on. A store template that fails at send
// time (it passed the check, but data differ) falls back to the default,
// and a message without vars or of an unknown kind goes out as core wrote
// it: a broken template must never cost a customer their reset mail.
func (r *Renderer) Send(ctx context.Context, m core.Message) error {
	if m.Vars == nil {
		return r.next.Send(ctx, m)
	}
	var override *core.MailTemplate
	if r.src != nil && m.ShopID != "" {
		t, err := r.src.GetMailTemplate(ctx, m.ShopID, m.Kind)
		switch {
		case err == nil:
			override = t
		case !errors.Is(err, core.ErrNotFound):
			r.log.LogAttrs(ctx, slog.LevelWarn, "mail template lookup failed; using the default",
				slog.String("kind", m.Kind), slog.String("shop_id", m.ShopID), slog.Any("error", err))
		}
	}
	out, err := Render(m.Kind, override, *m.Vars)
	if err != nil && override != nil {
		r.log.LogAttrs(ctx, slog.LevelWarn, "store mail template failed; using the default",
			slog.String("kind", m.Kind), slog.String("shop_id", m.ShopID), slog.Any("error", err))
		out, err = Render(m.Kind, nil, *m.Vars)
	}
	if err != nil {
		if !errors.Is(err, ErrUnknownKind) {
			r.log.LogAttrs(ctx, slog.LevelError, "default mail template failed; sending plain text",
				slog.String("kind", m.Kind), slog.Any("error", err))
		}
		return r.next.Send(ctx, m)
	}
	m.Subject, m.Text, m.HTML = out.Subject, out.Text, out.HTML
	return r.next.Send(ctx, m)
}
