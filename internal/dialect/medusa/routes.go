// Package medusa is the Medusa v2 dialect: Medusa's store and auth wire
// format (as @medusajs/js-sdk speaks it) over the core. It only translates;
// every rule lives in core.
package medusa

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

const cookieName = "connect.sid"

type handler struct {
	svc    *core.Service
	prefix string
	router *httpx.Router
	// claims are the version's own JWT claims.
	claims core.TokenClaims
}

// New returns the Medusa v2 dialect, mounted at /medusa.
func New(svc *core.Service, log *slog.Logger) http.Handler {
	h := &handler{svc: svc, prefix: "/medusa", claims: v2Claims}
	rt := httpx.NewRouter(renderer(log))
	p := h.prefix
	rt.Handle("POST "+p+"/auth/{actor}/{provider}/register", h.register)
	rt.Handle("POST "+p+"/auth/{actor}/{provider}", h.login)
	rt.Handle("POST "+p+"/auth/{actor}/{provider}/reset-password", h.resetRequest)
	rt.Handle("POST "+p+"/auth/{actor}/{provider}/update", h.resetUpdate)
	rt.Handle("GET "+p+"/auth/{actor}/providers", h.providers)
	rt.Handle("POST "+p+"/auth/token/refresh", h.refresh)
	rt.Handle("POST "+p+"/auth/session", h.sessionCreate)
	rt.Handle("DELETE "+p+"/auth/session", h.sessionDelete)
	rt.Handle("POST "+p+"/store/customers", h.customerCreate)
	rt.Handle("GET "+p+"/store/customers/me", h.me)
	rt.Handle("POST "+p+"/store/customers/me", h.meUpdate)
	rt.Handle("GET "+p+"/store/customers/me/addresses", h.addressList)
	rt.Handle("POST "+p+"/store/customers/me/addresses", h.addressCreate)
	rt.Handle("GET "+p+"/store/customers/me/addresses/{id}", h.addressGet)
	rt.Handle("POST "+p+"/store/customers/me/addresses/{id}", h.addressUpdate)
	rt.Handle("DELETE "+p+"/store/customers/me/addresses/{id}", h.addressDelete)
	rt.Handle("GET "+p+"/store/orders", h.orderList)
	rt.Handle("GET "+p+"/store/orders/{id}", h.orderGet)
	h.router = rt
	return h
}

// ServeHTTP answers CORS and dispatches; routes resolve the store first.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.cors(w, r) {
		return
	}
	if r.Header.Get("Origin") != "" {
		w = &corsWriter{ResponseWriter: w, r: r, h: h}
	}
	h.router.ServeHTTP(w, r)
}

func clientMeta(r *http.Request) core.ClientMeta {
	return core.ClientMeta{IP: httpx.ClientIP(r.Context()), UserAgent: r.UserAgent()}
}

// shop resolves the store from x-publishable-api-key (§1.1).
func (h *handler) shop(r *http.Request) (*core.Shop, error) {
	key := strings.TrimSpace(r.Header.Get("x-publishable-api-key"))
	if key == "" {
		return nil, &apiError{Status: http.StatusBadRequest, Type: "not_allowed", Message: "Publishable API key required in the request header: x-publishable-api-key. You can manage your keys in settings in the dashboard."}
	}
	sh, err := h.svc.ShopByKey(r.Context(), key, core.KeyPublishable)
	if err != nil {
		if core.CodeOf(err) == core.CodeInvalidAPIKey || errorsIsUnauth(err) {
			return nil, &apiError{Status: http.StatusBadRequest, Type: "not_allowed", Message: "A valid publishable key is required to proceed with the request"}
		}
		return nil, err
	}
	return sh, nil
}

// principal authenticates the caller: the session cookie first, then a
// bearer customer token (Medusa's order).
func (h *handler) principal(r *http.Request, sh *core.Shop) (*core.Principal, error) {
	if c, err := r.Cookie(cookieName); err == nil && c.Value != "" && !crossSite(r, sh) {
		if p, err := h.svc.AuthenticateCookie(r.Context(), sh, c.Value); err == nil {
			return p, nil
		}
	}
	if tok := httpx.BearerToken(r); tok != "" {
		if p, err := h.svc.AuthenticateDialect(r.Context(), sh, tok); err == nil {
			return p, nil
		}
	}
	return nil, errUnauthorized()
}

// auth resolves the store and the caller of a protected route.
func (h *handler) auth(r *http.Request) (*core.Shop, *core.Principal, error) {
	sh, err := h.shop(r)
	if err != nil {
		return nil, nil, err
	}
	p, err := h.principal(r, sh)
	return sh, p, err
}

func checkProvider(r *http.Request) error {
	actor, prov := r.PathValue("actor"), r.PathValue("provider")
	if actor != "customer" || (prov != "" && prov != "emailpass") {
		return &apiError{Status: http.StatusBadRequest, Type: "not_allowed", Message: "The actor type " + actor + " is not allowed to use the auth provider " + prov}
	}
	return nil
}

type credentials struct {
	Email    any `json:"email"`
	Password any `json:"password"`
}

func (c credentials) strings() (string, string, error) {
	email, ok := c.Email.(string)
	if !ok {
		return "", "", errInvalid("Email should be a string")
	}
	pw, ok := c.Password.(string)
	if !ok {
		return "", "", errInvalid("Password should be a string")
	}
	if _, err := core.NormalizeEmail(email); err != nil {
		return "", "", errInvalid("Invalid email")
	}
	return email, pw, nil
}

func (h *handler) register(w http.ResponseWriter, r *http.Request) error {
	sh, email, pw, err := h.emailpass(w, r)
	if err != nil {
		return err
	}
	tok, err := h.svc.RegisterIdentity(r.Context(), sh, email, pw, clientMeta(r), h.claims)
	if err != nil {
		if core.CodeOf(err) == core.CodeEmailTaken {
			return &apiError{Status: http.StatusUnauthorized, Type: "unauthorized", Message: "Identity with email already exists"}
		}
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"token": tok})
}

func (h *handler) login(w http.ResponseWriter, r *http.Request) error {
	sh, email, pw, err := h.emailpass(w, r)
	if err != nil {
		return err
	}
	res, regTok, err := h.svc.DialectLogin(r.Context(), sh, email, pw, clientMeta(r), h.claims)
	if err != nil {
		if errorsIsUnauth(err) {
			return &apiError{Status: http.StatusUnauthorized, Type: "unauthorized", Message: "Invalid email or password"}
		}
		return err
	}
	if regTok != "" {
		return writeJSON(w, http.StatusOK, map[string]string{"token": regTok})
	}
	tok, err := h.svc.DialectToken(r.Context(), sh, res.Tokens.SessionID, h.claims)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"token": tok})
}

func (h *handler) refresh(w http.ResponseWriter, r *http.Request) error {
	sh, err := h.shop(r)
	if err != nil {
		return err
	}
	if err := decode(w, r, &struct{}{}, false); err != nil {
		return err
	}
	tok := httpx.BearerToken(r)
	if tok == "" {
		// Clientele also accepts the session cookie here.
		p, err := h.principal(r, sh)
		if err != nil {
			return err
		}
		t, err := h.svc.DialectToken(r.Context(), sh, p.SessionID, h.claims)
		if err != nil {
			return errUnauthorized()
		}
		return writeJSON(w, http.StatusOK, map[string]string{"token": t})
	}
	t, err := h.svc.DialectRefresh(r.Context(), sh, tok, clientMeta(r), h.claims)
	if err != nil {
		if errorsIsUnauth(err) {
			return errUnauthorized()
		}
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"token": t})
}

func (h *handler) setCookie(w http.ResponseWriter, r *http.Request, value string, maxAge time.Duration) {
	c := &http.Cookie{Name: cookieName, Value: value, Path: h.prefix, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil}
	if maxAge <= 0 {
		c.MaxAge = -1 // Max-Age=0
	} else {
		c.MaxAge = int(maxAge / time.Second)
	}
	http.SetCookie(w, c)
}

func (h *handler) sessionCreate(w http.ResponseWriter, r *http.Request) error {
	sh, err := h.shop(r)
	if err != nil {
		return err
	}
	if err := decode(w, r, &struct{}{}, false); err != nil {
		return err
	}
	p, err := h.svc.AuthenticateDialect(r.Context(), sh, httpx.BearerToken(r))
	if err != nil {
		return errUnauthorized()
	}
	v, age, err := h.svc.StartCookieSession(r.Context(), sh, p)
	if err != nil {
		return errUnauthorized()
	}
	h.setCookie(w, r, v, age)
	return writeJSON(w, http.StatusOK, map[string]any{"user": map[string]any{
		"actor_id": p.CustomerID, "actor_type": "customer", "auth_identity_id": authID(p.CustomerID),
		"app_metadata": map[string]any{"customer_id": p.CustomerID}, "user_metadata": map[string]any{},
	}})
}

func (h *handler) sessionDelete(w http.ResponseWriter, r *http.Request) error {
	sh, err := h.shop(r)
	if err != nil {
		return err
	}
	if err := decode(w, r, &struct{}{}, false); err != nil {
		return err
	}
	p, err := h.principal(r, sh)
	if err != nil {
		return err
	}
	if err := h.svc.Logout(r.Context(), p, false); err != nil {
		return err
	}
	h.setCookie(w, r, "", 0)
	return writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}

func (h *handler) resetRequest(w http.ResponseWriter, r *http.Request) error {
	sh, err := h.shop(r)
	if err != nil {
		return err
	}
	if err := checkProvider(r); err != nil {
		return err
	}
	var in struct {
		Identifier any `json:"identifier"`
	}
	if err := decode(w, r, &in, false); err != nil {
		return err
	}
	id, ok := in.Identifier.(string)
	if !ok || id == "" {
		return errInvalid("Invalid request: Field 'identifier' is required")
	}
	if err := h.svc.RequestPasswordReset(r.Context(), sh, id, "", clientMeta(r)); err != nil {
		// Only limits and outages are told; a bad or unknown address gets
		// the same answer as a known one.
		if errorsIsAny(err, core.ErrRateLimited, core.ErrOverloaded, core.ErrUnavailable) {
			return err
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write([]byte("Created"))
	return nil
}

func (h *handler) resetUpdate(w http.ResponseWriter, r *http.Request) error {
	sh, err := h.shop(r)
	if err != nil {
		return err
	}
	if err := checkProvider(r); err != nil {
		return err
	}
	var in struct {
		Password any `json:"password"`
	}
	if err := decode(w, r, &in, false); err != nil {
		return err
	}
	invalid := &apiError{Status: http.StatusUnauthorized, Type: "unauthorized", Message: "Invalid token"}
	tok := httpx.BearerToken(r)
	if tok == "" {
		return invalid
	}
	pw, ok := in.Password.(string)
	if !ok {
		return errInvalid("Password should be a string")
	}
	res, err := h.svc.CompletePasswordReset(r.Context(), sh, tok, pw, clientMeta(r))
	if err != nil {
		if core.CodeOf(err) == core.CodeResetTokenInvalid || core.CodeOf(err) == "token" {
			return invalid
		}
		var ve *core.ValidationError
		if asValidation(err, &ve) && len(ve.Fields) > 0 && ve.Fields[0].Field == "token" {
			return invalid
		}
		return err
	}
	// Medusa opens no session on a reset: end the one core started.
	p := &core.Principal{ShopID: sh.ID, CustomerID: res.Customer.ID, SessionID: res.Tokens.SessionID, Scope: core.ScopeCustomer}
	if err := h.svc.Logout(r.Context(), p, false); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}

func (h *handler) providers(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.shop(r); err != nil {
		return err
	}
	if err := checkProvider(r); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"providers": []map[string]string{{
		"id": "emailpass", "identifier": "emailpass", "display_name": "Email/Password Authentication", "flow": "credentials",
	}}})
}

type customerBody struct {
	Email       nstr  `json:"email"`
	FirstName   nstr  `json:"first_name"`
	LastName    nstr  `json:"last_name"`
	Phone       nstr  `json:"phone"`
	CompanyName nstr  `json:"company_name"`
	Metadata    nmeta `json:"metadata"`
}

func (h *handler) customerCreate(w http.ResponseWriter, r *http.Request) error {
	sh, err := h.shop(r)
	if err != nil {
		return err
	}
	tok := httpx.BearerToken(r)
	if tok == "" {
		return errUnauthorized()
	}
	if !h.svc.IsRegistrationToken(sh, tok) {
		if _, err := h.svc.AuthenticateDialect(r.Context(), sh, tok); err == nil {
			return errInvalid("Request already authenticated as a customer.")
		}
		return errUnauthorized()
	}
	var in customerBody
	if err := decode(w, r, &in, true); err != nil {
		return err
	}
	pu := core.ProfileUpdate{FirstName: in.FirstName.ptr(), LastName: in.LastName.ptr(), Phone: in.Phone.ptr(), CompanyName: in.CompanyName.ptr()}
	if in.Metadata.set && !in.Metadata.null {
		m := dropNulls(in.Metadata.v)
		pu.Metadata = &m
	}
	c, err := h.svc.CompleteIdentity(r.Context(), sh, tok, in.Email.v, pu)
	if err != nil {
		switch core.CodeOf(err) {
		case core.CodeAlreadyRegistered:
			return errInvalid("Request already authenticated as a customer.")
		}
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"customer": toCustomer(c, nil)})
}

// customer renders the caller with the whole address book.
func (h *handler) customer(ctx context.Context, p *core.Principal) (storeCustomer, error) {
	c, err := h.svc.Customer(ctx, p)
	if err != nil {
		return storeCustomer{}, err
	}
	addrs, err := h.allAddresses(ctx, p)
	if err != nil {
		return storeCustomer{}, err
	}
	return toCustomer(c, addrs), nil
}

func (h *handler) allAddresses(ctx context.Context, p *core.Principal) ([]core.SavedAddress, error) {
	var out []core.SavedAddress
	pg := core.Page{Limit: core.MaxPageLimit}
	for i := 0; i < 100; i++ {
		page, err := h.svc.Addresses(ctx, p, pg)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			break
		}
		pg.Cursor = page.Next
	}
	return out, nil
}

func (h *handler) me(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	c, err := h.customer(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"customer": c})
}

type updateBody struct {
	FirstName   nstr  `json:"first_name"`
	LastName    nstr  `json:"last_name"`
	Phone       nstr  `json:"phone"`
	CompanyName nstr  `json:"company_name"`
	Metadata    nmeta `json:"metadata"`
}

func (h *handler) meUpdate(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	var in updateBody
	if err := decode(w, r, &in, true); err != nil {
		return err
	}
	pu := core.ProfileUpdate{FirstName: in.FirstName.ptr(), LastName: in.LastName.ptr(), Phone: in.Phone.ptr(), CompanyName: in.CompanyName.ptr()}
	if in.Metadata.set {
		cur, err := h.svc.Customer(r.Context(), p)
		if err != nil {
			return err
		}
		m := mergeMeta(cur.Metadata, in.Metadata)
		pu.Metadata = &m
	}
	if _, err := h.svc.UpdateProfile(r.Context(), p, pu); err != nil {
		return err
	}
	c, err := h.customer(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"customer": c})
}

// mergeMeta applies Medusa's metadata merge: keys set to null are removed,
// metadata:null clears everything.
func mergeMeta(cur map[string]any, in nmeta) map[string]any {
	out := map[string]any{}
	if in.null {
		return out
	}
	for k, v := range cur {
		out[k] = v
	}
	for k, v := range in.v {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func dropNulls(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if v != nil {
			out[k] = v
		}
	}
	return out
}

type addressBody struct {
	AddressName       nstr  `json:"address_name"`
	Company           nstr  `json:"company"`
	FirstName         nstr  `json:"first_name"`
	LastName          nstr  `json:"last_name"`
	Address1          nstr  `json:"address_1"`
	Address2          nstr  `json:"address_2"`
	City              nstr  `json:"city"`
	CountryCode       nstr  `json:"country_code"`
	Province          nstr  `json:"province"`
	PostalCode        nstr  `json:"postal_code"`
	Phone             nstr  `json:"phone"`
	Metadata          nmeta `json:"metadata"`
	IsDefaultShipping nbool `json:"is_default_shipping"`
	IsDefaultBilling  nbool `json:"is_default_billing"`
}

func (b addressBody) patch() core.AddressPatch {
	p := core.AddressPatch{
		Label: b.AddressName.ptr(), Company: b.Company.ptr(), FirstName: b.FirstName.ptr(), LastName: b.LastName.ptr(),
		Address1: b.Address1.ptr(), Address2: b.Address2.ptr(), City: b.City.ptr(), RegionName: b.Province.ptr(),
		PostalCode: b.PostalCode.ptr(), Phone: b.Phone.ptr(), CountryCode: b.CountryCode.ptr(),
		IsDefaultBilling: b.IsDefaultBilling.ptr(), IsDefaultShipping: b.IsDefaultShipping.ptr(),
	}
	if b.Metadata.set {
		m := map[string]any{}
		if !b.Metadata.null {
			m = dropNulls(b.Metadata.v)
		}
		p.Metadata = &m
	}
	return p
}

func (h *handler) addressCreate(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	var in addressBody
	if err := decode(w, r, &in, true); err != nil {
		return err
	}
	a := core.AddressInput{
		Label: in.AddressName.v, Company: in.Company.v, FirstName: in.FirstName.v, LastName: in.LastName.v,
		Address1: in.Address1.v, Address2: in.Address2.v, City: in.City.v, RegionName: in.Province.v,
		PostalCode: in.PostalCode.v, Phone: in.Phone.v, CountryCode: in.CountryCode.v,
		IsDefaultBilling: in.IsDefaultBilling.ptr(), IsDefaultShipping: in.IsDefaultShipping.ptr(),
	}
	if in.Metadata.set && !in.Metadata.null {
		a.Metadata = dropNulls(in.Metadata.v)
	}
	if _, err := h.svc.CreateAddress(r.Context(), p, a); err != nil {
		return err
	}
	c, err := h.customer(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"customer": c})
}

func addrNotFound(id string) error {
	return errNotFound("Address with id: " + id + " was not found")
}

func (h *handler) addressGet(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	a, err := h.svc.Address(r.Context(), p, coreAddrID(id))
	if err != nil {
		if errorsIsAny(err, core.ErrNotFound) {
			return addrNotFound(id)
		}
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"address": toAddress(*a)})
}

func (h *handler) addressUpdate(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	var in addressBody
	if err := decode(w, r, &in, true); err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := h.svc.UpdateAddress(r.Context(), p, coreAddrID(id), in.patch()); err != nil {
		if errorsIsAny(err, core.ErrNotFound) {
			return addrNotFound(id)
		}
		return err
	}
	c, err := h.customer(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"customer": c})
}

func (h *handler) addressDelete(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	if err := decode(w, r, &struct{}{}, false); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := h.svc.DeleteAddress(r.Context(), p, coreAddrID(id)); err != nil {
		if errorsIsAny(err, core.ErrNotFound) {
			return addrNotFound(id)
		}
		return err
	}
	c, err := h.customer(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"id": addrID(coreAddrID(id)), "object": "address", "deleted": true, "parent": c})
}

func (h *handler) addressList(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	limit, offset := 50, 0
	if v, err := strconv.Atoi(q.Get("limit")); err == nil && v >= 0 {
		limit = min(v, 100)
	}
	if v, err := strconv.Atoi(q.Get("offset")); err == nil && v >= 0 {
		offset = v
	}
	all, err := h.allAddresses(r.Context(), p)
	if err != nil {
		return err
	}
	if q.Get("order") == "-created_at" {
		for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
			all[i], all[j] = all[j], all[i]
		}
	}
	out := []storeAddress{}
	for i := offset; i < len(all) && len(out) < limit; i++ {
		out = append(out, toAddress(all[i]))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"addresses": out, "count": len(all), "offset": offset, "limit": limit})
}

// emailpass reads what both emailpass routes (register, login) start with:
// the store, the provider in the path, and the e-mail and password body.
func (h *handler) emailpass(w http.ResponseWriter, r *http.Request) (*core.Shop, string, string, error) {
	sh, err := h.shop(r)
	if err != nil {
		return nil, "", "", err
	}
	if err := checkProvider(r); err != nil {
		return nil, "", "", err
	}
	var in credentials
	if err := decode(w, r, &in, false); err != nil {
		return nil, "", "", err
	}
	email, pw, err := in.strings()
	if err != nil {
		return nil, "", "", err
	}
	return sh, email, pw, nil
}
