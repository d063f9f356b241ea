package spree_test

import (
	"regexp"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

var tokenInMail = regexp.MustCompile(`[?&]token=([A-Za-z0-9_-]+)`)

func mailedTokenOf(t *testing.T, k *testkit.Kit, to, kind string) string {
	t.Helper()
	tok := ""
	for _, m := range k.Mail.Messages() {
		if m.To == to && m.Kind == kind {
			if s := tokenInMail.FindStringSubmatch(m.Text); s != nil {
				tok = s[1]
			}
		}
	}
	if tok == "" {
		t.Fatalf("no %s mail to %s", kind, to)
	}
	return tok
}

// wantSubscriber checks every key of Spree's NewsletterSubscriber.
func wantSubscriber(t *testing.T, r resp, status int, email string, verified bool) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	m := r.json(t)
	if len(m) != 7 {
		t.Fatalf("keys: %s", r.Body)
	}
	for _, key := range []string{"id", "email", "created_at", "updated_at", "verified", "verified_at", "customer_id"} {
		if _, ok := m[key]; !ok {
			t.Fatalf("%s missing: %s", key, r.Body)
		}
	}
	if m["email"] != email || m["verified"] != verified || (m["verified_at"] == nil) == verified {
		t.Fatalf("subscriber: %s", r.Body)
	}
	if id, _ := m["id"].(string); !regexp.MustCompile(`^sub_[A-Za-z0-9]+$`).MatchString(id) {
		t.Fatalf("id %q", id)
	}
	return m
}

func TestNewsletterSubscribers(t *testing.T) {
	k := testkit.New(t)

	t.Run("case=guest_double_opt_in", func(t *testing.T) {
		r := do(t, k, "POST", base+"/newsletter_subscribers", k.PK, "", map[string]any{"email": "guest-nl@example.com", "redirect_url": "https://evil.example/x"})
		m := wantSubscriber(t, r, 201, "guest-nl@example.com", false)
		if m["customer_id"] != nil {
			t.Fatalf("customer_id: %s", r.Body)
		}
		tok := mailedTokenOf(t, k, "guest-nl@example.com", "newsletter_verification")
		for _, msg := range k.Mail.Messages() {
			if msg.To == "guest-nl@example.com" && regexp.MustCompile(`evil\.example`).MatchString(msg.Text) {
				t.Fatal("a disallowed redirect_url made it into the mail")
			}
		}
		v := do(t, k, "POST", base+"/newsletter_subscribers/verify", k.PK, "", map[string]any{"token": tok})
		if wantSubscriber(t, v, 200, "guest-nl@example.com", true)["id"] != m["id"] {
			t.Fatal("verified another record")
		}
		wantError(t, do(t, k, "POST", base+"/newsletter_subscribers/verify", k.PK, "", map[string]any{"token": tok}), 422, "invalid_token")
	})
	t.Run("case=customer_own_email_and_toggle", func(t *testing.T) {
		res := register(t, k, k.PK, "member-nl@example.com")
		tok := res["token"].(string)
		// An invalid JWT is anonymous here, never a 401.
		r := do(t, k, "POST", base+"/newsletter_subscribers", k.PK, "garbage", map[string]any{"email": "someone-nl@example.com"})
		wantSubscriber(t, r, 201, "someone-nl@example.com", false)
		r = do(t, k, "POST", base+"/newsletter_subscribers", k.PK, tok, map[string]any{"email": "member-nl@example.com"})
		m := wantSubscriber(t, r, 201, "member-nl@example.com", true)
		me := do(t, k, "GET", base+"/customers/me", k.PK, tok, nil).json(t)
		sub, _ := me["newsletter_subscriber"].(map[string]any)
		if me["accepts_email_marketing"] != true || sub == nil || sub["id"] != m["id"] || sub["customer_id"] != me["id"] {
			t.Fatalf("customer: %v", me)
		}
		// accepts_email_marketing: false removes the subscription.
		up := do(t, k, "PATCH", base+"/customers/me", k.PK, tok, map[string]any{"accepts_email_marketing": false}).json(t)
		if up["accepts_email_marketing"] != false || up["newsletter_subscriber"] != nil {
			t.Fatalf("after off: %v", up)
		}
		// ... and true brings back a verified one.
		up = do(t, k, "PATCH", base+"/customers/me", k.PK, tok, map[string]any{"accepts_email_marketing": true}).json(t)
		sub, _ = up["newsletter_subscriber"].(map[string]any)
		if sub == nil || sub["verified"] != true {
			t.Fatalf("after on: %v", up)
		}
		// The owner deletes it with their JWT: 204, marketing off.
		d := do(t, k, "DELETE", base+"/newsletter_subscribers/"+sub["id"].(string), k.PK, tok, nil)
		if d.Status != 204 || len(d.Body) != 0 {
			t.Fatalf("delete: %d %s", d.Status, d.Body)
		}
		me = do(t, k, "GET", base+"/customers/me", k.PK, tok, nil).json(t)
		if me["accepts_email_marketing"] != false || me["newsletter_subscriber"] != nil {
			t.Fatalf("after delete: %v", me)
		}
	})
	t.Run("case=sign_up_with_marketing", func(t *testing.T) {
		r := do(t, k, "POST", base+"/customers", k.PK, "", map[string]any{
			"email": "signup-nl@example.com", "password": "correct-horse-battery-9", "accepts_email_marketing": true,
		})
		u := r.json(t)["user"].(map[string]any)
		sub, _ := u["newsletter_subscriber"].(map[string]any)
		if r.Status != 201 || sub == nil || sub["verified"] != true || sub["customer_id"] != u["id"] {
			t.Fatalf("register: %d %s", r.Status, r.Body)
		}
	})
	t.Run("case=unsubscribe_by_mailed_token", func(t *testing.T) {
		r := do(t, k, "POST", base+"/newsletter_subscribers", k.PK, "", map[string]any{"email": "leaver-nl@example.com"})
		id := wantSubscriber(t, r, 201, "leaver-nl@example.com", false)["id"].(string)
		ru := do(t, k, "POST", base+"/newsletter_subscribers/request_unsubscribe", k.PK, "", map[string]any{"email": "leaver-nl@example.com"})
		unknown := do(t, k, "POST", base+"/newsletter_subscribers/request_unsubscribe", k.PK, "", map[string]any{"email": "nobody-nl@example.com"})
		for _, x := range []resp{ru, unknown} {
			if x.Status != 202 || len(x.Body) != 0 || x.Header.Get("Content-Type") != "" {
				t.Fatalf("request_unsubscribe: %d %q %q", x.Status, x.Body, x.Header.Get("Content-Type"))
			}
		}
		tok := mailedTokenOf(t, k, "leaver-nl@example.com", "newsletter_unsubscribe")
		wantError(t, do(t, k, "DELETE", base+"/newsletter_subscribers/"+id+"?token=wrong", k.PK, "", nil), 422, "invalid_token")
		d := do(t, k, "DELETE", base+"/newsletter_subscribers/"+id+"?token="+tok, k.PK, "", nil)
		if d.Status != 204 {
			t.Fatalf("delete: %d %s", d.Status, d.Body)
		}
		wantError(t, do(t, k, "DELETE", base+"/newsletter_subscribers/"+id+"?token="+tok, k.PK, "", nil), 422, "invalid_token")
	})
	t.Run("case=bad_inputs", func(t *testing.T) {
		e := wantError(t, do(t, k, "POST", base+"/newsletter_subscribers", k.PK, "", map[string]any{}), 422, "validation_error")
		if d, _ := e["details"].(map[string]any); d == nil || d["email"] == nil {
			t.Fatalf("details: %v", e)
		}
		wantError(t, do(t, k, "POST", base+"/newsletter_subscribers", k.PK, "", map[string]any{"email": "nope"}), 422, "validation_error")
		wantError(t, do(t, k, "POST", base+"/newsletter_subscribers", k.PK, "", `{"email":`), 400, "invalid_request")
		wantError(t, do(t, k, "POST", base+"/newsletter_subscribers", "", "", map[string]any{"email": "a@example.com"}), 401, "invalid_token")
		wantError(t, do(t, k, "POST", base+"/newsletter_subscribers/verify", k.PK, "", map[string]any{}), 400, "parameter_missing")
		wantError(t, do(t, k, "POST", base+"/newsletter_subscribers/verify", k.PK, "", map[string]any{"token": "garbage"}), 422, "invalid_token")
		wantError(t, do(t, k, "DELETE", base+"/newsletter_subscribers/sub_nope", k.PK, "", nil), 422, "invalid_token")
		// With a JWT, another customer's or an unknown id is 404.
		tok := register(t, k, k.PK, "nosy-nl@example.com")["token"].(string)
		other := register(t, k, k.PK, "victim-nl@example.com")["token"].(string)
		r := do(t, k, "POST", base+"/newsletter_subscribers", k.PK, other, map[string]any{"email": "victim-nl@example.com"})
		id := wantSubscriber(t, r, 201, "victim-nl@example.com", true)["id"].(string)
		wantError(t, do(t, k, "DELETE", base+"/newsletter_subscribers/"+id, k.PK, tok, nil), 404, "record_not_found")
		wantError(t, do(t, k, "DELETE", base+"/newsletter_subscribers/sub_nope", k.PK, tok, nil), 404, "record_not_found")
		// An anonymous subscribe of the victim's address shows no account.
		r = do(t, k, "POST", base+"/newsletter_subscribers", k.PK, "", map[string]any{"email": "victim-nl@example.com"})
		if m := wantSubscriber(t, r, 201, "victim-nl@example.com", true); m["customer_id"] != nil {
			t.Fatalf("customer_id leaked: %s", r.Body)
		}
	})
}
