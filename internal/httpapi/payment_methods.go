package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/httpx"
)

func (a *API) listPaymentMethods(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.svc.PaymentMethods(r.Context(), principalOf(r), pg)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(list, toPaymentMethod))
}

func (a *API) createPaymentMethod(w http.ResponseWriter, r *http.Request) error {
	var in createPaymentMethodRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	m, err := a.svc.AddPaymentMethod(r.Context(), principalOf(r), in.input())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, toPaymentMethod(*m))
}

func (a *API) getPaymentMethod(w http.ResponseWriter, r *http.Request) error {
	m, err := a.svc.PaymentMethod(r.Context(), principalOf(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toPaymentMethod(*m))
}

func (a *API) patchPaymentMethod(w http.ResponseWriter, r *http.Request) error {
	var in patchPaymentMethodRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	m, err := a.svc.UpdatePaymentMethod(r.Context(), principalOf(r), r.PathValue("id"), in.update())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toPaymentMethod(*m))
}

func (a *API) deletePaymentMethod(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.DeletePaymentMethod(r.Context(), principalOf(r), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// attachPaymentMethod is the admin attach: the store's back end saves a
// method its payment provider reported for one of its customers.
func (a *API) attachPaymentMethod(w http.ResponseWriter, r *http.Request) error {
	var in createPaymentMethodRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	m, err := a.svc.AttachPaymentMethod(r.Context(), adminShop(r).ID, r.PathValue("id"), in.input())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, toPaymentMethod(*m))
}
