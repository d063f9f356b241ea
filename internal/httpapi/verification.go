package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

func (a *API) requestEmailVerification(w http.ResponseWriter, r *http.Request) error {
	var in emailVerificationRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	if err := a.svc.RequestEmailVerification(r.Context(), shopOf(r), principalOf(r), in.RedirectURL); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusAccepted, acceptedJSON{
		Status: "accepted", Message: "A verification link has been sent to the account's e-mail address.",
	})
}

func (a *API) confirmEmailVerification(w http.ResponseWriter, r *http.Request) error {
	var in emailTokenRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	res, err := a.svc.ConfirmEmailVerification(r.Context(), shopOf(r), in.Token, meta(r))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toEmailConfirmed(res))
}

func (a *API) requestEmailChange(w http.ResponseWriter, r *http.Request) error {
	var in emailChangeRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	err := a.svc.RequestEmailChange(r.Context(), shopOf(r), principalOf(r), core.EmailChange{
		NewEmail: in.NewEmail, Password: in.Password, RedirectURL: in.RedirectURL,
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusAccepted, acceptedJSON{
		Status:  "accepted",
		Message: "A confirmation link has been sent to the new address; the current address stays in force until it is opened.",
	})
}

func (a *API) confirmEmailChange(w http.ResponseWriter, r *http.Request) error {
	var in emailTokenRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	res, err := a.svc.ConfirmEmailChange(r.Context(), shopOf(r), in.Token, meta(r))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toEmailConfirmed(res))
}

// orderClaimAccepted is the one answer to every accepted claim request,
// whether any of the ids matched or not.
var orderClaimAccepted = acceptedJSON{
	Status:  "accepted",
	Message: "If any of these orders can be claimed, a confirmation link has been sent to the address each was placed with.",
}

func (a *API) requestOrderClaim(w http.ResponseWriter, r *http.Request) error {
	var in orderClaimRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	if err := a.svc.RequestOrderClaim(r.Context(), shopOf(r), principalOf(r), in.OrderIDs, in.RedirectURL); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusAccepted, orderClaimAccepted)
}

func (a *API) confirmOrderClaim(w http.ResponseWriter, r *http.Request) error {
	var in emailTokenRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	ids, err := a.svc.ConfirmOrderClaim(r.Context(), shopOf(r), principalOf(r), in.Token, meta(r))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, ordersClaimedJSON{OrdersClaimed: ids})
}
