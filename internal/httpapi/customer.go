package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/httpx"
)

func (a *API) getCustomer(w http.ResponseWriter, r *http.Request) error {
	c, err := a.svc.Customer(r.Context(), principalOf(r))
	if err != nil {
		return notFoundAsUnauthenticated(err)
	}
	view, err := a.customerView(r.Context(), c)
	if err != nil {
		return notFoundAsUnauthenticated(err)
	}
	return httpx.WriteJSON(w, http.StatusOK, view)
}

func (a *API) patchCustomer(w http.ResponseWriter, r *http.Request) error {
	var in profileRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	c, err := a.svc.UpdateProfile(r.Context(), principalOf(r), in.update())
	if err != nil {
		return notFoundAsUnauthenticated(err)
	}
	view, err := a.customerView(r.Context(), c)
	if err != nil {
		return notFoundAsUnauthenticated(err)
	}
	return httpx.WriteJSON(w, http.StatusOK, view)
}

func (a *API) deleteCustomer(w http.ResponseWriter, r *http.Request) error {
	var in deleteCustomerRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	if err := a.svc.DeleteAccount(r.Context(), shopOf(r), principalOf(r), in.Password); err != nil {
		return notFoundAsUnauthenticated(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) changePassword(w http.ResponseWriter, r *http.Request) error {
	var in changePasswordRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	if err := a.svc.ChangePassword(r.Context(), shopOf(r), principalOf(r), in.CurrentPassword, in.NewPassword); err != nil {
		return notFoundAsUnauthenticated(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) listSessions(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	list, err := a.svc.Sessions(r.Context(), p)
	if err != nil {
		return err
	}
	out := listJSON[sessionJSON]{Data: make([]sessionJSON, 0, len(list))}
	for _, s := range list {
		out.Data = append(out.Data, sessionJSON{
			ID: s.ID, Current: s.ID == p.SessionID, CreatedAt: stamp(s.CreatedAt), LastUsedAt: stamp(s.LastUsedAt),
			ExpiresAt: stamp(s.ExpiresAt), UserAgent: nullable(s.UserAgent), IP: nullable(s.IP),
		})
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) revokeSession(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.RevokeSession(r.Context(), principalOf(r), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
