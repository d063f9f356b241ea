package core_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

// s256 returns a PKCE verifier and its S256 challenge.
func s256(seed string) (verifier, challenge string) {
	verifier = strings.Repeat(seed, 43/len(seed)+1)[:43]
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// lastResetToken is the token of the newest reset mail to email.
func lastResetToken(t *testing.T, k *testkit.Kit, email string) string {
	t.Helper()
	tok := ""
	for _, m := range k.Mail.Messages() {
		if m.Kind == "password_reset" && m.To == email && m.Vars != nil {
			u, err := url.Parse(m.Vars.Link)
			if err != nil {
				t.Fatal(err)
			}
			tok = u.Query().Get("token")
		}
	}
	if tok == "" {
		t.Fatalf("no reset mail to %s", email)
	}
	return tok
}

func TestBoundPasswordReset(t *testing.T) {
	k := testkit.New(t)
	svc, sh := k.App.Service, k.Shop
	verifier, challenge := s256("verifier-a")
	otherVerifier, _ := s256("verifier-b")
	n := 0
	// issue registers a customer and mails them a reset bound to b.
	issue := func(t *testing.T, b core.ResetBinding) (email, token string) {
		t.Helper()
		n++
		email = "bound" + strings.Repeat("x", n) + "@example.com"
		k.Register(email)
		if err := svc.RequestBoundPasswordReset(t.Context(), sh, email, b, core.ClientMeta{IP: "198.51.100.1"}); err != nil {
			t.Fatal(err)
		}
		if err := svc.Drain(t.Context()); err != nil {
			t.Fatal(err)
		}
		return email, lastResetToken(t, k, email)
	}
	pkceBinding := core.ResetBinding{ClientID: "client-a", Challenge: challenge}
	crossBinding := core.ResetBinding{ClientID: "client-a", CrossDevice: true}

	for _, tc := range []struct {
		name    string
		binding core.ResetBinding
		// refused are proofs that must fail; email stands for the
		// customer's own login.
		refused []core.ResetProof
		right   core.ResetProof
	}{
		{"pkce", pkceBinding, []core.ResetProof{
			{ClientID: "client-a", Verifier: otherVerifier},               // wrong verifier
			{ClientID: "client-a"},                                        // missing verifier
			{ClientID: "client-a", Verifier: "short"},                     // malformed verifier
			{ClientID: "client-b", Verifier: verifier},                    // other client
			{Verifier: verifier},                                          // no client
			{ClientID: "client-a", Verifier: verifier, Email: "x@ex.com"}, // right proof, someone else's login
			{}, // CompletePasswordReset's empty proof
		}, core.ResetProof{ClientID: "client-a", Verifier: verifier}},
		{"cross_device", crossBinding, []core.ResetProof{
			{ClientID: "client-a"},                               // no user_id
			{ClientID: "client-a", Email: "someone@example.com"}, // wrong user_id
			{ClientID: "client-a", Email: "not an e-mail"},       // malformed user_id
			{ClientID: "client-b", Email: "email"},               // other client
			{},
		}, core.ResetProof{ClientID: "client-a", Email: "email"}},
		{"pkce_and_cross_device", core.ResetBinding{ClientID: "client-a", Challenge: challenge, CrossDevice: true}, []core.ResetProof{
			{ClientID: "client-a", Verifier: verifier}, // no user_id
			{ClientID: "client-a", Email: "email"},     // no verifier
			{ClientID: "client-a", Verifier: otherVerifier, Email: "email"},
		}, core.ResetProof{ClientID: "client-a", Verifier: verifier, Email: "email"}},
		{"unbound", core.ResetBinding{}, []core.ResetProof{
			{Email: "someone@example.com"}, // a login named must still be the customer's
		}, core.ResetProof{ClientID: "any-client", Verifier: otherVerifier}}, // nothing to prove: extras are ignored
	} {
		t.Run(tc.name, func(t *testing.T) {
			email, token := issue(t, tc.binding)
			// An address per case keeps the completion rate limit out of it.
			meta := core.ClientMeta{IP: "203.0.113." + strconv.Itoa(10+n)}
			own := func(p core.ResetProof) core.ResetProof {
				if p.Email == "email" {
					p.Email = strings.ToUpper(email) // logins compare normalised
				}
				return p
			}
			for i, p := range tc.refused {
				_, err := svc.CompletePasswordResetBound(t.Context(), sh, token, "Refused-password-77", own(p), meta)
				if core.CodeOf(err) != core.CodeResetTokenInvalid {
					t.Fatalf("refused proof %d %+v: %v, want %s", i, p, err, core.CodeResetTokenInvalid)
				}
			}
			// Nothing the refusals did consumed the token.
			if !svc.PasswordResetFor(t.Context(), sh, token, email) {
				t.Fatal("the token no longer works after refused proofs")
			}
			if _, err := svc.CompletePasswordResetBound(t.Context(), sh, token, "Accepted-password-78", own(tc.right), meta); err != nil {
				t.Fatalf("right proof: %v", err)
			}
			if _, err := svc.CompletePasswordResetBound(t.Context(), sh, token, "Accepted-password-79", own(tc.right), meta); core.CodeOf(err) != core.CodeResetTokenInvalid {
				t.Fatalf("second use: %v", err)
			}
		})
	}

	t.Run("a bound token does not complete without proof", func(t *testing.T) {
		email, token := issue(t, crossBinding)
		meta := core.ClientMeta{IP: "203.0.113.50"}
		if _, err := svc.CompletePasswordReset(t.Context(), sh, token, "Plain-password-80", meta); core.CodeOf(err) != core.CodeResetTokenInvalid {
			t.Fatalf("plain completion of a bound token: %v", err)
		}
		if _, err := svc.CompletePasswordResetBound(t.Context(), sh, token, "Plain-password-81", core.ResetProof{ClientID: "client-a", Email: email}, meta); err != nil {
			t.Fatalf("proof after a plain attempt: %v", err)
		}
	})

	t.Run("an unbound token completes as before", func(t *testing.T) {
		email := "unbound@example.com"
		k.Register(email)
		if err := svc.RequestPasswordReset(t.Context(), sh, email, "", core.ClientMeta{IP: "198.51.100.2"}); err != nil {
			t.Fatal(err)
		}
		if err := svc.Drain(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CompletePasswordReset(t.Context(), sh, lastResetToken(t, k, email), "Plain-password-82", core.ClientMeta{IP: "203.0.113.51"}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a weak password keeps a bound token", func(t *testing.T) {
		_, token := issue(t, pkceBinding)
		meta := core.ClientMeta{IP: "203.0.113.52"}
		right := core.ResetProof{ClientID: "client-a", Verifier: verifier}
		if _, err := svc.CompletePasswordResetBound(t.Context(), sh, token, "x", right, meta); err == nil || core.CodeOf(err) == core.CodeResetTokenInvalid {
			t.Fatalf("weak password: %v, want a policy error", err)
		}
		if _, err := svc.CompletePasswordResetBound(t.Context(), sh, token, "Strong-password-83", right, meta); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a malformed challenge is refused for known and unknown logins alike", func(t *testing.T) {
		k.Register("malformed@example.com")
		mails := len(k.Mail.Messages())
		for _, email := range []string{"malformed@example.com", "nobody@example.com"} {
			for _, ch := range []string{"plain", challenge + "A", strings.Repeat("!", 43)} {
				err := svc.RequestBoundPasswordReset(t.Context(), sh, email, core.ResetBinding{ClientID: "client-a", Challenge: ch}, core.ClientMeta{IP: "198.51.100.3"})
				if core.CodeOf(err) != core.CodeResetBindingInvalid {
					t.Fatalf("%s with %q: %v, want %s", email, ch, err, core.CodeResetBindingInvalid)
				}
			}
		}
		if err := svc.Drain(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := len(k.Mail.Messages()); got != mails {
			t.Fatalf("%d mails after refused requests", got-mails)
		}
	})
}

// The callback mode stores its binding too.
func TestBoundPasswordResetCallback(t *testing.T) {
	poster := &recordingPoster{status: 204}
	k := testkit.New(t, func(o *server.Options) { o.Callbacks = poster })
	svc, sh := k.App.Service, k.Shop
	known := k.Register("bound.callback@example.com")
	verifier, challenge := s256("callback-v")
	var token string
	cb := core.ResetCallback{
		URL: "https://hooks.shop.example/reset", Issuer: "dialect-issuer",
		Client:  &core.SFCCClient{ClientID: "client-a", CallbackURIs: []string{"https://hooks.shop.example/reset"}},
		Binding: core.ResetBinding{ClientID: "client-a", Challenge: challenge},
		Format: func(_, tok, _ string) ([]byte, map[string]string, error) {
			token = tok
			return []byte(`{}`), nil, nil
		},
	}
	meta := core.ClientMeta{IP: "203.0.113.60"}
	bad := cb
	bad.Binding.Challenge = "not-a-challenge"
	if err := svc.RequestPasswordResetCallback(t.Context(), sh, known.Email, bad, meta); core.CodeOf(err) != core.CodeResetBindingInvalid {
		t.Fatalf("malformed challenge: %v", err)
	}
	if err := svc.RequestPasswordResetCallback(t.Context(), sh, known.Email, cb, meta); err != nil {
		t.Fatal(err)
	}
	if err := svc.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(poster.calls()); n != 1 || token == "" {
		t.Fatalf("%d POSTs, token %q", n, token)
	}
	if _, err := svc.CompletePasswordResetBound(t.Context(), sh, token, "Callback-password-84", core.ResetProof{ClientID: "client-a"}, meta); core.CodeOf(err) != core.CodeResetTokenInvalid {
		t.Fatalf("without the verifier: %v", err)
	}
	if _, err := svc.CompletePasswordResetBound(t.Context(), sh, token, "Callback-password-85", core.ResetProof{ClientID: "client-a", Verifier: verifier}, meta); err != nil {
		t.Fatalf("with the verifier: %v", err)
	}
}
