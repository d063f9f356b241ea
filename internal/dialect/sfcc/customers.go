package sfcc

import (
	"errors"
	"net/http"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// metaPrefix marks the customer and address fields kept in core metadata
// (contract §5.2).
const metaPrefix = "sfcc:"

// profileExtras are the Customer fields without a core column.
var profileExtras = []struct {
	name string
	max  int
}{
	{"secondName", 256}, {"salutation", 256}, {"title", 256}, {"suffix", 256}, {"jobTitle", 256},
	{"phoneBusiness", 32}, {"phoneMobile", 32}, {"fax", 32}, {"preferredLocale", 256}, {"note", 4000},
}

// customerDoc renders a Customer (contract §5.2).
func (a *API) customerDoc(r *http.Request, c *core.Customer, addresses, instruments bool) (map[string]any, error) {
	d := map[string]any{
		"customerId": wireID(c.ID), "customerNo": wireID(c.ID), "authType": "registered",
		"login": c.Email, "email": c.Email, "emailVerified": c.EmailVerifiedAt != nil,
		"enabled": c.Status == core.StatusActive, "hasPassword": c.PasswordHash != "",
		"creationDate": ts(c.CreatedAt), "lastModified": ts(c.UpdatedAt),
	}
	set := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	set("firstName", c.FirstName)
	set("lastName", c.LastName)
	set("companyName", c.CompanyName)
	set("phoneHome", c.Phone)
	set("birthday", c.DateOfBirth)
	switch c.Gender {
	case "male":
		d["gender"] = 1
	case "female":
		d["gender"] = 2
	}
	for _, x := range profileExtras {
		if v, ok := c.Metadata[metaPrefix+x.name].(string); ok {
			set(x.name, v)
		}
	}
	p := principalOf(r)
	if addresses {
		list, err := a.addresses(r, p)
		if err != nil {
			return nil, err
		}
		docs := make([]map[string]any, 0, len(list))
		for i := range list {
			docs = append(docs, addressDoc(&list[i]))
		}
		d["addresses"] = docs
	}
	if instruments {
		list, err := a.instruments(r, p)
		if err != nil {
			return nil, err
		}
		d["paymentInstruments"] = list
	}
	return d, nil
}

// register creates a customer from a guest session (contract §5.3). No
// session is created: the storefront logs in next with the guest's usid.
func (a *API) register(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	if registered(p) {
		return errInvalidCustomer("Registration requires a guest shopper token.")
	}
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	cust, ok := body.obj("customer")
	if !ok {
		return errInvalidCustomer("customer is required.")
	}
	password, _, bad := body.str("password")
	if bad || password == "" {
		return errInvalidCustomer("password is required.")
	}
	login, _, bad1 := cust.str("login")
	email, _, bad2 := cust.str("email")
	if bad1 || bad2 {
		return errInvalidCustomer("login and email must be strings.")
	}
	switch {
	case login == "" && email == "":
		return errInvalidCustomer("login or email is required.")
	case login == "":
		login = email
	case email == "":
		email = login
	}
	nl, err1 := core.NormalizeEmail(login)
	ne, err2 := core.NormalizeEmail(email)
	if err1 != nil || err2 != nil {
		return errInvalidCustomer("The login must be an e-mail address.")
	}
	if nl != ne {
		return errInvalidCustomer("login and email must be the same address.")
	}
	u, md, perr := profilePatch(cust, nil)
	if perr != nil {
		return perr
	}
	if u.LastName == nil || trimmed(*u.LastName) == "" {
		return errInvalidCustomer("customer.lastName is required.")
	}
	in := core.Registration{Email: email, Password: password, LastName: *u.LastName}
	if u.FirstName != nil {
		in.FirstName = *u.FirstName
	}
	if u.Phone != nil {
		in.Phone = *u.Phone
	}
	if len(md) > 0 {
		in.Metadata = md
	}
	sh := shopOf(r)
	res, err := a.svc.Register(r.Context(), sh, in, meta(r))
	if err != nil {
		return registrationError(err)
	}
	// Core signs the new customer in; SCAPI's registration does not, so
	// that session ends at once.
	if err := a.svc.LogoutRefreshToken(r.Context(), sh, res.Tokens.RefreshToken); err != nil {
		return err
	}
	c := res.Customer
	if u.DateOfBirth != nil || u.Gender != nil || u.CompanyName != nil {
		// Registration takes only the common fields; the rest follow as a
		// profile update of the new customer.
		cp := &core.Principal{ShopID: sh.ID, CustomerID: c.ID, Scope: core.ScopeCustomer}
		if c, err = a.svc.UpdateProfile(r.Context(), cp, core.ProfileUpdate{DateOfBirth: u.DateOfBirth, Gender: u.Gender, CompanyName: u.CompanyName}); err != nil {
			return profileError(err)
		}
	}
	d, err := a.customerDoc(r, c, false, false)
	if err != nil {
		return err
	}
	d["addresses"], d["paymentInstruments"] = []any{}, []any{}
	return writeJSON(w, http.StatusOK, d)
}

func registrationError(err error) error {
	var ve *core.ValidationError
	switch {
	case core.CodeOf(err) == core.CodeEmailTaken:
		return prob(http.StatusBadRequest, "login-already-in-use", "Login Already In Use", "The login is already in use.")
	case errors.As(err, &ve):
		for _, f := range ve.Fields {
			if f.Field == "password" {
				return errPolicy(f.Message)
			}
		}
		return profileError(err)
	}
	return err
}

// profileError maps a core validation failure of profile data.
func profileError(err error) error {
	var ve *core.ValidationError
	if errors.As(err, &ve) {
		msg := "The customer data is invalid."
		if len(ve.Fields) > 0 {
			msg = ve.Fields[0].Message
		}
		return errInvalidCustomer(msg)
	}
	return err
}

// profilePatch reads the writable Customer fields of body (contract §5.5)
// into a core update; extras go into a copy of current metadata.
func profilePatch(body object, current map[string]any) (core.ProfileUpdate, map[string]any, error) {
	var u core.ProfileUpdate
	str := func(key string, max int) (*string, error) {
		v, ok, bad := body.str(key)
		if !ok {
			return nil, nil
		}
		if bad || tooLong(v, max) {
			return nil, errInvalidCustomer(key + " must be a string of at most " + itoa(max) + " characters.")
		}
		return &v, nil
	}
	var err error
	if u.FirstName, err = str("firstName", 256); err != nil {
		return u, nil, err
	}
	if u.LastName, err = str("lastName", 256); err != nil {
		return u, nil, err
	}
	if u.CompanyName, err = str("companyName", 256); err != nil {
		return u, nil, err
	}
	if u.Phone, err = str("phoneHome", 32); err != nil {
		return u, nil, err
	}
	if u.DateOfBirth, err = str("birthday", 10); err != nil {
		return u, nil, err
	}
	if u.DateOfBirth != nil && *u.DateOfBirth != "" {
		if _, perr := time.Parse(time.DateOnly, *u.DateOfBirth); perr != nil {
			return u, nil, errInvalidCustomer("birthday must be a date as YYYY-MM-DD.")
		}
	}
	if body.has("gender") {
		g, ok, bad := body.number("gender")
		var s string
		switch {
		case bad:
			return u, nil, errInvalidCustomer("gender must be 1, 2 or 0.")
		case !ok || g == 0:
		case g == 1:
			s = "male"
		case g == 2:
			s = "female"
		default:
			return u, nil, errInvalidCustomer("gender must be 1, 2 or 0.")
		}
		u.Gender = &s
	}
	md := map[string]any{}
	for k, v := range current {
		md[k] = v
	}
	changed := false
	for _, x := range profileExtras {
		v, err := str(x.name, x.max)
		if err != nil {
			return u, nil, err
		}
		if v == nil {
			continue
		}
		changed = true
		if trimmed(*v) == "" {
			delete(md, metaPrefix+x.name)
		} else {
			md[metaPrefix+x.name] = trimmed(*v)
		}
	}
	if !changed {
		return u, nil, nil
	}
	return u, md, nil
}

// getCustomer is getCustomer (contract §5.4).
func (a *API) getCustomer(w http.ResponseWriter, r *http.Request) error {
	c, err := a.svc.Customer(r.Context(), principalOf(r))
	if err != nil {
		return err
	}
	addr, inst, err := expand(r)
	if err != nil {
		return err
	}
	d, err := a.customerDoc(r, c, addr, inst)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// expand reads the expand query: default addresses + paymentinstruments.
func expand(r *http.Request) (addresses, instruments bool, err error) {
	v := r.URL.Query().Get("expand")
	if v == "" {
		return true, true, nil
	}
	for _, part := range splitComma(v) {
		switch part {
		case "none":
		case "addresses":
			addresses = true
		case "paymentinstruments":
			instruments = true
		case "paymentmethodreferences":
		default:
			return false, false, errParam("expand accepts none, addresses, paymentinstruments and paymentmethodreferences.")
		}
	}
	return addresses, instruments, nil
}

// updateCustomer is updateCustomer (contract §5.5).
func (a *API) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	p := principalOf(r)
	c, err := a.svc.Customer(r.Context(), p)
	if err != nil {
		return err
	}
	for _, k := range []string{"login", "email"} {
		v, ok, bad := body.str(k)
		if !ok {
			continue
		}
		n, nerr := core.NormalizeEmail(v)
		if bad || nerr != nil || n != c.EmailNormalized {
			return errInvalidCustomer("Changing the login is not supported here; use the e-mail change flow.")
		}
	}
	u, md, err := profilePatch(body, c.Metadata)
	if err != nil {
		return err
	}
	if u.LastName != nil && trimmed(*u.LastName) == "" {
		return errInvalidCustomer("lastName cannot be cleared.")
	}
	if md != nil {
		u.Metadata = &md
	}
	if c, err = a.svc.UpdateProfile(r.Context(), p, u); err != nil {
		return profileError(err)
	}
	d, err := a.customerDoc(r, c, true, true)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// updatePassword is updateCustomerPassword (contract §5.6): 204, other
// sessions revoked, the caller's kept.
func (a *API) updatePassword(w http.ResponseWriter, r *http.Request) error {
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	cur, _, bad1 := body.str("currentPassword")
	next, _, bad2 := body.str("password")
	if bad1 || bad2 || cur == "" || next == "" || len(cur) > 4096 || len(next) > 4096 {
		return errInvalidCustomer("currentPassword and password are required.")
	}
	err = a.svc.ChangePassword(r.Context(), shopOf(r), principalOf(r), cur, next)
	var ve *core.ValidationError
	switch {
	case core.CodeOf(err) == core.CodeCurrentPassword:
		return prob(http.StatusBadRequest, "invalid-password", "Invalid Password", "The current password is not correct.")
	case errors.As(err, &ve):
		msg := "The new password does not meet the requirements."
		if len(ve.Fields) > 0 {
			msg = ve.Fields[0].Message
		}
		return errPolicy(msg)
	case err != nil:
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
