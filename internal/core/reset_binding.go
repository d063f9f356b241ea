package core

import (
	"context"
	"errors"
)

// ResetBinding is what a reset token is bound to when it is issued (SLAS,
// contract §4.5): the OAuth client that asked for it and either the PKCE
// challenge of the device that asked or cross_device. Completing a bound
// token needs a ResetProof that matches, so a token read from a mail box or
// a log is not enough on its own. The zero value is unbound: every other
// surface issues such tokens, and they complete exactly as before. A
// challenge and CrossDevice may both be set; then both proofs are asked
// for, as each was asked for on its own.
//
// The parts are separate fields rather than one opaque string because each
// is checked differently (equality, S256, an e-mail) and the columns stay
// readable in the shell.
type ResetBinding struct {
	// ClientID is the client the reset was asked for; completion must come
	// from the same client.
	ClientID string
	// Challenge is the S256 code_challenge as sent (base64url of the
	// SHA-256 of the verifier); completion must bring the verifier.
	Challenge string
	// CrossDevice marks a reset completed on another device than the one
	// that asked (no verifier there); completion must name the customer's
	// login instead.
	CrossDevice bool
}

// Bound reports whether completing the token asks for any proof.
func (b ResetBinding) Bound() bool { return b != ResetBinding{} }

// CodeResetBindingInvalid is the error code of a bound reset request whose
// binding is malformed (a code_challenge that is no S256 challenge).
const CodeResetBindingInvalid = "reset_binding_invalid"

// validate refuses a binding that no completion could ever satisfy. It
// looks at no account, so a refusal tells nothing about one.
func (b ResetBinding) validate() error {
	if b.Challenge != "" && !challengePattern.MatchString(b.Challenge) {
		return &ValidationError{Code: CodeResetBindingInvalid, Fields: []FieldError{{
			Field: "code_challenge", Code: FieldInvalid, Message: "code_challenge must be a base64url SHA-256",
		}}}
	}
	return nil
}

// ResetProof is what a completion brings for a bound token, as the wire
// gave it; empty fields are "not sent".
type ResetProof struct {
	// ClientID is the client completing the reset (public client_id, or
	// the id a private client authenticated as).
	ClientID string
	// Verifier is the PKCE code_verifier.
	Verifier string
	// Email is the login the completion names (SLAS user_id). When set it
	// must be the customer's whatever the binding, since a caller naming
	// someone else holds a token that is not theirs.
	Email string
}

// satisfies reports whether p proves binding b for customer c. Comparisons
// of secrets are constant-time (challengeMatches).
func (p ResetProof) satisfies(b ResetBinding, c *Customer) bool {
	if p.Email != "" {
		norm, err := NormalizeEmail(p.Email)
		if err != nil || norm != c.EmailNormalized {
			return false
		}
	}
	if b.ClientID != "" && p.ClientID != b.ClientID {
		return false
	}
	if b.Challenge != "" && (!verifierPattern.MatchString(p.Verifier) || !challengeMatches(b.Challenge, p.Verifier)) {
		return false
	}
	if b.CrossDevice && p.Email == "" {
		return false
	}
	return true
}

// RequestBoundPasswordReset is RequestPasswordResetQuiet (no redirect URL)
// with the token bound to b (SLAS getPasswordResetToken, mode=email). A
// malformed binding is refused (CodeResetBindingInvalid) before any
// account is looked at; after that the request does exactly the work of an
// unbound one, the binding travelling with the background write, so known
// and unknown logins still answer alike and equally fast.
func (s *Service) RequestBoundPasswordReset(ctx context.Context, sh *Shop, email string, b ResetBinding, meta ClientMeta) error {
	if err := b.validate(); err != nil {
		return err
	}
	err := s.requestPasswordReset(ctx, sh, email, "", b, meta)
	var ve *ValidationError
	if errors.As(err, &ve) {
		return nil
	}
	return err
}
