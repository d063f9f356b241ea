package core

import (
	"context"
	"time"
)

// Store is the storage port. Backends (SQLite, PostgreSQL) implement it and
// pass the conformance suite in internal/store/storetest.
//
// Every lookup is scoped by shop where the row has one, and a miss on another
// shop's row is ErrNotFound. Backends translate driver errors: no rows →
// ErrNotFound, unique violations → ErrConflict, connection/disk failures →
// ErrUnavailable (wrapped, so the cause is kept for logs).
type Store interface {
	AddressStore
	AliasStore
	DialectStore
	GroupStore
	WishlistStore
	CreditStore
	PaymentMethodStore
	OrderStore
	EmailTokenStore
	EventStore
	AdminCustomerStore
	WebhookStore
	EventPublishStore
	IdempotencyStore
	NewsletterStore
	SFCCStore
	ImportStore
	ImportJobStore
	DialectIdentityStore
	MailTemplateStore
	AuditStore
	BulkStore

	// InTx runs fn in one transaction and commits when fn returns nil.
	// Writes that span rows (rotation, reset consumption) run here. fn must
	// use the Store it is given, not the outer one. Nested calls join the
	// outer transaction.
	InTx(ctx context.Context, fn func(tx Store) error) error

	CreateShop(ctx context.Context, s *Shop) error
	GetShop(ctx context.Context, id string) (*Shop, error)
	UpdateShop(ctx context.Context, s *Shop) error
	// OldestShop returns the first store created, or ErrNotFound.
	OldestShop(ctx context.Context) (*Shop, error)

	CreateAPIKey(ctx context.Context, k *APIKey) error
	// GetAPIKeyByHash finds a key (revoked or not) by the SHA-256 of its value.
	GetAPIKeyByHash(ctx context.Context, hash []byte) (*APIKey, error)

	// CreateCustomer fails with ErrConflict when the store already has the
	// customer's EmailNormalized.
	CreateCustomer(ctx context.Context, c *Customer) error
	GetCustomer(ctx context.Context, shopID, id string) (*Customer, error)
	GetCustomerByEmail(ctx context.Context, shopID, emailNormalized string) (*Customer, error)
	// UpdateCustomer writes every mutable field of c (matched by ShopID+ID).
	UpdateCustomer(ctx context.Context, c *Customer) error
	// DeleteCustomer removes the customer with its sessions, tokens and resets.
	DeleteCustomer(ctx context.Context, shopID, id string) error

	CreateSession(ctx context.Context, s *Session) error
	GetSession(ctx context.Context, shopID, id string) (*Session, error)
	// ListSessions returns the customer's sessions that are not revoked, newest first.
	ListSessions(ctx context.Context, shopID, customerID string) ([]Session, error)
	// TouchSession sets LastUsedAt.
	TouchSession(ctx context.Context, shopID, id string, at time.Time) error
	// RevokeSession marks one session revoked (no-op if it already is).
	RevokeSession(ctx context.Context, shopID, id string, at time.Time, reason string) error
	// RevokeCustomerSessions revokes every live session of the customer except
	// exceptID (may be empty) and returns the ids it revoked.
	RevokeCustomerSessions(ctx context.Context, shopID, customerID, exceptID string, at time.Time, reason string) ([]string, error)
	// RevokedSince lists sessions revoked at or after since, in any store.
	RevokedSince(ctx context.Context, since time.Time) ([]Revocation, error)

	CreateRefreshToken(ctx context.Context, t *RefreshToken) error
	// GetRefreshTokenByHash finds a token; inside InTx it locks the row
	// (FOR UPDATE on PostgreSQL; the single writer on SQLite).
	GetRefreshTokenByHash(ctx context.Context, hash []byte) (*RefreshToken, error)
	// GetRefreshTokenChild returns the token whose ParentID is id, or ErrNotFound.
	GetRefreshTokenChild(ctx context.Context, id string) (*RefreshToken, error)
	// MarkRefreshTokenRotated sets RotatedAt when it is still unset; it
	// returns ErrConflict if the token was already rotated.
	MarkRefreshTokenRotated(ctx context.Context, id string, at time.Time) error

	CreatePasswordReset(ctx context.Context, r *PasswordReset) error
	GetPasswordResetByHash(ctx context.Context, hash []byte) (*PasswordReset, error)
	// UsePasswordReset sets UsedAt when still unset; ErrConflict if it was set.
	UsePasswordReset(ctx context.Context, id string, at time.Time) error
	// InvalidatePasswordResets marks every unused reset of the customer used.
	InvalidatePasswordResets(ctx context.Context, shopID, customerID string, at time.Time) error

	CreateSigningKey(ctx context.Context, k *SigningKey) error
	// ListSigningKeys returns all keys, oldest first.
	ListSigningKeys(ctx context.Context) ([]SigningKey, error)
	RetireSigningKey(ctx context.Context, id string, at time.Time) error
	DeleteSigningKey(ctx context.Context, id string) error

	// Secret returns the named deployment secret, creating it from gen on
	// first use (first writer wins across nodes).
	Secret(ctx context.Context, name string, gen func() ([]byte, error)) ([]byte, error)

	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	Close() error
}

// Clock tells the time. Tests use a fake one.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// Hasher hashes and verifies passwords (internal/auth/password implements it).
type Hasher interface {
	// Hash returns an encoded (PHC) hash of password.
	Hash(password string) (string, error)
	// Verify reports whether password matches encoded, and whether encoded
	// should be re-hashed with the current parameters.
	Verify(password, encoded string) (ok, needsRehash bool, err error)
}

// AccessClaims are the claims of an access token.
type AccessClaims struct {
	Issuer    string
	Subject   string // customer id
	Audience  string // store id
	SessionID string
	ID        string // jti
	Scope     string
	IssuedAt  time.Time
	NotBefore time.Time // zero: no nbf claim
	ExpiresAt time.Time
	// Extra holds a dialect's own claims (see TokenShape); it may not name
	// any claim above.
	Extra map[string]any
	// Type is the JWS typ header: "" for at+jwt, or "JWT"/"jwt".
	Type string
}

// Signer signs and verifies access tokens (internal/auth/token implements it).
type Signer interface {
	// Sign signs c. An issuer other than the deployment's makes a shaped
	// token that only VerifyShaped accepts.
	Sign(c AccessClaims) (string, error)
	// Verify checks signature, algorithm, type, issuer and time, and returns
	// the claims; any failure is an error (the caller maps it to 401).
	Verify(token string, now time.Time) (AccessClaims, error)
	// VerifyShaped is Verify for a dialect-shaped token whose iss must be
	// issuer and whose typ must be typ ("" for at+jwt).
	VerifyShaped(token string, now time.Time, issuer, typ string) (AccessClaims, error)
}

// Message is one outgoing e-mail.
type Message struct {
	To      string
	Subject string
	Text    string
	Kind    string // "password_reset", "password_changed", ...
	// ShopID and Vars let the template package restyle the message with
	// the store's own template; Subject and Text stay the plain default.
	ShopID string
	Vars   *MailVars
	// HTML, when set by the template package, is sent as the
	// multipart/alternative sibling of Text.
	HTML string
}

// Mailer sends e-mail. Core calls it only after the transaction that caused
// the mail has committed, from a background queue (see mail.Queue).
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// Rate is a rate-limit rule: at most Limit events per Window.
type Rate struct {
	Limit  int
	Window time.Duration
}

// Limiter is a rate limiter keyed by string (memory now, Redis later).
type Limiter interface {
	// Take consumes one unit of key's budget. When the budget is exhausted it
	// consumes nothing and returns allowed=false with the wait until a unit frees.
	Take(ctx context.Context, key string, r Rate) (allowed bool, retryAfter time.Duration, err error)
	// Peek reports, without consuming, whether Take would be allowed.
	Peek(ctx context.Context, key string, r Rate) (allowed bool, retryAfter time.Duration, err error)
	// Reset forgets key.
	Reset(ctx context.Context, key string) error
}

// RevocationBus fans session revocations out to every node (Redis pub/sub
// in production). Publishing is best effort: each node also polls the
// database (Service.SyncRevocations), so a lost message delays a revocation
// by at most the poll interval, never loses it.
type RevocationBus interface {
	Publish(ctx context.Context, r Revocation) error
}
