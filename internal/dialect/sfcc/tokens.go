package sfcc

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// scopes is the scp claim of every shopper token (contract §3.2).
const scopes = "sfcc.shopper-myaccount.rw sfcc.shopper-customers.login sfcc.shopper-customers.register " +
	"sfcc.shopper-myaccount.addresses.rw sfcc.shopper-myaccount.paymentinstruments.rw " +
	"sfcc.shopper-myaccount.productlists.rw sfcc.shopper-myaccount.orders sfcc.shopper-standard"

// maxISB bounds the isb claim; PWA Kit stores it.
const maxISB = 256

// tokenResponse is SLAS's TokenResponse (contract §3.1).
type tokenResponse struct {
	AccessToken           string `json:"access_token"`
	IDToken               string `json:"id_token"`
	RefreshToken          string `json:"refresh_token"`
	ExpiresIn             int64  `json:"expires_in"`
	RefreshTokenExpiresIn int64  `json:"refresh_token_expires_in"`
	TokenType             string `json:"token_type"`
	USID                  string `json:"usid"`
	CustomerID            string `json:"customer_id"`
	EncUserID             string `json:"enc_user_id"`
	IDPAccessToken        string `json:"idp_access_token"`
	DNT                   string `json:"dnt,omitempty"`
}

// wireID drops core's type prefix: cus_01J… → 01J….
func wireID(id string) string {
	if _, rest, ok := strings.Cut(id, "_"); ok {
		return rest
	}
	return id
}

// shopperIDs returns the wire customer_id and the gcid of a session.
func shopperIDs(sess *core.Session) (customerID, gcid string) {
	gcid = wireID(sess.GuestID)
	if sess.CustomerID != "" {
		return wireID(sess.CustomerID), gcid
	}
	return gcid, gcid
}

// issue signs the SLAS-shaped access token of a started or refreshed
// session and writes the token response.
func (a *API) issue(w http.ResponseWriter, r *http.Request, res *core.SFCCSessionResult) error {
	sh, b := shopOf(r), bindingOf(r)
	tok, ttl, err := a.svc.ShapedToken(r.Context(), sh, res.Session.ID, shape(b, res.Binding, res.Session, res.Customer))
	if err != nil {
		return err
	}
	cid, _ := shopperIDs(res.Session)
	sum := md5.Sum([]byte(cid))
	rest := time.Until(res.Session.ExpiresAt)
	if rest < 0 {
		rest = 0
	}
	out := tokenResponse{
		AccessToken: tok, RefreshToken: res.RefreshToken, ExpiresIn: int64(ttl / time.Second),
		RefreshTokenExpiresIn: int64(rest / time.Second), TokenType: "Bearer", USID: res.Binding.USID,
		CustomerID: cid, EncUserID: strings.ToUpper(hex.EncodeToString(sum[:])), DNT: res.Binding.DNT,
	}
	noStore(w)
	return writeJSON(w, http.StatusOK, out)
}

// shape is the SLAS claim layout (contract §3.2) of a session's token.
func shape(b *core.SFCCBinding, sb *core.SFCCSession, sess *core.Session, c *core.Customer) core.TokenShape {
	t := tenant(b)
	claims := map[string]any{
		"isb": isb(sb.ChannelID, sess, c),
		"ctx": "slas", "sty": "User", "aut": "GUID", "ist": 1, "scp": scopes,
	}
	switch sb.DNT {
	case "true":
		claims["dnt"] = "1"
	case "false":
		claims["dnt"] = "0"
	}
	return core.TokenShape{
		Issuer:    issuer(b),
		Subject:   "cc-slas::" + t + "::scid:" + sb.ClientID + "::usid:" + sb.USID,
		Audience:  "commercecloud/prod/" + t,
		Type:      "jwt",
		NotBefore: true,
		Claims:    claims,
	}
}

// isb is the identity claim PWA Kit splits on "::" and reads by index:
// five parts for a guest (index 1 exactly upn:Guest), six for a
// registered shopper (index 4 rcid), chid last. Over maxISB characters,
// uidn is shortened first, then upn.
func isb(channel string, sess *core.Session, c *core.Customer) string {
	cid, gcid := shopperIDs(sess)
	if c == nil {
		return "uido:slas::upn:Guest::uidn:Guest User::gcid:" + gcid + "::chid:" + channel
	}
	upn := escapeISB(c.Email)
	uidn := strings.TrimSpace(c.FirstName + " " + c.LastName)
	if uidn == "" {
		uidn = c.Email
	}
	uidn = escapeISB(uidn)
	// A trusted-system session names the flow just before chid, so PWA
	// Kit's reads of indices 1 and 4 still hold.
	tsob := ""
	if sess.UserAgent == core.TrustedUserAgent {
		tsob = "::tsob:ts_ext_on_behalf_of"
	}
	build := func() string {
		return "uido:ecom::upn:" + upn + "::uidn:" + uidn + "::gcid:" + gcid + "::rcid:" + cid + tsob + "::chid:" + channel
	}
	// A part is never cut to nothing: "uidn:" before "::" would read as a
	// separator.
	if over := len(build()) - maxISB; over > 0 {
		uidn = nonEmpty(cutEscaped(uidn, len(uidn)-over))
	}
	if over := len(build()) - maxISB; over > 0 {
		upn = nonEmpty(cutEscaped(upn, len(upn)-over))
	}
	return build()
}

func nonEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// escapeISB writes ":" as %3A so values cannot add "::" separators.
func escapeISB(s string) string { return strings.ReplaceAll(s, ":", "%3A") }

// cutEscaped shortens s to at most n bytes without splitting a %3A escape
// or a UTF-8 sequence.
func cutEscaped(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if n >= len(s) {
		return s
	}
	s = s[:n]
	if i := strings.LastIndexByte(s, '%'); i >= 0 && i >= len(s)-2 {
		s = s[:i]
	}
	for len(s) > 0 && s[len(s)-1]&0xC0 == 0x80 {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] >= 0xC0 {
		s = s[:len(s)-1]
	}
	return s
}

// authenticate verifies a SLAS access token of the request's store and
// returns its principal.
func (a *API) authenticate(ctx context.Context, r *http.Request, token string) (*core.Principal, *core.AccessClaims, error) {
	return a.svc.AuthenticateShaped(ctx, shopOf(r), token, issuer(bindingOf(r)), "jwt", core.ScopeCustomer, core.ScopeGuest)
}

func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}

// writeJSON writes v with SLAS's and SCAPI's content type.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}
