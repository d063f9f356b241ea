package spree

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// apiError is a failure already in Spree's terms.
type apiError struct {
	Status  int
	Code    string
	Message string
	Details map[string][]string // validation errors only
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newErr(status int, code, msg string) *apiError {
	return &apiError{Status: status, Code: code, Message: msg}
}

// Spree error codes.
const (
	codeInvalidRequest       = "invalid_request"
	codeInvalidProvider      = "invalid_provider"
	codeInvalidToken         = "invalid_token"
	codeAuthRequired         = "authentication_required"
	codeAuthFailed           = "authentication_failed"
	codeInvalidRefreshToken  = "invalid_refresh_token"
	codeRecordNotFound       = "record_not_found"
	codeOrderNotFound        = "order_not_found"
	codeVariantNotFound      = "variant_not_found"
	codeRequestTooLarge      = "request_too_large"
	codeValidation           = "validation_error"
	codeCurrentPassword      = "current_password_invalid"
	codeResetTokenInvalid    = "password_reset_token_invalid"
	codeRateLimited          = "rate_limit_exceeded"
	codeProcessing           = "processing_error"
	codeInternal             = "internal_server_error"
	codeMethodNotAllowed     = "method_not_allowed"
	codeUnsupportedMediaType = "unsupported_media_type"
	codeIdempotencyKeyReused = "idempotency_key_reused"
	codeIdempotencyKeyInUse  = "idempotency_key_in_use"
	codeParameterMissing     = "parameter_missing"
)

func errAPIKey() error {
	return newErr(http.StatusUnauthorized, codeInvalidToken, "Valid API key required")
}
func errAuthRequired() error {
	return newErr(http.StatusUnauthorized, codeAuthRequired, "Authentication required")
}
func errNotFound(model string) error {
	return newErr(http.StatusNotFound, codeRecordNotFound, model+" not found")
}

// envelope is Spree's error body.
type envelope struct {
	Error envelopeBody `json:"error"`
}

type envelopeBody struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Details map[string][]string `json:"details,omitempty"`
}

// render writes err in Spree's error envelope. It is the renderer of every
// failure under the prefix: router 404/405, transport errors, core errors
// and panics.
func render(w http.ResponseWriter, r *http.Request, err error) {
	e := toAPIError(err)
	if d := core.RetryAfter(err); d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
	} else if e.Status == http.StatusTooManyRequests || e.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	body := envelope{Error: envelopeBody{Code: e.Code, Message: e.Message, Details: e.Details}}
	_ = writeJSON(w, e.Status, body)
}

// toAPIError maps any error to Spree's status and code.
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var he *httpx.Error
	if errors.As(err, &he) {
		switch he.Status {
		case http.StatusNotFound:
			return newErr(http.StatusNotFound, codeRecordNotFound, "Not found")
		case http.StatusMethodNotAllowed:
			return newErr(http.StatusMethodNotAllowed, codeMethodNotAllowed, "Method not allowed")
		case http.StatusRequestEntityTooLarge:
			return newErr(http.StatusRequestEntityTooLarge, codeRequestTooLarge, "Request body is too large")
		case http.StatusUnsupportedMediaType:
			return newErr(http.StatusUnsupportedMediaType, codeUnsupportedMediaType, "Send the body as application/json")
		case http.StatusUnauthorized:
			return newErr(http.StatusUnauthorized, codeAuthRequired, "Authentication required")
		}
		return newErr(http.StatusBadRequest, codeInvalidRequest, sentence(he.Message))
	}
	var ve *core.ValidationError
	if errors.As(err, &ve) {
		return validation(ve, nil)
	}
	switch core.CodeOf(err) {
	case core.CodeEmailTaken:
		return validationDetails(map[string][]string{"email": {"has already been taken"}}, []string{"email"})
	case core.CodeInvalidAPIKey:
		return errAPIKey().(*apiError)
	case core.CodeCurrentPassword:
		return newErr(http.StatusUnprocessableEntity, codeCurrentPassword, "Current password is invalid or missing")
	case core.CodeResetTokenInvalid:
		return newErr(http.StatusUnprocessableEntity, codeResetTokenInvalid, "Password reset token is invalid or has expired.")
	case core.CodeNewsletterTokenInvalid:
		return newErr(http.StatusUnprocessableEntity, codeInvalidToken, "Token is invalid or has expired")
	case core.CodeIdempotencyKeyReused:
		return newErr(http.StatusUnprocessableEntity, codeIdempotencyKeyReused, "Idempotency-Key has already been used with a different request")
	case core.CodeIdempotencyKeyInUse:
		return newErr(http.StatusConflict, codeIdempotencyKeyInUse, "A request with this Idempotency-Key is still being processed")
	}
	switch {
	case errors.Is(err, core.ErrRateLimited):
		return newErr(http.StatusTooManyRequests, codeRateLimited, "Too many requests. Please retry later.")
	case errors.Is(err, core.ErrOverloaded), errors.Is(err, core.ErrUnavailable):
		return newErr(http.StatusServiceUnavailable, codeProcessing, "The service is busy. Please retry later.")
	case errors.Is(err, core.ErrNotFound):
		return newErr(http.StatusNotFound, codeRecordNotFound, "Record not found")
	case errors.Is(err, core.ErrUnauthenticated):
		return newErr(http.StatusUnauthorized, codeAuthRequired, "Authentication required")
	case errors.Is(err, core.ErrForbidden):
		// Spree never answers 403 for "not yours"; a forbidden action
		// here is something the request may not do: unprocessable.
		return newErr(http.StatusUnprocessableEntity, codeValidation, sentence(messageOf(err)))
	case errors.Is(err, core.ErrConflict), errors.Is(err, core.ErrInvalid):
		return newErr(http.StatusUnprocessableEntity, codeValidation, sentence(messageOf(err)))
	}
	return newErr(http.StatusInternalServerError, codeInternal, "Internal server error")
}

func messageOf(err error) string {
	var ce *core.Error
	if errors.As(err, &ce) && ce.Message != "" {
		return ce.Message
	}
	return "the request is invalid"
}

// fieldNames renames core's wire-neutral field names to Spree's.
type fieldNames map[string]string

var customerFields = fieldNames{"new_password": "password", "new_email": "email"}

var addressFields = fieldNames{
	"first_name": "firstname", "last_name": "lastname", "postal_code": "zipcode",
	"country_code": "country", "region_code": "state", "region_name": "state",
}

// validation turns a core validation error into Spree's 422 with details.
func validation(ve *core.ValidationError, names fieldNames) *apiError {
	details := map[string][]string{}
	var order []string
	for _, f := range ve.Fields {
		name := f.Field
		if n, ok := names[name]; ok {
			name = n
		}
		if name == "" {
			name = "base"
		}
		if _, seen := details[name]; !seen {
			order = append(order, name)
		}
		details[name] = append(details[name], fieldMessage(f))
	}
	return validationDetails(details, order)
}

func validationDetails(details map[string][]string, order []string) *apiError {
	var full []string
	for _, k := range order {
		for _, m := range details[k] {
			if k == "base" {
				full = append(full, m)
			} else {
				full = append(full, humanize(k)+" "+m)
			}
		}
	}
	msg := strings.Join(full, ", ")
	if msg == "" {
		msg = "Validation failed"
	}
	return &apiError{Status: http.StatusUnprocessableEntity, Code: codeValidation, Message: msg, Details: details}
}

// fieldMessage is the Rails-style message of a field error.
func fieldMessage(f core.FieldError) string {
	switch f.Code {
	case core.FieldRequired:
		return "can't be blank"
	case core.FieldInvalid:
		return "is invalid"
	case core.FieldTooShort:
		return "is too short"
	case core.FieldTooLong:
		return "is too long"
	case core.FieldCommonPassword:
		return "is too common"
	case core.FieldSameAsEmail:
		return "can't be the same as the email"
	case core.FieldNotAllowed:
		return "is not allowed"
	}
	if f.Message != "" {
		return f.Message
	}
	return "is invalid"
}

// humanize turns "password_confirmation" into "Password confirmation".
func humanize(field string) string {
	s := strings.ReplaceAll(field, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// sentence capitalises a message.
func sentence(s string) string {
	if s == "" {
		return "Invalid request"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// remap replaces err by repl when err has one of the given kinds; rate
// limits, overload and outages always pass through.
func remap(err error, repl error, kinds ...error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, core.ErrRateLimited) || errors.Is(err, core.ErrOverloaded) || errors.Is(err, core.ErrUnavailable) {
		return err
	}
	for _, k := range kinds {
		if errors.Is(err, k) {
			return repl
		}
	}
	return err
}

// withFields renders a validation error with the given field names.
func withFields(err error, names fieldNames) error {
	var ve *core.ValidationError
	if errors.As(err, &ve) {
		return validation(ve, names)
	}
	return err
}
