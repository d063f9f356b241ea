package httpapi_test

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testkit"
)

func requestReset(k *testkit.Kit, body map[string]string, hdr map[string]string) *testkit.Response {
	return k.Do(testkit.Req{Method: "POST", Path: "/v1/password-resets", Body: body, Header: hdr})
}

// resetToken waits for the n-th reset mail and returns the token in its
// link.
func resetToken(t *testing.T, k *testkit.Kit, n int) (token, link string) {
	t.Helper()
	m := waitMails(t, k, "password_reset", n)[n-1]
	for _, f := range strings.Fields(m.Text) {
		if strings.Contains(f, "token=") {
			u, err := url.Parse(f)
			if err != nil {
				t.Fatal(err)
			}
			return u.Query().Get("token"), f
		}
	}
	t.Fatalf("no link in mail: %q", m.Text)
	return "", ""
}

func TestPasswordResetFlow(t *testing.T) {
	k := newKit(t)
	c := k.Register("forgot@example.com")

	known := requestReset(k, map[string]string{"email": c.Email}, map[string]string{"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
	unknown := requestReset(k, map[string]string{"email": "ghost@example.com"}, nil)
	want(t, known, 202)
	want(t, unknown, 202)
	if string(known.Body) != string(unknown.Body) {
		t.Fatalf("known and unknown e-mails answered differently:\n%s\n%s", known.Body, unknown.Body)
	}
	token, link := resetToken(t, k, 1)
	if !strings.HasPrefix(link, "https://shop.example/reset?token=") {
		t.Fatalf("link %q does not use the store's reset page", link)
	}
	if n := len(mailsOf(k, "password_reset")); n != 1 {
		t.Fatalf("%d reset mails: the unknown e-mail produced mail", n)
	}

	done := k.Do(testkit.Req{Method: "POST", Path: "/v1/password-resets/complete", Body: map[string]string{"token": token, "password": "a brand new secret"}})
	want(t, done, 200)
	if done.Str(t, "access_token") == "" {
		t.Fatal("completing a reset did not log the customer in")
	}
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/password-resets/complete", Body: map[string]string{"token": token, "password": "yet another secret"}}), 400, "reset_token_invalid")

	// Every earlier session is gone; the new password works, the old does not.
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access}), 401)
	want(t, refresh(k, c.Refresh), 401)
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": "a brand new secret"}}), 200)
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": c.Password}}), 401)
	// A "password changed" notice followed.
	waitMail(t, k, "password_changed", c.Email)
}

func TestPasswordResetRules(t *testing.T) {
	k := newKit(t)
	c := k.Register("rules@example.com")
	complete := func(token string) *testkit.Response {
		return k.Do(testkit.Req{Method: "POST", Path: "/v1/password-resets/complete", Body: map[string]string{"token": token, "password": "a brand new secret"}})
	}

	t.Run("case=redirect_not_allowed", func(t *testing.T) {
		wantProblem(t, requestReset(k, map[string]string{"email": c.Email, "redirect_url": "https://evil.example/reset"}, nil), 400, "redirect_url_not_allowed")
	})
	t.Run("case=redirect_allowed", func(t *testing.T) {
		want(t, requestReset(k, map[string]string{"email": c.Email, "redirect_url": "https://shop.example/account/reset"}, nil), 202)
		_, link := resetToken(t, k, 1)
		if !strings.HasPrefix(link, "https://shop.example/account/reset?token=") {
			t.Fatalf("link = %q", link)
		}
	})
	t.Run("case=newer_request_invalidates_older", func(t *testing.T) {
		first, _ := resetToken(t, k, 1)
		want(t, requestReset(k, map[string]string{"email": c.Email}, nil), 202)
		second, _ := resetToken(t, k, 2)
		wantProblem(t, complete(first), 400, "reset_token_invalid")
		wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/password-resets/complete", Body: map[string]string{"token": second, "password": "password1"}}), 422, "validation_failed")
		k.Clock.Advance(16 * time.Minute)
		wantProblem(t, complete(second), 400, "reset_token_invalid")
	})
	t.Run("case=other_store", func(t *testing.T) {
		k.Clock.Advance(2 * time.Hour) // fresh per-e-mail budget
		want(t, requestReset(k, map[string]string{"email": c.Email}, nil), 202)
		tok, _ := resetToken(t, k, 3)
		other := k.NewShop("Other")
		wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/password-resets/complete", PK: other.PublishableKey, Body: map[string]string{"token": tok, "password": "a brand new secret"}}), 400, "reset_token_invalid")
	})
	t.Run("case=parallel_completion_single_use", func(t *testing.T) {
		tok, _ := resetToken(t, k, 3)
		var wg sync.WaitGroup
		statuses := make(chan int, 8)
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- complete(tok).Status
			}()
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
				t.Errorf("unexpected status %d", s)
			}
		}
		if ok != 1 {
			t.Fatalf("%d parallel completions succeeded, want exactly 1", ok)
		}
	})
	t.Run("case=password_change_invalidates_outstanding", func(t *testing.T) {
		k.Clock.Advance(2 * time.Hour)
		login := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": "a brand new secret"}})
		want(t, login, 200)
		before := len(mailsOf(k, "password_reset"))
		want(t, requestReset(k, map[string]string{"email": c.Email}, nil), 202)
		tok, _ := resetToken(t, k, before+1)
		want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/password", Token: login.Str(t, "access_token"),
			Body: map[string]string{"current_password": "a brand new secret", "new_password": "changed it myself"}}), 204)
		wantProblem(t, complete(tok), 400, "reset_token_invalid")
	})
}

func TestPasswordResetRateLimitPerEmail(t *testing.T) {
	k := newKit(t)
	var last *testkit.Response
	for i := 0; i < 6; i++ {
		last = requestReset(k, map[string]string{"email": "someone@example.com"}, nil)
	}
	wantProblem(t, last, 429, "rate_limited")
}
