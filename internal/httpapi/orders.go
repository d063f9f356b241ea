package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/httpx"
)

// maxOrderBody is the body limit of an order upsert: up to 500 line items
// with their names and image URLs do not fit the default 64 KiB.
const maxOrderBody = 256 << 10

func (a *API) listOrders(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.svc.Orders(r.Context(), principalOf(r), pg)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(list, toOrder))
}

func (a *API) getOrder(w http.ResponseWriter, r *http.Request) error {
	o, err := a.svc.Order(r.Context(), principalOf(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toOrder(*o))
}

// upsertOrder answers 201 for a new order and 200 for a replaced one, so
// the back end can resend an order after a lost response without making
// a second one.
func (a *API) upsertOrder(w http.ResponseWriter, r *http.Request) error {
	var in upsertOrderRequest
	if err := httpx.DecodeJSON(w, r, &in, maxOrderBody); err != nil {
		return err
	}
	o, inserted, err := a.svc.UpsertOrder(r.Context(), adminShop(r).ID, r.PathValue("number"), in.input())
	if err != nil {
		return err
	}
	status := http.StatusOK
	if inserted {
		status = http.StatusCreated
	}
	return httpx.WriteJSON(w, status, toAdminOrder(*o))
}

func (a *API) adminGetOrder(w http.ResponseWriter, r *http.Request) error {
	o, err := a.svc.AdminOrder(r.Context(), adminShop(r).ID, r.PathValue("number"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toAdminOrder(*o))
}
