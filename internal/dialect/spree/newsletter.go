package spree

import (
	"errors"
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// NewsletterSubscriber is Spree's newsletter subscription.
type NewsletterSubscriber struct {
	ID         string  `json:"id"`
	Email      string  `json:"email"`
	CreatedAt  string  `json:"created_at"`
	UpdatedAt  string  `json:"updated_at"`
	Verified   bool    `json:"verified"`
	VerifiedAt *string `json:"verified_at"`
	CustomerID *string `json:"customer_id"`
}

func toNewsletter(n *core.NewsletterSubscriber) *NewsletterSubscriber {
	if n == nil {
		return nil
	}
	out := &NewsletterSubscriber{ID: n.ID, Email: n.Email, CreatedAt: isoTime(n.CreatedAt), UpdatedAt: isoTime(n.UpdatedAt),
		Verified: n.Verified(), CustomerID: ptr(n.CustomerID)}
	if n.VerifiedAt != nil {
		t := isoTime(*n.VerifiedAt)
		out.VerifiedAt = &t
	}
	return out
}

// optionalCustomer is the customer of a valid access token, or nil: on
// the routes where Spree's auth is optional an invalid JWT is anonymous.
func (a *API) optionalCustomer(r *http.Request) *core.Principal {
	tok := httpx.BearerToken(r)
	if tok == "" {
		return nil
	}
	p, err := a.svc.Authenticate(r.Context(), shopOf(r).ID, tok)
	if err != nil || p.CustomerID == "" {
		return nil
	}
	return p
}

type subscribeRequest struct {
	Email       string `json:"email"`
	RedirectURL string `json:"redirect_url"`
}

type newsletterTokenRequest struct {
	Token string `json:"token"`
}

func errNewsletterNotFound() error { return errNotFound("Newsletter subscriber") }

// newsletterErr renders a missing token as Spree's parameter_missing.
func newsletterErr(err error) error {
	var ve *core.ValidationError
	if errors.As(err, &ve) && len(ve.Fields) == 1 && ve.Fields[0].Field == "token" {
		return newErr(http.StatusBadRequest, codeParameterMissing, "param is missing or the value is empty: token")
	}
	return withFields(err, customerFields)
}

func (a *API) subscribe(w http.ResponseWriter, r *http.Request) error {
	var in subscribeRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	n, err := a.svc.Subscribe(r.Context(), shopOf(r), a.optionalCustomer(r), in.Email, in.RedirectURL, meta(r))
	if err != nil {
		return withFields(err, customerFields)
	}
	return writeJSON(w, http.StatusCreated, toNewsletter(n))
}

func (a *API) verifyNewsletter(w http.ResponseWriter, r *http.Request) error {
	var in newsletterTokenRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	n, err := a.svc.VerifyNewsletter(r.Context(), shopOf(r), in.Token, meta(r))
	if err != nil {
		return newsletterErr(err)
	}
	return writeJSON(w, http.StatusOK, toNewsletter(n))
}

// requestUnsubscribe always answers 202 without a body (and so without a
// JSON content type, which would make the SDK parse one).
func (a *API) requestUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	var in subscribeRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.svc.RequestNewsletterUnsubscribe(r.Context(), shopOf(r), in.Email, in.RedirectURL, meta(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (a *API) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	err := a.svc.Unsubscribe(r.Context(), shopOf(r), a.optionalCustomer(r), r.PathValue("id"), r.URL.Query().Get("token"), meta(r))
	if err != nil {
		return newsletterErr(remap(err, errNewsletterNotFound(), core.ErrNotFound))
	}
	return noContent(w)
}
