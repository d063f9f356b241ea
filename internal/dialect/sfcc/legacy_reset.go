package sfcc

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// trustedKey marks a request made with the store's secret key.
const trustedKey ctxKey = 100

// shopperOrKey is shopper, except that `Bearer sk_…` (the store's secret
// key, a back-office caller) is accepted too (contract §5.11).
func (a *API) shopperOrKey(next httpx.HandlerFunc) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tok := httpx.BearerToken(r)
		if !strings.HasPrefix(tok, "sk_") {
			return a.shopper(next)(w, r)
		}
		r, err := a.organization(r, errNotFound("No organization with this ID could be found."))
		if err != nil {
			return err
		}
		if !bindingOf(r).HasSite(r.URL.Query().Get("siteId")) {
			return errInvalidSite()
		}
		if !a.svc.SecretKeyOf(r.Context(), shopOf(r), tok) {
			return errUnauthorized()
		}
		return next(w, r.WithContext(context.WithValue(r.Context(), trustedKey, true)))
	}
}

func errResetToken() *problem {
	return prob(http.StatusBadRequest, "invalid-reset-token", "Invalid Reset Token", "The reset token is invalid, used or expired.")
}

// createResetToken is Shopper Customers' getResetPasswordToken. A shopper
// caller gets the link by mail and an empty token whether or not the login
// exists; the secret-key caller gets the real token and no mail.
func (a *API) createResetToken(w http.ResponseWriter, r *http.Request) error {
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	login, _, bad := body.str("login")
	if bad || login == "" {
		return errInvalidCustomer("login is required.")
	}
	sh := shopOf(r)
	if trusted, _ := r.Context().Value(trustedKey).(bool); trusted {
		tok, ttl, err := a.svc.IssuePasswordResetToken(r.Context(), sh, login)
		if errors.Is(err, core.ErrNotFound) {
			return errNotFound("No customer with this login could be found.")
		}
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"login": login, "email": login, "resetToken": tok, "expiresInMinutes": int(ttl.Minutes())})
	}
	if err := a.svc.RequestPasswordResetQuiet(r.Context(), sh, login, "", meta(r)); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"login": login, "email": "", "resetToken": "", "expiresInMinutes": int(a.svc.ResetTokenTTL(sh).Minutes())})
}

// resetWithToken is Shopper Customers' resetPassword: 204; every session
// ends and nobody is logged in.
func (a *API) resetWithToken(w http.ResponseWriter, r *http.Request) error {
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	tok, _, b1 := body.str("resetToken")
	login, _, b2 := body.str("login")
	pw, _, b3 := body.str("newPassword")
	if b1 || b2 || b3 || tok == "" || login == "" || pw == "" {
		return errInvalidCustomer("resetToken, login and newPassword are required.")
	}
	sh := shopOf(r)
	if !a.svc.PasswordResetFor(r.Context(), sh, tok, login) {
		return errResetToken()
	}
	res, err := a.svc.CompletePasswordReset(r.Context(), sh, tok, pw, meta(r))
	var ve *core.ValidationError
	switch {
	case core.CodeOf(err) == core.CodeResetTokenInvalid:
		return errResetToken()
	case errors.As(err, &ve):
		return errPolicy("The new password does not meet the requirements.")
	case err != nil:
		return err
	}
	if err := a.svc.LogoutRefreshToken(r.Context(), sh, res.Tokens.RefreshToken); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
