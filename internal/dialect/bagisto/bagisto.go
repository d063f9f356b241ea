// Package bagisto is the Bagisto dialect: the customer REST API of
// Bagisto's legacy Webkul/API package (/api/customer..., JWT with
// ?token=true) and of bagisto/rest-api (/api/v1/customer...), mounted
// under /bagisto over the same core as the native API. It only
// translates; every rule lives in core. The contract is
// /work/shared/contracts/bagisto.md.
package bagisto

import (
	"context"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// Prefix is where the dialect is mounted. Under it a client base is either
// Prefix itself (store by header or deployment default) or
// Prefix/stores/{publishable key} (store pinned by path).
const Prefix = "/bagisto"

// TokenTTL is the lifetime of the dialect's tokens: tymon/jwt-auth's
// default, since Bagisto clients have no refresh step (contract §3.1).
const TokenTTL = 60 * time.Minute

// cookieName is Laravel's session cookie for APP_NAME=Bagisto.
const cookieName = "bagisto_session"

// API is the Bagisto dialect's HTTP handler.
type API struct {
	svc *core.Service
	log *slog.Logger
	rt  *httpx.Router
	h   http.Handler
	ttl time.Duration
}

// New returns the dialect's handler for every path under /bagisto.
func New(svc *core.Service, log *slog.Logger) *API {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &API{svc: svc, log: log, rt: httpx.NewRouter(render), ttl: svc.SingleTokenTTL(TokenTTL)}
	a.routes()
	a.h = httpx.Recover(log, render, a.rt)
	return a
}

type ctxKey int

const (
	shopKey ctxKey = iota
	principalKey
	stateKey
	cookieAuthKey
)

// reqState is what ServeHTTP learned before routing.
type reqState struct {
	in    input
	inErr error
	base  string // the client's base path: /bagisto or /bagisto/stores/{pk}
}

func shopOf(r *http.Request) *core.Shop {
	s, _ := r.Context().Value(shopKey).(*core.Shop)
	return s
}

func principalOf(r *http.Request) *core.Principal {
	p, _ := r.Context().Value(principalKey).(*core.Principal)
	return p
}

func stateOf(r *http.Request) *reqState {
	s, _ := r.Context().Value(stateKey).(*reqState)
	if s == nil {
		return &reqState{in: input{}}
	}
	return s
}

// body returns the request's fields, or the error reading them (400, 413,
// 415), which handlers report only after authentication (contract §2:
// store, then authentication, then validation).
func body(r *http.Request) (input, error) {
	s := stateOf(r)
	return s.in, s.inErr
}

func meta(r *http.Request) core.ClientMeta {
	return core.ClientMeta{IP: httpx.ClientIP(r.Context()), UserAgent: r.UserAgent()}
}

// ServeHTTP resolves the store (path, then header, then the deployment
// default), answers CORS, reads the body, applies method overrides and
// dispatches on the path relative to the client's base.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, Prefix)
	base := Prefix
	var sh *core.Shop
	var err error
	if after, ok := strings.CutPrefix(rest, "/stores/"); ok {
		pk, tail, _ := strings.Cut(after, "/")
		base, rest = Prefix+"/stores/"+pk, "/"+tail
		sh, err = a.shopByKey(r.Context(), pk)
	} else if pk := strings.TrimSpace(r.Header.Get("X-Publishable-Key")); pk != "" {
		sh, err = a.shopByKey(r.Context(), pk)
	} else {
		sh, err = a.svc.DefaultShop(r.Context())
	}
	if rest == "" {
		rest = "/"
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path, r2.URL.RawPath = rest, ""
	if a.preflight(w, r2, sh) {
		return
	}
	if err != nil {
		if !errorsIsUnavailable(err) {
			err = errStoreNotFound()
		}
		render(w, r2, err)
		return
	}
	a.cors(w, r2, sh)
	if path.Clean(rest) != rest && path.Clean(rest)+"/" != rest {
		// ServeMux would redirect to the clean path; Bagisto clients get
		// the family's 404 instead (contract §1: never a redirect).
		render(w, r2, errNotFound())
		return
	}
	st := &reqState{base: base}
	st.in, st.inErr = readInput(w, r2)
	if r2.Method == http.MethodPost {
		m := strings.ToUpper(strings.TrimSpace(r2.Header.Get("X-HTTP-Method-Override")))
		if v, ok := st.in["_method"].(string); ok {
			m = strings.ToUpper(strings.TrimSpace(v))
		}
		if m == http.MethodPut || m == http.MethodPatch || m == http.MethodDelete {
			r2.Method = m
		}
	}
	ctx := context.WithValue(r2.Context(), shopKey, sh)
	ctx = context.WithValue(ctx, stateKey, st)
	a.h.ServeHTTP(w, r2.WithContext(ctx))
}

// shopByKey resolves a publishable key; any failure but an outage is
// "store not found" (a secret key never acts as a publishable one).
func (a *API) shopByKey(ctx context.Context, pk string) (*core.Shop, error) {
	if !strings.HasPrefix(pk, "pk_") {
		return nil, errStoreNotFound()
	}
	return a.svc.ShopByKey(ctx, pk, core.KeyPublishable)
}

func errorsIsUnavailable(err error) bool {
	ae := toAPIError(err)
	return ae.status == http.StatusServiceUnavailable
}

const (
	corsMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
	corsHeaders = "accept, content-type, authorization, x-publishable-key, x-locale, x-currency, x-requested-with, x-http-method-override, x-xsrf-token"
)

// allowedOrigin reports whether the request's Origin is one of the
// store's allowed origins.
func allowedOrigin(r *http.Request, sh *core.Shop) (string, bool) {
	o := r.Header.Get("Origin")
	return o, o != "" && sh != nil && slices.Contains(sh.AllowedOrigins, o)
}

// preflight answers a CORS preflight. A preflight carries no
// X-Publishable-Key, so when the store is not known from the path or the
// default it is answered for any origin; the actual response carries
// Access-Control-Allow-Origin only for the resolved store's origins, and
// cookies are CSRF-checked against them (see customer).
func (a *API) preflight(w http.ResponseWriter, r *http.Request, sh *core.Shop) bool {
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" || r.Header.Get("Origin") == "" {
		return false
	}
	h := w.Header()
	h.Add("Vary", "Origin")
	if o, ok := allowedOrigin(r, sh); ok || sh == nil {
		h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		if ok {
			h.Set("Access-Control-Allow-Origin", o)
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		h.Set("Access-Control-Allow-Methods", corsMethods)
		h.Set("Access-Control-Allow-Headers", corsHeaders)
		h.Set("Access-Control-Max-Age", "600")
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}

// cors lets the store's own origins read answers, with credentials (the
// session cookie).
func (a *API) cors(w http.ResponseWriter, r *http.Request, sh *core.Shop) {
	if r.Header.Get("Origin") == "" {
		return
	}
	h := w.Header()
	h.Add("Vary", "Origin")
	if o, ok := allowedOrigin(r, sh); ok {
		h.Set("Access-Control-Allow-Origin", o)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Access-Control-Expose-Headers", "Retry-After")
	}
}
