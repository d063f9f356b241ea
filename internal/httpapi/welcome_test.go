package httpapi_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mailtmpl"
	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

// lateSource reads templates from a store that exists only once the kit
// is built; nothing is sent before then.
type lateSource struct{ st core.Store }

func (l *lateSource) GetMailTemplate(ctx context.Context, shopID, kind string) (*core.MailTemplate, error) {
	return l.st.GetMailTemplate(ctx, shopID, kind)
}

// renderedKit is a kit whose recorder sees mail as the real stack sends
// it: rendered by mailtmpl with the store's own templates.
func renderedKit(t *testing.T) *testkit.Kit {
	src := &lateSource{}
	k := newKit(t, func(o *server.Options) { o.Mailer = mailtmpl.NewRenderer(o.Mailer, src, nil) })
	src.st = k.App.Store
	return k
}

// flushMail asks for a reset of email (a known customer) and waits for
// its mail. Mail is recorded in the order core sends it (here and through
// the production queue's single worker), so once the reset is recorded
// anything sent before it is too: what is missing then was never sent.
func flushMail(t *testing.T, k *testkit.Kit, email string) {
	t.Helper()
	before := len(mailsOf(k, "password_reset"))
	want(t, requestReset(k, map[string]string{"email": email}, nil), 202)
	waitMails(t, k, "password_reset", before+1)
}

// welcomedTo lists who got a welcome mail so far, in order.
func welcomedTo(k *testkit.Kit) []string {
	var to []string
	for _, m := range mailsOf(k, "welcome") {
		to = append(to, m.To)
	}
	return to
}

func TestWelcomeMailAfterSignUp(t *testing.T) {
	k := renderedKit(t)
	c := k.Register("new@example.com")
	m := waitMails(t, k, "welcome", 1)[0]
	if m.To != c.Email || m.ShopID != k.Shop.ID || m.Subject != "Welcome to Test store" ||
		!strings.Contains(m.Text, "Welcome to Test store! Your account is ready") ||
		!strings.HasPrefix(m.HTML, "<!DOCTYPE html>") || !strings.Contains(m.HTML, "Welcome to Test store!") {
		t.Fatalf("welcome mail = %+v", m)
	}
	// A second sign-up with the taken e-mail is refused and greets nobody.
	dup := k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", Body: map[string]any{"email": c.Email, "password": "another long password"}})
	wantProblem(t, dup, 409, "email_taken")
	flushMail(t, k, c.Email)
	if got := welcomedTo(k); !slices.Equal(got, []string{c.Email}) {
		t.Fatalf("welcomed %v, want exactly one to %s", got, c.Email)
	}
}

func TestWelcomeMailStoreSetting(t *testing.T) {
	k := newKit(t)
	got := skDo(k, "GET", "/admin/v1/store", nil)
	want(t, got, 200)
	if got.JSON(t)["welcome_mail"] != true {
		t.Fatalf("a new store's welcome_mail = %v, want true", got.JSON(t)["welcome_mail"])
	}
	for _, bad := range []any{"no", 0, []bool{false}} {
		res := k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/store", Body: map[string]any{"welcome_mail": bad}, Admin: true, NoCheck: true})
		// A wrong JSON type answers as it does for every other setting.
		wantProblem(t, res, 400, "malformed_json")
		if errs, _ := res.JSON(t)["errors"].([]any); len(errs) == 0 || errs[0].(map[string]any)["field"] != "welcome_mail" {
			t.Fatalf("%v: errors = %s", bad, res.Body)
		}
	}
	if after := skDo(k, "GET", "/admin/v1/store", nil); string(after.Body) != string(got.Body) {
		t.Fatalf("a refused patch changed the store:\n%s\n%s", got.Body, after.Body)
	}

	res := skDo(k, "PATCH", "/admin/v1/store", map[string]any{"welcome_mail": false})
	want(t, res, 200)
	if res.JSON(t)["welcome_mail"] != false || skDo(k, "GET", "/admin/v1/store", nil).JSON(t)["welcome_mail"] != false {
		t.Fatalf("welcome_mail not turned off: %s", res.Body)
	}
	evs := outboxEvents(t, k, "store.updated")
	if len(evs) != 1 || !slices.Equal(evs[0]["data"].(map[string]any)["fields"].([]any), []any{"welcome_mail"}) {
		t.Fatalf("store.updated events = %v", evs)
	}
	quiet := k.Register("quiet@example.com")
	flushMail(t, k, quiet.Email)
	if got := welcomedTo(k); len(got) != 0 {
		t.Fatalf("welcomed %v with the setting off", got)
	}

	want(t, skDo(k, "PATCH", "/admin/v1/store", map[string]any{"welcome_mail": true}), 200)
	loud := k.Register("loud@example.com")
	if m := waitMails(t, k, "welcome", 1)[0]; m.To != loud.Email {
		t.Fatalf("welcome to %s, want %s", m.To, loud.Email)
	}
}

func TestWelcomeMailStoreTemplate(t *testing.T) {
	k := renderedKit(t)
	want(t, k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/mail-templates/welcome", Admin: true, Body: map[string]any{
		"subject": "Hi from {{.ShopName}}", "text": "Glad you joined {{.ShopName}}.",
	}}), 200)
	other := k.NewShop("Other")
	c := k.Register("styled@example.com")
	m := waitMails(t, k, "welcome", 1)[0]
	// The store's subject and text; the HTML it left empty is the default.
	if m.To != c.Email || m.Subject != "Hi from Test store" || m.Text != "Glad you joined Test store." || !strings.Contains(m.HTML, "Welcome to Test store!") {
		t.Fatalf("welcome mail = %+v", m)
	}
	// Another store keeps the default.
	res := k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", PK: other.PublishableKey, Body: map[string]any{"email": "plain@example.com", "password": "correct horse battery staple"}})
	want(t, res, 201)
	if m := waitMails(t, k, "welcome", 2)[1]; m.To != "plain@example.com" || m.Subject != "Welcome to Other" {
		t.Fatalf("other store's welcome = %+v", m)
	}
}
