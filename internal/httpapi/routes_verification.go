package httpapi

// routesVerification registers e-mail verification and e-mail change. The
// confirmations are public (publishable key only): their links are opened
// from the mail, often on another device or logged out, and the token is
// the proof.
func (a *API) routesVerification(h route) {
	h("POST /v1/customer/email-verification", a.customer(a.requestEmailVerification))
	h("POST /v1/customer/email-verification/confirm", a.public(a.confirmEmailVerification))
	h("POST /v1/customer/email", a.customer(a.requestEmailChange))
	h("POST /v1/customer/email/confirm", a.public(a.confirmEmailChange))
}
