package core

import (
	"context"
	"time"
)

// PendingIdentity is step one of a two-step sign-up (Medusa's auth
// identity): an e-mail and a password hash that no customer has yet. It is
// kept in the store, so a registration token minted on one node completes
// on any other.
type PendingIdentity struct {
	ID              string // "authid_" + ULID
	ShopID          string
	Email           string // as typed
	EmailNormalized string
	PasswordHash    string
	// CustomerID is set once the sign-up is completed; the row then only
	// serves registration tokens that are still alive (refresh).
	CustomerID string
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// SessionCookie binds an opaque cookie value (only its SHA-256 is stored)
// to a session, for wire formats that authenticate with a session cookie.
type SessionCookie struct {
	Hash      []byte
	ShopID    string
	SessionID string
	CreatedAt time.Time
	// ExpiresAt is the session's absolute expiry: the row is useless after.
	ExpiresAt time.Time
}

// DialectIdentityStore keeps pending identities and session cookies.
type DialectIdentityStore interface {
	// CreatePendingIdentity inserts p. The database holds at most one
	// pending identity without a customer per (store, e-mail): one that
	// expired at or before p.CreatedAt is deleted first, a live one makes
	// the insert ErrConflict (so of two racing sign-ups exactly one wins).
	CreatePendingIdentity(ctx context.Context, p *PendingIdentity) error
	// GetPendingIdentity returns the store's identity id, expired or not.
	GetPendingIdentity(ctx context.Context, shopID, id string) (*PendingIdentity, error)
	// GetPendingIdentityByEmail returns the store's identity without a
	// customer for the normalized e-mail, expired or not.
	GetPendingIdentityByEmail(ctx context.Context, shopID, emailNormalized string) (*PendingIdentity, error)
	// AttachPendingIdentity sets the identity's customer when it has none;
	// ErrConflict when it already has one, ErrNotFound when unknown.
	AttachPendingIdentity(ctx context.Context, shopID, id, customerID string) error
	// PurgePendingIdentities deletes the store's identities that expired at
	// or before before, and returns how many.
	PurgePendingIdentities(ctx context.Context, shopID string, before time.Time) (int, error)

	// CreateSessionCookie inserts c; ErrNotFound when the session is not of
	// c.ShopID, ErrConflict when the hash is taken.
	CreateSessionCookie(ctx context.Context, c *SessionCookie) error
	// GetSessionCookie finds the store's cookie by the SHA-256 of its value.
	GetSessionCookie(ctx context.Context, shopID string, hash []byte) (*SessionCookie, error)
	// DeleteSessionCookie forgets one cookie (no-op when unknown).
	DeleteSessionCookie(ctx context.Context, shopID string, hash []byte) error
	// PurgeSessionCookies deletes the store's cookies that expired at or
	// before before, and returns how many.
	PurgeSessionCookies(ctx context.Context, shopID string, before time.Time) (int, error)
}
