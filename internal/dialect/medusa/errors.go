package medusa

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// apiError is a failure in Medusa's shape: {type, message, code?}.
type apiError struct {
	Status  int    `json:"-"`
	Type    string `json:"type"`
	Message string `json:"message"`
	Code    string `json:"code,omitempty"`
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

func errUnauthorized() *apiError {
	return &apiError{Status: http.StatusUnauthorized, Type: "unauthorized", Message: "Unauthorized"}
}

func errInvalid(msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Type: "invalid_data", Message: msg}
}

func errNotFound(msg string) *apiError {
	return &apiError{Status: http.StatusNotFound, Type: "not_found", Message: msg}
}

// renderer returns the surface's Renderer: every failure under the prefix
// is written as Medusa's error body with Medusa's status mapping.
func renderer(log *slog.Logger) httpx.Renderer {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		e := translate(err)
		if e.Status == http.StatusInternalServerError && log != nil {
			log.Error("medusa dialect: internal error", "err", err, "path", r.URL.Path)
		}
		if d := core.RetryAfter(err); d > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int((d+999_999_999)/1_000_000_000)))
		}
		b, _ := json.Marshal(e)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(e.Status)
		_, _ = w.Write(b)
	}
}

// translate maps transport and core errors to Medusa's types and statuses.
func translate(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var he *httpx.Error
	if errors.As(err, &he) {
		switch he.Code {
		case httpx.CodeRouteNotFound, httpx.CodeMethodNotAllowed:
			return errNotFound("Route not found")
		case httpx.CodeUnknownField:
			return errInvalid("Invalid request: Unrecognized fields: '" + he.Field + "'")
		case httpx.CodeBodyTooLarge:
			return &apiError{Status: http.StatusRequestEntityTooLarge, Type: "invalid_data", Message: "Request body too large"}
		case httpx.CodeUnsupportedMedia:
			return errInvalid("Content-Type must be application/json")
		}
		return errInvalid("Invalid request: " + he.Message)
	}
	var ve *core.ValidationError
	if errors.As(err, &ve) {
		msg := "Invalid request"
		if len(ve.Fields) > 0 && ve.Fields[0].Message != "" {
			msg = ve.Fields[0].Message
		}
		return errInvalid(msg)
	}
	switch {
	case errors.Is(err, core.ErrRateLimited):
		return &apiError{Status: http.StatusTooManyRequests, Type: "not_allowed", Message: "Too many requests, try again later"}
	case errors.Is(err, core.ErrOverloaded), errors.Is(err, core.ErrUnavailable):
		return &apiError{Status: http.StatusServiceUnavailable, Type: "unexpected_state", Message: "Server busy, try again later"}
	case errors.Is(err, core.ErrUnauthenticated):
		return errUnauthorized()
	case errors.Is(err, core.ErrNotFound):
		return errNotFound("Not found")
	case errors.Is(err, core.ErrConflict):
		return &apiError{Status: http.StatusUnprocessableEntity, Type: "duplicate_error", Code: "invalid_request_error", Message: "Customer with this email already has an account"}
	case errors.Is(err, core.ErrForbidden):
		return &apiError{Status: http.StatusBadRequest, Type: "not_allowed", Message: "Not allowed"}
	case errors.Is(err, core.ErrInvalid):
		var ce *core.Error
		if errors.As(err, &ce) {
			return errInvalid(ce.Message)
		}
		return errInvalid("Invalid request")
	}
	return &apiError{Status: http.StatusInternalServerError, Type: "unknown_error", Code: "unknown_error", Message: "An unknown error occurred."}
}
