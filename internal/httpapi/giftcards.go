package httpapi

import (
	"net/http"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// giftCardsMine lists the cards assigned to the customer.
func (a *API) giftCardsMine(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	cards, err := a.svc.MyGiftCards(r.Context(), principalOf(r), pg)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(cards, toGiftCard))
}

// giftCardMine answers one of the customer's cards with its ledger.
func (a *API) giftCardMine(w http.ResponseWriter, r *http.Request) error {
	v, entries, err := a.svc.MyGiftCard(r.Context(), principalOf(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, giftCardDetailJSON{giftCardJSON: toGiftCard(*v), Entries: toGiftCardEntries(entries, false)})
}

// giftCardRedeem assigns the card with the posted code to the customer.
func (a *API) giftCardRedeem(w http.ResponseWriter, r *http.Request) error {
	var in redeemGiftCardRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	v, err := a.svc.RedeemGiftCard(r.Context(), principalOf(r), in.Code, meta(r))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toGiftCard(*v))
}

// giftCardAdminIssue issues a card and shows its code, this once.
func (a *API) giftCardAdminIssue(w http.ResponseWriter, r *http.Request) error {
	var in issueGiftCardRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	var expires *time.Time
	if in.ExpiresAt != nil {
		t, err := time.Parse(time.RFC3339, *in.ExpiresAt)
		if err != nil {
			return &httpx.Error{Status: http.StatusBadRequest, Code: httpx.CodeMalformedJSON, Field: "expires_at", Message: "expires_at must be an RFC 3339 date-time"}
		}
		expires = &t
	}
	issued, err := a.svc.IssueGiftCard(r.Context(), adminShop(r).ID, core.GiftCardInput{
		Currency: in.Currency, Amount: in.Amount, ExpiresAt: expires, CustomerID: in.CustomerID,
		Code: in.Code, Metadata: in.Metadata, Author: adminActor(r),
	})
	if err != nil {
		return err
	}
	out := toAdminGiftCard(issued.GiftCardView)
	out.Code = issued.Code
	return httpx.WriteJSON(w, http.StatusCreated, out)
}

// giftCardAdminGet answers any card of the store with its ledger.
func (a *API) giftCardAdminGet(w http.ResponseWriter, r *http.Request) error {
	v, entries, err := a.svc.GiftCard(r.Context(), adminShop(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	out := toAdminGiftCard(*v)
	out.Entries = toGiftCardEntries(entries, true)
	return httpx.WriteJSON(w, http.StatusOK, out)
}

// giftCardAdminAdjust writes one movement to a card's ledger.
func (a *API) giftCardAdminAdjust(w http.ResponseWriter, r *http.Request) error {
	var in giftCardAdjustmentRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	e, err := a.svc.AdjustGiftCard(r.Context(), adminShop(r).ID, r.PathValue("id"), core.CreditInput{
		Amount: in.Amount, Kind: core.CreditKind(in.Kind), Reason: in.Reason, Reference: in.Reference, Author: adminActor(r),
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, toGiftCardEntry(*e, true))
}
