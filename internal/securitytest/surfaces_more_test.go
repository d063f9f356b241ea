package securitytest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/clientele/clientele/internal/core"

	"github.com/clientele/clientele/internal/testkit"
)

// bagistoBase is the Bagisto dialect's base pinned to a store by its
// publishable key (contract: /bagisto/stores/{pk}).
func bagistoBase(pk string) string { return "/bagisto/stores/" + pk }

// bagistoSurface is the Bagisto dialect through its legacy family (the
// one the SDK speaks by default). Its ids are integers, so case 27's
// missing id is a large integer rather than a ghost of a prefixed id.
var bagistoSurface = surface{
	name: "bagisto",
	signup: func(t testing.TB, k *testkit.Kit, pk, email string) string {
		t.Helper()
		want(t, do(t, k, "POST", bagistoBase(pk)+"/api/customer/register", map[string]any{"first_name": "Ada", "last_name": "B", "email": email, "password": pw, "password_confirmation": pw}, nil), 200)
		r := do(t, k, "POST", bagistoBase(pk)+"/api/customer/login?token=true", map[string]any{"email": email, "password": pw}, nil)
		want(t, r, 200)
		return r.Str(t, "token")
	},
	register: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
		return do(t, k, "POST", bagistoBase(pk)+"/api/customer/register", map[string]any{"first_name": "Ada", "last_name": "B", "email": email, "password": pw, "password_confirmation": pw}, nil)
	},
	login: func(t testing.TB, k *testkit.Kit, pk, email, password string) *testkit.Response {
		return do(t, k, "POST", bagistoBase(pk)+"/api/customer/login?token=true", map[string]any{"email": email, "password": password}, nil)
	},
	reset: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
		return do(t, k, "POST", bagistoBase(pk)+"/api/customer/forgot-password", map[string]any{"email": email}, nil)
	},
	me: func(t testing.TB, k *testkit.Kit, pk, token string) *testkit.Response {
		return do(t, k, "GET", bagistoBase(pk)+"/api/customer/get", nil, bearer(token))
	},
	addAddress: func(t testing.TB, k *testkit.Kit, pk, token string) string {
		t.Helper()
		r := do(t, k, "POST", bagistoBase(pk)+"/api/addresses/create", map[string]any{"address1": []string{"1 Main St"}, "country": "US", "state": "NY", "city": "NYC", "postcode": "10001", "phone": "1"}, bearer(token))
		want(t, r, 200)
		return fmt.Sprint(r.JSON(t)["data"].(map[string]any)["id"])
	},
	address: func(t testing.TB, k *testkit.Kit, pk, token, method, id string) *testkit.Response {
		var body any
		if method == "PATCH" {
			method, body = "PUT", map[string]any{"first_name": "x", "last_name": "y", "address1": []string{"1 Main St"}, "country": "US", "state": "NY", "city": "Hijacked", "postcode": "10001", "phone": "1"}
		}
		return do(t, k, method, bagistoBase(pk)+"/api/addresses/"+id, body, bearer(token))
	},
	unauthorized: 401,
}

// missingID is an id of the same shape as id that names nothing: a ghost
// of a prefixed id, or an integer no row reaches for a numeric one.
func missingID(id string) string {
	if cust, rest, ok := strings.Cut(id, "/"); ok { // SFCC: customer/addresses/name
		return strings.Repeat("0", len(cust)) + "/" + rest
	}
	if _, err := fmt.Sscan(id, new(int64)); err == nil {
		return "2147483647"
	}
	return ghostID("/x/y/z/" + id)[len("/x/y/z/"):]
}

// SFCC identifiers: the dev organization, client and site the oldest
// store (the kit's) answers to, and the loopback redirect URI SLAS allows.
const (
	sfccOrg    = "f_ecom_clnt_dev"
	sfccClient = "c11e47e1-5fcc-4d1a-8000-000000000001"
	sfccSite   = "RefArch"
	sfccCB     = "http://localhost:3000/callback"
)

// sfccShopperIDs remembers the wire customer id behind each access token
// signup issued: SFCC names the customer in every path, the surface
// hooks get only the token. A token it never issued gets a made-up id
// (the request is refused before the id matters).
var sfccShopperIDs sync.Map

// sfccOrgOf is the organization that reaches the store with key pk: the
// dev organization for the kit's store, a binding made on first use for
// any other store.
func sfccOrgOf(t testing.TB, k *testkit.Kit, pk string) string {
	t.Helper()
	if pk == k.PK {
		return sfccOrg
	}
	ctx := context.Background()
	sh, err := k.App.Service.ShopByKey(ctx, pk, core.KeyPublishable)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := k.App.Service.SFCCBindingOf(ctx, sh.ID); err == nil {
		return b.OrganizationID
	}
	h := fmt.Sprintf("%x", sha256.Sum256([]byte(sh.ID)))
	b, err := k.App.Service.SetSFCCBinding(ctx, sh.ID, core.SFCCBinding{
		OrganizationID: "f_ecom_" + h[:4] + "_" + h[4:7], SiteIDs: []string{sfccSite},
		Clients: []core.SFCCClient{{ClientID: "sec-client", RedirectURIs: []string{"https://y.example/cb"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.OrganizationID
}

// sfccSend sends a SLAS form (url.Values) or a JSON body without following
// redirects: SLAS answers authorize and login with a 303 to the client.
func sfccSend(t testing.TB, k *testkit.Kit, method, path string, body any, hdr map[string]string) *testkit.Response {
	t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ct = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		raw, _ := json.Marshal(b)
		rd, ct = bytes.NewReader(raw), "application/json"
	}
	req, err := http.NewRequest(method, k.Server.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for h, v := range hdr {
		req.Header.Set(h, v)
	}
	c := *k.Server.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return &testkit.Response{Status: res.StatusCode, Header: res.Header, Body: raw}
}

func sfccAuth(org string) string { return "/sfcc/shopper/auth/v1/organizations/" + org + "/oauth2" }
func sfccCust(org string) string {
	return "/sfcc/customer/shopper-customers/v1/organizations/" + org + "/customers"
}

// sfccPKCE is a fresh PKCE verifier and its S256 challenge.
func sfccPKCE() (string, string) {
	v := rand.Text() + rand.Text()
	sum := sha256.Sum256([]byte(v))
	return v, base64.RawURLEncoding.EncodeToString(sum[:])
}

// sfccCode takes the authorization code out of a SLAS 303.
func sfccCode(t testing.TB, r *testkit.Response) string {
	t.Helper()
	want(t, r, http.StatusSeeOther)
	loc, err := url.Parse(r.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc.Query().Get("code")
}

// sfccExchange redeems a code for the token response.
func sfccExchange(t testing.TB, k *testkit.Kit, code, verifier string) *testkit.Response {
	t.Helper()
	r := sfccSend(t, k, "POST", sfccAuth(sfccOrg)+"/token", url.Values{
		"grant_type": {"authorization_code_pkce"}, "code": {code}, "code_verifier": {verifier},
		"client_id": {sfccClient}, "redirect_uri": {sfccCB}, "channel_id": {sfccSite},
	}, nil)
	want(t, r, 200)
	return r
}

// sfccGuest is a guest shopper's access token (authorize → code → token).
func sfccGuest(t testing.TB, k *testkit.Kit) string {
	t.Helper()
	v, ch := sfccPKCE()
	r := sfccSend(t, k, "GET", sfccAuth(sfccOrg)+"/authorize?"+url.Values{
		"redirect_uri": {sfccCB}, "response_type": {"code"}, "client_id": {sfccClient}, "hint": {"guest"}, "channel_id": {sfccSite}, "code_challenge": {ch},
	}.Encode(), nil, nil)
	return sfccExchange(t, k, sfccCode(t, r), v).Str(t, "access_token")
}

// sfccLogin is the SLAS shopper login (Basic credentials) with a challenge.
func sfccLogin(t testing.TB, k *testkit.Kit, challenge, email, password string) *testkit.Response {
	return sfccSend(t, k, "POST", sfccAuth(sfccOrg)+"/login", url.Values{
		"redirect_uri": {sfccCB}, "client_id": {sfccClient}, "channel_id": {sfccSite}, "code_challenge": {challenge},
	}, map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(email+":"+password))})
}

// sfccSurface is the SFCC dialect: SLAS for login and reset, Shopper
// Customers for the rest. Its refusal of another customer's id in the
// path is 400 invalid-customer (contract §5.1), the same for every id
// that is not the caller's, so case 27 names B's customer and address.
var sfccSurface = surface{
	name: "sfcc",
	signup: func(t testing.TB, k *testkit.Kit, pk, email string) string {
		t.Helper()
		r := sfccSend(t, k, "POST", sfccCust(sfccOrg)+"?siteId="+sfccSite, map[string]any{"customer": map[string]any{"login": email, "lastName": "B"}, "password": pw}, bearer(sfccGuest(t, k)))
		want(t, r, 200)
		v, ch := sfccPKCE()
		tok := sfccExchange(t, k, sfccCode(t, sfccLogin(t, k, ch, email, pw)), v)
		access := tok.Str(t, "access_token")
		sfccShopperIDs.Store(access, tok.Str(t, "customer_id"))
		return access
	},
	register: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
		return sfccSend(t, k, "POST", sfccCust(sfccOrg)+"?siteId="+sfccSite, map[string]any{"customer": map[string]any{"login": email, "lastName": "B"}, "password": pw}, bearer(sfccGuest(t, k)))
	},
	login: func(t testing.TB, k *testkit.Kit, pk, email, password string) *testkit.Response {
		_, ch := sfccPKCE()
		return sfccLogin(t, k, ch, email, password)
	},
	reset: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
		return sfccSend(t, k, "POST", sfccAuth(sfccOrg)+"/password/reset", url.Values{
			"user_id": {email}, "mode": {"email"}, "channel_id": {sfccSite}, "client_id": {sfccClient}, "hint": {"cross_device"},
		}, nil)
	},
	me: func(t testing.TB, k *testkit.Kit, pk, token string) *testkit.Response {
		id := "abcdefghijklmnopqrstuv"
		if v, ok := sfccShopperIDs.Load(token); ok {
			id = v.(string)
		}
		return sfccSend(t, k, "GET", sfccCust(sfccOrgOf(t, k, pk))+"/"+id+"?siteId="+sfccSite, nil, bearer(token))
	},
	addAddress: func(t testing.TB, k *testkit.Kit, pk, token string) string {
		t.Helper()
		v, _ := sfccShopperIDs.Load(token)
		id, _ := v.(string)
		r := sfccSend(t, k, "POST", sfccCust(sfccOrg)+"/"+id+"/addresses?siteId="+sfccSite, map[string]any{"addressId": "home", "lastName": "B", "city": "Boston", "countryCode": "US"}, bearer(token))
		want(t, r, 200)
		return id + "/addresses/" + r.Str(t, "addressId")
	},
	address: func(t testing.TB, k *testkit.Kit, pk, token, method, id string) *testkit.Response {
		var body any
		if method == "PATCH" {
			body = map[string]any{"city": "Hijacked"}
		}
		return sfccSend(t, k, method, sfccCust(sfccOrg)+"/"+id+"?siteId="+sfccSite, body, bearer(token))
	},
	unauthorized: 401,
	foreign:      400,
}
