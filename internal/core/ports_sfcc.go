package core

import (
	"context"
	"time"
)

// SFCCShopper is a SLAS shopper of a store: the usid a storefront keeps
// across logins and the guest id (gcid) its sessions carry.
type SFCCShopper struct {
	USID      string // lower-case UUID v4, unique in the deployment
	ShopID    string
	GuestID   string // "gst_" + ULID
	CreatedAt time.Time
}

// SFCCAuthCode is an outstanding SLAS authorization code (stored hashed):
// single use, short-lived, bound to the client, redirect URI, channel,
// shopper, customer (registered login) and PKCE challenge.
type SFCCAuthCode struct {
	ID          string // "sac_" + ULID
	ShopID      string
	Hash        []byte // SHA-256 of the code
	ClientID    string
	RedirectURI string
	ChannelID   string
	USID        string
	CustomerID  string // empty for a guest code
	Challenge   string // S256 PKCE challenge; empty: private clients only
	CreatedAt   time.Time
	ExpiresAt   time.Time
	UsedAt      *time.Time
	SessionID   string // the session the code was exchanged for
}

// SFCCSession is what a SLAS session is bound to beyond the core session:
// its client, channel, shopper and do-not-track choice.
type SFCCSession struct {
	SessionID string
	ShopID    string
	ClientID  string
	ChannelID string
	USID      string
	DNT       string // "", "true" or "false"
	CreatedAt time.Time
}

// SFCCStore keeps SFCC bindings, shoppers, authorization codes and session
// bindings (migration 00012).
type SFCCStore interface {
	// PutSFCCBinding inserts or replaces the store's binding and its
	// clients. An organization or client id of another store is ErrConflict.
	PutSFCCBinding(ctx context.Context, b *SFCCBinding) error
	GetSFCCBinding(ctx context.Context, shopID string) (*SFCCBinding, error)
	GetSFCCBindingByOrg(ctx context.Context, orgID string) (*SFCCBinding, error)
	DeleteSFCCBinding(ctx context.Context, shopID string) error

	CreateSFCCShopper(ctx context.Context, sh *SFCCShopper) error
	GetSFCCShopper(ctx context.Context, shopID, usid string) (*SFCCShopper, error)

	CreateSFCCAuthCode(ctx context.Context, c *SFCCAuthCode) error
	// GetSFCCAuthCodeByHash finds a code, used or not; inside InTx it locks
	// the row.
	GetSFCCAuthCodeByHash(ctx context.Context, hash []byte) (*SFCCAuthCode, error)
	// UseSFCCAuthCode marks the code used for sessionID when it is still
	// unused; ErrConflict if it was used, ErrNotFound if unknown.
	UseSFCCAuthCode(ctx context.Context, id, sessionID string, at time.Time) error

	CreateSFCCSession(ctx context.Context, s *SFCCSession) error
	GetSFCCSession(ctx context.Context, shopID, sessionID string) (*SFCCSession, error)
}
