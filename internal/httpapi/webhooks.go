package httpapi

import (
	"net/http"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

type webhookJSON struct {
	ID             string   `json:"id"`
	URL            string   `json:"url"`
	Secret         *string  `json:"secret,omitempty"` // only in the creation response
	EventTypes     []string `json:"event_types"`
	Disabled       bool     `json:"disabled"`
	DisabledReason *string  `json:"disabled_reason"`
	FailingSince   *string  `json:"failing_since"`
	CreatedAt      string   `json:"created_at"`
	UpdatedAt      string   `json:"updated_at"`
}

func toWebhook(e core.WebhookEndpoint) webhookJSON {
	out := webhookJSON{ID: e.ID, URL: e.URL, EventTypes: e.EventTypes, Disabled: e.Disabled, CreatedAt: stamp(e.CreatedAt), UpdatedAt: stamp(e.UpdatedAt)}
	if out.EventTypes == nil {
		out.EventTypes = []string{}
	}
	if e.Secret != "" {
		out.Secret = &e.Secret
	}
	if e.DisabledReason != "" {
		out.DisabledReason = &e.DisabledReason
	}
	if e.FailingSince != nil {
		s := stamp(*e.FailingSince)
		out.FailingSince = &s
	}
	return out
}

type deliveryJSON struct {
	ID            string  `json:"id"`
	EventID       string  `json:"event_id"`
	Status        string  `json:"status"`
	Attempts      int     `json:"attempts"`
	NextAttemptAt *string `json:"next_attempt_at"`
	LastStatus    *int    `json:"last_status"`
	LastError     *string `json:"last_error"`
	CreatedAt     string  `json:"created_at"`
	UpdatedAt     string  `json:"updated_at"`
}

func toDelivery(d core.WebhookDelivery) deliveryJSON {
	out := deliveryJSON{ID: d.ID, EventID: d.EventID, Status: d.Status, Attempts: d.Attempts, CreatedAt: stamp(d.CreatedAt), UpdatedAt: stamp(d.UpdatedAt)}
	if d.Status == core.DeliveryPending {
		s := stamp(d.NextAttemptAt)
		out.NextAttemptAt = &s
	}
	if d.LastStatus != 0 {
		out.LastStatus = &d.LastStatus
	}
	if d.LastError != "" {
		out.LastError = &d.LastError
	}
	return out
}

type webhookIn struct {
	URL        *string   `json:"url"`
	EventTypes *[]string `json:"event_types"`
	Disabled   *bool     `json:"disabled"`
}

func (in webhookIn) input() core.WebhookEndpointInput {
	return core.WebhookEndpointInput{URL: in.URL, EventTypes: in.EventTypes, Disabled: in.Disabled}
}

func (a *API) adminCreateWebhook(w http.ResponseWriter, r *http.Request) error {
	var in webhookIn
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	e, err := a.svc.CreateWebhookEndpoint(r.Context(), adminShop(r).ID, in.input())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, toWebhook(*e))
}

func (a *API) adminListWebhooks(w http.ResponseWriter, r *http.Request) error {
	es, err := a.svc.WebhookEndpoints(r.Context(), adminShop(r).ID)
	if err != nil {
		return err
	}
	out := make([]webhookJSON, len(es))
	for i, e := range es {
		out[i] = toWebhook(e)
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"data": out})
}

func (a *API) adminGetWebhook(w http.ResponseWriter, r *http.Request) error {
	e, err := a.svc.WebhookEndpoint(r.Context(), adminShop(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toWebhook(*e))
}

func (a *API) adminPatchWebhook(w http.ResponseWriter, r *http.Request) error {
	var in webhookIn
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	e, err := a.svc.UpdateWebhookEndpoint(r.Context(), adminShop(r).ID, r.PathValue("id"), in.input())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toWebhook(*e))
}

func (a *API) adminDeleteWebhook(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.DeleteWebhookEndpoint(r.Context(), adminShop(r).ID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) adminListWebhookDeliveries(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	page, err := a.svc.WebhookDeliveries(r.Context(), adminShop(r).ID, r.PathValue("id"), p)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(page, toDelivery))
}

type replayIn struct {
	EventID string     `json:"event_id"`
	Since   *time.Time `json:"since"`
	Until   *time.Time `json:"until"`
}

func (a *API) adminReplayWebhooks(w http.ResponseWriter, r *http.Request) error {
	var in replayIn
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	var since, until time.Time
	if in.Since != nil {
		since = *in.Since
	}
	if in.Until != nil {
		until = *in.Until
	}
	n, err := a.svc.ReplayWebhooks(r.Context(), adminShop(r).ID, r.PathValue("id"), in.EventID, since, until)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusAccepted, map[string]int{"queued": n})
}
