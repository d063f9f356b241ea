package core

import (
	"context"
	"errors"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// SFCCBinding ties a store to the Salesforce Commerce Cloud identifiers a
// B2C storefront sends: the organization id in every SLAS and Shopper API
// path, the site (channel) ids, and the SLAS clients with the redirect and
// callback URIs each may use. Core keeps it so that the dialect resolves a
// request to a store without any rule of its own.
type SFCCBinding struct {
	ShopID         string
	OrganizationID string // f_ecom_xxxx_yyy, unique in the deployment
	SiteIDs        []string
	Clients        []SFCCClient
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Dev is set on the binding the dev defaults synthesise for the oldest
	// store; it is never stored.
	Dev bool
}

// SFCCClient is a SLAS client of a binding. It is public (PKCE) and private
// (HTTP Basic with a live secret key of the store) at once.
type SFCCClient struct {
	ClientID     string // ≤ 40 characters, unique in the deployment
	RedirectURIs []string
	CallbackURIs []string
	// Loopback lets the client use any http(s) URI on a loopback host as a
	// redirect or callback URI. Only the dev-default client has it.
	Loopback bool
}

// SFCCDevDefaults are the identifiers the oldest store answers to while it
// has no binding of its own, so a fresh deployment works with the SDK's
// sample configuration. Operators turn them off in production.
type SFCCDevDefaults struct {
	Enabled        bool
	OrganizationID string
	ClientID       string
	SiteID         string
	RedirectURIs   []string // exact URIs besides any loopback URI
}

// DefaultSFCCDevDefaults are the contract's dev values.
func DefaultSFCCDevDefaults() SFCCDevDefaults {
	return SFCCDevDefaults{
		Enabled:        true,
		OrganizationID: "f_ecom_clnt_dev",
		ClientID:       "c11e47e1-5fcc-4d1a-8000-000000000001",
		SiteID:         "RefArch",
	}
}

// Binding bounds.
const (
	maxSFCCSites       = 20
	maxSFCCClients     = 20
	maxSFCCURIs        = 20
	maxSFCCClientIDLen = 40
	maxSFCCURILen      = 2048
)

var (
	sfccOrgPattern  = regexp.MustCompile(`^f_ecom_[a-z0-9]{4}_[a-z0-9]{3}$`)
	sfccSitePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)
)

// SFCCTenant is the organization id without its f_ecom_ prefix, the tenant
// that SLAS tokens name.
func SFCCTenant(orgID string) string { return strings.TrimPrefix(orgID, "f_ecom_") }

// Client returns the binding's client with id, or nil.
func (b *SFCCBinding) Client(id string) *SFCCClient {
	if id == "" {
		return nil
	}
	for i := range b.Clients {
		if b.Clients[i].ClientID == id {
			return &b.Clients[i]
		}
	}
	return nil
}

// HasSite reports whether site is one of the binding's site ids.
func (b *SFCCBinding) HasSite(site string) bool {
	return site != "" && slices.Contains(b.SiteIDs, site)
}

// RedirectAllowed reports whether uri may receive this client's
// authorization codes: a registered redirect URI matched on scheme, host,
// port and path (the query is ignored), or for a loopback client any http(s)
// URI on a loopback host. It is never derived from the request's Host.
func (c *SFCCClient) RedirectAllowed(uri string) bool { return c.uriAllowed(uri, c.RedirectURIs) }

// CallbackAllowed is RedirectAllowed for password-reset callback URIs.
func (c *SFCCClient) CallbackAllowed(uri string) bool { return c.uriAllowed(uri, c.CallbackURIs) }

func (c *SFCCClient) uriAllowed(uri string, registered []string) bool {
	u, ok := parseAbsoluteURI(uri)
	if !ok {
		return false
	}
	if c.Loopback && isLoopbackHost(u.Hostname()) {
		return true
	}
	for _, r := range registered {
		ru, ok := parseAbsoluteURI(r)
		if ok && strings.EqualFold(ru.Scheme, u.Scheme) && strings.EqualFold(ru.Host, u.Host) && ru.EscapedPath() == u.EscapedPath() {
			return true
		}
	}
	return false
}

func parseAbsoluteURI(s string) (*url.URL, bool) {
	if s == "" || len(s) > maxSFCCURILen {
		return nil, false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, false
	}
	return u, true
}

func isLoopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// validate checks a binding's fields and fills the default site.
func (b *SFCCBinding) validate() error {
	var f []FieldError
	if !sfccOrgPattern.MatchString(b.OrganizationID) {
		f = append(f, FieldError{Field: "sfcc.organization_id", Code: FieldInvalid, Message: "organization_id must look like f_ecom_abcd_001 (lower case)"})
	}
	if len(b.SiteIDs) == 0 {
		b.SiteIDs = []string{"RefArch"}
	}
	if len(b.SiteIDs) > maxSFCCSites {
		f = append(f, FieldError{Field: "sfcc.site_ids", Code: FieldTooLong, Message: "at most 20 site ids"})
	}
	for _, s := range b.SiteIDs {
		if !sfccSitePattern.MatchString(s) {
			f = append(f, FieldError{Field: "sfcc.site_ids", Code: FieldInvalid, Message: "a site id is 1 to 100 characters of A-Z a-z 0-9 _ -"})
			break
		}
	}
	if len(b.Clients) > maxSFCCClients {
		f = append(f, FieldError{Field: "sfcc.clients", Code: FieldTooLong, Message: "at most 20 clients"})
	}
	seen := map[string]bool{}
	for i := range b.Clients {
		c := &b.Clients[i]
		c.Loopback = false // only the dev defaults grant it
		if c.ClientID == "" || len(c.ClientID) > maxSFCCClientIDLen || strings.ContainsFunc(c.ClientID, func(r rune) bool { return r <= ' ' || r == ':' || r > '~' }) {
			f = append(f, FieldError{Field: "sfcc.clients.client_id", Code: FieldInvalid, Message: "a client_id is 1 to 40 printable ASCII characters without ':'"})
		} else if seen[c.ClientID] {
			f = append(f, FieldError{Field: "sfcc.clients.client_id", Code: FieldInvalid, Message: "client_id " + c.ClientID + " is listed twice"})
		}
		seen[c.ClientID] = true
		for _, list := range [][]string{c.RedirectURIs, c.CallbackURIs} {
			if len(list) > maxSFCCURIs {
				f = append(f, FieldError{Field: "sfcc.clients.redirect_uris", Code: FieldTooLong, Message: "at most 20 URIs per list"})
			}
			for _, u := range list {
				if _, ok := parseAbsoluteURI(u); !ok {
					f = append(f, FieldError{Field: "sfcc.clients.redirect_uris", Code: FieldInvalid, Message: "URIs must be absolute http(s) URIs without user info or fragment"})
					break
				}
			}
		}
	}
	if len(f) > 0 {
		return &ValidationError{Code: CodeValidationFailed, Fields: f}
	}
	return nil
}

// SetSFCCBinding gives a store its SFCC binding, replacing any it had. An
// organization or client id that another store uses is ErrConflict.
func (s *Service) SetSFCCBinding(ctx context.Context, shopID string, b SFCCBinding) (*SFCCBinding, error) {
	if _, err := s.store.GetShop(ctx, shopID); err != nil {
		return nil, err
	}
	b.ShopID, b.Dev = shopID, false
	if err := b.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	b.CreatedAt, b.UpdatedAt = now, now
	if old, err := s.store.GetSFCCBinding(ctx, shopID); err == nil {
		b.CreatedAt = old.CreatedAt
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if err := s.store.PutSFCCBinding(ctx, &b); err != nil {
		if errors.Is(err, ErrConflict) {
			return nil, newErr(ErrConflict, CodeConflict, "the organization id or a client id is used by another store")
		}
		return nil, err
	}
	return &b, nil
}

// SFCCBindingOf returns a store's own binding (never the dev defaults), or
// ErrNotFound.
func (s *Service) SFCCBindingOf(ctx context.Context, shopID string) (*SFCCBinding, error) {
	return s.store.GetSFCCBinding(ctx, shopID)
}

// DeleteSFCCBinding removes a store's binding; a store without one is
// ErrNotFound.
func (s *Service) DeleteSFCCBinding(ctx context.Context, shopID string) error {
	return s.store.DeleteSFCCBinding(ctx, shopID)
}

// SFCCOrganization resolves an organization id to its store and binding:
// the store that bound it explicitly, else — with the dev defaults on and
// the dev organization id — the oldest store, as long as that store has no
// binding of its own. Anything else is ErrNotFound.
func (s *Service) SFCCOrganization(ctx context.Context, orgID string, dev SFCCDevDefaults) (*Shop, *SFCCBinding, error) {
	if orgID == "" || len(orgID) > 64 {
		return nil, nil, sfccNotFound("organization")
	}
	b, err := s.store.GetSFCCBindingByOrg(ctx, orgID)
	switch {
	case err == nil:
		sh, err := s.Shop(ctx, b.ShopID)
		if err != nil {
			return nil, nil, err
		}
		return sh, b, nil
	case !errors.Is(err, ErrNotFound):
		return nil, nil, err
	}
	if !dev.Enabled || orgID != dev.OrganizationID {
		return nil, nil, sfccNotFound("organization")
	}
	sh, err := s.store.OldestShop(ctx)
	if err != nil {
		return nil, nil, notFoundAs(err, sfccNotFound("organization"))
	}
	if _, err := s.store.GetSFCCBinding(ctx, sh.ID); err == nil {
		return nil, nil, sfccNotFound("organization")
	} else if !errors.Is(err, ErrNotFound) {
		return nil, nil, err
	}
	return sh, &SFCCBinding{
		ShopID: sh.ID, OrganizationID: dev.OrganizationID, SiteIDs: []string{dev.SiteID}, Dev: true,
		Clients: []SFCCClient{{ClientID: dev.ClientID, RedirectURIs: dev.RedirectURIs, CallbackURIs: dev.RedirectURIs, Loopback: true}},
	}, nil
}

func sfccNotFound(what string) error {
	return newErr(ErrNotFound, CodeNotFound, what+" not found")
}
