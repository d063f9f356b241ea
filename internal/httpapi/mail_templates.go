package httpapi

import (
	"errors"
	"net/http"
	"slices"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
	"github.com/clientele/clientele/internal/mailtmpl"
)

// mailTemplateJSON is one kind of mail: the store's own parts, or null
// where the built-in default applies.
type mailTemplateJSON struct {
	Kind       string  `json:"kind"`
	Customized bool    `json:"customized"`
	Subject    *string `json:"subject"`
	Text       *string `json:"text"`
	HTML       *string `json:"html"`
	UpdatedAt  *string `json:"updated_at"`
}

func toMailTemplate(kind string, t *core.MailTemplate) mailTemplateJSON {
	out := mailTemplateJSON{Kind: kind}
	if t != nil {
		updated := stamp(t.UpdatedAt)
		out.Customized, out.Subject, out.Text, out.HTML, out.UpdatedAt = true, optional(t.Subject), optional(t.Text), optional(t.HTML), &updated
	}
	return out
}

func (a *API) adminListMailTemplates(w http.ResponseWriter, r *http.Request) error {
	own, err := a.svc.MailTemplates(r.Context(), adminShop(r).ID)
	if err != nil {
		return err
	}
	out := make([]mailTemplateJSON, 0, len(core.MailKinds))
	for _, kind := range core.MailKinds {
		i := slices.IndexFunc(own, func(t core.MailTemplate) bool { return t.Kind == kind })
		if i >= 0 {
			out = append(out, toMailTemplate(kind, &own[i]))
		} else {
			out = append(out, toMailTemplate(kind, nil))
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"data": out})
}

func (a *API) adminGetMailTemplate(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	if !slices.Contains(core.MailKinds, kind) {
		return core.ErrNotFound
	}
	t, err := a.svc.MailTemplate(r.Context(), adminShop(r).ID, kind)
	if errors.Is(err, core.ErrNotFound) {
		return httpx.WriteJSON(w, http.StatusOK, toMailTemplate(kind, nil))
	}
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toMailTemplate(kind, t))
}

type mailTemplateIn struct {
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
}

func (a *API) adminPutMailTemplate(w http.ResponseWriter, r *http.Request) error {
	var in mailTemplateIn
	if err := httpx.DecodeJSON(w, r, &in, 256<<10); err != nil {
		return err
	}
	t, err := a.svc.PutMailTemplate(r.Context(), adminShop(r).ID,
		core.MailTemplate{Kind: r.PathValue("kind"), Subject: in.Subject, Text: in.Text, HTML: in.HTML}, mailtmpl.Check)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toMailTemplate(t.Kind, t))
}

func (a *API) adminDeleteMailTemplate(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.DeleteMailTemplate(r.Context(), adminShop(r).ID, r.PathValue("kind")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
