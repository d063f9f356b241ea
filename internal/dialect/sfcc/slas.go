package sfcc

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
	jose "github.com/go-jose/go-jose/v4"
)

// maxFormBody bounds SLAS form bodies (contract §2.1).
const maxFormBody = 16 << 10

func (a *API) slasRoutes(rt *httpx.Router) {
	h := func(pattern string, fn httpx.HandlerFunc) {
		method, path, _ := strings.Cut(pattern, " ")
		rt.Handle(method+" "+AuthRoot+path, a.slasOrg(fn))
	}
	h("GET /oauth2/authorize", a.authorize)
	h("POST /oauth2/login", a.login)
	h("POST /oauth2/token", a.token)
	h("GET /oauth2/logout", a.logout)
	h("GET /oauth2/jwks", a.jwks)
	h("POST /oauth2/password/reset", a.passwordReset)
	h("POST /oauth2/password/action", a.passwordAction)
	h("POST /oauth2/trusted-system/token", a.trustedSystemToken)
	h("GET /oauth2/userinfo", a.userinfo)
	h("POST /oauth2/revoke", a.revoke)
	h("POST /oauth2/introspect", a.introspect)
}

// slasOrg resolves the organization (404 in SLAS's shape when unknown).
func (a *API) slasOrg(next httpx.HandlerFunc) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		r, err := a.organization(r, errUnknownOrg)
		if err != nil {
			return err
		}
		return next(w, r)
	}
}

// form parses a SLAS form body (and the query) leniently: unknown fields
// are ignored, empty values count as absent. A JSON body is refused.
func form(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	if r.Method == http.MethodPost {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "application/x-www-form-urlencoded" {
			return nil, errBadParams
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	}
	if err := r.ParseForm(); err != nil {
		return nil, errBadParams
	}
	return r.Form, nil
}

// clientFor finds a public client of the binding by the client_id given.
func clientFor(r *http.Request, id string) *core.SFCCClient {
	return bindingOf(r).Client(id)
}

// basic returns the HTTP Basic pair, ignoring an empty or non-Basic
// Authorization header (PWA Kit sends an empty one for public clients).
func basic(r *http.Request) (user, pass string, ok bool) {
	if strings.TrimSpace(r.Header.Get("Authorization")) == "" {
		return "", "", false
	}
	return r.BasicAuth()
}

// privateClient authenticates `Basic client_id:sk_…`. present is false
// when no Basic header was sent.
func (a *API) privateClient(r *http.Request, f url.Values) (client *core.SFCCClient, present bool, err error) {
	id, secret, ok := basic(r)
	if !ok {
		return nil, false, nil
	}
	c := clientFor(r, id)
	if c == nil || !a.svc.SecretKeyOf(r.Context(), shopOf(r), secret) {
		return nil, true, errClientAuth
	}
	if body := f.Get("client_id"); body != "" && body != id {
		return nil, true, errClientAuth
	}
	return c, true, nil
}

// redirectTo answers 303 with the absolute redirect URI carrying the code
// and usid (and state), appended to any query it already has.
func redirectTo(w http.ResponseWriter, redirectURI, code, usid, state string) error {
	u, err := url.Parse(redirectURI)
	if err != nil {
		return errBadRedirect
	}
	q := u.Query()
	q.Set("code", code)
	q.Set("usid", usid)
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Location", u.String())
	noStore(w)
	w.WriteHeader(http.StatusSeeOther)
	return nil
}

// authorize is the guest authorization step (contract §4.1).
func (a *API) authorize(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	c := clientFor(r, q.Get("client_id"))
	switch {
	case c == nil:
		return errBadClient
	case !c.RedirectAllowed(q.Get("redirect_uri")):
		return errBadRedirect
	case !bindingOf(r).HasSite(q.Get("channel_id")):
		return errBadChannel
	case q.Get("response_type") != "code" || len(q.Get("state")) > 512:
		return errBadParams
	case q.Get("hint") != "guest":
		return errBadHint
	}
	return a.issueCode(w, r, q, c, "")
}

// issueCode continues or creates the shopper and redirects with a code.
func (a *API) issueCode(w http.ResponseWriter, r *http.Request, f url.Values, c *core.SFCCClient, customerID string) error {
	sh := shopOf(r)
	sp, err := a.svc.SFCCShopperFor(r.Context(), sh, f.Get("usid"), meta(r))
	if err != nil {
		return err
	}
	code, err := a.svc.IssueSFCCAuthCode(r.Context(), sh, core.SFCCCodeGrant{
		ClientID: c.ClientID, RedirectURI: f.Get("redirect_uri"), ChannelID: f.Get("channel_id"),
		Shopper: sp, CustomerID: customerID, Challenge: f.Get("code_challenge"),
	})
	if err != nil {
		if core.CodeOf(err) == core.CodePKCEFailed {
			return errBadParams
		}
		return err
	}
	return redirectTo(w, f.Get("redirect_uri"), code, sp.USID, f.Get("state"))
}

// login is the registered login step 1 (contract §4.2).
func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	f, err := form(w, r)
	if err != nil {
		return err
	}
	c := clientFor(r, f.Get("client_id"))
	switch {
	case c == nil:
		return errBadClient
	case !c.RedirectAllowed(f.Get("redirect_uri")):
		return errBadRedirect
	case !bindingOf(r).HasSite(f.Get("channel_id")):
		return errBadChannel
	case len(f.Get("state")) > 512:
		return errBadParams
	}
	user, pass, ok := r.BasicAuth()
	if !ok || user == "" || pass == "" {
		return errCredentials
	}
	cust, err := a.svc.VerifyCredentials(r.Context(), shopOf(r), user, pass, meta(r))
	if err != nil {
		if errors.Is(err, core.ErrUnauthenticated) || errors.Is(err, core.ErrInvalid) {
			return errCredentials
		}
		return err
	}
	return a.issueCode(w, r, f, c, cust.ID)
}

// token is the token endpoint (contract §4.3).
func (a *API) token(w http.ResponseWriter, r *http.Request) error {
	f, err := form(w, r)
	if err != nil {
		return err
	}
	private, present, err := a.privateClient(r, f)
	if err != nil {
		return err
	}
	client := private
	if !present {
		if client = clientFor(r, f.Get("client_id")); client == nil {
			return errClientAuth
		}
	}
	grant := f.Get("grant_type")
	switch grant {
	case "authorization_code_pkce", "authorization_code", "client_credentials", "refresh_token":
	default:
		return errGrantType
	}
	channel := f.Get("channel_id")
	if grant != "refresh_token" && !bindingOf(r).HasSite(channel) {
		if channel == "" {
			return errBadParams
		}
		return errBadChannel
	}
	dnt := f.Get("dnt")
	if dnt != "true" && dnt != "false" {
		dnt = ""
	}
	sh := shopOf(r)
	var res *core.SFCCSessionResult
	switch grant {
	case "authorization_code_pkce", "authorization_code":
		if grant == "authorization_code" && !present {
			return errClientAuth
		}
		res, err = a.svc.RedeemSFCCAuthCode(r.Context(), sh, core.SFCCRedemption{
			Code: f.Get("code"), Verifier: f.Get("code_verifier"), ClientID: client.ClientID,
			RedirectURI: f.Get("redirect_uri"), ChannelID: channel, DNT: dnt, Private: present,
		}, meta(r))
		switch core.CodeOf(err) {
		case core.CodeAuthCodeInvalid:
			return errBadCode
		case core.CodePKCEFailed:
			return errPKCE
		}
	case "client_credentials":
		if !present {
			return errClientAuth
		}
		if f.Get("hint") != "" {
			return errBadHint
		}
		var sp *core.SFCCShopper
		if sp, err = a.svc.SFCCShopperFor(r.Context(), sh, f.Get("usid"), meta(r)); err == nil {
			res, err = a.svc.StartSFCCGuestSession(r.Context(), sh, sp, client.ClientID, channel, dnt, meta(r))
		}
	case "refresh_token":
		res, err = a.svc.RefreshSFCC(r.Context(), sh, f.Get("refresh_token"), client.ClientID, channel, meta(r))
		if errors.Is(err, core.ErrUnauthenticated) || errors.Is(err, core.ErrInvalid) {
			return errBadRefresh
		}
	default:
		return errGrantType
	}
	if err != nil {
		if errors.Is(err, core.ErrUnauthenticated) {
			return errBadCode
		}
		return err
	}
	return a.issue(w, r, res)
}

// loggedOut is the cleared token response of a logout (contract §4.4).
var loggedOut = tokenResponse{TokenType: "Bearer"}

// logout ends the session of a refresh token (contract §4.4). The bearer
// must be this dialect's token of the same session; an expired one is
// accepted, because storefronts log out with stale access tokens.
func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	c := clientFor(r, q.Get("client_id"))
	if c == nil {
		return errBadClient
	}
	hint := q.Get("hint")
	if (hint != "" && hint != "all-sessions") || q.Get("refresh_token") == "" {
		return errBadParams
	}
	if ch := q.Get("channel_id"); ch != "" && !bindingOf(r).HasSite(ch) {
		return errBadChannel
	}
	tok := httpx.BearerToken(r)
	if tok == "" {
		return errBearer
	}
	sessionID := ""
	p, _, err := a.authenticate(r.Context(), r, tok)
	switch {
	case err == nil:
		sessionID = p.SessionID
	case core.CodeOf(err) == core.CodeTokenExpired:
		// Signature and store were fine; only the time failed. The refresh
		// token, itself a bearer secret of the session, decides.
	case errors.Is(err, core.ErrUnauthenticated):
		return errBearer
	default:
		return err
	}
	err = a.svc.LogoutSFCC(r.Context(), shopOf(r), q.Get("refresh_token"), c.ClientID, sessionID, hint == "all-sessions")
	if errors.Is(err, core.ErrUnauthenticated) || errors.Is(err, core.ErrInvalid) {
		return errBadRefresh
	}
	if err != nil {
		return err
	}
	noStore(w)
	return writeJSON(w, http.StatusOK, loggedOut)
}

// jwks publishes the keys that sign this dialect's tokens: the
// deployment's keys, the same set as /.well-known/jwks.json.
func (a *API) jwks(w http.ResponseWriter, r *http.Request) error {
	set, err := a.svc.SigningKeys(r.Context())
	if err != nil {
		return err
	}
	out := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	add := func(k core.SigningKey) {
		for _, have := range out.Keys {
			if have.KeyID == k.ID {
				return
			}
		}
		out.Keys = append(out.Keys, jose.JSONWebKey{Key: publicKey(k), KeyID: k.ID, Algorithm: k.Algorithm, Use: "sig"})
	}
	add(set.Signing)
	for _, k := range set.Verifying {
		add(k)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, err = w.Write(b)
	return err
}

// trustedSystemToken is the trusted-system flow (contract §4.7): a private
// client acts on behalf of a registered shopper named by login_id.
func (a *API) trustedSystemToken(w http.ResponseWriter, r *http.Request) error {
	f, err := form(w, r)
	if err != nil {
		return err
	}
	client, present, err := a.privateClient(r, f)
	if err != nil {
		return err
	}
	if !present {
		return errClientAuth
	}
	if f.Get("grant_type") != "client_credentials" {
		return errGrantType
	}
	if f.Get("hint") != "ts_ext_on_behalf_of" {
		return errBadHint
	}
	if f.Get("login_id") == "" || (f.Get("idp_origin") != "" && f.Get("idp_origin") != "ecom") {
		return errBadParams
	}
	if !bindingOf(r).HasSite(f.Get("channel_id")) {
		return errBadChannel
	}
	sh := shopOf(r)
	sp, err := a.svc.SFCCShopperFor(r.Context(), sh, f.Get("usid"), meta(r))
	if err != nil {
		return err
	}
	res, err := a.svc.StartSFCCTrustedSession(r.Context(), sh, sp, f.Get("login_id"), client.ClientID, f.Get("channel_id"), "sfcc:"+client.ClientID)
	if errors.Is(err, core.ErrNotFound) {
		return slasErr(http.StatusNotFound, "not_found", "Customer not found.")
	}
	if err != nil {
		return err
	}
	return a.issue(w, r, res)
}

// userinfo answers the OpenID userinfo of a registered shopper's token.
func (a *API) userinfo(w http.ResponseWriter, r *http.Request) error {
	tok := httpx.BearerToken(r)
	if tok == "" {
		return errBearer
	}
	p, _, err := a.authenticate(r.Context(), r, tok)
	if err != nil {
		if errors.Is(err, core.ErrUnauthenticated) {
			return errBearer
		}
		return err
	}
	if p.CustomerID == "" {
		return slasErr(http.StatusNotFound, "not_found", "Not found.")
	}
	c, err := a.svc.Customer(r.Context(), p)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(c.FirstName + " " + c.LastName)
	noStore(w)
	return writeJSON(w, http.StatusOK, map[string]string{
		"sub": wireID(c.ID), "customer_id": wireID(c.ID), "email": c.Email,
		"given_name": c.FirstName, "family_name": c.LastName, "name": name,
	})
}

// revoke ends the session of a refresh or access token (RFC 7009): a
// private client only, and 200 whether or not the token was valid, so the
// answer tells nothing about it.
func (a *API) revoke(w http.ResponseWriter, r *http.Request) error {
	f, err := form(w, r)
	if err != nil {
		return err
	}
	client, present, err := a.privateClient(r, f)
	if err != nil {
		return err
	}
	if !present {
		return errClientAuth
	}
	tok := f.Get("token")
	if tok == "" {
		return errBadParams
	}
	sh := shopOf(r)
	if strings.Count(tok, ".") == 2 {
		if p, _, err := a.authenticate(r.Context(), r, tok); err == nil {
			if b, err := a.svc.SFCCSessionBinding(r.Context(), sh, p.SessionID); err == nil && b.ClientID == client.ClientID {
				if err := a.svc.Logout(r.Context(), p, false); err != nil {
					return err
				}
			}
		}
	} else if err := a.svc.LogoutSFCC(r.Context(), sh, tok, client.ClientID, "", false); err != nil &&
		!errors.Is(err, core.ErrUnauthenticated) && !errors.Is(err, core.ErrInvalid) {
		return err
	}
	noStore(w)
	w.WriteHeader(http.StatusOK)
	return nil
}

// introspect tells a private client whether an access token of this
// dialect is live (RFC 7662).
func (a *API) introspect(w http.ResponseWriter, r *http.Request) error {
	f, err := form(w, r)
	if err != nil {
		return err
	}
	_, present, err := a.privateClient(r, f)
	if err != nil {
		return err
	}
	if !present {
		return errClientAuth
	}
	noStore(w)
	p, c, err := a.authenticate(r.Context(), r, f.Get("token"))
	if err != nil {
		return writeJSON(w, http.StatusOK, map[string]any{"active": false})
	}
	b, err := a.svc.SFCCSessionBinding(r.Context(), shopOf(r), p.SessionID)
	if err != nil {
		return writeJSON(w, http.StatusOK, map[string]any{"active": false})
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"active": true, "client_id": b.ClientID, "sub": c.Subject, "scope": scopes, "token_type": "Bearer",
		"iss": c.Issuer, "aud": c.Audience, "exp": c.ExpiresAt.Unix(), "iat": c.IssuedAt.Unix(), "jti": c.ID,
	})
}
