package httpapi_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// auditEntries lists the kit store's audit log with the given query.
func auditEntries(t *testing.T, k *testkit.Kit, query string) []map[string]any {
	t.Helper()
	res := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/audit?" + query, Admin: true})
	want(t, res, 200)
	var out []map[string]any
	for _, e := range res.JSON(t)["data"].([]any) {
		out = append(out, e.(map[string]any))
	}
	return out
}

// Failed logins are recorded for unknown and known e-mails alike, with the
// request's IP, user agent and id, a masked e-mail and nothing secret.
func TestAuditRecordsLoginsWithoutSecrets(t *testing.T) {
	k := newKit(t)
	c := k.Register("Audited.Person@example.com")
	ua := map[string]string{"User-Agent": "audit-test/1.0", "X-Request-Id": "req-audit-1"}
	for _, email := range []string{"nobody@example.com", c.Email} {
		wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Header: ua,
			Body: map[string]any{"email": email, "password": "wrong password here"}}), 401, "invalid_credentials")
	}
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Header: ua,
		Body: map[string]any{"email": c.Email, "password": c.Password}}), 200)

	failed := auditEntries(t, k, "type=login.failed")
	if len(failed) != 2 {
		t.Fatalf("login.failed entries = %v", failed)
	}
	known, unknown := failed[0], failed[1] // newest first
	if known["customer_id"] != c.ID || unknown["customer_id"] != nil {
		t.Errorf("customer ids: known %v, unknown %v", known["customer_id"], unknown["customer_id"])
	}
	if known["email_masked"] != "A***@example.com" || unknown["email_masked"] != "n***@example.com" {
		t.Errorf("masked e-mails: %v, %v", known["email_masked"], unknown["email_masked"])
	}
	for _, e := range failed {
		if e["actor"] != "anonymous" || e["user_agent"] != "audit-test/1.0" || e["ip"] == nil || e["detail"] != "bad_credentials" {
			t.Errorf("entry %v", e)
		}
		if rid, _ := e["request_id"].(string); rid == "" {
			t.Errorf("no request id: %v", e)
		}
	}
	ok := auditEntries(t, k, "type=login.succeeded&customer_id="+url.QueryEscape(c.ID))
	if len(ok) != 1 || ok[0]["actor"] != "customer:"+c.ID {
		t.Fatalf("login.succeeded = %v", ok)
	}

	all := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/audit?limit=100", Admin: true})
	for _, secret := range []string{c.Email, strings.ToLower(c.Email), "nobody@example.com", c.Password, "wrong password here", c.Access, c.Refresh} {
		if strings.Contains(string(all.Body), secret) {
			t.Errorf("audit log holds %q", secret)
		}
	}
}

// Lockouts, resets for unknown e-mails, admin actions with their key id
// and trusted mints are recorded; another store sees none of it.
func TestAuditRecordsSecurityEvents(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.Limits.LoginFailuresPerAccount = core.Rate{Limit: 1, Window: cfg.Limits.LoginFailuresPerAccount.Window}
	k := newKit(t, testkit.WithCore(cfg))
	c := k.Register("locked@example.com")
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]any{"email": c.Email, "password": "wrong password here"}}), 401, "invalid_credentials")
	res := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]any{"email": c.Email, "password": c.Password}})
	want(t, res, 429)

	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/password-resets", Body: map[string]any{"email": "ghost@example.com"}}), 202)
	if err := k.App.Service.Drain(t.Context()); err != nil { // reset requests are issued in the background
		t.Fatal(err)
	}
	want(t, skDo(k, "POST", "/admin/v1/customers/"+c.ID+"/tokens", map[string]any{}), 201)
	want(t, skDo(k, "POST", "/admin/v1/customers/"+c.ID+"/sessions/revoke", nil), 204)

	limited := auditEntries(t, k, "type=rate_limit.refused")
	if len(limited) != 1 || limited[0]["detail"] != "login:acct" || limited[0]["email_masked"] != "l***@example.com" {
		t.Errorf("rate_limit.refused = %v", limited)
	}
	resets := auditEntries(t, k, "type=password_reset.requested")
	if len(resets) != 1 || resets[0]["customer_id"] != nil || resets[0]["email_masked"] != "g***@example.com" {
		t.Errorf("password_reset.requested = %v", resets)
	}
	minted := auditEntries(t, k, "type=trusted_token.minted")
	if len(minted) != 1 || !strings.HasPrefix(minted[0]["actor"].(string), "api_key:key_") || minted[0]["customer_id"] != c.ID {
		t.Errorf("trusted_token.minted = %v", minted)
	}
	admin := auditEntries(t, k, "type=admin.action")
	if len(admin) != 2 || admin[0]["detail"] != "POST /admin/v1/customers/{id}/sessions/revoke" || admin[0]["actor"] != minted[0]["actor"] {
		t.Errorf("admin.action = %v", admin)
	}
	if revoked := auditEntries(t, k, "type=session.revoked&customer_id="+c.ID); len(revoked) != 1 {
		t.Errorf("session.revoked = %v", revoked)
	}
	// Reading the log is not itself an action.
	if again := auditEntries(t, k, "type=admin.action"); len(again) != 2 {
		t.Errorf("a GET was recorded: %v", again)
	}

	other := k.NewShop("Other")
	res = k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/audit", Token: other.SecretKey, PK: "-"})
	want(t, res, 200)
	if n := len(res.JSON(t)["data"].([]any)); n != 0 {
		t.Errorf("another store sees %d entries", n)
	}
}

func TestAuditPagesAndRejectsBadQueries(t *testing.T) {
	k := newKit(t)
	for range 3 {
		wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]any{"email": "x@example.com", "password": "wrong password here"}}), 401, "invalid_credentials")
	}
	var ids []string
	cursor := ""
	for range 4 {
		res := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/audit?limit=2&type=login.failed" + cursor, Admin: true})
		want(t, res, 200)
		m := res.JSON(t)
		for _, e := range m["data"].([]any) {
			ids = append(ids, e.(map[string]any)["id"].(string))
		}
		next, _ := m["next_cursor"].(string)
		if next == "" {
			break
		}
		cursor = "&cursor=" + next
	}
	if len(ids) != 3 || ids[0] <= ids[1] || ids[1] <= ids[2] {
		t.Fatalf("pages = %v, want 3 ids newest first", ids)
	}

	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/audit?since=yesterday", Admin: true}), 400, "invalid_request")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/audit?since=2025-06-02T00:00:00Z&until=2025-06-01T00:00:00Z", Admin: true}), 422, "validation_failed")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/audit?limit=500", Admin: true}), 422, "validation_failed")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/audit?cursor=nope", Admin: true}), 422, "validation_failed")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/audit", PK: "-"}), 401, "invalid_api_key")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/audit", Token: k.PK, PK: "-"}), 401, "invalid_api_key")

	since := k.Clock.Now().Add(1e9).UTC().Format("2006-01-02T15:04:05Z")
	if later := auditEntries(t, k, "since="+since); len(later) != 0 {
		t.Errorf("since in the future returned %v", later)
	}
}
