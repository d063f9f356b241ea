package bagisto

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// apiError is a failure with one body per family (contract §4): legacy
// bodies carry "error" beside "message", v1 bodies do not.
type apiError struct {
	status int
	legacy obj
	v1     obj
	retry  time.Duration // Retry-After, when set
}

func (e *apiError) Error() string { return strconv.Itoa(e.status) }

// msgErr is the common shape: legacy {"message","error"} with one text,
// v1 {"message"}.
func msgErr(status int, msg string) *apiError {
	return &apiError{status: status, legacy: obj{{"message", msg}, {"error", msg}}, v1: obj{{"message", msg}}}
}

func errUnauthenticated() *apiError {
	e := obj{{"message", "Unauthenticated."}, {"error", "Unauthenticated"}}
	return &apiError{status: http.StatusUnauthorized, legacy: e, v1: e}
}

func errNotFound() *apiError {
	return &apiError{
		status: http.StatusNotFound,
		legacy: obj{{"error", "Resource Not Found"}, {"message", "Resource Not Found"}},
		v1: obj{{"title", "404 Page Not Found"}, {"message",
			"Oops! The page you're looking for is on vacation. It seems we couldn't find what you were searching for."}},
	}
}

func errStoreNotFound() *apiError { return msgErr(http.StatusNotFound, "Store not found.") }

func errForbiddenID() *apiError { return msgErr(http.StatusForbidden, "Invalid Request.") }

func errCSRF() *apiError { return msgErr(419, "CSRF token mismatch.") }

func errMethod() *apiError { return msgErr(http.StatusMethodNotAllowed, "Method Not Allowed") }

func errInternal() *apiError {
	return &apiError{
		status: http.StatusInternalServerError,
		legacy: obj{{"error", "500 Internal Server Error"}, {"message", "Something went wrong."}},
		v1: obj{{"title", "500 Internal Server Error"}, {"message",
			"Oops! Something went wrong. It seems we're having trouble loading the page you're looking for."}},
	}
}

func errUnavailable(retry time.Duration) *apiError {
	return &apiError{
		status: http.StatusServiceUnavailable, retry: retry,
		legacy: obj{{"error", "Service Unavailable"}, {"message", "Service Unavailable"}},
		v1: obj{{"title", "503 Service Unavailable"}, {"message",
			"Oops! Looks like we're temporarily down for maintenance. Please check back in a bit."}},
	}
}

// fieldMsgs are the messages of one request field, in rule order.
type fieldMsgs struct {
	field string
	msgs  []string
}

// validationError is a Laravel 422: fields in the endpoint's order.
type validationError struct{ fields []fieldMsgs }

func (e *validationError) Error() string { return "validation failed" }

// add appends a message to field, keeping the first-seen field order.
func (e *validationError) add(field, msg string) {
	for i := range e.fields {
		if e.fields[i].field == field {
			e.fields[i].msgs = append(e.fields[i].msgs, msg)
			return
		}
	}
	e.fields = append(e.fields, fieldMsgs{field, []string{msg}})
}

// has reports whether field already failed.
func (e *validationError) has(field string) bool {
	for _, f := range e.fields {
		if f.field == field {
			return true
		}
	}
	return false
}

// err returns e, or nil when nothing failed.
func (e *validationError) err() error {
	if len(e.fields) == 0 {
		return nil
	}
	return e
}

// invalid is a one-field 422.
func invalid(field, msg string) error {
	e := &validationError{}
	e.add(field, msg)
	return e
}

// body is the 422 body: legacy (Laravel 8) says "The given data was
// invalid."; v1 (Laravel 9+) says the first message and how many more.
func (e *validationError) body(v1 bool) obj {
	errs := obj{}
	n := 0
	first := ""
	for _, f := range e.fields {
		errs = errs.with(f.field, f.msgs)
		for _, m := range f.msgs {
			if first == "" {
				first = m
			}
			n++
		}
	}
	msg := "The given data was invalid."
	if v1 {
		msg = first
		switch {
		case n == 2:
			msg += " (and 1 more error)"
		case n > 2:
			msg += " (and " + strconv.Itoa(n-1) + " more errors)"
		}
	}
	return obj{{"message", msg}, {"errors", errs}}
}

// isV1 tells the families apart by the (base-relative) path.
func isV1(r *http.Request) bool {
	p := r.URL.Path
	return p == "/api/v1" || strings.HasPrefix(p, "/api/v1/")
}

// render writes err in the family's format.
func render(w http.ResponseWriter, r *http.Request, err error) {
	v1 := isV1(r)
	var ve *validationError
	if errors.As(err, &ve) {
		_ = writeJSON(w, http.StatusUnprocessableEntity, ve.body(v1))
		return
	}
	ae := toAPIError(err)
	if ae.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	if ae.retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((ae.retry+time.Second-1)/time.Second)))
	}
	body := ae.legacy
	if v1 {
		body = ae.v1
	}
	_ = writeJSON(w, ae.status, body)
}

// toAPIError maps transport and core errors to the dialect's answers.
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var he *httpx.Error
	if errors.As(err, &he) {
		switch he.Code {
		case httpx.CodeRouteNotFound:
			return errNotFound()
		case httpx.CodeMethodNotAllowed:
			return errMethod()
		case httpx.CodeBodyTooLarge:
			return msgErr(http.StatusRequestEntityTooLarge, "The request body is too large.")
		case httpx.CodeUnsupportedMedia:
			return msgErr(http.StatusUnsupportedMediaType, "Unsupported Media Type")
		}
		return msgErr(http.StatusBadRequest, "The request body is not valid JSON.")
	}
	switch {
	case errors.Is(err, core.ErrRateLimited):
		e := msgErr(http.StatusTooManyRequests, "Too Many Attempts.")
		e.retry = max(core.RetryAfter(err), time.Second)
		return e
	case errors.Is(err, core.ErrOverloaded), errors.Is(err, core.ErrUnavailable):
		return errUnavailable(max(core.RetryAfter(err), time.Second))
	case errors.Is(err, core.ErrUnauthenticated):
		return errUnauthenticated()
	case errors.Is(err, core.ErrNotFound):
		return errNotFound()
	}
	return errInternal()
}
