package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// creditMine answers the customer's balances and one page of their ledger.
func (a *API) creditMine(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	p := principalOf(r)
	bs, err := a.svc.MyCreditBalances(r.Context(), p)
	if err != nil {
		return err
	}
	page, err := a.svc.MyCreditHistory(r.Context(), p, pg)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toStoreCredits(bs, page, false))
}

// creditAdminGet answers a customer's balances and ledger page to the admin.
func (a *API) creditAdminGet(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	shopID, customerID := adminShop(r).ID, r.PathValue("id")
	bs, err := a.svc.CreditBalances(r.Context(), shopID, customerID)
	if err != nil {
		return err
	}
	page, err := a.svc.CreditHistory(r.Context(), shopID, customerID, pg)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toStoreCredits(bs, page, true))
}

// creditAdminAdd writes one movement (grant, use, refund, expire or
// adjustment) to a customer's ledger.
func (a *API) creditAdminAdd(w http.ResponseWriter, r *http.Request) error {
	var in creditRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	e, err := a.svc.AddCredit(r.Context(), adminShop(r).ID, r.PathValue("id"), core.CreditInput{
		Currency: in.Currency, Amount: in.Amount, Kind: core.CreditKind(in.Kind),
		Reason: in.Reason, Reference: in.Reference, Author: adminActor(r),
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, toCreditEntry(*e, true))
}
