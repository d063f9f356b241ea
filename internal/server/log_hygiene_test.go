package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

// hygiene drives a kit and remembers every secret it meets.
type hygiene struct {
	t       *testing.T
	k       *testkit.Kit
	secrets map[string]string // value → what it is
	seen    int               // mails already looked at
}

func (h *hygiene) secret(what, v string) {
	if len(v) >= 6 {
		h.secrets[v] = what
		// A log line that cut a JWT in parts must not carry its signature either.
		if parts := strings.Split(v, "."); len(parts) == 3 && len(parts[2]) > 20 {
			h.secrets[parts[2]] = what + " (signature)"
		}
	}
}

// call sends a request and records every token-like string in its answer.
func (h *hygiene) call(method, path string, body any, hdr map[string]string) map[string]any {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, h.k.Server.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "hygiene-test")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := h.k.Server.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 400 {
		h.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	h.collect(m)
	return m
}

func (h *hygiene) collect(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && strings.Contains(strings.ToLower(k), "token") {
				h.secret("token from "+k, s)
			}
			h.collect(x)
		}
	case []any:
		for _, x := range v {
			h.collect(x)
		}
	}
}

var mailToken = regexp.MustCompile(`token=([A-Za-z0-9_\-]+)`)

// mailed waits for the next mail of kind and returns the token in its link.
func (h *hygiene) mailed(kind string) string {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		msgs, err := h.k.Mail.Wait(ctx, h.seen+1)
		if err != nil {
			h.t.Fatalf("no %s mail: %v", kind, err)
		}
		m := msgs[h.seen]
		h.seen++
		if m.Kind != kind {
			continue
		}
		tok := mailToken.FindStringSubmatch(m.Text)
		if tok == nil {
			h.t.Fatalf("no token in the %s mail", kind)
		}
		h.secret("mailed token", tok[1])
		return tok[1]
	}
}

// TestLogsHoldNoSecrets runs a broad flow over every surface with all
// logging on (debug) and fails if any token, password, API key or full
// e-mail address reaches the logs.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logs testkit.LogBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	prev := slog.Default()
	slog.SetDefault(logger) // anything logging through the default is caught too
	t.Cleanup(func() { slog.SetDefault(prev) })
	k := testkit.New(t, func(o *server.Options) { o.Logger = logger })
	h := &hygiene{t: t, k: k, secrets: map[string]string{}}

	email, pw := "Hygiene.Person@Example.com", "first secret passphrase 1"
	newPW, newEmail := "second secret passphrase 2", "Moved.Person@Example.com"
	for what, v := range map[string]string{
		"e-mail": email, "e-mail lower": strings.ToLower(email), "new e-mail": newEmail, "new e-mail lower": strings.ToLower(newEmail),
		"password": pw, "new password": newPW, "secret key": k.SK, "wrong password": "wrong secret passphrase 3",
	} {
		h.secret(what, v)
	}
	pk := map[string]string{"X-Publishable-Key": k.PK}

	reg := h.call("POST", "/v1/customers", map[string]any{"email": email, "password": pw}, pk)
	custID := reg["customer"].(map[string]any)["id"].(string)
	// Refused requests are logged too: the e-mail in a query, a wrong password.
	for _, r := range []*http.Request{
		mustReq("GET", k.Server.URL+"/v1/auth/email-exists?email="+strings.ToLower(email), "", pk),
		mustReq("POST", k.Server.URL+"/v1/auth/login", `{"email":"`+email+`","password":"wrong secret passphrase 3"}`, pk),
	} {
		if res, err := k.Server.Client().Do(r); err == nil {
			_ = res.Body.Close()
		}
	}
	login := h.call("POST", "/v1/auth/login", map[string]any{"email": email, "password": pw}, pk)
	h.call("POST", "/v1/auth/refresh", map[string]any{"refresh_token": login["refresh_token"]}, pk)

	h.call("POST", "/v1/password-resets", map[string]any{"email": email}, pk)
	reset := h.call("POST", "/v1/password-resets/complete", map[string]any{"token": h.mailed("password_reset"), "password": newPW}, pk)
	auth := map[string]string{"X-Publishable-Key": k.PK, "Authorization": "Bearer " + reset["access_token"].(string)}
	h.call("POST", "/v1/customer/email", map[string]any{"new_email": newEmail, "password": newPW}, auth)
	changeToken := h.mailed("email_change_confirmation")
	h.call("POST", "/v1/customer/email/confirm", map[string]any{"token": changeToken}, pk)
	h.call("POST", "/admin/v1/customers/"+custID+"/tokens", map[string]any{}, map[string]string{"Authorization": "Bearer " + k.SK})
	h.call("GET", "/admin/v1/audit", nil, map[string]string{"Authorization": "Bearer " + k.SK})

	// The dialects: a login each, and Spree's reset with the token in the path.
	h.call("POST", "/spree/api/v3/store/auth/login", map[string]any{"email": newEmail, "password": newPW}, map[string]string{"X-Spree-Api-Key": k.PK})
	h.call("POST", "/medusa/auth/customer/emailpass", map[string]any{"email": newEmail, "password": newPW}, map[string]string{"x-publishable-api-key": k.PK})
	h.call("POST", "/spree/api/v3/store/password_resets", map[string]any{"email": newEmail}, map[string]string{"X-Spree-Api-Key": k.PK})
	spreeTok := h.mailed("password_reset")
	h.call("PATCH", "/spree/api/v3/store/password_resets/"+spreeTok, map[string]any{"password": pw, "password_confirmation": pw}, map[string]string{"X-Spree-Api-Key": k.PK})

	// A Devise import with its pepper (a header), a refused second pepper,
	// and logins of the peppered customer, wrong and right.
	const pepper, devisePW = "legacy-devise-pepper-value", "devise secret passphrase 4"
	h.secret("legacy pepper", pepper)
	h.secret("devise password", devisePW)
	hash, err := bcrypt.GenerateFromPassword([]byte(devisePW+pepper), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	row := `{"id":1,"email":"devise.person@example.com","encrypted_password":"` + string(hash) + `"}` + "\n"
	admin := map[string]string{"Authorization": "Bearer " + k.SK, "Content-Type": "application/x-ndjson"}
	up := mustReq("POST", k.Server.URL+"/admin/v1/imports?format=spree", row, admin)
	up.Header.Set("Clientele-Legacy-Pepper", pepper)
	res, err := k.Server.Client().Do(up)
	if err != nil {
		t.Fatal(err)
	}
	var job struct{ ID string }
	_ = json.NewDecoder(res.Body).Decode(&job)
	_ = res.Body.Close()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		j := h.call("GET", "/admin/v1/imports/"+job.ID, nil, admin)
		if j["status"] == "succeeded" {
			break
		}
		if j["status"] == "failed" || time.Now().After(deadline) {
			t.Fatalf("peppered import: %v", j)
		}
	}
	second := mustReq("POST", k.Server.URL+"/admin/v1/imports?format=spree", row, admin)
	second.Header.Set("Clientele-Legacy-Pepper", "another pepper value")
	h.secret("second pepper", "another pepper value")
	for _, r := range []*http.Request{second,
		mustReq("POST", k.Server.URL+"/admin/v1/imports?format=spree&pepper="+pepper, row, admin),
		mustReq("POST", k.Server.URL+"/v1/auth/login", `{"email":"devise.person@example.com","password":"`+devisePW+pepper+`"}`, pk),
	} {
		if res, err := k.Server.Client().Do(r); err == nil {
			_ = res.Body.Close()
		}
	}
	h.call("POST", "/v1/auth/login", map[string]any{"email": "devise.person@example.com", "password": devisePW}, pk)

	out := logs.String()
	if !strings.Contains(out, "/v1/auth/login") {
		t.Fatalf("the access log was not captured:\n%s", out)
	}
	for _, leak := range leaks(out, h.secrets) {
		t.Error(leak)
	}
}

// leaks names each secret found in out, with the log line holding it.
func leaks(out string, secrets map[string]string) []string {
	var found []string
	for v, what := range secrets {
		if i := strings.Index(out, v); i >= 0 {
			start := strings.LastIndexByte(out[:i], '\n') + 1
			end := strings.IndexByte(out[i:], '\n')
			if end < 0 {
				end = len(out) - i
			}
			found = append(found, "the logs hold a "+what+": "+out[start:i+end])
		}
	}
	return found
}

// The scan itself must be able to fail.
func TestLeaksFindsASecret(t *testing.T) {
	out := "{\"msg\":\"ok\"}\n{\"msg\":\"request\",\"path\":\"/reset/abcdef123456\"}\n"
	got := leaks(out, map[string]string{"abcdef123456": "reset token", "zzzzzzzz": "password"})
	if len(got) != 1 || !strings.Contains(got[0], "reset token") || !strings.Contains(got[0], "/reset/abcdef123456") {
		t.Fatalf("leaks = %v", got)
	}
}

func mustReq(method, url, body string, hdr map[string]string) *http.Request {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return req
}
