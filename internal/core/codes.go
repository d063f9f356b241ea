package core

// Stable error codes. They are part of every API's contract and are pinned by
// tests: do not rename one; add new ones instead.
const (
	CodeInternal            = "internal_error"
	CodeInvalidRequest      = "invalid_request"
	CodeValidationFailed    = "validation_failed"
	CodeNotFound            = "not_found"
	CodeConflict            = "conflict"
	CodeUnauthenticated     = "unauthenticated"
	CodeRateLimited         = "rate_limited"
	CodeOverloaded          = "overloaded"
	CodeUnavailable         = "service_unavailable"
	CodeInvalidCredentials  = "invalid_credentials"
	CodeInvalidToken        = "invalid_token"
	CodeTokenExpired        = "token_expired"
	CodeSessionRevoked      = "session_revoked"
	CodeRefreshTokenInvalid = "invalid_grant"
	CodeRefreshTokenReused  = "refresh_token_reused"
	CodeEmailTaken          = "email_taken"
	CodeResetTokenInvalid   = "reset_token_invalid"
	CodeRedirectNotAllowed  = "redirect_url_not_allowed"
	CodeInvalidAPIKey       = "invalid_api_key"
	CodeAccountDisabled     = "account_disabled"
	CodeFeatureDisabled     = "feature_disabled"
	CodeCurrentPassword     = "current_password_invalid"
)

// Field error codes used in ValidationError.Fields.
const (
	FieldRequired       = "required"
	FieldInvalid        = "invalid"
	FieldTooShort       = "too_short"
	FieldTooLong        = "too_long"
	FieldCommonPassword = "common_password"
	FieldSameAsEmail    = "same_as_email"
	FieldNotAllowed     = "not_allowed"
)
