package httpapi

import (
	"context"
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// guestTokenHeader carries a guest access token to sign-up and login, so
// the new customer session keeps the guest's id.
const guestTokenHeader = "X-Guest-Token"

// guestSessionJSON is a new guest session.
type guestSessionJSON struct {
	GuestID      string `json:"guest_id"`
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	SessionID    string `json:"session_id"`
}

// guestSessionRequest is the (empty) body of POST /v1/guest-sessions: it
// may be absent or {}, and any field is an unknown field.
type guestSessionRequest struct{}

func (a *API) startGuestSession(w http.ResponseWriter, r *http.Request) error {
	var in guestSessionRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	res, err := a.svc.StartGuestSession(r.Context(), shopOf(r), meta(r))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, guestSessionJSON{
		GuestID: res.GuestID, AccessToken: res.Tokens.AccessToken, TokenType: "Bearer",
		ExpiresIn: int(res.Tokens.ExpiresIn.Seconds()), RefreshToken: res.Tokens.RefreshToken, SessionID: res.Tokens.SessionID,
	})
}

// session is customer for the routes a guest may call too (logout): it
// accepts a customer's or a guest's access token. The principal's
// CustomerID is empty for a guest, so a handler behind it must not read
// customer data.
func (a *API) session(next httpx.HandlerFunc) httpx.HandlerFunc {
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
		p, err := a.svc.AuthenticateSession(r.Context(), shopID, tok)
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
