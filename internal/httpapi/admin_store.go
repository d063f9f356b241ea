package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/httpx"
)

func (a *API) adminGetStore(w http.ResponseWriter, r *http.Request) error {
	sh, err := a.svc.AdminShop(r.Context(), adminShop(r).ID)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, a.toStore(sh))
}

func (a *API) adminPatchStore(w http.ResponseWriter, r *http.Request) error {
	var in storePatch
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	sh, err := a.svc.UpdateShopSettings(r.Context(), adminShop(r).ID, in.update())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, a.toStore(sh))
}
