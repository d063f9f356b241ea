package sfcc

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/clientele/clientele/internal/core"
)

// passwordReset asks for a reset token (contract §4.5). It answers 200
// with an empty body whether or not the login exists; the token goes out
// by mail (mode=email) or by a signed POST to a registered callback URI of
// the client (mode=callback), in the background after core commits. The
// token is bound to the client and to the code_challenge and/or
// hint=cross_device the request carried.
func (a *API) passwordReset(w http.ResponseWriter, r *http.Request) error {
	f, err := form(w, r)
	if err != nil {
		return err
	}
	client, present, err := a.privateClient(r, f)
	if err != nil {
		return err
	}
	if !present {
		if client = clientFor(r, f.Get("client_id")); client == nil {
			return errBadClient
		}
		if f.Get("code_challenge") == "" && f.Get("hint") != "cross_device" {
			return errBadParams
		}
	}
	if h := f.Get("hint"); h != "" && h != "cross_device" {
		return errBadHint
	}
	if !bindingOf(r).HasSite(f.Get("channel_id")) {
		return errBadChannel
	}
	// The token is bound to what the request carried; core enforces it at
	// the action (contract §4.5, §4.6).
	bind := core.ResetBinding{
		ClientID: client.ClientID, Challenge: f.Get("code_challenge"), CrossDevice: f.Get("hint") == "cross_device",
	}
	user := f.Get("user_id")
	switch mode := f.Get("mode"); {
	case user == "":
		return errBadParams
	case mode == "email":
		err = a.svc.RequestBoundPasswordReset(r.Context(), shopOf(r), user, bind, meta(r))
	case mode == "callback" && f.Get("callback_uri") != "":
		// Core checks the URI against the client's registrations before it
		// looks at any account, so a refusal says nothing about user_id.
		err = a.svc.RequestPasswordResetCallback(r.Context(), shopOf(r), user, core.ResetCallback{
			URL: f.Get("callback_uri"), Client: client, Issuer: issuer(bindingOf(r)), Format: callbackBody, Binding: bind,
		}, meta(r))
		if core.CodeOf(err) == core.CodeCallbackNotAllowed {
			return errBadCallback
		}
	default: // sms (out of scope), unknown modes, callback without a URI
		return errBadParams
	}
	// A malformed code_challenge is refused before any account is looked
	// at, so this answer says nothing about user_id either.
	if core.CodeOf(err) == core.CodeResetBindingInvalid {
		return errBadParams
	}
	if err != nil {
		return err
	}
	noStore(w)
	w.WriteHeader(http.StatusOK)
	return nil
}

// callbackHeader carries the JWT that signs a reset callback.
const callbackHeader = "x-slas-callback-token"

// callbackBody renders a reset callback as SLAS sends it (contract §4.5):
// {"email_id","token"} with the signed JWT in x-slas-callback-token.
func callbackBody(email, token, signed string) ([]byte, map[string]string, error) {
	b, err := json.Marshal(struct {
		EmailID string `json:"email_id"`
		Token   string `json:"token"`
	}{email, token})
	return b, map[string]string{callbackHeader: signed}, err
}

// passwordAction completes a reset (contract §4.6): the password is set,
// the token consumed and every session revoked; nobody is logged in. The
// client, code_verifier and user_id go to core as the proof a bound token
// asks for.
func (a *API) passwordAction(w http.ResponseWriter, r *http.Request) error {
	f, err := form(w, r)
	if err != nil {
		return err
	}
	client, present, err := a.privateClient(r, f)
	if err != nil {
		return err
	}
	if !present {
		if client = clientFor(r, f.Get("client_id")); client == nil {
			return errBadClient
		}
	}
	if !bindingOf(r).HasSite(f.Get("channel_id")) {
		return errBadChannel
	}
	tok, pw := f.Get("pwd_action_token"), f.Get("new_password")
	if tok == "" || pw == "" {
		return errBadParams
	}
	sh := shopOf(r)
	// Core judges the proof against the token's binding (client, PKCE,
	// cross_device user_id); a failure is the invalid-token answer and
	// leaves the token usable.
	res, err := a.svc.CompletePasswordResetBound(r.Context(), sh, tok, pw, core.ResetProof{
		ClientID: client.ClientID, Verifier: f.Get("code_verifier"), Email: f.Get("user_id"),
	}, meta(r))
	var ve *core.ValidationError
	switch {
	case core.CodeOf(err) == core.CodeResetTokenInvalid:
		return errActionToken
	case errors.As(err, &ve):
		return errPasswordPolicy
	case err != nil:
		return err
	}
	// Core's completion starts a session; SLAS's does not log in, so it
	// ends at once.
	if err := a.svc.LogoutRefreshToken(r.Context(), sh, res.Tokens.RefreshToken); err != nil {
		return err
	}
	noStore(w)
	w.WriteHeader(http.StatusOK)
	return nil
}

// publicKey is a signing key's public half as go-jose takes it.
func publicKey(k core.SigningKey) any { return ed25519.PublicKey(k.Public) }
