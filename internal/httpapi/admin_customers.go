package httpapi

import (
	"net/http"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

func (a *API) adminListCustomers(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := a.svc.AdminSearchCustomers(r.Context(), adminShop(r).ID, core.CustomerQuery{
		EmailPrefix: q.Get("email"), Name: q.Get("name"), Status: core.CustomerStatus(q.Get("status")), GroupID: q.Get("group_id"),
	}, p)
	if err != nil {
		return err
	}
	out := listJSON[customerJSON]{Data: make([]customerJSON, 0, len(page.Items))}
	for i := range page.Items {
		c, err := a.customerView(r.Context(), &page.Items[i])
		if err != nil {
			return err
		}
		out.Data = append(out.Data, c)
	}
	if page.Next != "" {
		out.NextCursor = &page.Next
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) adminGetCustomer(w http.ResponseWriter, r *http.Request) error {
	c, err := a.svc.AdminCustomer(r.Context(), adminShop(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return a.writeAdminCustomer(w, r, c)
}

func (a *API) adminPatchCustomer(w http.ResponseWriter, r *http.Request) error {
	var in adminCustomerPatch
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	c, err := a.svc.AdminUpdateCustomer(r.Context(), adminShop(r).ID, r.PathValue("id"), in.update())
	if err != nil {
		return err
	}
	return a.writeAdminCustomer(w, r, c)
}

// writeAdminCustomer answers with the customer in the native
// representation (customerView, with groups), so the back end and the
// storefront see one shape.
func (a *API) writeAdminCustomer(w http.ResponseWriter, r *http.Request, c *core.Customer) error {
	v, err := a.customerView(r.Context(), c)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, v)
}

func (a *API) adminRevokeSessions(w http.ResponseWriter, r *http.Request) error {
	var in struct{} // no fields: a body, if any, is {}
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	if _, err := a.svc.AdminRevokeSessions(r.Context(), adminShop(r).ID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) adminTriggerReset(w http.ResponseWriter, r *http.Request) error {
	var in adminResetRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	if err := a.svc.AdminTriggerReset(r.Context(), adminShop(r).ID, r.PathValue("id"), in.RedirectURL, meta(r)); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusAccepted, map[string]string{"status": "accepted"})
}

func (a *API) adminMintToken(w http.ResponseWriter, r *http.Request) error {
	var in trustedTokenRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	var ttl time.Duration
	if d := duration(in.TTLSeconds); d != nil {
		ttl = *d
		if ttl == 0 {
			ttl = -1 // an explicit 0 is out of range, not "the maximum"
		}
	}
	t, err := a.svc.MintTrustedToken(r.Context(), adminShop(r).ID, r.PathValue("id"), ttl, adminActor(r))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, trustedTokenJSON{
		AccessToken: t.AccessToken, TokenType: "Bearer", ExpiresIn: int(t.ExpiresIn.Seconds()), SessionID: t.SessionID,
	})
}
