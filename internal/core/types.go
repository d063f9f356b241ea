package core

import "time"

// Shop is a tenant: one online store served by this deployment.
// (Named Shop, not Store, because Store is the storage port.)
type Shop struct {
	ID   string // "sto_" + ULID
	Name string
	// AllowedOrigins are exact origins ("https://shop.example") trusted for
	// CORS and as password-reset redirect targets.
	AllowedOrigins []string
	// PasswordResetURL is the storefront page a reset link points to when
	// the request names no redirect_url.
	PasswordResetURL string
	Settings         ShopSettings
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// ShopSettings are a store's security and lifetime settings. Zero values
// mean "use the deployment default" (see DefaultShopSettings).
type ShopSettings struct {
	AccessTokenTTL    time.Duration
	RefreshTokenTTL   time.Duration // absolute session lifetime
	RefreshIdleTTL    time.Duration // a session unused this long expires
	ResetTokenTTL     time.Duration
	EmailExistsCheck  bool
	MinPasswordLength int // 8..15
	// MedusaTokenTTL is the lifetime of Medusa-dialect access tokens
	// (0: DefaultDialectTokenTTL).
	MedusaTokenTTL time.Duration
	// WelcomeMailOff stops the welcome mail after a sign-up. It is stored
	// negated so the zero value, and every store created before the
	// setting existed, keeps sending it.
	WelcomeMailOff bool
}

// KeyKind tells publishable keys (browser-safe) from secret keys (server-only).
type KeyKind string

// API key kinds.
const (
	KeyPublishable KeyKind = "publishable"
	KeySecret      KeyKind = "secret"
)

// APIKey is a store's API key. Only the SHA-256 of the key is stored.
type APIKey struct {
	ID        string // "key_" + ULID
	ShopID    string
	Kind      KeyKind
	Hash      []byte // SHA-256 of the full key
	Hint      string // first characters of the key, for display ("pk_live_ab…")
	CreatedAt time.Time
	RevokedAt *time.Time
}

// CustomerStatus is active or disabled; disabled customers cannot log in.
type CustomerStatus string

// Customer statuses.
const (
	StatusActive   CustomerStatus = "active"
	StatusDisabled CustomerStatus = "disabled"
)

// Customer is a shopper's account in one store.
type Customer struct {
	ID                    string // "cus_" + ULID
	ShopID                string
	Email                 string // as typed, for display
	EmailNormalized       string // trim + NFC + lower-case; unique per store
	EmailVerifiedAt       *time.Time
	PasswordHash          string // PHC string; empty for passwordless accounts
	FirstName             string
	LastName              string
	Phone                 string
	Gender                string
	DateOfBirth           string // "YYYY-MM-DD" or empty
	AcceptsEmailMarketing bool
	Status                CustomerStatus
	Metadata              map[string]any
	CompanyName           string
	// DefaultBillingAddressID and DefaultShippingAddressID point into the
	// customer's address book; empty when unset. Deleting the address
	// clears them.
	DefaultBillingAddressID  string
	DefaultShippingAddressID string
	PasswordChangedAt        *time.Time
	CreatedAt                time.Time
	UpdatedAt                time.Time
}

// Session groups the refresh tokens of one login (a token family).
type Session struct {
	ID         string // "ses_" + ULID; the access token's sid claim
	ShopID     string
	CustomerID string // empty for a guest session
	// GuestID is the guest's id ("gst_" + ULID) for a guest session, and is
	// kept when the guest registers or logs in, so a cart can follow them.
	GuestID      string
	CreatedAt    time.Time
	LastUsedAt   time.Time
	ExpiresAt    time.Time // absolute expiry, never extended by rotation
	RevokedAt    *time.Time
	RevokeReason string
	UserAgent    string
	IP           string
}

// Active reports whether the session is neither revoked nor past its
// absolute or idle expiry at now.
func (s *Session) Active(now time.Time, idle time.Duration) bool {
	if s.RevokedAt != nil || !now.Before(s.ExpiresAt) {
		return false
	}
	return idle <= 0 || now.Before(s.LastUsedAt.Add(idle))
}

// RefreshToken is one link of a session's rotation chain. Only the SHA-256
// of the token is stored.
type RefreshToken struct {
	ID        string // "rt_" + ULID
	SessionID string
	Hash      []byte
	ParentID  string // empty for the first token of a session
	CreatedAt time.Time
	// RotatedAt is set when this token was exchanged for its child.
	RotatedAt *time.Time
}

// PasswordReset is an outstanding single-use reset token (stored hashed).
type PasswordReset struct {
	ID         string // "prt_" + ULID
	ShopID     string
	CustomerID string
	Hash       []byte
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     *time.Time // consumed or invalidated
	// Binding is what completing the reset must prove besides the token;
	// the zero value (every surface but SLAS) asks for nothing more.
	Binding ResetBinding
}

// SigningKey is a persisted token-signing key pair.
type SigningKey struct {
	ID        string // the JWT kid
	Algorithm string // "EdDSA"
	Private   []byte // Ed25519 seed (32 bytes)
	Public    []byte // Ed25519 public key (32 bytes)
	CreatedAt time.Time
	// RetiredAt is set when a newer key took over signing; the key still
	// verifies (and stays in the JWKS) until tokens it signed have expired.
	RetiredAt *time.Time
}

// Revocation records that a session was revoked, for the in-memory deny-list
// that rejects its still-unexpired access tokens.
type Revocation struct {
	SessionID string
	RevokedAt time.Time
}
