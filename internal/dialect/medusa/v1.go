package medusa

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// NewV1 returns the Medusa v1 dialect (as @medusajs/medusa-js speaks it),
// mounted at /medusa-v1.
func NewV1(svc *core.Service, log *slog.Logger) http.Handler {
	h := &handler{svc: svc, prefix: "/medusa-v1", claims: v1Claims}
	rt := httpx.NewRouter(renderer(log))
	p := h.prefix
	rt.Handle("POST "+p+"/store/auth", h.v1Login)
	rt.Handle("GET "+p+"/store/auth", h.v1Session)
	rt.Handle("DELETE "+p+"/store/auth", h.v1Logout)
	rt.Handle("GET "+p+"/store/auth/{email}", h.v1Exists)
	rt.Handle("POST "+p+"/store/auth/token", h.v1Token)
	rt.Handle("POST "+p+"/store/customers", h.v1Register)
	rt.Handle("GET "+p+"/store/customers/me", h.v1Me)
	rt.Handle("POST "+p+"/store/customers/me", h.v1Update)
	rt.Handle("POST "+p+"/store/customers/me/addresses", h.v1AddressCreate)
	rt.Handle("POST "+p+"/store/customers/me/addresses/{id}", h.v1AddressUpdate)
	rt.Handle("DELETE "+p+"/store/customers/me/addresses/{id}", h.v1AddressDelete)
	rt.Handle("GET "+p+"/store/customers/me/orders", h.v1Orders)
	rt.Handle("POST "+p+"/store/customers/password-token", h.v1ResetRequest)
	rt.Handle("POST "+p+"/store/customers/password-reset", h.v1Reset)
	h.router = rt
	return h
}

type v1Address struct {
	ID          string         `json:"id"`
	CustomerID  string         `json:"customer_id"`
	Company     *string        `json:"company"`
	FirstName   *string        `json:"first_name"`
	LastName    *string        `json:"last_name"`
	Address1    *string        `json:"address_1"`
	Address2    *string        `json:"address_2"`
	City        *string        `json:"city"`
	CountryCode *string        `json:"country_code"`
	Province    *string        `json:"province"`
	PostalCode  *string        `json:"postal_code"`
	Phone       *string        `json:"phone"`
	Metadata    map[string]any `json:"metadata"`
	CreatedAt   string         `json:"created_at"`
	UpdatedAt   string         `json:"updated_at"`
	DeletedAt   *string        `json:"deleted_at"`
}

func toV1Address(a core.SavedAddress) v1Address {
	prov := a.RegionName
	if prov == "" {
		prov = a.RegionCode
	}
	return v1Address{
		ID: a.ID, CustomerID: a.CustomerID, Company: opt(a.Company), FirstName: opt(a.FirstName), LastName: opt(a.LastName),
		Address1: opt(a.Address1), Address2: opt(a.Address2), City: opt(a.City),
		CountryCode: opt(strings.ToLower(a.CountryCode)), Province: opt(prov), PostalCode: opt(a.PostalCode),
		Phone: opt(a.Phone), Metadata: meta(a.Metadata), CreatedAt: ts(a.CreatedAt), UpdatedAt: ts(a.UpdatedAt),
	}
}

// v1Customer renders the caller; withOrders adds the orders relation that
// /store/auth answers carry.
func (h *handler) v1Customer(ctx context.Context, p *core.Principal, withOrders bool) (map[string]any, error) {
	c, err := h.svc.Customer(ctx, p)
	if err != nil {
		return nil, err
	}
	addrs, err := h.allAddresses(ctx, p)
	if err != nil {
		return nil, err
	}
	book := []v1Address{}
	var billing *v1Address
	for _, a := range addrs {
		v := toV1Address(a)
		book = append(book, v)
		if a.ID == c.DefaultBillingAddressID {
			billing = &v
		}
	}
	out := map[string]any{
		"id": c.ID, "email": c.Email, "first_name": opt(c.FirstName), "last_name": opt(c.LastName),
		"billing_address_id": opt(c.DefaultBillingAddressID), "billing_address": billing, "shipping_addresses": book,
		"phone": opt(c.Phone), "has_account": c.PasswordHash != "", "metadata": meta(c.Metadata),
		"created_at": ts(c.CreatedAt), "updated_at": ts(c.UpdatedAt), "deleted_at": nil,
	}
	if withOrders {
		out["orders"] = []any{}
	}
	return out, nil
}

func (h *handler) v1CustomerReply(w http.ResponseWriter, r *http.Request, p *core.Principal, withOrders bool) error {
	c, err := h.v1Customer(r.Context(), p, withOrders)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"customer": c})
}

// v1Credentials validates a v1 login body.
func v1Credentials(w http.ResponseWriter, r *http.Request) (string, string, error) {
	var in credentials
	if err := decodeAs(w, r, &in, false, true); err != nil {
		return "", "", err
	}
	email, ok := in.Email.(string)
	if !ok {
		return "", "", errInvalid("email must be an email")
	}
	if _, err := core.NormalizeEmail(email); err != nil {
		return "", "", errInvalid("email must be an email")
	}
	pw, ok := in.Password.(string)
	if !ok || pw == "" {
		return "", "", errInvalid("password should not be empty")
	}
	return email, pw, nil
}

// v1LoginCore logs in and returns the new session's principal.
func (h *handler) v1LoginCore(w http.ResponseWriter, r *http.Request) (*core.Shop, *core.Principal, error) {
	sh, err := h.shop(r)
	if err != nil {
		return nil, nil, err
	}
	email, pw, err := v1Credentials(w, r)
	if err != nil {
		return nil, nil, err
	}
	res, err := h.svc.Login(r.Context(), sh, email, pw, clientMeta(r))
	if err != nil {
		return nil, nil, err
	}
	return sh, &core.Principal{ShopID: sh.ID, CustomerID: res.Customer.ID, SessionID: res.Tokens.SessionID, Scope: core.ScopeCustomer}, nil
}

func (h *handler) v1StartCookie(w http.ResponseWriter, r *http.Request, sh *core.Shop, p *core.Principal) error {
	v, age, err := h.svc.StartCookieSession(r.Context(), sh, p)
	if err != nil {
		return err
	}
	h.setCookie(w, r, v, age)
	return nil
}

func (h *handler) v1Login(w http.ResponseWriter, r *http.Request) error {
	sh, p, err := h.v1LoginCore(w, r)
	if err != nil {
		return err
	}
	if err := h.v1StartCookie(w, r, sh, p); err != nil {
		return err
	}
	return h.v1CustomerReply(w, r, p, true)
}

func (h *handler) v1Token(w http.ResponseWriter, r *http.Request) error {
	sh, p, err := h.v1LoginCore(w, r)
	if err != nil {
		return err
	}
	tok, err := h.svc.DialectToken(r.Context(), sh, p.SessionID, h.claims)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"access_token": tok})
}

func (h *handler) v1Session(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	return h.v1CustomerReply(w, r, p, true)
}

func (h *handler) v1Logout(w http.ResponseWriter, r *http.Request) error {
	sh, err := h.shop(r)
	if err != nil {
		return err
	}
	if err := decodeAs(w, r, &map[string]any{}, false, true); err != nil {
		return err
	}
	if c, err := r.Cookie(cookieName); err == nil && c.Value != "" && !crossSite(r, sh) {
		if p, err := h.svc.AuthenticateCookie(r.Context(), sh, c.Value); err == nil {
			if err := h.svc.Logout(r.Context(), p, false); err != nil {
				return err
			}
		}
	}
	if tok := httpx.BearerToken(r); tok != "" {
		if p, err := h.svc.AuthenticateDialect(r.Context(), sh, tok); err == nil {
			if err := h.svc.Logout(r.Context(), p, false); err != nil {
				return err
			}
		}
	}
	h.setCookie(w, r, "", 0)
	return writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}

func (h *handler) v1Exists(w http.ResponseWriter, r *http.Request) error {
	sh, err := h.shop(r)
	if err != nil {
		return err
	}
	ok, err := h.svc.EmailExists(r.Context(), sh, r.PathValue("email"), clientMeta(r))
	if err != nil && errorsIsAny(err, core.ErrRateLimited, core.ErrOverloaded, core.ErrUnavailable) {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]bool{"exists": err == nil && ok})
}

type v1RegisterBody struct {
	FirstName any    `json:"first_name"`
	LastName  any    `json:"last_name"`
	Email     any    `json:"email"`
	Password  any    `json:"password"`
	Phone     string `json:"phone"`
}

func (h *handler) v1Register(w http.ResponseWriter, r *http.Request) error {
	sh, err := h.shop(r)
	if err != nil {
		return err
	}
	var in v1RegisterBody
	if err := decodeAs(w, r, &in, true, true); err != nil {
		return err
	}
	str := func(v any, field string) (string, error) {
		s, ok := v.(string)
		if !ok {
			return "", errInvalid(field + " must be a string")
		}
		return s, nil
	}
	first, err := str(in.FirstName, "first_name")
	if err != nil {
		return err
	}
	last, err := str(in.LastName, "last_name")
	if err != nil {
		return err
	}
	email, ok := in.Email.(string)
	if !ok {
		return errInvalid("email must be an email")
	}
	pw, err := str(in.Password, "password")
	if err != nil {
		return err
	}
	res, err := h.svc.Register(r.Context(), sh, core.Registration{Email: email, Password: pw, FirstName: first, LastName: last, Phone: in.Phone}, clientMeta(r))
	if err != nil {
		if core.CodeOf(err) == core.CodeEmailTaken {
			return &apiError{Status: http.StatusUnprocessableEntity, Type: "duplicate_error", Code: "invalid_request_error", Message: "A customer with the given email already has an account. Log in instead"}
		}
		return err
	}
	p := &core.Principal{ShopID: sh.ID, CustomerID: res.Customer.ID, SessionID: res.Tokens.SessionID, Scope: core.ScopeCustomer}
	if err := h.v1StartCookie(w, r, sh, p); err != nil {
		return err
	}
	return h.v1CustomerReply(w, r, p, false)
}

func (h *handler) v1Me(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	return h.v1CustomerReply(w, r, p, false)
}

type v1AddressBody struct {
	Company     nstr  `json:"company"`
	FirstName   nstr  `json:"first_name"`
	LastName    nstr  `json:"last_name"`
	Address1    nstr  `json:"address_1"`
	Address2    nstr  `json:"address_2"`
	City        nstr  `json:"city"`
	CountryCode nstr  `json:"country_code"`
	Province    nstr  `json:"province"`
	PostalCode  nstr  `json:"postal_code"`
	Phone       nstr  `json:"phone"`
	Metadata    nmeta `json:"metadata"`
}

func (b v1AddressBody) input() core.AddressInput {
	a := core.AddressInput{
		Company: b.Company.v, FirstName: b.FirstName.v, LastName: b.LastName.v, Address1: b.Address1.v,
		Address2: b.Address2.v, City: b.City.v, CountryCode: b.CountryCode.v, RegionName: b.Province.v,
		PostalCode: b.PostalCode.v, Phone: b.Phone.v,
	}
	if b.Metadata.set && !b.Metadata.null {
		a.Metadata = dropNulls(b.Metadata.v)
	}
	return a
}

func (b v1AddressBody) patch() core.AddressPatch {
	p := core.AddressPatch{
		Company: b.Company.ptr(), FirstName: b.FirstName.ptr(), LastName: b.LastName.ptr(), Address1: b.Address1.ptr(),
		Address2: b.Address2.ptr(), City: b.City.ptr(), CountryCode: b.CountryCode.ptr(), RegionName: b.Province.ptr(),
		PostalCode: b.PostalCode.ptr(), Phone: b.Phone.ptr(),
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

// required checks the fields v1 requires on a new address.
func (b v1AddressBody) required() error {
	for _, f := range []struct {
		name string
		v    nstr
	}{{"first_name", b.FirstName}, {"last_name", b.LastName}, {"address_1", b.Address1}, {"city", b.City}, {"country_code", b.CountryCode}, {"postal_code", b.PostalCode}} {
		if !f.v.set || f.v.null {
			return errInvalid(f.name + " must be a string")
		}
	}
	return nil
}

type v1UpdateBody struct {
	FirstName      nstr           `json:"first_name"`
	LastName       nstr           `json:"last_name"`
	Phone          nstr           `json:"phone"`
	Metadata       nmeta          `json:"metadata"`
	BillingAddress v1BillingField `json:"billing_address"`
}

// v1BillingField is an address payload or an address id string.
type v1BillingField struct {
	set  bool
	id   string
	addr *v1AddressBody
}

// UnmarshalJSON accepts null, an id string or an address object.
func (f *v1BillingField) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	f.set = true
	if strings.HasPrefix(s, `"`) {
		return jsonUnmarshal(b, &f.id)
	}
	f.addr = &v1AddressBody{}
	return jsonUnmarshal(b, f.addr)
}

func (h *handler) v1Update(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	var in v1UpdateBody
	if err := decodeAs(w, r, &in, true, true); err != nil {
		return err
	}
	pu := core.ProfileUpdate{FirstName: in.FirstName.ptr(), LastName: in.LastName.ptr(), Phone: in.Phone.ptr()}
	if in.Metadata.set {
		cur, err := h.svc.Customer(r.Context(), p)
		if err != nil {
			return err
		}
		m := map[string]any{}
		if !in.Metadata.null {
			for k, v := range cur.Metadata {
				m[k] = v
			}
			for k, v := range in.Metadata.v {
				if v == "" || v == nil {
					delete(m, k) // Medusa v1: a key set to "" is removed
				} else {
					m[k] = v
				}
			}
		}
		pu.Metadata = &m
	}
	if _, err := h.svc.UpdateProfile(r.Context(), p, pu); err != nil {
		return err
	}
	if in.BillingAddress.set {
		yes := true
		if in.BillingAddress.addr == nil {
			id := in.BillingAddress.id
			if _, err := h.svc.UpdateAddress(r.Context(), p, id, core.AddressPatch{IsDefaultBilling: &yes}); err != nil {
				if errorsIsAny(err, core.ErrNotFound) {
					return errNotFound("Address with id " + id + " was not found")
				}
				return err
			}
		} else {
			cur, err := h.svc.Customer(r.Context(), p)
			if err != nil {
				return err
			}
			if cur.DefaultBillingAddressID != "" {
				if _, err := h.svc.UpdateAddress(r.Context(), p, cur.DefaultBillingAddressID, in.BillingAddress.addr.patch()); err != nil {
					return err
				}
			} else {
				a := in.BillingAddress.addr.input()
				a.IsDefaultBilling = &yes
				if _, err := h.svc.CreateAddress(r.Context(), p, a); err != nil {
					return err
				}
			}
		}
	}
	return h.v1CustomerReply(w, r, p, false)
}

func (h *handler) v1AddressCreate(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	var in struct {
		Address *v1AddressBody `json:"address"`
	}
	if err := decodeAs(w, r, &in, true, true); err != nil {
		return err
	}
	if in.Address == nil {
		return errInvalid("address must be an object")
	}
	if err := in.Address.required(); err != nil {
		return err
	}
	if _, err := h.svc.CreateAddress(r.Context(), p, in.Address.input()); err != nil {
		return err
	}
	return h.v1CustomerReply(w, r, p, false)
}

func (h *handler) v1AddressUpdate(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	var in v1AddressBody
	if err := decodeAs(w, r, &in, true, true); err != nil {
		return err
	}
	if _, err := h.svc.UpdateAddress(r.Context(), p, coreAddrID(r.PathValue("id")), in.patch()); err != nil {
		if errorsIsAny(err, core.ErrNotFound) {
			return errInvalid("Could not find address for customer")
		}
		return err
	}
	return h.v1CustomerReply(w, r, p, false)
}

func (h *handler) v1AddressDelete(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteAddress(r.Context(), p, coreAddrID(r.PathValue("id"))); err != nil && !errorsIsAny(err, core.ErrNotFound) {
		return err
	}
	return h.v1CustomerReply(w, r, p, false)
}

func (h *handler) v1ResetRequest(w http.ResponseWriter, r *http.Request) error {
	sh, err := h.shop(r)
	if err != nil {
		return err
	}
	var in struct {
		Email any `json:"email"`
	}
	if err := decodeAs(w, r, &in, true, true); err != nil {
		return err
	}
	email, ok := in.Email.(string)
	if !ok {
		return errInvalid("email must be an email")
	}
	if _, err := core.NormalizeEmail(email); err != nil {
		return errInvalid("email must be an email")
	}
	if err := h.svc.RequestPasswordReset(r.Context(), sh, email, "", clientMeta(r)); err != nil {
		if errorsIsAny(err, core.ErrRateLimited, core.ErrOverloaded, core.ErrUnavailable) {
			return err
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *handler) v1Reset(w http.ResponseWriter, r *http.Request) error {
	sh, err := h.shop(r)
	if err != nil {
		return err
	}
	var in struct {
		Email    any `json:"email"`
		Token    any `json:"token"`
		Password any `json:"password"`
	}
	if err := decodeAs(w, r, &in, true, true); err != nil {
		return err
	}
	email, _ := in.Email.(string)
	token, _ := in.Token.(string)
	pw, ok := in.Password.(string)
	if email == "" {
		return errInvalid("email must be an email")
	}
	if token == "" {
		return errInvalid("token must be a string")
	}
	if !ok {
		return errInvalid("password must be a string")
	}
	invalid := &apiError{Status: http.StatusUnauthorized, Type: "unauthorized", Message: "Invalid or expired password reset token"}
	if !h.svc.PasswordResetFor(r.Context(), sh, token, email) {
		return invalid
	}
	res, err := h.svc.CompletePasswordReset(r.Context(), sh, token, pw, clientMeta(r))
	if err != nil {
		if core.CodeOf(err) == core.CodeResetTokenInvalid {
			return invalid
		}
		return err
	}
	p := &core.Principal{ShopID: sh.ID, CustomerID: res.Customer.ID, SessionID: res.Tokens.SessionID, Scope: core.ScopeCustomer}
	out, err := h.v1Customer(r.Context(), p, false)
	if err != nil {
		return err
	}
	if err := h.svc.Logout(r.Context(), p, false); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"customer": out})
}

var (
	v1OrderStatuses       = []string{"pending", "completed", "archived", "canceled", "requires_action"}
	v1PaymentStatuses     = []string{"not_paid", "awaiting", "captured", "partially_refunded", "refunded", "canceled", "requires_action"}
	v1FulfillmentStatuses = []string{"not_fulfilled", "partially_fulfilled", "fulfilled", "partially_shipped", "shipped", "partially_returned", "returned", "canceled", "requires_action"}
)

func toV1Order(o *core.Order) map[string]any {
	display, _ := strconv.Atoi(strings.TrimLeft(o.Number, "#"))
	items := []map[string]any{}
	for _, li := range o.LineItems {
		items = append(items, map[string]any{
			"id": li.ID, "title": li.Name, "variant_id": opt(li.VariantID), "thumbnail": opt(li.ImageURL),
			"quantity": li.Quantity, "unit_price": li.UnitPrice, "total": li.Total,
		})
	}
	return map[string]any{
		"id": orderID(o.ID), "display_id": display,
		"status":             enum(o.State, v1OrderStatuses, "pending"),
		"payment_status":     enum(o.PaymentStatus, v1PaymentStatuses, "not_paid"),
		"fulfillment_status": enum(o.FulfillmentStatus, v1FulfillmentStatuses, "not_fulfilled"),
		"cart_id":            nil, "customer_id": opt(o.CustomerID), "email": o.Email, "region_id": nil,
		"currency_code": strings.ToLower(o.Currency), "tax_rate": nil, "items": items,
		"shipping_address": orderAddress(o.ShippingAddress),
		"total":            o.Total, "subtotal": o.Subtotal, "tax_total": o.TaxTotal, "shipping_total": o.ShippingTotal,
		"discount_total": o.DiscountTotal, "metadata": meta(o.Metadata),
		"created_at": ts(o.CreatedAt), "updated_at": ts(o.UpdatedAt),
	}
}

func (h *handler) v1Orders(w http.ResponseWriter, r *http.Request) error {
	_, p, err := h.auth(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	limit, offset := 10, 0
	if v, err := strconv.Atoi(q.Get("limit")); err == nil && v >= 0 {
		limit = min(v, 100)
	}
	if v, err := strconv.Atoi(q.Get("offset")); err == nil && v >= 0 {
		offset = v
	}
	all, err := h.allOrders(r.Context(), p)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for i := offset; i < len(all) && len(out) < limit; i++ {
		out = append(out, toV1Order(&all[i]))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"orders": out, "count": len(all), "offset": offset, "limit": limit})
}
