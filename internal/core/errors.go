package core

import (
	"errors"
	"fmt"
	"time"
)

// Error kinds. Every error core returns is, or wraps, one of these, so each
// surface can map it to a status without knowing the specific cause.
var (
	// ErrNotFound: the thing does not exist, or it belongs to somebody else.
	// Core never distinguishes the two, so ids cannot be probed.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the write collides with existing state (e.g. e-mail taken).
	ErrConflict = errors.New("conflict")
	// ErrUnauthenticated: credentials or tokens are missing, wrong, expired or revoked.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: authenticated, but the action is not allowed for this principal.
	ErrForbidden = errors.New("forbidden")
	// ErrInvalid: the request is malformed or fails validation (see ValidationError).
	ErrInvalid = errors.New("invalid")
	// ErrRateLimited: too many attempts; see RateLimitError for the delay.
	ErrRateLimited = errors.New("rate limited")
	// ErrOverloaded: the service sheds load; see OverloadError for the delay.
	ErrOverloaded = errors.New("overloaded")
	// ErrUnavailable: a dependency (database, disk) is down; retrying later may work.
	ErrUnavailable = errors.New("unavailable")
)

// Error is a core error with a stable machine-readable code and a public message.
// Codes are part of every API's contract: never rename one (see codes.go).
type Error struct {
	Kind    error  // one of the Err* kinds above
	Code    string // stable, documented code such as "invalid_credentials"
	Message string // safe to show to the caller
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Unwrap lets errors.Is match the kind.
func (e *Error) Unwrap() error { return e.Kind }

// FieldError describes one invalid field of a request.
type FieldError struct {
	Field   string // wire-neutral field name, e.g. "email", "password"
	Code    string // stable code, e.g. "required", "too_short", "common_password"
	Message string
}

// ValidationError reports every invalid field of a request at once.
type ValidationError struct {
	Code   string // stable code for the whole error, usually "validation_failed"
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	if len(e.Fields) == 0 {
		return "validation failed"
	}
	return fmt.Sprintf("validation failed: %s %s", e.Fields[0].Field, e.Fields[0].Code)
}

// Unwrap lets errors.Is(err, ErrInvalid) hold.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// RateLimitError is returned when a rate limit rule denies an attempt.
type RateLimitError struct {
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string { return "rate limited, retry after " + e.RetryAfter.String() }

// Unwrap lets errors.Is(err, ErrRateLimited) hold.
func (e *RateLimitError) Unwrap() error { return ErrRateLimited }

// OverloadError is returned when password work is shed by admission control.
type OverloadError struct {
	RetryAfter time.Duration
}

func (e *OverloadError) Error() string { return "overloaded, retry after " + e.RetryAfter.String() }

// Unwrap lets errors.Is(err, ErrOverloaded) hold.
func (e *OverloadError) Unwrap() error { return ErrOverloaded }

// RetryAfter returns the delay a rate-limit or overload error asks for, or 0.
func RetryAfter(err error) time.Duration {
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return rl.RetryAfter
	}
	var ol *OverloadError
	if errors.As(err, &ol) {
		return ol.RetryAfter
	}
	return 0
}

// CodeOf returns the stable code of err, or "internal_error" for anything
// that is not a core error.
func CodeOf(err error) string {
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Code
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		if ve.Code != "" {
			return ve.Code
		}
		return CodeValidationFailed
	}
	switch {
	case errors.Is(err, ErrRateLimited):
		return CodeRateLimited
	case errors.Is(err, ErrOverloaded):
		return CodeOverloaded
	case errors.Is(err, ErrUnavailable):
		return CodeUnavailable
	case errors.Is(err, ErrNotFound):
		return CodeNotFound
	case errors.Is(err, ErrUnauthenticated):
		return CodeUnauthenticated
	case errors.Is(err, ErrConflict):
		return CodeConflict
	case errors.Is(err, ErrInvalid):
		return CodeInvalidRequest
	}
	return CodeInternal
}

func newErr(kind error, code, msg string) *Error { return &Error{Kind: kind, Code: code, Message: msg} }

func fieldErr(field, code, msg string) *ValidationError {
	return &ValidationError{Code: CodeValidationFailed, Fields: []FieldError{{Field: field, Code: code, Message: msg}}}
}

// Unauthenticated is the error for a request that needs credentials and
// has none.
func Unauthenticated() error {
	return newErr(ErrUnauthenticated, CodeUnauthenticated, "authentication required")
}
