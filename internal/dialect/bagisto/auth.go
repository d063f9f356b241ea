package bagisto

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// customer requires a customer of the resolved store: a Bearer token
// (with or without ?token=true, whose value is never read as a
// credential), else the session cookie. A cookie-authenticated request
// that changes state must come from one of the store's origins (419
// otherwise, contract §3.3).
func (a *API) customer(next httpx.HandlerFunc) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		sh := shopOf(r)
		tok, cookie := httpx.BearerToken(r), false
		if tok == "" {
			if c, err := r.Cookie(cookieName); err == nil && c.Value != "" {
				tok, cookie = c.Value, true
			}
		}
		if tok == "" || len(tok) > 4096 {
			return errUnauthenticated()
		}
		p, err := a.svc.Authenticate(r.Context(), sh.ID, tok)
		if err != nil || p.CustomerID == "" {
			return errUnauthenticated()
		}
		if cookie && changesState(r) && !fromStoreOrigin(r, sh) {
			return errCSRF()
		}
		ctx := context.WithValue(r.Context(), principalKey, p)
		ctx = context.WithValue(ctx, cookieAuthKey, cookie)
		return next(w, r.WithContext(ctx))
	}
}

// viaCookie reports whether the request was authenticated by the cookie.
func viaCookie(r *http.Request) bool {
	c, _ := r.Context().Value(cookieAuthKey).(bool)
	return c
}

// changesState: every unsafe method, and the legacy wishlist toggle,
// which changes state on GET.
func changesState(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return strings.HasPrefix(r.URL.Path, "/api/wishlist/add/")
	}
	return true
}

// fromStoreOrigin checks Origin, or without it the Referer's origin,
// against the store's allowed origins.
func fromStoreOrigin(r *http.Request, sh *core.Shop) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		u, err := url.Parse(r.Header.Get("Referer"))
		if err != nil || u.Scheme == "" || u.Host == "" {
			return false
		}
		o = u.Scheme + "://" + u.Host
	}
	for _, ok := range sh.AllowedOrigins {
		if ok == o {
			return true
		}
	}
	return false
}

// setCookie starts (maxAge > 0) or clears the session cookie.
func setCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	c := &http.Cookie{Name: cookieName, Value: value, Path: Prefix, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil}
	if maxAge > 0 {
		c.MaxAge = maxAge
	} else {
		c.MaxAge = -1 // Max-Age=0 on the wire
	}
	http.SetCookie(w, c)
}

// minPassword is the store's minimum password length, for the message.
func (a *API) minPassword(sh *core.Shop) int {
	n := a.svc.EffectiveSettings(sh).MinPasswordLength
	return min(max(n, core.MinPasswordLengthFloor), core.MinPasswordLengthCeiling)
}

// newPassword checks a password about to be set: present (when req),
// confirmed by confField, and the store's policy. It returns the password
// when it passed.
func (a *API) newPassword(l *laravel, in input, sh *core.Shop, field, confField, email string, req bool) (string, bool) {
	pw := in.secret(field)
	if pw == "" {
		if req {
			l.required(field)
		}
		return "", false
	}
	if in.secret(confField) != pw {
		l.notConfirmed(field)
		return "", false
	}
	if err := a.svc.CheckPasswordPolicy(sh, field, pw, email); err != nil {
		l.policy(err, field, a.minPassword(sh))
		return "", false
	}
	return pw, true
}

func (a *API) register(w http.ResponseWriter, r *http.Request) error {
	in, l, err := fields(r)
	if err != nil {
		return err
	}
	sh, v1 := shopOf(r), l.v1
	first, _ := l.text(in, "first_name", true, 255)
	last, _ := l.text(in, "last_name", true, 255)
	email, _ := l.email(in, "email", true)
	pw, _ := a.newPassword(l, in, sh, "password", "password_confirmation", email, true)
	if err := l.err(); err != nil {
		return err
	}
	_, err = a.svc.RegisterWithoutSession(r.Context(), sh, core.Registration{Email: email, Password: pw, FirstName: first, LastName: last}, meta(r))
	if core.CodeOf(err) == core.CodeEmailTaken {
		return invalid("email", "The email has already been taken.")
	}
	if err != nil {
		return l.coreFields(err, nil)
	}
	msg := "Your account has been created successfully."
	if v1 {
		msg = "Your Account has been created successfully."
	}
	return ok(w, obj{{"message", msg}})
}

// fields returns the request's fields and a validator worded for its
// family.
func fields(r *http.Request) (input, *laravel, error) {
	in, err := body(r)
	if err != nil {
		return nil, nil, err
	}
	return in, &laravel{v1: isV1(r)}, nil
}

const loggedIn = "Logged in successfully."

func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	in, l, err := fields(r)
	if err != nil {
		return err
	}
	sh, v1 := shopOf(r), l.v1
	email, _ := l.email(in, "email", true)
	pw := in.secret("password")
	if pw == "" {
		l.required("password")
	}
	tokenMode := r.URL.Query().Has("token") || in.has("token")
	if v1 {
		_, set := l.text(in, "device_name", false, 255)
		_, fromOrigin := allowedOrigin(r, sh)
		tokenMode = set
		if !tokenMode && !fromOrigin && !l.errs.has("device_name") {
			l.required("device_name")
		}
	}
	if err := l.err(); err != nil {
		return err
	}
	res, err := a.svc.LoginSingleToken(r.Context(), sh, email, pw, a.ttl, meta(r))
	if err != nil {
		if core.CodeOf(err) == core.CodeRateLimited || !isCredentialsError(err) {
			return err
		}
		switch {
		case v1 && tokenMode:
			return invalid("email", "The provided credentials are incorrect.")
		case v1:
			return &apiError{status: http.StatusUnauthorized, v1: obj{{"message", "Invalid Email or Password"}}}
		}
		return &apiError{status: http.StatusUnauthorized, legacy: obj{{"error", "Invalid Email or Password"}, {"message", "Invalid Email or Password"}}}
	}
	data, err := a.customerView(r.Context(), sh, res.Customer, v1)
	if err != nil {
		return err
	}
	if !tokenMode {
		setCookie(w, r, res.Tokens.AccessToken, int(res.Tokens.ExpiresIn.Seconds()))
	}
	switch {
	case v1 && tokenMode:
		return ok(w, obj{{"data", data}, {"message", loggedIn}, {"token", res.Tokens.AccessToken}})
	case v1:
		return ok(w, obj{{"data", data}, {"message", loggedIn}})
	case tokenMode:
		return ok(w, obj{{"token", res.Tokens.AccessToken}, {"message", loggedIn}, {"data", data}})
	}
	return ok(w, obj{{"token", true}, {"message", loggedIn}, {"data", data}})
}

// isCredentialsError: wrong e-mail or password, a disabled or
// passwordless account, a malformed e-mail — one answer for all.
func isCredentialsError(err error) bool {
	switch core.CodeOf(err) {
	case core.CodeInvalidCredentials, core.CodeAccountDisabled, core.CodeUnauthenticated, core.CodeValidationFailed:
		return true
	}
	return false
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.Logout(r.Context(), principalOf(r), false); err != nil {
		return err
	}
	if viaCookie(r) {
		setCookie(w, r, "", 0)
	}
	return ok(w, obj{{"message", "Logged out successfully."}})
}

func (a *API) forgotPassword(w http.ResponseWriter, r *http.Request) error {
	in, l, err := fields(r)
	if err != nil {
		return err
	}
	sh, v1 := shopOf(r), l.v1
	email, _ := l.email(in, "email", true)
	if err := l.err(); err != nil {
		return err
	}
	if err := a.svc.RequestPasswordResetQuiet(r.Context(), sh, email, "", meta(r)); err != nil {
		return err
	}
	if v1 {
		return ok(w, obj{{"message", "We have emailed your password reset link."}})
	}
	return ok(w, obj{{"message", "We have e-mailed your password reset link!"}})
}

const badResetToken = "This password reset token is invalid."

func (a *API) resetPassword(w http.ResponseWriter, r *http.Request) error {
	in, l, err := fields(r)
	if err != nil {
		return err
	}
	sh, v1 := shopOf(r), l.v1
	token, _ := l.text(in, "token", true, 200)
	email, emailSet := l.email(in, "email", false)
	pw, _ := a.newPassword(l, in, sh, "password", "password_confirmation", email, true)
	if err := l.err(); err != nil {
		return err
	}
	if emailSet && !a.svc.PasswordResetFor(r.Context(), sh, token, email) {
		return invalid("token", badResetToken)
	}
	err = a.svc.CompletePasswordResetWithoutSession(r.Context(), sh, token, pw, meta(r))
	switch {
	case core.CodeOf(err) == core.CodeResetTokenInvalid:
		return invalid("token", badResetToken)
	case err != nil:
		l2 := &laravel{v1: v1}
		l2.policy(err, "password", a.minPassword(sh))
		if e := l2.err(); e != nil {
			return e
		}
		return err
	}
	if v1 {
		return ok(w, obj{{"message", "Your password has been reset."}})
	}
	return ok(w, obj{{"message", "Your password has been reset!"}})
}

// atoi parses a query number; ok is false for anything but digits.
func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
