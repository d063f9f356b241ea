package sfcc

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// slasError is a SLAS failure (contract §2.3): the OAuth error pair plus
// status_code and message, which PWA Kit reads.
type slasError struct {
	Status int
	Code   string
	Desc   string
}

func (e *slasError) Error() string { return e.Code + ": " + e.Desc }

func slasErr(status int, code, desc string) *slasError {
	return &slasError{Status: status, Code: code, Desc: desc}
}

// The SLAS error catalogue (contract §6).
var (
	errBadClient       = slasErr(http.StatusBadRequest, "invalid_request", "Bad or missing client_id.")
	errBadRedirect     = slasErr(http.StatusBadRequest, "invalid_request", "Invalid redirect_uri.")
	errBadCallback     = slasErr(http.StatusBadRequest, "invalid_request", "Invalid callback_uri.")
	errBadChannel      = slasErr(http.StatusBadRequest, "invalid_request", "Invalid channel_id.")
	errBadHint         = slasErr(http.StatusBadRequest, "invalid_request", "Unsupported hint.")
	errBadParams       = slasErr(http.StatusBadRequest, "invalid_request", "Bad or missing request parameters.")
	errBadCode         = slasErr(http.StatusBadRequest, "invalid_grant", "Invalid authorization code.")
	errPKCE            = slasErr(http.StatusBadRequest, "invalid_grant", "PKCE verification failed.")
	errBadRefresh      = slasErr(http.StatusBadRequest, "invalid_grant", "invalid refresh_token")
	errGrantType       = slasErr(http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant_type.")
	errActionToken     = slasErr(http.StatusBadRequest, "invalid_request", "Invalid password action token.")
	errPasswordPolicy  = slasErr(http.StatusBadRequest, "invalid_request", "Password does not meet the requirements.")
	errCredentials     = slasErr(http.StatusUnauthorized, "invalid_client", "Credentials are invalid.")
	errClientAuth      = slasErr(http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
	errBearer          = slasErr(http.StatusUnauthorized, "invalid_token", "Bad or missing access token.")
	errUnknownOrg      = slasErr(http.StatusNotFound, "not_found", "Unknown organization.")
	errSLASNotFound    = slasErr(http.StatusNotFound, "not_found", "Not found.")
	errSLASRateLimited = slasErr(http.StatusTooManyRequests, "too_many_requests", "Too many requests, try again later.")
	errSLASBusy        = slasErr(http.StatusServiceUnavailable, "service_unavailable", "Server busy, try again later.")
	errSLASInternal    = slasErr(http.StatusInternalServerError, "server_error", "Internal server error.")
)

// renderSLAS writes err as a SLAS error body.
func (a *API) renderSLAS(w http.ResponseWriter, r *http.Request, err error) {
	e := slasOf(err)
	if e.Status == http.StatusInternalServerError {
		a.log.Error("sfcc dialect: internal error", "err", err, "path", r.URL.Path)
	}
	retryAfter(w, err, e.Status)
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	b, _ := json.Marshal(map[string]string{
		"error": e.Code, "error_description": e.Desc, "status_code": statusCode(e.Status), "message": e.Desc,
	})
	w.WriteHeader(e.Status)
	_, _ = w.Write(b)
}

// slasOf maps transport and core failures not already a slasError.
func slasOf(err error) *slasError {
	var se *slasError
	if errors.As(err, &se) {
		return se
	}
	var he *httpx.Error
	if errors.As(err, &he) {
		if he.Code == httpx.CodeRouteNotFound || he.Code == httpx.CodeMethodNotAllowed {
			return errSLASNotFound
		}
		return errBadParams
	}
	switch {
	case errors.Is(err, core.ErrRateLimited):
		return errSLASRateLimited
	case errors.Is(err, core.ErrOverloaded), errors.Is(err, core.ErrUnavailable):
		return errSLASBusy
	}
	return errSLASInternal
}

// statusCode is SLAS's "<code> <REASON_IN_UPPER_SNAKE>".
func statusCode(status int) string {
	return strconv.Itoa(status) + " " + strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
}

// retryAfter sets Retry-After on 429 and 503 answers.
func retryAfter(w http.ResponseWriter, err error, status int) {
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return
	}
	secs := 1
	if d := core.RetryAfter(err); d > 0 {
		secs = int((d + 999_999_999) / 1_000_000_000)
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
}

// problem is a Shopper Customers failure (contract §2.4).
type problem struct {
	Status int
	Slug   string
	Title  string
	Detail string
	Extra  map[string]string
}

func (p *problem) Error() string { return p.Slug + ": " + p.Detail }

const problemTypeBase = "https://api.commercecloud.salesforce.com/documentation/error/v1/errors/"

func prob(status int, slug, title, detail string) *problem {
	return &problem{Status: status, Slug: slug, Title: title, Detail: detail}
}

func errUnauthorized() *problem {
	return prob(http.StatusUnauthorized, "unauthorized", "Unauthorized", "Your access token is invalid or expired and can't be used to identify a user.")
}

func errNotFound(detail string) *problem {
	return prob(http.StatusNotFound, "not-found", "Not Found", detail)
}

func errInvalidCustomer(detail string) *problem {
	return prob(http.StatusBadRequest, "invalid-customer", "Invalid Customer", detail)
}

func errInvalidSite() *problem {
	return prob(http.StatusBadRequest, "invalid-site", "Invalid Site", "The siteId query parameter is missing or names no site of this organization.")
}

func errParam(detail string) *problem {
	return prob(http.StatusBadRequest, "invalid-request-parameter", "Invalid Request Parameter", detail)
}

func errMalformed(detail string) *problem {
	return prob(http.StatusBadRequest, "malformed-request", "Malformed Request", detail)
}

func errPolicy(detail string) *problem {
	return prob(http.StatusBadRequest, "password-policy-violation", "Password Policy Violation", detail)
}

// renderProblem writes err as a Shopper Customers problem body.
func (a *API) renderProblem(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(err)
	if p.Status == http.StatusInternalServerError {
		a.log.Error("sfcc dialect: internal error", "err", err, "path", r.URL.Path)
	}
	retryAfter(w, err, p.Status)
	body := map[string]string{"title": p.Title, "type": problemTypeBase + p.Slug, "detail": p.Detail}
	for k, v := range p.Extra {
		body[k] = v
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_, _ = w.Write(b)
}

// problemOf maps transport and core failures not already a problem.
func problemOf(err error) *problem {
	var p *problem
	if errors.As(err, &p) {
		return p
	}
	var he *httpx.Error
	if errors.As(err, &he) {
		switch he.Code {
		case httpx.CodeRouteNotFound, httpx.CodeMethodNotAllowed:
			return errNotFound("The requested resource does not exist.")
		case httpx.CodeBodyTooLarge:
			return prob(http.StatusRequestEntityTooLarge, "request-too-large", "Request Too Large", "The request body is larger than 64 KiB.")
		}
		return errMalformed("The request body must be a JSON object: " + he.Message)
	}
	var ve *core.ValidationError
	if errors.As(err, &ve) {
		msg := "The request is invalid."
		if len(ve.Fields) > 0 {
			msg = ve.Fields[0].Message
		}
		return errParam(msg)
	}
	switch {
	case errors.Is(err, core.ErrNotFound):
		return errNotFound("The requested resource does not exist.")
	case errors.Is(err, core.ErrUnauthenticated):
		return errUnauthorized()
	case errors.Is(err, core.ErrRateLimited):
		return prob(http.StatusTooManyRequests, "too-many-requests", "Too Many Requests", "Too many requests, try again later.")
	case errors.Is(err, core.ErrOverloaded), errors.Is(err, core.ErrUnavailable):
		return prob(http.StatusServiceUnavailable, "service-unavailable", "Service Unavailable", "The service is busy, try again later.")
	}
	return prob(http.StatusInternalServerError, "internal-server-error", "Internal Server Error", "An internal error occurred.")
}
