package core

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// Audit event types. They are part of the admin API's contract: never
// rename one.
const (
	AuditLoginSucceeded     = "login.succeeded"
	AuditLoginFailed        = "login.failed"
	AuditRateLimited        = "rate_limit.refused"
	AuditResetRequested     = "password_reset.requested"
	AuditResetCompleted     = "password_reset.completed"
	AuditPasswordChanged    = "password.changed"
	AuditEmailChangeAsked   = "email_change.requested"
	AuditEmailChanged       = "email_change.confirmed"
	AuditSessionRevoked     = "session.revoked"
	AuditRefreshReuse       = "refresh_token.reuse_detected"
	AuditTrustedTokenMinted = "trusted_token.minted"
	AuditAdminAction        = "admin.action"
)

// AuditEntry is one security-relevant event. It never holds a password, a
// token, a key or a full e-mail address: EmailMasked is "j***@example.com"
// and CustomerID names the account.
type AuditEntry struct {
	ID          string // "aud_" + ULID, ordered by time
	ShopID      string
	Type        string
	CustomerID  string // empty when no account is known (a login for an unknown e-mail)
	Actor       string // "customer:<id>", "api_key:<id>", or "anonymous"
	EmailMasked string
	IP          string
	UserAgent   string
	RequestID   string
	Detail      string // a short machine-readable reason ("bad_password", "locked")
	CreatedAt   time.Time
}

// AuditQuery filters the admin API's listing; zero fields match all.
type AuditQuery struct {
	Type       string
	CustomerID string
	Since      time.Time // inclusive
	Until      time.Time // exclusive
}

// AuditStore keeps the audit log.
type AuditStore interface {
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// ListAudit returns the shop's entries matching q, newest first, with
	// ids below before (all when empty), at most limit.
	ListAudit(ctx context.Context, shopID string, q AuditQuery, before string, limit int) ([]AuditEntry, error)
	// PurgeAudit deletes entries (of every shop) created before cutoff and
	// returns how many.
	PurgeAudit(ctx context.Context, cutoff time.Time) (int, error)
}

// auditCtxKey carries request facts to core without core knowing HTTP.
type auditCtxKey struct{}

// RequestMeta is what the HTTP layer knows about a request that an audit
// entry records.
type RequestMeta struct {
	IP        string
	UserAgent string
	RequestID string
	// Actor names a principal the HTTP layer authenticated before core
	// runs, such as "api_key:<id>" for the admin API.
	Actor string
}

// WithRequestMeta returns ctx carrying m; the HTTP middleware calls it once
// per request, and the admin middleware again to add its actor.
func WithRequestMeta(ctx context.Context, m RequestMeta) context.Context {
	return context.WithValue(ctx, auditCtxKey{}, m)
}

// RequestMetaFrom returns the meta ctx carries (zero when none).
func RequestMetaFrom(ctx context.Context) RequestMeta {
	m, _ := ctx.Value(auditCtxKey{}).(RequestMeta)
	return m
}

// maxUserAgent bounds the stored user agent; clients may send kilobytes.
const maxUserAgent = 256

// audit appends an entry and never fails the caller: the event it records
// has already happened, and a lost audit row is logged instead. It always
// performs exactly one write, whatever the outcome it records, so a login
// for an unknown e-mail does the same work as one for a known e-mail.
func (s *Service) audit(ctx context.Context, shopID, typ, customerID, email, detail string) {
	e := s.auditEntry(ctx, shopID, typ, customerID, email, detail)
	// WithoutCancel: a client hanging up right after a failed login must
	// not erase the trace of it.
	if err := s.store.AppendAudit(context.WithoutCancel(ctx), e); err != nil {
		s.log.Error("audit entry not written", "type", typ, "shop_id", shopID, "err", err)
	}
}

// auditedEvents map outbox events to the audit entries written with them,
// in the same transaction, so the trail and the change commit together.
var auditedEvents = map[string]string{
	EventPasswordChanged:        AuditPasswordChanged,
	EventPasswordResetCompleted: AuditResetCompleted,
	EventSessionsRevoked:        AuditSessionRevoked,
	EventRefreshTokenReuse:      AuditRefreshReuse,
	EventEmailChangeRequested:   AuditEmailChangeAsked,
	EventEmailChanged:           AuditEmailChanged,
	EventTokenMinted:            AuditTrustedTokenMinted,
}

// auditEvent writes the audit entry of an outbox event, if it has one; emit
// calls it with the transaction's store.
func (s *Service) auditEvent(ctx context.Context, tx Store, shopID, eventType, subjectID string) error {
	typ, ok := auditedEvents[eventType]
	if !ok {
		return nil
	}
	return tx.AppendAudit(ctx, s.auditEntry(ctx, shopID, typ, subjectID, "", ""))
}

// auditRefusal records a rate-limit refusal of key and returns err. Keys
// are "<rule>:<shop id>:<ip or normalised e-mail>": the rule and shop are
// kept, an e-mail only masked, and an IP is in the request meta already.
func (s *Service) auditRefusal(ctx context.Context, key string, err error) error {
	if err == nil || !errors.Is(err, ErrRateLimited) {
		return err
	}
	parts := strings.Split(key, ":")
	for i, p := range parts {
		if strings.HasPrefix(p, "sto_") {
			email := ""
			if rest := strings.Join(parts[i+1:], ":"); strings.Contains(rest, "@") {
				email = rest
			}
			s.audit(ctx, p, AuditRateLimited, "", email, strings.Join(parts[:i], ":"))
			break
		}
	}
	return err
}

func (s *Service) auditEntry(ctx context.Context, shopID, typ, customerID, email, detail string) *AuditEntry {
	m := RequestMetaFrom(ctx)
	actor := m.Actor
	if actor == "" {
		actor = "anonymous"
		if customerID != "" && typ != AuditLoginFailed && typ != AuditResetRequested {
			actor = "customer:" + customerID
		}
	}
	e := &AuditEntry{
		ID: s.newID("aud"), ShopID: shopID, Type: typ, CustomerID: customerID, Actor: actor,
		IP: m.IP, UserAgent: truncateUTF8(m.UserAgent, maxUserAgent), RequestID: m.RequestID,
		Detail: detail, CreatedAt: s.now(),
	}
	if email != "" {
		e.EmailMasked = MaskEmail(email)
	}
	return e
}

// Audit records an event decided outside core's own flows (an admin API
// action, identified by the actor in ctx's RequestMeta).
func (s *Service) Audit(ctx context.Context, shopID, typ, customerID, detail string) {
	s.audit(ctx, shopID, typ, customerID, "", detail)
}

// AuditLog pages the shop's audit log, newest first.
func (s *Service) AuditLog(ctx context.Context, shopID string, q AuditQuery, p Page) (PageOf[AuditEntry], error) {
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.After(q.Since) {
		return PageOf[AuditEntry]{}, fieldErr("until", FieldInvalid, "until must be after since")
	}
	return listPage(p, func(e AuditEntry) string { return e.ID }, func(before string, limit int) ([]AuditEntry, error) {
		return s.store.ListAudit(ctx, shopID, q, before, limit)
	})
}

// PurgeAudit deletes entries older than retention; App.Background runs it.
// A retention of zero or less keeps everything.
func (s *Service) PurgeAudit(ctx context.Context, retention time.Duration) (int, error) {
	if retention <= 0 {
		return 0, nil
	}
	return s.store.PurgeAudit(ctx, s.now().Add(-retention))
}

func truncateUTF8(v string, n int) string {
	if len(v) <= n {
		return v
	}
	v = v[:n]
	for !utf8.ValidString(v) {
		v = v[:len(v)-1]
	}
	return strings.ToValidUTF8(v, "")
}

// customerIDOf is c's id, or "" for no account.
func customerIDOf(c *Customer) string {
	if c == nil {
		return ""
	}
	return c.ID
}

// APIKeyID returns the id of an API key that ShopByKey just accepted (it
// is cached there), or "" when it is not cached. The admin API records it
// as the actor of an action; the key itself is never recorded.
func (s *Service) APIKeyID(key string) string {
	sum := sha256.Sum256([]byte(key))
	if k, ok := s.keys.get(string(sum[:]), s.clock.Now()); ok {
		return k.ID
	}
	return ""
}
