package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/httpx"
)

// adminListEvents pages the store's outbox, oldest first, optionally of
// one type (?type=customer.created).
func (a *API) adminListEvents(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	page, err := a.svc.Events(r.Context(), adminShop(r).ID, r.URL.Query().Get("type"), p)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(page, toEvent))
}
