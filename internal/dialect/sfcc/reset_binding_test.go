package sfcc_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/clientele/clientele/internal/core"
)

// Two public clients of one store, so a token asked for by one can be
// tried by the other; a has the callback URIs bindingStack is given.
const bindOrg, clientA, clientB = "f_ecom_abcd_001", "storefront-a", "storefront-b"

func bindingStack(t *testing.T, callbacks ...string) *stack {
	t.Helper()
	s := newStack(t, allowPrivate())
	if _, err := s.App.Service.SetSFCCBinding(context.Background(), s.Shop.ID, core.SFCCBinding{
		OrganizationID: bindOrg, SiteIDs: []string{site},
		Clients: []core.SFCCClient{
			{ClientID: clientA, RedirectURIs: []string{"https://shop.example/callback"}, CallbackURIs: callbacks},
			{ClientID: clientB, RedirectURIs: []string{"https://shop.example/callback"}},
		},
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

// mailedToken is the token of the newest reset mail to email.
func (s *stack) mailedToken(email string) string {
	s.t.Helper()
	tok := ""
	for _, m := range s.Mail.Messages() {
		if m.Kind == "password_reset" && m.To == email && m.Vars != nil {
			u, err := url.Parse(m.Vars.Link)
			if err != nil {
				s.t.Fatal(err)
			}
			tok = u.Query().Get("token")
		}
	}
	if tok == "" {
		s.t.Fatalf("no reset mail to %s", email)
	}
	return tok
}

// slasAction posts /oauth2/password/action for org with the given extra
// fields (client_id, code_verifier, user_id…) and headers.
func (s *stack) slasAction(org, token, password string, extra url.Values, header map[string]string) reply {
	s.t.Helper()
	f := url.Values{"pwd_action_token": {token}, "new_password": {password}, "channel_id": {site}}
	for k, v := range extra {
		f[k] = v
	}
	if header == nil {
		header = map[string]string{"Authorization": ""}
	}
	return s.send("POST", authBase+org+"/oauth2/password/action", f, header)
}

func (s *stack) slasReset(org string, f url.Values, header map[string]string) reply {
	s.t.Helper()
	f.Set("channel_id", site)
	if header == nil {
		header = map[string]string{"Authorization": ""}
	}
	return s.send("POST", authBase+org+"/oauth2/password/reset", f, header)
}

const badToken = "Invalid password action token."

// The action's refusals of a bound token (contract §4.6): each is the
// invalid-token 400 and leaves the token usable; the right proof then
// succeeds once.
func TestResetBindingMail(t *testing.T) {
	s := bindingStack(t)
	verifier, challenge := pkce()
	other, _ := pkce()
	other = "w" + other[1:] // same shape, another verifier

	for _, tc := range []struct {
		name    string
		request url.Values
		refused []url.Values
		right   url.Values
	}{
		{"code_challenge", url.Values{"client_id": {clientA}, "code_challenge": {challenge}}, []url.Values{
			{"client_id": {clientA}},                              // no code_verifier
			{"client_id": {clientA}, "code_verifier": {other}},    // wrong code_verifier
			{"client_id": {clientA}, "code_verifier": {"short"}},  // malformed code_verifier
			{"client_id": {clientB}, "code_verifier": {verifier}}, // another client
			{"client_id": {clientA}, "code_verifier": {verifier}, "user_id": {"someone@example.com"}},
		}, url.Values{"client_id": {clientA}, "code_verifier": {verifier}}},
		{"cross_device", url.Values{"client_id": {clientA}, "hint": {"cross_device"}}, []url.Values{
			{"client_id": {clientA}, "hint": {"cross_device"}},                                     // no user_id
			{"client_id": {clientA}, "hint": {"cross_device"}, "user_id": {"someone@example.com"}}, // wrong user_id
			{"client_id": {clientB}, "hint": {"cross_device"}, "user_id": {"USER"}},                // another client
		}, url.Values{"client_id": {clientA}, "hint": {"cross_device"}, "user_id": {"USER"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			email := tc.name + "@example.com"
			s.Register(email)
			own := func(v url.Values) url.Values {
				if v.Get("user_id") == "USER" {
					v.Set("user_id", email)
				}
				return v
			}
			req := url.Values{"user_id": {email}, "mode": {"email"}}
			for k, v := range tc.request {
				req[k] = v
			}
			if r := s.slasReset(bindOrg, req, nil); r.status != 200 || len(r.body) != 0 {
				t.Fatalf("reset: %d %s", r.status, r.body)
			}
			s.drain()
			tok := s.mailedToken(email)
			for _, p := range tc.refused {
				wantSLAS(t, s.slasAction(bindOrg, tok, "Refused-password-71", own(p), nil), 400, "invalid_request", badToken)
			}
			if r := s.slasAction(bindOrg, tok, "Accepted-password-72", own(tc.right), nil); r.status != 200 || len(r.body) != 0 {
				t.Fatalf("right proof after refusals: %d %s", r.status, r.body)
			}
			wantSLAS(t, s.slasAction(bindOrg, tok, "Accepted-password-73", own(tc.right), nil), 400, "invalid_request", badToken)
		})
	}

	t.Run("private client", func(t *testing.T) {
		// Basic client_id:sk_… needs no challenge; the token is still bound
		// to the client.
		const email = "private@example.com"
		s.Register(email)
		basic := map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(clientA+":"+s.SK))}
		if r := s.slasReset(bindOrg, url.Values{"user_id": {email}, "mode": {"email"}}, basic); r.status != 200 {
			t.Fatalf("reset: %d %s", r.status, r.body)
		}
		s.drain()
		tok := s.mailedToken(email)
		wantSLAS(t, s.slasAction(bindOrg, tok, "Private-password-74", url.Values{"client_id": {clientB}}, nil), 400, "invalid_request", badToken)
		if r := s.slasAction(bindOrg, tok, "Private-password-75", nil, basic); r.status != 200 {
			t.Fatalf("same private client: %d %s", r.status, r.body)
		}
	})

	t.Run("malformed code_challenge", func(t *testing.T) {
		s.Register("malformed@example.com")
		mails := s.resetMails()
		for _, user := range []string{"malformed@example.com", "nobody@example.com"} {
			for _, ch := range []string{"plain", challenge + "A"} {
				wantSLAS(t, s.slasReset(bindOrg, url.Values{"user_id": {user}, "mode": {"email"}, "client_id": {clientA}, "code_challenge": {ch}}, nil),
					400, "invalid_request", "Bad or missing request parameters.")
			}
		}
		s.drain()
		if n := s.resetMails(); n != mails {
			t.Fatalf("%d reset mails after refused requests", n-mails)
		}
	})
}

// A SLAS token is bound, so the legacy Shopper Customers reset, which
// brings no proof, does not complete it.
func TestResetBindingNotThroughLegacyReset(t *testing.T) {
	s := newStack(t)
	s.customer("legacy.bound@example.com")
	if r := s.slasReset(devOrg, url.Values{"user_id": {"legacy.bound@example.com"}, "mode": {"email"}, "client_id": {devClient}, "hint": {"cross_device"}}, nil); r.status != 200 {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	s.drain()
	tok := s.mailedToken("legacy.bound@example.com")
	legacy := custBase + devOrg + "/customers/password/actions/reset?siteId=" + site
	wantProblem(t, s.send("POST", legacy, map[string]any{"resetToken": tok, "login": "legacy.bound@example.com", "newPassword": "Legacy-password-76!"}, bearer(s.guest())),
		400, "invalid-reset-token")
	if r := s.slasAction(devOrg, tok, "Slas-password-77!", url.Values{"client_id": {devClient}, "user_id": {"legacy.bound@example.com"}}, nil); r.status != 200 {
		t.Fatalf("SLAS action after the legacy refusal: %d %s", r.status, r.body)
	}
}

// The callback mode binds its token the same way.
func TestResetBindingCallback(t *testing.T) {
	rc := newReceiver(t, nil)
	s := bindingStack(t, rc.URL+"/reset")
	const email = "callback.bound@example.com"
	s.Register(email)
	verifier, challenge := pkce()
	r := s.slasReset(bindOrg, url.Values{"user_id": {email}, "mode": {"callback"}, "client_id": {clientA}, "code_challenge": {challenge}, "callback_uri": {rc.URL + "/reset"}}, nil)
	if r.status != 200 {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	s.drain()
	hits := rc.seen()
	var body map[string]string
	if len(hits) != 1 || json.Unmarshal(hits[0].body, &body) != nil || body["token"] == "" {
		t.Fatalf("callbacks %v", hits)
	}
	tok := body["token"]
	wantSLAS(t, s.slasAction(bindOrg, tok, "Callback-password-78", url.Values{"client_id": {clientA}}, nil), 400, "invalid_request", badToken)
	wantSLAS(t, s.slasAction(bindOrg, tok, "Callback-password-79", url.Values{"client_id": {clientB}, "code_verifier": {verifier}}, nil), 400, "invalid_request", badToken)
	if r := s.slasAction(bindOrg, tok, "Callback-password-80", url.Values{"client_id": {clientA}, "code_verifier": {verifier}}, nil); r.status != 200 {
		t.Fatalf("right verifier: %d %s", r.status, r.body)
	}
}
