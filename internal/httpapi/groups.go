package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

func (a *API) listGroups(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := a.svc.Groups(r.Context(), adminShop(r).ID, pg)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(list, toGroup))
}

func (a *API) createGroup(w http.ResponseWriter, r *http.Request) error {
	var in groupRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	g, err := a.svc.CreateGroup(r.Context(), adminShop(r).ID, in.input())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, toGroup(*g))
}

func (a *API) getGroup(w http.ResponseWriter, r *http.Request) error {
	g, err := a.svc.Group(r.Context(), adminShop(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toGroup(*g))
}

func (a *API) patchGroup(w http.ResponseWriter, r *http.Request) error {
	var in groupPatchRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	g, err := a.svc.UpdateGroup(r.Context(), adminShop(r).ID, r.PathValue("id"), in.patch())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toGroup(*g))
}

func (a *API) deleteGroup(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.DeleteGroup(r.Context(), adminShop(r).ID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) getCustomerGroups(w http.ResponseWriter, r *http.Request) error {
	gs, err := a.svc.CustomerGroups(r.Context(), adminShop(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(core.PageOf[core.CustomerGroup]{Items: gs}, toGroup))
}

func (a *API) putCustomerGroups(w http.ResponseWriter, r *http.Request) error {
	var in customerGroupsRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	if in.GroupIDs == nil {
		return &core.ValidationError{Code: core.CodeValidationFailed, Fields: []core.FieldError{
			{Field: "group_ids", Code: core.FieldRequired, Message: "group_ids is required ([] removes every group)"},
		}}
	}
	gs, err := a.svc.SetCustomerGroups(r.Context(), adminShop(r).ID, r.PathValue("id"), *in.GroupIDs)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(core.PageOf[core.CustomerGroup]{Items: gs}, toGroup))
}
