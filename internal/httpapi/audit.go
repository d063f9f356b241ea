package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// audited names the admin key as the actor of everything core records
// during the request, and records each successful change the admin API
// makes (reads are not recorded: the log would drown in them).
func (a *API) audited(next httpx.HandlerFunc, key string) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		m := core.RequestMetaFrom(ctx)
		m.Actor = "api_key:" + a.svc.APIKeyID(key)
		r = r.WithContext(core.WithRequestMeta(ctx, m))
		err := next(w, r)
		if err == nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
			customerID := ""
			if strings.HasPrefix(r.Pattern, "/admin/v1/customers/{id}") || strings.Contains(r.Pattern, " /admin/v1/customers/{id}") {
				customerID = r.PathValue("id")
			}
			// The pattern, not the path: it names the action without ids or
			// anything else a caller typed.
			a.svc.Audit(r.Context(), adminShop(r).ID, core.AuditAdminAction, customerID, r.Pattern)
		}
		return err
	}
}

type auditJSON struct {
	ID          string  `json:"id"`
	Type        string  `json:"type"`
	CustomerID  *string `json:"customer_id"`
	Actor       string  `json:"actor"`
	EmailMasked *string `json:"email_masked"`
	IP          *string `json:"ip"`
	UserAgent   *string `json:"user_agent"`
	RequestID   *string `json:"request_id"`
	Detail      *string `json:"detail"`
	CreatedAt   string  `json:"created_at"`
}

func optional(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

func toAudit(e core.AuditEntry) auditJSON {
	return auditJSON{
		ID: e.ID, Type: e.Type, CustomerID: optional(e.CustomerID), Actor: e.Actor, EmailMasked: optional(e.EmailMasked),
		IP: optional(e.IP), UserAgent: optional(e.UserAgent), RequestID: optional(e.RequestID), Detail: optional(e.Detail),
		CreatedAt: stamp(e.CreatedAt),
	}
}

func (a *API) adminListAudit(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	aq := core.AuditQuery{Type: q.Get("type"), CustomerID: q.Get("customer_id")}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"since", &aq.Since}, {"until", &aq.Until}} {
		if v := q.Get(f.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return &httpx.Error{Status: http.StatusBadRequest, Code: core.CodeInvalidRequest, Field: f.name,
					Message: f.name + " must be an RFC 3339 time such as 2025-06-01T00:00:00Z"}
			}
			*f.dst = t
		}
	}
	page, err := a.svc.AuditLog(r.Context(), adminShop(r).ID, aq, p)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(page, toAudit))
}
