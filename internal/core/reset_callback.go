package core

import (
	"context"
	"errors"
	"time"
)

// CallbackPoster makes the one POST of a password-reset callback
// (internal/webhook implements it with the webhook address policy: no
// redirects, and no loopback, private or link-local destinations unless the
// deployment allows them). Core names the port so that it never imports
// net/http and so that tests can record what would be sent.
type CallbackPoster interface {
	// PostCallback posts c once and returns the receiver's status. An
	// error carries no URL, body or header value: those hold the token.
	PostCallback(ctx context.Context, c Callback) (int, error)
}

// Callback is one outbound POST with a JSON body.
type Callback struct {
	URL    string
	Header map[string]string // besides Content-Type: application/json
	Body   []byte
}

// ResetCallbackFormat renders a reset callback in a dialect's wire format:
// the JSON body carrying the customer's e-mail and the reset token, and the
// headers, one of which carries signed, a JWT that lets the receiver check
// the POST came from this deployment.
type ResetCallbackFormat func(email, token, signed string) (body []byte, header map[string]string, err error)

// ResetCallback asks for a reset token to be posted to a client's callback
// URI instead of mailed (SLAS mode=callback).
type ResetCallback struct {
	// URL receives the POST; it must be one of Client's callback URIs.
	URL string
	// Client is the OAuth client the reset is for; its id is the aud of
	// the signed token, so a receiver can tell tokens meant for it.
	Client *SFCCClient
	// Issuer is the iss of the signed token: the dialect's own, so no other
	// surface accepts it.
	Issuer string
	// Format renders the POST.
	Format ResetCallbackFormat
	// Binding is stored with the token (zero: unbound); a malformed one
	// is refused before any account is looked at.
	Binding ResetBinding
}

// ResetCallbackTokenTTL is the lifetime of the JWT that signs a reset
// callback: long enough for a receiver to check it on arrival, short
// enough that a logged header is soon worthless.
const ResetCallbackTokenTTL = 5 * time.Minute

// resetCallbackType is the typ of the callback JWT. Shopper access tokens
// of the SFCC dialect are "jwt"; a different typ (besides the other aud, no
// scope and a sid that names no session) keeps the callback token from ever
// passing as an access token.
const resetCallbackType = "JWT"

// CodeCallbackNotAllowed is the error code of a reset callback URI that the
// client has not registered.
const CodeCallbackNotAllowed = "callback_not_allowed"

// RequestPasswordResetCallback is RequestPasswordResetQuiet with the token
// posted to cb.URL instead of mailed. cb is checked first — the URL must be
// a registered callback URI of cb.Client (exact match; loopback for the
// dev client) — so a refusal happens before any account is looked at and
// tells nothing about one. After that the request does exactly what a mail
// request does: it validates, spends the rate limits, draws a token and
// hands the look-up, the write and the POST to the background, so a known
// and an unknown login answer alike and equally fast (SECURITY.md 2, 4). A
// malformed e-mail is treated as an unknown one. The POST happens after
// commit; its failure is logged (without the token) and never retried, as
// SLAS does.
func (s *Service) RequestPasswordResetCallback(ctx context.Context, sh *Shop, email string, cb ResetCallback, meta ClientMeta) error {
	if cb.Client == nil || !cb.Client.CallbackAllowed(cb.URL) {
		return &ValidationError{Code: CodeCallbackNotAllowed, Fields: []FieldError{{
			Field: "callback_uri", Code: FieldNotAllowed, Message: "callback_uri must be a registered callback URI of the client",
		}}}
	}
	if cb.Issuer == "" || cb.Format == nil {
		return errors.New("core: a reset callback needs an issuer and a format")
	}
	if s.callbacks == nil {
		return errors.New("core: no callback poster is configured")
	}
	if err := cb.Binding.validate(); err != nil {
		return err
	}
	norm, _, err := s.resetRequest(ctx, sh, email, "", meta)
	var ve *ValidationError
	if errors.As(err, &ve) {
		return nil
	}
	if err != nil {
		return err
	}
	token, now := s.newSecret("", 32), s.now()
	return s.background.run(ctx, func(ctx context.Context) {
		if err := s.issueReset(ctx, sh, norm, resetDelivery{callback: &cb, binding: cb.Binding}, token, now); err != nil {
			s.log.Error("password reset not issued", "err", err)
		}
	})
}

// postResetCallback signs and posts a reset callback for c. It runs in the
// background after commit; every failure is logged without the token, the
// URL's query or the receiver's answer.
func (s *Service) postResetCallback(ctx context.Context, sh *Shop, c *Customer, resetID string, cb ResetCallback, token string) {
	origin := originOf(cb.URL)
	now := s.now()
	// sid is required of every token the signer makes; the reset's own id
	// names no session, so the token can never authenticate anything.
	signed, err := s.signer.Sign(AccessClaims{
		Issuer: cb.Issuer, Subject: c.Email, Audience: cb.Client.ClientID, SessionID: resetID,
		ID: s.newID("jti"), IssuedAt: now, ExpiresAt: now.Add(ResetCallbackTokenTTL), Type: resetCallbackType,
	})
	if err != nil {
		s.log.Error("reset callback not signed", "shop", sh.ID, "err", err)
		return
	}
	body, header, err := cb.Format(c.Email, token, signed)
	if err != nil {
		s.log.Error("reset callback not rendered", "shop", sh.ID, "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ResetCallbackTimeout)
	defer cancel()
	status, err := s.callbacks.PostCallback(ctx, Callback{URL: cb.URL, Header: header, Body: body})
	switch {
	case err != nil:
		s.log.Warn("reset callback failed", "shop", sh.ID, "callback_origin", origin, "err", err)
	case status < 200 || status > 299:
		s.log.Warn("reset callback refused", "shop", sh.ID, "callback_origin", origin, "status", status)
	}
}
