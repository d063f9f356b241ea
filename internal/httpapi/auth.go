package httpapi

import (
	"context"
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

type ctxKey int

const (
	shopKey ctxKey = iota
	principalKey
)

func shopOf(r *http.Request) *core.Shop {
	s, _ := r.Context().Value(shopKey).(*core.Shop)
	return s
}

func principalOf(r *http.Request) *core.Principal {
	p, _ := r.Context().Value(principalKey).(*core.Principal)
	return p
}

func meta(r *http.Request) core.ClientMeta {
	return core.ClientMeta{IP: httpx.ClientIP(r.Context()), UserAgent: r.UserAgent()}
}

// public requires a valid publishable key and puts its store in the context.
func (a *API) public(next httpx.HandlerFunc) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pk := r.Header.Get("X-Publishable-Key")
		if pk == "" {
			return &httpx.Error{Status: http.StatusUnauthorized, Code: core.CodeInvalidAPIKey, Message: "send the store's publishable key in X-Publishable-Key"}
		}
		sh, err := a.svc.ShopByKey(r.Context(), pk, core.KeyPublishable)
		if err != nil {
			return err
		}
		return next(w, r.WithContext(context.WithValue(r.Context(), shopKey, sh)))
	}
}

// customer requires a valid access token. A publishable key, when sent,
// must name the token's store; without one the token's audience names it.
func (a *API) customer(next httpx.HandlerFunc) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tok := httpx.BearerToken(r)
		if tok == "" {
			return core.Unauthenticated()
		}
		shopID := ""
		if pk := r.Header.Get("X-Publishable-Key"); pk != "" {
			sh, err := a.svc.ShopByKey(r.Context(), pk, core.KeyPublishable)
			if err != nil {
				return err
			}
			shopID = sh.ID
		}
		p, err := a.svc.Authenticate(r.Context(), shopID, tok)
		if err != nil {
			return err
		}
		sh, err := a.svc.Shop(r.Context(), p.ShopID)
		if err != nil {
			return notFoundAsUnauthenticated(err)
		}
		ctx := context.WithValue(r.Context(), shopKey, sh)
		ctx = context.WithValue(ctx, principalKey, p)
		return next(w, r.WithContext(ctx))
	}
}

func notFoundAsUnauthenticated(err error) error {
	if core.CodeOf(err) == core.CodeNotFound {
		return core.Unauthenticated()
	}
	return err
}

func (a *API) register(w http.ResponseWriter, r *http.Request) error {
	var in registerRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	res, err := a.svc.Register(r.Context(), shopOf(r), core.Registration{
		Email: in.Email, Password: in.Password, FirstName: in.FirstName, LastName: in.LastName,
		Phone: in.Phone, AcceptsEmailMarketing: in.AcceptsEmailMarketing, Metadata: in.Metadata,
		GuestToken: r.Header.Get(guestTokenHeader),
	}, meta(r))
	if err != nil {
		return err
	}
	return a.writeAuth(w, r, http.StatusCreated, res)
}

func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	var in loginRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	res, err := a.svc.LoginWithGuest(r.Context(), shopOf(r), in.Email, in.Password, r.Header.Get(guestTokenHeader), meta(r))
	if err != nil {
		return err
	}
	return a.writeAuth(w, r, http.StatusOK, res)
}

func (a *API) refresh(w http.ResponseWriter, r *http.Request) error {
	var in refreshRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	res, err := a.svc.Refresh(r.Context(), shopOf(r), in.RefreshToken, meta(r))
	if err != nil {
		return err
	}
	return a.writeAuth(w, r, http.StatusOK, res)
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	var in logoutRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	if err := a.svc.Logout(r.Context(), principalOf(r), in.All); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) emailExists(w http.ResponseWriter, r *http.Request) error {
	ok, err := a.svc.EmailExists(r.Context(), shopOf(r), r.URL.Query().Get("email"), meta(r))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]bool{"exists": ok})
}

// resetAccepted is the one answer to every accepted reset request, known
// e-mail or not: the same status and the same bytes.
var resetAccepted = map[string]string{
	"status":  "accepted",
	"message": "If an account exists for this e-mail, a reset link has been sent to it.",
}

func (a *API) requestReset(w http.ResponseWriter, r *http.Request) error {
	var in resetRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	if err := a.svc.RequestPasswordReset(r.Context(), shopOf(r), in.Email, in.RedirectURL, meta(r)); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusAccepted, resetAccepted)
}

func (a *API) completeReset(w http.ResponseWriter, r *http.Request) error {
	var in resetCompleteRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	res, err := a.svc.CompletePasswordReset(r.Context(), shopOf(r), in.Token, in.Password, meta(r))
	if err != nil {
		return err
	}
	return a.writeAuth(w, r, http.StatusOK, res)
}

// writeAuth renders a token-issuing answer with the full customer view
// (groups included), the same representation GET /v1/customer gives.
func (a *API) writeAuth(w http.ResponseWriter, r *http.Request, status int, res *core.AuthResult) error {
	out := toAuth(res)
	if res.Customer != nil {
		v, err := a.customerView(r.Context(), res.Customer)
		if err != nil {
			return err
		}
		out.Customer = &v
	}
	return httpx.WriteJSON(w, status, out)
}
