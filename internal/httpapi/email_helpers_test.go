package httpapi_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// waitMail waits for a message of kind to the address and returns it,
// failing the test if none arrives. Earlier matches are skipped: it
// returns the newest.
func waitMail(t *testing.T, k *testkit.Kit, kind, to string) core.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for n := 1; ; n++ {
		msgs, err := k.Mail.Wait(ctx, n)
		if err != nil {
			t.Fatalf("no %s mail to %s; got %d messages", kind, to, len(msgs))
		}
		if n < len(msgs) {
			n = len(msgs)
		}
		for i := len(msgs) - 1; i >= 0; i-- {
			if msgs[i].Kind == kind && strings.EqualFold(msgs[i].To, to) {
				return msgs[i]
			}
		}
	}
}

// waitMails waits until n messages of kind were sent and returns them all,
// oldest first; other kinds (a sign-up's welcome mail) do not count.
func waitMails(t *testing.T, k *testkit.Kit, kind string, n int) []core.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for seen := 1; ; seen++ {
		msgs, err := k.Mail.Wait(ctx, seen)
		var of []core.Message
		for _, m := range msgs {
			if m.Kind == kind {
				of = append(of, m)
			}
		}
		if len(of) >= n {
			return of
		}
		if err != nil {
			t.Fatalf("%d %s mails, want %d", len(of), kind, n)
		}
		seen = max(seen, len(msgs))
	}
}

// mailsOf returns the messages of kind sent so far.
func mailsOf(k *testkit.Kit, kind string) []core.Message {
	var of []core.Message
	for _, m := range k.Mail.Messages() {
		if m.Kind == kind {
			of = append(of, m)
		}
	}
	return of
}

// mailLink returns the link with a token in a message and its token.
func mailLink(t *testing.T, m core.Message) (link, token string) {
	t.Helper()
	for _, f := range strings.Fields(m.Text) {
		if strings.Contains(f, "token=") {
			u, err := url.Parse(f)
			if err != nil {
				t.Fatal(err)
			}
			return f, u.Query().Get("token")
		}
	}
	t.Fatalf("no link in the %s mail: %q", m.Kind, m.Text)
	return "", ""
}

// mailCount is how many messages were sent so far.
func mailCount(k *testkit.Kit) int { return len(k.Mail.Messages()) }

// shopEvents lists the kit store's outbox events of one type.
func shopEvents(t *testing.T, k *testkit.Kit, typ string) []core.Event {
	t.Helper()
	p, err := k.App.Service.Events(context.Background(), k.Shop.ID, typ, core.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

// loginAs logs in and returns the response.
func loginAs(k *testkit.Kit, email, password string) *testkit.Response {
	return k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": email, "password": password}})
}

// verifyEmail runs the verification flow for c and returns the confirmation.
func verifyEmail(t *testing.T, k *testkit.Kit, c *testkit.Customer) *testkit.Response {
	t.Helper()
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/email-verification", Token: c.Access, Body: map[string]any{}}), 202)
	_, token := mailLink(t, waitMail(t, k, "email_verification", c.Email))
	res := k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/email-verification/confirm", Body: map[string]string{"token": token}})
	want(t, res, 200)
	return res
}

// onEachDB runs a test on a kit over SQLite and over PostgreSQL (skipped,
// or failed under CLIENTELE_REQUIRE_ALL=1, without it).
func onEachDB(t *testing.T, run func(t *testing.T, k *testkit.Kit)) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run("db="+backend, func(t *testing.T) {
			var opts []testkit.Option
			if backend == "postgres" {
				opts = append(opts, testkit.WithPostgres(t))
			}
			run(t, newKit(t, opts...))
		})
	}
}
