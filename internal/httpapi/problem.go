package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// Problem is an RFC 9457 problem document with Clientele's extensions:
// a stable code and per-field errors.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail"`
	Code      string         `json:"code"`
	Errors    []ProblemField `json:"errors,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
}

// ProblemField is one invalid field.
type ProblemField struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// statusOfCode pins codes whose status differs from their kind's.
var statusOfCode = map[string]int{
	core.CodeRedirectNotAllowed: http.StatusBadRequest,
	core.CodeResetTokenInvalid:  http.StatusBadRequest,
}

// toProblem maps any error to a problem. Unknown errors are 500s that show
// nothing but the request id.
func toProblem(ctx context.Context, err error) Problem {
	var he *httpx.Error
	if errors.As(err, &he) {
		p := Problem{Status: he.Status, Code: he.Code, Detail: he.Message}
		if he.Field != "" {
			p.Errors = []ProblemField{{Field: he.Field, Code: he.Code, Message: he.Message}}
		}
		return p
	}
	code := core.CodeOf(err)
	p := Problem{Code: code}
	var ce *core.Error
	var ve *core.ValidationError
	switch {
	case errors.As(err, &ve):
		p.Status = http.StatusUnprocessableEntity
		p.Detail = "the request has invalid fields"
		for _, f := range ve.Fields {
			p.Errors = append(p.Errors, ProblemField(f))
		}
		if len(ve.Fields) == 1 {
			p.Detail = ve.Fields[0].Message
		}
	case errors.As(err, &ce):
		p.Detail = ce.Message
	}
	if p.Status == 0 {
		p.Status = statusOfKind(err)
	}
	if s, ok := statusOfCode[code]; ok {
		p.Status = s
	}
	if p.Detail == "" {
		p.Detail = defaultDetail(p.Status)
	}
	if p.Status >= 500 {
		p.RequestID = httpx.RequestID(ctx)
	}
	return p
}

func statusOfKind(err error) int {
	switch {
	case errors.Is(err, core.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, core.ErrUnauthenticated):
		return http.StatusUnauthorized
	case errors.Is(err, core.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, core.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, core.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, core.ErrRateLimited):
		return http.StatusTooManyRequests
	case errors.Is(err, core.ErrOverloaded), errors.Is(err, core.ErrUnavailable):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func defaultDetail(status int) string {
	switch status {
	case http.StatusInternalServerError:
		return "an internal error occurred; quote the request id when reporting it"
	case http.StatusServiceUnavailable:
		return "the service is busy or a dependency is down; retry shortly"
	case http.StatusTooManyRequests:
		return "too many attempts; retry later"
	case http.StatusNotFound:
		return "not found"
	}
	return http.StatusText(status)
}

// Render writes err as problem+json. It is the /v1 surface's renderer.
func (a *API) Render(w http.ResponseWriter, r *http.Request, err error) {
	p := toProblem(r.Context(), err)
	if p.Status >= 500 {
		lvl := slog.LevelError
		if p.Status == http.StatusServiceUnavailable {
			lvl = slog.LevelWarn
		}
		a.log.Log(r.Context(), lvl, "request failed", "request_id", p.RequestID, "status", p.Status, "err", err)
	}
	p.Type = "https://clientele.dev/problems/" + p.Code
	p.Title = http.StatusText(p.Status)
	h := w.Header()
	if d := core.RetryAfter(err); d > 0 {
		h.Set("Retry-After", strconv.Itoa(int(d.Seconds())))
	} else if p.Status == http.StatusServiceUnavailable {
		h.Set("Retry-After", "1")
	}
	if p.Status == http.StatusUnauthorized && httpx.BearerToken(r) != "" {
		h.Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	b, _ := json.Marshal(p)
	_, _ = w.Write(b)
}
