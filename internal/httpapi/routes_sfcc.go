package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// routesSFCC registers the admin API of the store's Salesforce Commerce
// Cloud binding (the /sfcc dialect's organization, sites and SLAS
// clients).
func (a *API) routesSFCC(h route) {
	h("GET /admin/v1/store/sfcc", a.admin(a.adminGetSFCC))
	h("PUT /admin/v1/store/sfcc", a.admin(a.adminPutSFCC))
	h("DELETE /admin/v1/store/sfcc", a.admin(a.adminDeleteSFCC))
}

type sfccClientWire struct {
	ClientID     string   `json:"client_id"`
	RedirectURIs []string `json:"redirect_uris"`
	CallbackURIs []string `json:"callback_uris"`
}

type sfccBindingWire struct {
	OrganizationID string           `json:"organization_id"`
	SiteIDs        []string         `json:"site_ids"`
	Clients        []sfccClientWire `json:"clients"`
	CreatedAt      string           `json:"created_at,omitempty"`
	UpdatedAt      string           `json:"updated_at,omitempty"`
}

func toSFCCBinding(b *core.SFCCBinding) sfccBindingWire {
	out := sfccBindingWire{
		OrganizationID: b.OrganizationID, SiteIDs: b.SiteIDs, Clients: []sfccClientWire{},
		CreatedAt: stamp(b.CreatedAt), UpdatedAt: stamp(b.UpdatedAt),
	}
	for _, c := range b.Clients {
		w := sfccClientWire{ClientID: c.ClientID, RedirectURIs: c.RedirectURIs, CallbackURIs: c.CallbackURIs}
		if w.RedirectURIs == nil {
			w.RedirectURIs = []string{}
		}
		if w.CallbackURIs == nil {
			w.CallbackURIs = []string{}
		}
		out.Clients = append(out.Clients, w)
	}
	return out
}

func (a *API) adminGetSFCC(w http.ResponseWriter, r *http.Request) error {
	b, err := a.svc.SFCCBindingOf(r.Context(), adminShop(r).ID)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toSFCCBinding(b))
}

func (a *API) adminPutSFCC(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		OrganizationID string           `json:"organization_id"`
		SiteIDs        []string         `json:"site_ids"`
		Clients        []sfccClientWire `json:"clients"`
	}
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	b := core.SFCCBinding{OrganizationID: in.OrganizationID, SiteIDs: in.SiteIDs}
	for _, c := range in.Clients {
		b.Clients = append(b.Clients, core.SFCCClient{ClientID: c.ClientID, RedirectURIs: c.RedirectURIs, CallbackURIs: c.CallbackURIs})
	}
	out, err := a.svc.SetSFCCBinding(r.Context(), adminShop(r).ID, b)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toSFCCBinding(out))
}

func (a *API) adminDeleteSFCC(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.DeleteSFCCBinding(r.Context(), adminShop(r).ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
