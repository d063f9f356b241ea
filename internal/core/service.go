package core

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"time"
)

// Config holds the deployment-wide rules of the service. Zero fields take
// the defaults of DefaultConfig.
type Config struct {
	// Issuer is the iss claim of access tokens (the service's public URL).
	Issuer string
	// Defaults are the settings a store gets unless it overrides them.
	Defaults ShopSettings
	// MaxAccessTokenTTL bounds every store's access-token TTL; revocations
	// are remembered this long, since no token outlives it.
	MaxAccessTokenTTL time.Duration
	// RefreshReuseGrace is how long a rotated refresh token may be presented
	// again (a client retrying after a lost response) and get the same child.
	RefreshReuseGrace time.Duration
	// Limits are the rate-limit rules.
	Limits Limits
	// PasswordWork bounds concurrent password hashing (admission control).
	PasswordWork WorkLimits
	// DevResetURL is the reset page of stores created without one.
	DevResetURL string
	// Caps bound what one customer may keep (SECURITY.md 36).
	Caps Caps
	// DefaultStore is the store (its id or a publishable key) that dialect
	// requests naming no store use (serve --bagisto-store); empty means the
	// deployment's only store, if it has exactly one.
	DefaultStore string
	// EmailTokenTTL is the lifetime of verification, e-mail-change and
	// order-claim tokens.
	EmailTokenTTL time.Duration
	// TrustedTokenTTL bounds access tokens minted by a secret key on a
	// customer's behalf.
	TrustedTokenTTL time.Duration
	// GuestSessionTTL is the absolute lifetime of a guest session.
	GuestSessionTTL time.Duration
	// Webhooks tunes webhook delivery.
	Webhooks WebhookConfig
	// ResetCallbackTimeout bounds one reset-callback POST (SLAS
	// mode=callback); it runs in the background, so it never delays an
	// answer, but a receiver that hangs must not hold a background slot.
	ResetCallbackTimeout time.Duration
}

// Caps are per-customer limits on stored things.
type Caps struct {
	Addresses      int // per customer
	Wishlists      int // per customer
	WishlistItems  int // per wishlist
	PaymentMethods int // per customer
}

// Limits are the rate-limit rules core enforces.
type Limits struct {
	LoginFailuresPerAccount   Rate // failed logins per store+e-mail
	LoginPerIP                Rate // login attempts per client IP
	RegisterPerIP             Rate // sign-ups per client IP
	ResetPerEmail             Rate // reset requests per store+e-mail
	ResetPerIP                Rate // reset requests per client IP
	ResetCompletePerIP        Rate // reset completions (token guesses) per client IP
	EmailExistsPerIP          Rate // e-mail-exists probes per client IP
	GiftCardRedeemPerCustomer Rate // gift-card code attempts per customer
	GiftCardRedeemPerIP       Rate // gift-card code attempts per client IP
	EmailTokenSends           Rate // verification/change/claim mails per customer
}

// WorkLimits size the password-work admission pool.
type WorkLimits struct {
	Slots   int           // concurrent hashes, about the CPU count
	Queue   int           // waiters beyond Slots before shedding at once
	MaxWait time.Duration // longest a waiter queues before it is shed
}

// DefaultShopSettings are the deployment defaults (DESIGN §2).
func DefaultShopSettings() ShopSettings {
	return ShopSettings{
		AccessTokenTTL:    15 * time.Minute,
		RefreshTokenTTL:   30 * 24 * time.Hour,
		RefreshIdleTTL:    7 * 24 * time.Hour,
		ResetTokenTTL:     15 * time.Minute,
		MinPasswordLength: 8,
	}
}

// DefaultLimits are rate limits loose enough for a storefront server that
// proxies many shoppers from one IP, and tight per account (SECURITY.md 6–8).
func DefaultLimits() Limits {
	return Limits{
		LoginFailuresPerAccount:   Rate{Limit: 10, Window: 15 * time.Minute},
		LoginPerIP:                Rate{Limit: 300, Window: time.Minute},
		RegisterPerIP:             Rate{Limit: 200, Window: time.Minute},
		ResetPerEmail:             Rate{Limit: 5, Window: time.Hour},
		ResetPerIP:                Rate{Limit: 60, Window: time.Minute},
		ResetCompletePerIP:        Rate{Limit: 30, Window: time.Minute},
		EmailExistsPerIP:          Rate{Limit: 30, Window: time.Minute},
		GiftCardRedeemPerCustomer: Rate{Limit: 10, Window: time.Hour},
		GiftCardRedeemPerIP:       Rate{Limit: 30, Window: time.Hour},
		EmailTokenSends:           Rate{Limit: 5, Window: time.Hour},
	}
}

// DefaultConfig returns the production defaults.
func DefaultConfig() Config {
	return Config{
		Issuer:               "http://127.0.0.1:8080",
		Defaults:             DefaultShopSettings(),
		MaxAccessTokenTTL:    24 * time.Hour,
		RefreshReuseGrace:    10 * time.Second,
		Limits:               DefaultLimits(),
		PasswordWork:         WorkLimits{Slots: 2, Queue: 8, MaxWait: 150 * time.Millisecond},
		DevResetURL:          "http://localhost:3000/reset-password",
		Caps:                 Caps{Addresses: 100, Wishlists: 50, WishlistItems: 1000, PaymentMethods: 20},
		EmailTokenTTL:        24 * time.Hour,
		TrustedTokenTTL:      5 * time.Minute,
		GuestSessionTTL:      30 * 24 * time.Hour,
		Webhooks:             DefaultWebhookConfig(),
		ResetCallbackTimeout: 5 * time.Second,
	}
}

// Deps are the ports the service runs on.
type Deps struct {
	Store   Store
	Hasher  Hasher
	Signer  Signer
	Mailer  Mailer
	Limiter Limiter
	Clock   Clock     // nil: system clock
	Random  io.Reader // nil: crypto/rand
	Logger  *slog.Logger
	// IsCommonPassword reports a password on the shipped common list.
	IsCommonPassword func(string) bool
	// Bus, when set, publishes revocations to the other nodes.
	Bus RevocationBus
	// Webhooks, when set, sends webhook deliveries (RunWebhooks).
	Webhooks WebhookSender
	// Callbacks, when set, posts password-reset callbacks
	// (RequestPasswordResetCallback); without it such requests fail.
	Callbacks CallbackPoster
	// Publisher, when set, puts outbox events on an event stream
	// (PublishEvents).
	Publisher EventPublisher
}

// Service is the accounts service every surface calls.
type Service struct {
	cfg      Config
	store    Store
	hasher   Hasher
	signer   Signer
	mailer   Mailer
	limiter  Limiter
	clock    Clock
	random   io.Reader
	log      *slog.Logger
	isCommon func(string) bool
	work     *workGate
	reuses   atomic.Int64 // refresh-token reuse detections, for metrics
	// webhookFailures counts failed delivery attempts, for metrics.
	webhookFailures atomic.Int64
	webhooks        WebhookSender
	callbacks       CallbackPoster
	publisher       EventPublisher
	verified        *verifiedTokens
	background      *background
	revoked         *revocationList
	shops           *ttlCache[string, *Shop]
	keys            *ttlCache[string, *APIKey]
	bus             RevocationBus
	ids             ulidGen
	dummyHash       string
	refreshKey      []byte

	// published and publishFailures count PublishEvents' outcomes, for
	// metrics.
	published, publishFailures atomic.Int64
}

// New builds the service. It hashes one random password so that logins for
// unknown accounts can verify against a hash of identical cost, and loads the
// refresh-token derivation secret.
func New(ctx context.Context, cfg Config, d Deps) (*Service, error) {
	if d.Store == nil || d.Hasher == nil || d.Signer == nil || d.Mailer == nil || d.Limiter == nil {
		return nil, errors.New("core: Store, Hasher, Signer, Mailer and Limiter are required")
	}
	cfg = withDefaults(cfg)
	s := &Service{
		cfg: cfg, store: d.Store, hasher: d.Hasher, signer: d.Signer, mailer: d.Mailer,
		limiter: d.Limiter, bus: d.Bus, webhooks: d.Webhooks, callbacks: d.Callbacks, publisher: d.Publisher, verified: newVerifiedTokens(maxVerifiedTokens), clock: d.Clock, random: d.Random, log: d.Logger, isCommon: d.IsCommonPassword,
	}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	if s.random == nil {
		s.random = defaultRandom
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.isCommon == nil {
		s.isCommon = func(string) bool { return false }
	}
	s.work = newWorkGate(cfg.PasswordWork)
	s.background = newBackground(backgroundJobs)
	s.revoked = newRevocationList()
	s.shops = newTTLCache[string, *Shop](30 * time.Second)
	s.keys = newTTLCache[string, *APIKey](30 * time.Second)
	h, err := s.hasher.Hash(s.newSecret("", 24))
	if err != nil {
		return nil, err
	}
	s.dummyHash = h
	s.refreshKey, err = s.store.Secret(ctx, "refresh_token_derivation", func() ([]byte, error) {
		b := make([]byte, 32)
		_, err := io.ReadFull(rand.Reader, b)
		return b, err
	})
	if err != nil {
		return nil, err
	}
	if err := s.SyncRevocations(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func withDefaults(c Config) Config {
	d := DefaultConfig()
	if c.Issuer == "" {
		c.Issuer = d.Issuer
	}
	c.Defaults = mergeSettings(c.Defaults, d.Defaults)
	if c.MaxAccessTokenTTL <= 0 {
		c.MaxAccessTokenTTL = d.MaxAccessTokenTTL
	}
	if c.RefreshReuseGrace <= 0 {
		c.RefreshReuseGrace = d.RefreshReuseGrace
	}
	if c.Limits == (Limits{}) {
		c.Limits = d.Limits
	}
	if c.PasswordWork.Slots <= 0 {
		c.PasswordWork = d.PasswordWork
	}
	if c.DevResetURL == "" {
		c.DevResetURL = d.DevResetURL
	}
	if c.Caps == (Caps{}) {
		c.Caps = d.Caps
	}
	if c.EmailTokenTTL <= 0 {
		c.EmailTokenTTL = d.EmailTokenTTL
	}
	if c.TrustedTokenTTL <= 0 {
		c.TrustedTokenTTL = d.TrustedTokenTTL
	}
	if w := &c.Webhooks; w.MaxAttempts <= 0 || w.DisableAfter <= 0 || w.Lease <= 0 || w.PerEndpoint <= 0 || w.Batch <= 0 {
		allow := w.AllowPrivate
		c.Webhooks = d.Webhooks
		c.Webhooks.AllowPrivate = allow
	}
	if c.GuestSessionTTL <= 0 {
		c.GuestSessionTTL = d.GuestSessionTTL
	}
	if c.ResetCallbackTimeout <= 0 {
		c.ResetCallbackTimeout = d.ResetCallbackTimeout
	}
	return c
}

// mergeSettings fills zero fields of s from d.
func mergeSettings(s, d ShopSettings) ShopSettings {
	if s.AccessTokenTTL <= 0 {
		s.AccessTokenTTL = d.AccessTokenTTL
	}
	if s.RefreshTokenTTL <= 0 {
		s.RefreshTokenTTL = d.RefreshTokenTTL
	}
	if s.RefreshIdleTTL <= 0 {
		s.RefreshIdleTTL = d.RefreshIdleTTL
	}
	if s.ResetTokenTTL <= 0 {
		s.ResetTokenTTL = d.ResetTokenTTL
	}
	if s.MinPasswordLength <= 0 {
		s.MinPasswordLength = d.MinPasswordLength
	}
	return s
}

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }

// settings returns the effective settings of a store.
func (s *Service) settings(sh *Shop) ShopSettings {
	st := mergeSettings(sh.Settings, s.cfg.Defaults)
	if st.AccessTokenTTL > s.cfg.MaxAccessTokenTTL {
		st.AccessTokenTTL = s.cfg.MaxAccessTokenTTL
	}
	if st.MedusaTokenTTL <= 0 {
		st.MedusaTokenTTL = DefaultDialectTokenTTL
	}
	if st.MedusaTokenTTL > s.cfg.MaxAccessTokenTTL {
		st.MedusaTokenTTL = s.cfg.MaxAccessTokenTTL
	}
	return st
}

// now returns the clock's time in UTC at microsecond precision, the
// precision both stores keep, so values read back compare equal.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// Ping reports whether storage answers (for readiness).
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }
