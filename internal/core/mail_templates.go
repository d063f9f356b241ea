package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// MailVars are the facts a mail template may show. Core fills them where it
// decides to send a message; a template only decides how they look. Link is
// always built from the store's configured URLs, never from request input,
// so a template cannot be made to point a customer elsewhere.
type MailVars struct {
	ShopName string
	// Link is the action link (reset, confirmation, unsubscribe), or empty
	// for a notice.
	Link string
	// ValidFor is how long Link works, as Go prints a duration ("24h0m0s").
	ValidFor string
	// NewEmail is the masked new address of an e-mail change notice.
	NewEmail string
	// Orders are the order numbers of an order claim.
	Orders []string
}

// MailKinds are the messages core sends, each of which a store may restyle.
var MailKinds = []string{
	"password_reset", "password_changed", "email_verification",
	"email_change_confirmation", "email_change_notice", "order_claim",
	"newsletter_verification", "newsletter_unsubscribe", "welcome",
}

// MailTemplate is a store's own look for one kind of message. An empty part
// falls back to the built-in default for that part.
type MailTemplate struct {
	ShopID    string
	Kind      string
	Subject   string // text/template, one line
	Text      string // text/template
	HTML      string // html/template
	UpdatedAt time.Time
}

// MailTemplateStore keeps stores' mail templates, one per (store, kind).
type MailTemplateStore interface {
	// PutMailTemplate inserts or replaces the store's template of t.Kind.
	PutMailTemplate(ctx context.Context, t *MailTemplate) error
	GetMailTemplate(ctx context.Context, shopID, kind string) (*MailTemplate, error)
	// ListMailTemplates returns the store's templates ordered by kind.
	ListMailTemplates(ctx context.Context, shopID string) ([]MailTemplate, error)
	DeleteMailTemplate(ctx context.Context, shopID, kind string) error
}

// MailTemplateChecker parses t and renders it with sample data. It returns
// a *MailTemplateError for a template that fails. The template package
// implements it, so core never depends on how mail looks.
type MailTemplateChecker func(t MailTemplate) error

// MailTemplateError reports why a template part does not parse or render.
type MailTemplateError struct {
	Part    string // "subject", "text" or "html"
	Line    int    // 1-based; 0 when unknown
	Column  int    // 1-based; 0 when unknown
	Problem string
}

func (e *MailTemplateError) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s: line %d, column %d: %s", e.Part, e.Line, e.Column, e.Problem)
	case e.Line > 0:
		return fmt.Sprintf("%s: line %d: %s", e.Part, e.Line, e.Problem)
	}
	return e.Part + ": " + e.Problem
}

// FieldTemplateInvalid is the field code of a template that does not parse
// or render with sample data.
const FieldTemplateInvalid = "template_invalid"

// maxTemplatePart bounds one part, so a template cannot make every mail of
// a store huge.
const maxTemplatePart = 64 << 10

// errNoTemplateChecker is returned when the service was built without a
// checker: an unchecked template could break every mail of the store.
var errNoTemplateChecker = errors.New("core: no mail template checker configured")

// PutMailTemplate validates and saves a store's template. check is the
// template package's parser; a template that does not parse or render is a
// validation error carrying its position.
func (s *Service) PutMailTemplate(ctx context.Context, shopID string, t MailTemplate, check MailTemplateChecker) (*MailTemplate, error) {
	if !slices.Contains(MailKinds, t.Kind) {
		return nil, newErr(ErrNotFound, CodeNotFound, "no mail of that kind")
	}
	var fields []FieldError
	for _, p := range []struct{ name, v string }{{"subject", t.Subject}, {"text", t.Text}, {"html", t.HTML}} {
		if len(p.v) > maxTemplatePart {
			fields = append(fields, FieldError{Field: p.name, Code: FieldTooLong, Message: p.name + " is larger than 64 KiB"})
		}
	}
	if t.Subject == "" && t.Text == "" && t.HTML == "" {
		fields = append(fields, FieldError{Field: "", Code: FieldRequired, Message: "give at least one of subject, text and html"})
	}
	if len(fields) > 0 {
		return nil, &ValidationError{Code: CodeValidationFailed, Fields: fields}
	}
	if check == nil {
		return nil, errNoTemplateChecker
	}
	if err := check(t); err != nil {
		var te *MailTemplateError
		if errors.As(err, &te) {
			return nil, fieldErr(te.Part, FieldTemplateInvalid, te.Error())
		}
		return nil, err
	}
	t.ShopID, t.UpdatedAt = shopID, s.now()
	if err := s.store.PutMailTemplate(ctx, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// MailTemplates lists the store's own templates.
func (s *Service) MailTemplates(ctx context.Context, shopID string) ([]MailTemplate, error) {
	return s.store.ListMailTemplates(ctx, shopID)
}

// MailTemplate returns the store's own template of kind, or ErrNotFound
// when the store uses the default.
func (s *Service) MailTemplate(ctx context.Context, shopID, kind string) (*MailTemplate, error) {
	return s.store.GetMailTemplate(ctx, shopID, kind)
}

// DeleteMailTemplate returns the store to the default look for kind.
func (s *Service) DeleteMailTemplate(ctx context.Context, shopID, kind string) error {
	return s.store.DeleteMailTemplate(ctx, shopID, kind)
}
