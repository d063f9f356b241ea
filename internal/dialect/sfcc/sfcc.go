// Package sfcc is the Salesforce Commerce Cloud B2C dialect: SLAS (shopper
// login, /shopper/auth/v1) and Shopper Customers
// (/customer/shopper-customers/v1) as commerce-sdk-isomorphic and PWA Kit
// speak them, mounted under /sfcc over the same core as the native API. It
// only translates; every rule lives in core. The contract is
// /work/shared/contracts/sfcc.md.
package sfcc

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// Mount points. Paths are relative to Prefix the same way the SDK's
// `proxy` option prefixes them.
const (
	Prefix   = "/sfcc"
	AuthRoot = Prefix + "/shopper/auth/v1/organizations/{org}"
	CustRoot = Prefix + "/customer/shopper-customers/v1/organizations/{org}"
	custPath = Prefix + "/customer/shopper-customers/v1/"
)

// Config is the dialect's deployment configuration.
type Config struct {
	// Dev are the identifiers the oldest store answers to until it has a
	// binding of its own (contract §1.2).
	Dev core.SFCCDevDefaults
}

// ConfigFromEnv reads the dev defaults and their overrides from the
// environment: CLIENTELE_SFCC_DEV_DEFAULTS=false turns them off;
// CLIENTELE_SFCC_ORG_ID, _CLIENT_ID, _SITE_ID and _REDIRECT_URI override
// the contract's dev values.
func ConfigFromEnv() Config {
	d := core.DefaultSFCCDevDefaults()
	if v := strings.ToLower(strings.TrimSpace(os.Getenv("CLIENTELE_SFCC_DEV_DEFAULTS"))); v == "false" || v == "0" || v == "no" || v == "off" {
		d.Enabled = false
	}
	if v := os.Getenv("CLIENTELE_SFCC_ORG_ID"); v != "" {
		d.OrganizationID = v
	}
	if v := os.Getenv("CLIENTELE_SFCC_CLIENT_ID"); v != "" {
		d.ClientID = v
	}
	if v := os.Getenv("CLIENTELE_SFCC_SITE_ID"); v != "" {
		d.SiteID = v
	}
	if v := os.Getenv("CLIENTELE_SFCC_REDIRECT_URI"); v != "" {
		d.RedirectURIs = []string{v}
	}
	return Config{Dev: d}
}

// API is the dialect's HTTP handler.
type API struct {
	svc  *core.Service
	log  *slog.Logger
	cfg  Config
	auth http.Handler // SLAS half, SLAS error bodies
	cust http.Handler // Shopper Customers half, problem bodies
}

// New returns the handler for every path under /sfcc.
func New(svc *core.Service, log *slog.Logger, cfg Config) *API {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &API{svc: svc, log: log, cfg: cfg}
	auth := httpx.NewRouter(a.renderSLAS)
	a.slasRoutes(auth)
	cust := httpx.NewRouter(a.renderProblem)
	a.customerRoutes(cust)
	a.auth = httpx.Recover(log, a.renderSLAS, auth)
	a.cust = httpx.Recover(log, a.renderProblem, cust)
	return a
}

// ServeHTTP answers CORS and hands the request to its half.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a.cors(w, r) {
		return
	}
	if r.Header.Get("Origin") != "" {
		w = &corsWriter{ResponseWriter: w, r: r, a: a}
	}
	if strings.HasPrefix(r.URL.Path, custPath) {
		a.cust.ServeHTTP(w, r)
		return
	}
	a.auth.ServeHTTP(w, r)
}

type ctxKey int

const (
	shopKey ctxKey = iota
	bindingKey
	principalKey
)

func shopOf(r *http.Request) *core.Shop {
	s, _ := r.Context().Value(shopKey).(*core.Shop)
	return s
}

func bindingOf(r *http.Request) *core.SFCCBinding {
	b, _ := r.Context().Value(bindingKey).(*core.SFCCBinding)
	return b
}

func principalOf(r *http.Request) *core.Principal {
	p, _ := r.Context().Value(principalKey).(*core.Principal)
	return p
}

func meta(r *http.Request) core.ClientMeta {
	return core.ClientMeta{IP: httpx.ClientIP(r.Context()), UserAgent: r.UserAgent()}
}

// organization resolves {org} to its store and binding; unknown → notFound.
func (a *API) organization(r *http.Request, notFound error) (*http.Request, error) {
	sh, b, err := a.svc.SFCCOrganization(r.Context(), r.PathValue("org"), a.cfg.Dev)
	if err != nil {
		if core.CodeOf(err) == core.CodeNotFound {
			return nil, notFound
		}
		return nil, err
	}
	ctx := context.WithValue(r.Context(), shopKey, sh)
	ctx = context.WithValue(ctx, bindingKey, b)
	return r.WithContext(ctx), nil
}

// tenant is the binding's tenant, as SLAS tokens name it.
func tenant(b *core.SFCCBinding) string { return core.SFCCTenant(b.OrganizationID) }

// issuer is the iss of this dialect's tokens for a binding.
func issuer(b *core.SFCCBinding) string { return "slas/prod/" + tenant(b) }
