package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/httpx"
)

func (a *API) listAddresses(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.svc.Addresses(r.Context(), principalOf(r), pg)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(list, toAddress))
}

func (a *API) createAddress(w http.ResponseWriter, r *http.Request) error {
	var in addressRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	addr, err := a.svc.CreateAddress(r.Context(), principalOf(r), in.input())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, toAddress(*addr))
}

func (a *API) getAddress(w http.ResponseWriter, r *http.Request) error {
	addr, err := a.svc.Address(r.Context(), principalOf(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toAddress(*addr))
}

func (a *API) patchAddress(w http.ResponseWriter, r *http.Request) error {
	var in addressPatchRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	addr, err := a.svc.UpdateAddress(r.Context(), principalOf(r), r.PathValue("id"), in.patch())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toAddress(*addr))
}

func (a *API) deleteAddress(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.DeleteAddress(r.Context(), principalOf(r), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) adminListAddresses(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.svc.AdminAddresses(r.Context(), adminShop(r).ID, r.PathValue("id"), pg)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(list, toAddress))
}
