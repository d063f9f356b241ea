package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
)

// testEnv gives the program cheap argon2id parameters through its real
// configuration path (CLIENTELE_* variables).
func testEnv(extra map[string]string) func(string) string {
	env := map[string]string{"CLIENTELE_ARGON2_MEMORY": "64", "CLIENTELE_ARGON2_TIME": "1"}
	for k, v := range extra {
		env[k] = v
	}
	return func(k string) string { return env[k] }
}

func TestVersionAndUsage(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"version"}, testEnv(nil), &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "clientele ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
	if err := run(t.Context(), nil, testEnv(nil), io.Discard, io.Discard); err == nil {
		t.Fatal("no command must fail")
	}
	if err := run(t.Context(), []string{"frobnicate"}, testEnv(nil), io.Discard, io.Discard); err == nil {
		t.Fatal("unknown command must fail")
	}
	// Nothing listens on port 1: the command must fail at once, say which
	// server it could not reach, and classify the failure as unavailable.
	err := run(t.Context(), []string{"migrate", "--db", "postgres://x@127.0.0.1:1/db"}, testEnv(nil), io.Discard, io.Discard)
	if !errors.Is(err, core.ErrUnavailable) || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Fatalf("migrate against a closed port: got %v, want an unavailable error naming 127.0.0.1:1", err)
	}
}

func TestStoresCreateJSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	var out bytes.Buffer
	err := run(t.Context(), []string{"stores", "create", "--name", "x", "--db", db, "--json", "--allowed-origin", "https://x.example"}, testEnv(nil), &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&out)
	var m map[string]string
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if dec.More() {
		t.Fatal("more than one JSON value printed")
	}
	if !strings.HasPrefix(m["id"], "sto_") || m["name"] != "x" || !strings.HasPrefix(m["publishable_key"], "pk_") || !strings.HasPrefix(m["secret_key"], "sk_") || len(m) != 4 {
		t.Fatalf("output = %v", m)
	}
	// Keys are stored hashed: the plaintext is nowhere in the database file.
	raw, _ := os.ReadFile(db)
	wal, _ := os.ReadFile(db + "-wal")
	if bytes.Contains(append(raw, wal...), []byte(m["secret_key"])) {
		t.Fatal("secret key stored in plaintext")
	}
	if err := run(t.Context(), []string{"stores", "create", "--db", db}, testEnv(nil), io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "name") {
		t.Fatalf("missing --name: %v", err)
	}
	if err := run(t.Context(), []string{"stores", "create", "--name", "y", "--db", db, "--allowed-origin", "https://x.example/path"}, testEnv(nil), io.Discard, io.Discard); err == nil {
		t.Fatal("an origin with a path must be refused")
	}
}

// running is a `clientele serve` running in-process through run.
type running struct {
	url  string
	pk   string
	stop func()
}

var listenRE = regexp.MustCompile(`listening on (http://\S+)`)

func startServe(t *testing.T, args []string, env map[string]string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), testEnv(env), pw, io.Discard)
		pw.Close()
	}()
	s := &running{}
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "publishable key: ") {
			s.pk = strings.TrimPrefix(line, "publishable key: ")
		}
		if m := listenRE.FindStringSubmatch(line); m != nil {
			s.url = m[1]
			break
		}
	}
	if s.url == "" {
		cancel()
		t.Fatalf("serve did not start: %v", <-done)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	s.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	}
	return s
}

func call(t *testing.T, method, u, pk, token string, body any) (int, map[string]any, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if pk != "" {
		req.Header.Set("X-Publishable-Key", pk)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return res.StatusCode, m, raw
}

// The acceptance walk against the real program: a dev store on an
// empty database, the whole token lifecycle, and a reset through the
// mail-dir sink that works exactly once.
func TestServeAcceptance(t *testing.T) {
	dir := t.TempDir()
	db, mailDir := filepath.Join(dir, "c.db"), filepath.Join(dir, "mail")
	s := startServe(t, []string{"--db", db, "--mail-dir", mailDir}, nil)
	if !strings.HasPrefix(s.pk, "pk_") {
		t.Fatalf("no publishable key printed on an empty database")
	}
	if st, _, _ := call(t, "GET", s.url+"/healthz", "", "", nil); st != 200 {
		t.Fatalf("healthz = %d", st)
	}
	creds := map[string]string{"email": "shopper@example.com", "password": "a long enough secret"}
	st, _, raw := call(t, "POST", s.url+"/v1/customers", s.pk, "", creds)
	if st != 201 {
		t.Fatalf("register = %d %s", st, raw)
	}
	st, login, _ := call(t, "POST", s.url+"/v1/auth/login", s.pk, "", creds)
	if st != 200 {
		t.Fatalf("login = %d", st)
	}
	access, rtok := login["access_token"].(string), login["refresh_token"].(string)
	if st, _, _ := call(t, "GET", s.url+"/v1/customer", "", access, nil); st != 200 {
		t.Fatalf("profile = %d", st)
	}
	st, ref, _ := call(t, "POST", s.url+"/v1/auth/refresh", s.pk, "", map[string]string{"refresh_token": rtok})
	if st != 200 {
		t.Fatalf("refresh = %d", st)
	}
	if st, _, _ := call(t, "POST", s.url+"/v1/auth/logout", "", ref["access_token"].(string), map[string]any{}); st != 204 {
		t.Fatalf("logout = %d", st)
	}
	if st, _, _ := call(t, "GET", s.url+"/v1/customer", "", access, nil); st != 401 {
		t.Fatalf("old access token after logout = %d", st)
	}
	if st, _, _ := call(t, "POST", s.url+"/v1/auth/refresh", s.pk, "", map[string]string{"refresh_token": ref["refresh_token"].(string)}); st != 401 {
		t.Fatalf("refresh token after logout = %d", st)
	}

	st1, _, known := call(t, "POST", s.url+"/v1/password-resets", s.pk, "", map[string]string{"email": "shopper@example.com"})
	st2, _, unknown := call(t, "POST", s.url+"/v1/password-resets", s.pk, "", map[string]string{"email": "nobody@example.com"})
	if st1 != 202 || st2 != 202 || !bytes.Equal(known, unknown) {
		t.Fatalf("reset answers differ: %d %s / %d %s", st1, known, st2, unknown)
	}
	pk := s.pk
	// Stopping drains the mail queue, so the file is there afterwards: no
	// waiting on timers.
	s.stop()
	// The sign-up's welcome and the known e-mail's reset; nothing for the
	// unknown one.
	all, _ := filepath.Glob(filepath.Join(mailDir, "*.eml"))
	welcome, _ := filepath.Glob(filepath.Join(mailDir, "*-welcome.eml"))
	files, _ := filepath.Glob(filepath.Join(mailDir, "*-password_reset.eml"))
	if len(all) != 2 || len(welcome) != 1 || len(files) != 1 {
		t.Fatalf("mail dir has %v, want one welcome and one reset", all)
	}
	eml, _ := os.ReadFile(files[0])
	m := regexp.MustCompile(`\S+token=\S+`).Find(eml)
	if m == nil {
		t.Fatalf("no link in %s", eml)
	}
	link, _ := url.Parse(string(m))
	token := link.Query().Get("token")

	s = startServe(t, []string{"--db", db, "--mail-dir", mailDir}, nil)
	defer s.stop()
	if s.pk != "" {
		t.Fatal("keys printed again on a database that has a store")
	}
	body := map[string]string{"token": token, "password": "my new long secret"}
	st, done, raw := call(t, "POST", s.url+"/v1/password-resets/complete", pk, "", body)
	if st != 200 || done["access_token"] == nil {
		t.Fatalf("complete = %d %s", st, raw)
	}
	if st, _, raw := call(t, "POST", s.url+"/v1/password-resets/complete", pk, "", body); st != 400 {
		t.Fatalf("second use of the reset token = %d %s", st, raw)
	}
	creds["password"] = "my new long secret"
	if st, _, _ := call(t, "POST", s.url+"/v1/auth/login", pk, "", creds); st != 200 {
		t.Fatalf("login with the new password = %d", st)
	}
}

func TestServeBadConfig(t *testing.T) {
	err := run(t.Context(), []string{"serve", "--db", filepath.Join(t.TempDir(), "c.db"), "--log-format", "xml"}, testEnv(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "log-format") {
		t.Fatalf("bad log format: %v", err)
	}
	err = run(t.Context(), []string{"serve", "--db", filepath.Join(t.TempDir(), "c.db")}, testEnv(map[string]string{"CLIENTELE_ADDR": "not-an-address"}), io.Discard, io.Discard)
	if err == nil {
		t.Fatal("a bad CLIENTELE_ADDR must fail")
	}
}

// post sends a JSON body with a publishable key through client.
func post(client *http.Client, u, pk, body string) (int, map[string]any, error) {
	req, _ := http.NewRequest("POST", u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Publishable-Key", pk)
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return res.StatusCode, m, nil
}

func TestMigrateAndRotateKeys(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	var out bytes.Buffer
	if err := run(t.Context(), []string{"migrate", "--db", db}, testEnv(nil), &out, io.Discard); err != nil || !strings.Contains(out.String(), "migrations applied") {
		t.Fatalf("migrate: %v %q", err, out.String())
	}
	// Migrating again is a no-op.
	if err := run(t.Context(), []string{"migrate", "--db", db}, testEnv(nil), io.Discard, io.Discard); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	ids := map[string]bool{}
	for range 2 {
		out.Reset()
		if err := run(t.Context(), []string{"signing-keys", "rotate", "--db", db}, testEnv(nil), &out, io.Discard); err != nil {
			t.Fatalf("rotate: %v", err)
		}
		f := strings.Fields(out.String())
		if len(f) < 4 || !strings.HasPrefix(f[3], "key_") {
			t.Fatalf("rotate printed %q", out.String())
		}
		ids[f[3]] = true
	}
	if len(ids) != 2 {
		t.Fatalf("two rotations gave keys %v", ids)
	}
	if err := run(t.Context(), []string{"signing-keys"}, testEnv(nil), io.Discard, io.Discard); err == nil {
		t.Fatal("signing-keys without rotate must fail")
	}
}

// --metrics-addr moves /metrics off the main listener onto its own.
func TestServeMetricsListener(t *testing.T) {
	addr := freeLocalAddr(t)
	s := startServe(t, []string{"--db", filepath.Join(t.TempDir(), "c.db"), "--metrics-addr", addr}, nil)
	defer s.stop()
	if st, _, _ := call(t, "GET", s.url+"/metrics", "", "", nil); st == 200 {
		t.Fatal("/metrics still on the main listener")
	}
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), "clientele_password_work_waiting") {
		t.Fatalf("metrics listener: %d %.200s", res.StatusCode, b)
	}
}

// freeLocalAddr returns a loopback address nothing listens on, for a
// listener the code under test opens itself.
func freeLocalAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
