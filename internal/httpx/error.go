package httpx

import "net/http"

// Error is a transport-level failure found before core is called: bad JSON,
// a body too large, a wrong content type, an unknown route. Surfaces render
// it in their own error format.
type Error struct {
	Status  int
	Code    string // stable: malformed_json, unknown_field, body_too_large, ...
	Message string
	Field   string // the offending field, if any
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Transport error codes.
const (
	CodeMalformedJSON      = "malformed_json"
	CodeUnknownField       = "unknown_field"
	CodeBodyTooLarge       = "body_too_large"
	CodeUnsupportedMedia   = "unsupported_media_type"
	CodeRouteNotFound      = "route_not_found"
	CodeMethodNotAllowed   = "method_not_allowed"
	CodeMissingCredentials = "missing_credentials"
)

// NotFound is the error for an unknown route.
func NotFound() *Error {
	return &Error{Status: http.StatusNotFound, Code: CodeRouteNotFound, Message: "no such route"}
}

// MethodNotAllowed is the error for a known route with the wrong method.
func MethodNotAllowed() *Error {
	return &Error{Status: http.StatusMethodNotAllowed, Code: CodeMethodNotAllowed, Message: "method not allowed on this route"}
}
