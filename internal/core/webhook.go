package core

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
)

// WebhookConfig tunes webhook delivery.
type WebhookConfig struct {
	// MaxAttempts is how many times a delivery is tried before it fails.
	MaxAttempts int
	// DisableAfter disables an endpoint whose attempts have all failed for
	// this long (and emits webhook_endpoint.disabled).
	DisableAfter time.Duration
	// Lease is how long a claimed delivery is reserved for the node that
	// claimed it; a node that dies mid-delivery delays it this long.
	Lease time.Duration
	// PerEndpoint caps concurrent attempts to one endpoint from one node.
	PerEndpoint int
	// Batch is how many deliveries one relay round claims.
	Batch int
	// AllowPrivate lets endpoints resolve to loopback, private and
	// link-local addresses (tests, single-tenant deployments). Off, such
	// URLs are refused at registration and connections to such addresses
	// are refused at send time (internal/webhook), so a store cannot make
	// Clientele probe its own network.
	AllowPrivate bool
}

// DefaultWebhookConfig: 8 attempts over about 13 hours, disable after 5
// days of failures, 30 s leases, 4 concurrent attempts per endpoint.
func DefaultWebhookConfig() WebhookConfig {
	return WebhookConfig{MaxAttempts: 8, DisableAfter: 5 * 24 * time.Hour, Lease: 30 * time.Second, PerEndpoint: 4, Batch: 64}
}

// EventWebhookEndpointDisabled is emitted when an endpoint is disabled for
// sustained failure.
const EventWebhookEndpointDisabled = "webhook_endpoint.disabled"

// maxEventTypes bounds an endpoint's filter list.
const maxEventTypes = 50

// WebhookEndpointInput creates or changes an endpoint; nil fields are left
// as they are on update.
type WebhookEndpointInput struct {
	URL        *string
	EventTypes *[]string
	Disabled   *bool
}

// CreateWebhookEndpoint registers an endpoint for the store. The returned
// endpoint carries its signing secret, which is never shown again.
func (s *Service) CreateWebhookEndpoint(ctx context.Context, shopID string, in WebhookEndpointInput) (*WebhookEndpoint, error) {
	if in.URL == nil {
		return nil, fieldErr("url", "required", "url is required")
	}
	now := s.now()
	e := &WebhookEndpoint{ID: s.newID("whe"), ShopID: shopID, Secret: s.webhookSecret(), EventTypes: []string{}, CreatedAt: now, UpdatedAt: now}
	if err := s.applyWebhookInput(e, in); err != nil {
		return nil, err
	}
	if err := s.store.CreateWebhookEndpoint(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// UpdateWebhookEndpoint changes an endpoint. Re-enabling clears the
// failure run, so a fixed endpoint starts afresh.
func (s *Service) UpdateWebhookEndpoint(ctx context.Context, shopID, id string, in WebhookEndpointInput) (*WebhookEndpoint, error) {
	e, err := s.store.GetWebhookEndpoint(ctx, shopID, id)
	if err != nil {
		return nil, err
	}
	wasDisabled := e.Disabled
	if err := s.applyWebhookInput(e, in); err != nil {
		return nil, err
	}
	if wasDisabled && !e.Disabled {
		e.DisabledReason, e.FailingSince = "", nil
	}
	e.UpdatedAt = s.now()
	if err := s.store.UpdateWebhookEndpoint(ctx, e); err != nil {
		return nil, err
	}
	e.Secret = ""
	return e, nil
}

// WebhookEndpoint returns one endpoint, without its secret.
func (s *Service) WebhookEndpoint(ctx context.Context, shopID, id string) (*WebhookEndpoint, error) {
	e, err := s.store.GetWebhookEndpoint(ctx, shopID, id)
	if err != nil {
		return nil, err
	}
	e.Secret = ""
	return e, nil
}

// WebhookEndpoints lists the store's endpoints, without secrets.
func (s *Service) WebhookEndpoints(ctx context.Context, shopID string) ([]WebhookEndpoint, error) {
	es, err := s.store.ListWebhookEndpoints(ctx, shopID)
	for i := range es {
		es[i].Secret = ""
	}
	return es, err
}

// DeleteWebhookEndpoint removes an endpoint and its deliveries.
func (s *Service) DeleteWebhookEndpoint(ctx context.Context, shopID, id string) error {
	return s.store.DeleteWebhookEndpoint(ctx, shopID, id)
}

// WebhookDeliveries pages an endpoint's deliveries (admin API).
func (s *Service) WebhookDeliveries(ctx context.Context, shopID, endpointID string, p Page) (PageOf[WebhookDelivery], error) {
	if _, err := s.store.GetWebhookEndpoint(ctx, shopID, endpointID); err != nil {
		return PageOf[WebhookDelivery]{}, err
	}
	return listPage(p, func(d WebhookDelivery) string { return d.ID }, func(after string, limit int) ([]WebhookDelivery, error) {
		return s.store.ListWebhookDeliveries(ctx, shopID, endpointID, after, limit)
	})
}

// ReplayWebhooks sends an endpoint's events again: one event (eventID),
// or every event created in [since, until). Deliveries that exist become
// pending and due now; missing ones (events from before the endpoint, or
// filtered out then) are created. It returns how many are queued.
func (s *Service) ReplayWebhooks(ctx context.Context, shopID, endpointID, eventID string, since, until time.Time) (int, error) {
	if eventID == "" && (since.IsZero() || until.IsZero()) {
		return 0, fieldErr("since", "required", "give an event_id, or since and until")
	}
	if eventID == "" && !since.Before(until) {
		return 0, fieldErr("until", "invalid", "until must be after since")
	}
	if eventID != "" {
		since, until = time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	n := 0
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		n, err = tx.RequeueWebhookDeliveries(ctx, shopID, endpointID, eventID, since, until, s.now())
		return err
	})
	return n, err
}

// webhookSecret draws a Standard Webhooks secret: "whsec_" and 24 random
// bytes in standard base64, which is how the spec's libraries decode it.
func (s *Service) webhookSecret() string {
	b := make([]byte, 24)
	if _, err := io.ReadFull(s.random, b); err != nil {
		panic("core: random source failed: " + err.Error())
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

func (s *Service) applyWebhookInput(e *WebhookEndpoint, in WebhookEndpointInput) error {
	if in.URL != nil {
		u, err := s.checkWebhookURL(*in.URL)
		if err != nil {
			return err
		}
		e.URL = u
	}
	if in.EventTypes != nil {
		types := slices.Clone(*in.EventTypes)
		if len(types) > maxEventTypes {
			return fieldErr("event_types", "too_many", fmt.Sprintf("at most %d event types", maxEventTypes))
		}
		for _, t := range types {
			if t == "" || len(t) > 100 || strings.ContainsAny(t, " \t\r\n") {
				return fieldErr("event_types", "invalid", "event types are names like customer.created")
			}
		}
		slices.Sort(types)
		e.EventTypes = slices.Compact(types)
	}
	if in.Disabled != nil {
		e.Disabled = *in.Disabled
		if e.Disabled && e.DisabledReason == "" {
			e.DisabledReason = "disabled by the store"
		}
	}
	return nil
}

// checkWebhookURL accepts absolute http(s) URLs without credentials, and
// unless private targets are allowed, refuses hosts that are loopback,
// private or link-local literals (names are checked again at send time,
// when they resolve).
func (s *Service) checkWebhookURL(raw string) (string, error) {
	bad := func(msg string) error { return fieldErr("url", "invalid", msg) }
	if len(raw) > 2048 {
		return "", bad("url is too long")
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" {
		return "", bad("url must be an absolute http or https URL")
	}
	if u.User != nil {
		return "", bad("url may not carry credentials")
	}
	if u.Fragment != "" {
		return "", bad("url may not have a fragment")
	}
	if !s.cfg.Webhooks.AllowPrivate {
		host := strings.ToLower(u.Hostname())
		if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".internal") {
			return "", bad("url may not point at this network")
		}
		if ip, err := netip.ParseAddr(host); err == nil && !PublicAddr(ip) {
			return "", bad("url may not point at this network")
		}
		if net.ParseIP(host) == nil && !strings.Contains(host, ".") {
			return "", bad("url needs a fully qualified host name")
		}
	}
	return u.String(), nil
}

// PublicAddr reports whether ip is a public unicast address: not loopback,
// private, link-local, unspecified, multicast or otherwise special.
func PublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range specialPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// specialPrefixes are ranges netip's predicates do not cover: shared
// address space (CGNAT), the cloud metadata link-local block is covered,
// benchmarking, documentation and the IPv4/IPv6 translation ranges.
var specialPrefixes = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}
