package securitytest

import (
	"crypto/rand"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testkit"
)

// randomToken is a guess in the shape of a reset token (256 bits).
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b64.EncodeToString(b)
}

func completeReset(t testing.TB, k *testkit.Kit, token, password string) *testkit.Response {
	t.Helper()
	return native(t, k, "POST", "/v1/password-resets/complete", "", map[string]string{"token": token, "password": password})
}

// Case 22: the reset link uses the store's configured page, whatever Host
// and X-Forwarded-Host say; a redirect_url off the allow-list is 400.
func case22(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("host@example.com")
		want(t, do(t, k, "POST", "/v1/password-resets", map[string]string{"email": c.Email},
			map[string]string{"X-Publishable-Key": k.PK, "Host": "evil.example", "X-Forwarded-Host": "evil.example"}), 202)
		ctxMail := mailToken(t, k, c.Email, "password_reset", 1)
		for _, m := range k.Mail.Messages() {
			if m.Kind == "password_reset" && (strings.Contains(m.Text, "evil.example") || !strings.Contains(m.Text, "https://shop.example/reset?token="+ctxMail)) {
				t.Fatalf("link not on the store's page: %q", m.Text)
			}
		}
		for _, bad := range []string{"https://evil.example/reset", "https://shop.example.evil.example/reset", "//evil.example/reset", "javascript:alert(1)"} {
			wantProblem(t, native(t, k, "POST", "/v1/password-resets", "", map[string]string{"email": c.Email, "redirect_url": bad}), 400, "redirect_url_not_allowed")
		}
	}, testkit.WithCore(relaxed()))
}

// Case 23: a reset token works once, also when used twice in parallel.
func case23(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("once@example.com")
		tok := requestReset(t, k, c.Email, 1)
		want(t, completeReset(t, k, tok, "a brand new secret"), 200)
		wantProblem(t, completeReset(t, k, tok, "another new secret"), 400, "reset_token_invalid")

		tok = requestReset(t, k, c.Email, 2)
		var wg sync.WaitGroup
		statuses := make(chan int, 8)
		for range 8 {
			wg.Go(func() { statuses <- completeReset(t, k, tok, "parallel new secret").Status })
		}
		wg.Wait()
		close(statuses)
		ok := 0
		for s := range statuses {
			switch s {
			case 200:
				ok++
			case 400:
			default:
				t.Errorf("parallel completion answered %d", s)
			}
		}
		if ok != 1 {
			t.Fatalf("%d parallel completions succeeded, want 1", ok)
		}
	}, testkit.WithCore(relaxed()))
}

// Case 24: a reset token expires (15 min by default, at most 30 min), and
// a newer request, a password change or an e-mail change invalidates every
// outstanding token.
func case24(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("expire@example.com")
		tok := requestReset(t, k, c.Email, 1)
		k.Clock.Advance(15*time.Minute + time.Second)
		wantProblem(t, completeReset(t, k, tok, "a brand new secret"), 400, "reset_token_invalid")

		first := requestReset(t, k, c.Email, 2)
		requestReset(t, k, c.Email, 3) // supersedes the first
		wantProblem(t, completeReset(t, k, first, "a brand new secret"), 400, "reset_token_invalid")

		third := requestReset(t, k, c.Email, 4)
		want(t, native(t, k, "POST", "/v1/customer/password", c.Access, map[string]string{"current_password": c.Password, "new_password": "changed it myself"}), 204)
		wantProblem(t, completeReset(t, k, third, "a brand new secret"), 400, "reset_token_invalid")

		d := k.Register("mailchange@example.com")
		fourth := requestReset(t, k, d.Email, 1)
		res := native(t, k, "POST", "/v1/customer/email", d.Access, map[string]string{"new_email": "new-address@example.com", "password": d.Password})
		if res.Status != 202 && res.Status != 200 && res.Status != 204 {
			t.Fatalf("e-mail change request: %d %s", res.Status, res.Body)
		}
		confirm := mailToken(t, k, "new-address@example.com", "email_change_confirmation", 1)
		res = native(t, k, "POST", "/v1/customer/email/confirm", "", map[string]string{"token": confirm})
		if res.Status >= 300 {
			t.Fatalf("e-mail change confirm: %d %s", res.Status, res.Body)
		}
		wantProblem(t, completeReset(t, k, fourth, "a brand new secret"), 400, "reset_token_invalid")
	}, testkit.WithCore(relaxed()))
}

// Case 25: guessing reset tokens is limited per IP (429) and never hits; a
// token issued for A cannot be used at another store; a reset token in a
// path or query never reaches the logs, and no mail carries an access or
// refresh token in a URL.
func case25(t *testing.T) {
	logs := &logBuffer{}
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("guess@example.com")
		limited := false
		for i := range 10000 {
			res := completeReset(t, k, randomToken(), "a brand new secret")
			if res.Status == http.StatusTooManyRequests {
				wantRetryAfter(t, res)
				limited = true
				if i > 30 {
					t.Fatalf("limited only after %d guesses", i)
				}
				break
			}
			wantProblem(t, res, 400, "reset_token_invalid")
		}
		if !limited {
			t.Fatal("10,000 guesses were never limited")
		}
		k.Clock.Advance(time.Hour)
		tok := requestReset(t, k, c.Email, 1)
		other := k.NewShop("Other")
		res := do(t, k, "POST", "/v1/password-resets/complete", map[string]string{"token": tok, "password": "a brand new secret"}, map[string]string{"X-Publishable-Key": other.PublishableKey})
		wantProblem(t, res, 400, "reset_token_invalid")
		// Secrets in URLs stay out of the access log.
		do(t, k, "POST", "/v1/password-resets/complete?token="+tok, map[string]string{"password": "x"}, map[string]string{"X-Publishable-Key": k.PK})
		do(t, k, "PATCH", spreeBase+"/password_resets/"+tok, map[string]string{"password": "x"}, map[string]string{"X-Spree-Api-Key": k.PK})
		do(t, k, "POST", "/medusa/auth/customer/emailpass/update?token="+tok, map[string]string{"password": "x"}, map[string]string{"X-Publishable-Api-Key": k.PK})
		if strings.Contains(logs.String(), tok) {
			t.Fatal("a reset token reached the logs")
		}
		if !strings.Contains(logs.String(), "password_resets/:redacted") {
			t.Fatalf("no access log line for the Spree reset route:\n%s", logs.String())
		}
		for _, m := range k.Mail.Messages() {
			if strings.Contains(m.Text, c.Refresh) || strings.Contains(m.Text, c.Access) || strings.Contains(m.Text, "eyJ") {
				t.Fatalf("a mail carries a session token: %q", m.Text)
			}
		}
	}, withLogs(logs))
}

// Case 26: a completed reset revokes every session, queues a notice, holds
// the new password to the policy, and logs in only where the wire format
// does (the /v1 and Spree answers carry new tokens; Medusa's do not).
func case26(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("done@example.com")
		second := login(t, k, c.Email, c.Password)
		tok := requestReset(t, k, c.Email, 1)
		wantProblem(t, completeReset(t, k, tok, "password1"), 422, "validation_failed")
		res := completeReset(t, k, tok, "a brand new secret")
		want(t, res, 200)
		if res.Str(t, "access_token") == "" || res.Str(t, "refresh_token") == "" {
			t.Fatalf("the /v1 reset answer carries no new session: %s", res.Body)
		}
		want(t, me(t, k, res.Str(t, "access_token")), 200)
		for _, old := range []string{c.Access, second.Str(t, "access_token")} {
			wantProblem(t, me(t, k, old), 401, "")
		}
		for _, old := range []string{c.Refresh, second.Str(t, "refresh_token")} {
			wantProblem(t, refresh(t, k, old), 401, "")
		}
		mailToken(t, k, c.Email, "password_reset", 1)
		found := false
		for _, m := range k.Mail.Messages() {
			found = found || (m.To == c.Email && m.Kind == "password_changed")
		}
		if !found {
			t.Fatal("no password-changed notice")
		}
		// Spree logs the customer in; Medusa v2 answers success only.
		sp := surfaces[1]
		sp.signup(t, k, k.PK, "spree-reset@example.com")
		stok := requestReset(t, k, "spree-reset@example.com", 1)
		r := do(t, k, "PATCH", spreeBase+"/password_resets/"+stok, map[string]string{"password": "a brand new secret", "password_confirmation": "a brand new secret"}, map[string]string{"X-Spree-Api-Key": k.PK})
		want(t, r, 200)
		if r.Str(t, "token") == "" {
			t.Fatalf("Spree's reset answer has no token: %s", r.Body)
		}
		md := surfaces[2]
		mtok := md.signup(t, k, k.PK, "medusa-reset@example.com")
		rtok := requestReset(t, k, "medusa-reset@example.com", 1)
		r = do(t, k, "POST", "/medusa/auth/customer/emailpass/update", map[string]string{"password": "a brand new secret"}, with(bearer(rtok), "X-Publishable-Api-Key", k.PK))
		want(t, r, 200)
		if strings.Contains(string(r.Body), "token") {
			t.Fatalf("Medusa's reset answer carries a token: %s", r.Body)
		}
		if r := md.me(t, k, k.PK, mtok); r.Status != 401 {
			t.Fatalf("Medusa session survived the reset: %d", r.Status)
		}
	}, testkit.WithCore(relaxed()))
}
