package spree

import (
	"net/http"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

func errConfirmation() error {
	return validationDetails(map[string][]string{"password_confirmation": {"doesn't match Password"}}, []string{"password_confirmation"})
}

func (a *API) writeAuth(w http.ResponseWriter, r *http.Request, status int, res *core.AuthResult) error {
	if res.Customer == nil {
		return errAuthRequired()
	}
	p := &core.Principal{ShopID: res.Customer.ShopID, CustomerID: res.Customer.ID, SessionID: res.Tokens.SessionID}
	u, err := a.customerView(r.Context(), r, p, res.Customer)
	if err != nil {
		return err
	}
	return writeJSON(w, status, AuthTokens{Token: res.Tokens.AccessToken, RefreshToken: res.Tokens.RefreshToken, User: u})
}

func (a *API) register(w http.ResponseWriter, r *http.Request) error {
	var in registerRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.PasswordConfirmation != nil && *in.PasswordConfirmation != in.Password {
		return errConfirmation()
	}
	res, err := a.svc.Register(r.Context(), shopOf(r), core.Registration{
		Email: in.Email, Password: in.Password, FirstName: in.FirstName, LastName: in.LastName,
		Phone: in.Phone, AcceptsEmailMarketing: in.AcceptsEmailMarketing, Metadata: in.Metadata,
	}, meta(r))
	if err != nil {
		return withFields(err, customerFields)
	}
	return a.writeAuth(w, r, http.StatusCreated, res)
}

func errLoginFailed(msg string) error { return newErr(http.StatusUnauthorized, codeAuthFailed, msg) }

func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	var in loginRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Provider != "" && in.Provider != "email" {
		return newErr(http.StatusBadRequest, codeInvalidProvider, "Unsupported authentication provider: "+in.Provider)
	}
	if strings.TrimSpace(in.Email) == "" {
		return errLoginFailed("Email is required")
	}
	if in.Password == "" {
		return errLoginFailed("Password is required")
	}
	res, err := a.svc.Login(r.Context(), shopOf(r), in.Email, in.Password, meta(r))
	if err != nil {
		return remap(err, errLoginFailed("Invalid email or password"), core.ErrUnauthenticated, core.ErrInvalid, core.ErrNotFound, core.ErrForbidden)
	}
	return a.writeAuth(w, r, http.StatusOK, res)
}

func (a *API) refresh(w http.ResponseWriter, r *http.Request) error {
	var in refreshRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.RefreshToken == "" {
		return newErr(http.StatusUnauthorized, codeInvalidRefreshToken, "refresh_token is required")
	}
	res, err := a.svc.Refresh(r.Context(), shopOf(r), in.RefreshToken, meta(r))
	if err == nil && res.Customer == nil {
		err = core.Unauthenticated() // a guest session's token is not a customer's
	}
	if err != nil {
		return remap(err, newErr(http.StatusUnauthorized, codeInvalidRefreshToken, "Invalid or expired refresh token"),
			core.ErrUnauthenticated, core.ErrInvalid, core.ErrNotFound, core.ErrForbidden)
	}
	return a.writeAuth(w, r, http.StatusOK, res)
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	var in refreshRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.svc.LogoutRefreshToken(r.Context(), shopOf(r), in.RefreshToken); err != nil {
		return err
	}
	return noContent(w)
}

// resetAccepted is the one answer to every reset request.
var resetAccepted = map[string]string{
	"message": "If an account exists for that email, password reset instructions have been sent.",
}

func (a *API) requestReset(w http.ResponseWriter, r *http.Request) error {
	var in resetRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.svc.RequestPasswordResetQuiet(r.Context(), shopOf(r), in.Email, in.RedirectURL, meta(r)); err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, resetAccepted)
}

func (a *API) completeReset(w http.ResponseWriter, r *http.Request) error {
	var in resetCompleteRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.PasswordConfirmation != nil && *in.PasswordConfirmation != in.Password {
		return errConfirmation()
	}
	res, err := a.svc.CompletePasswordReset(r.Context(), shopOf(r), r.PathValue("token"), in.Password, meta(r))
	if err != nil {
		return withFields(err, customerFields)
	}
	return a.writeAuth(w, r, http.StatusOK, res)
}
