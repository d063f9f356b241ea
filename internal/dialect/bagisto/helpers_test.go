package bagisto_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

// env is the whole stack with the dialect's pinned base for the kit's store.
type env struct {
	t    *testing.T
	k    *testkit.Kit
	base string // /bagisto/stores/{pk}
}

func newEnv(t *testing.T, opts ...testkit.Option) *env {
	t.Helper()
	k := testkit.New(t, opts...)
	return &env{t: t, k: k, base: "/bagisto/stores/" + k.PK}
}

type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object (%d): %q", r.Status, r.Body)
	}
	return m
}

// call sends a request to an absolute path; body is JSON unless it is a
// string (sent as is, with the Content-Type given in hdr, if any).
func (e *env) call(method, path, token string, body any, hdr ...string) resp {
	e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd, ct = bytes.NewReader(raw), "application/json"
	}
	req, err := http.NewRequest(method, e.k.Server.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := e.k.Server.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{Status: res.StatusCode, Header: res.Header, Body: b}
}

// do sends a request under the pinned base.
func (e *env) do(method, path, token string, body any, hdr ...string) resp {
	e.t.Helper()
	return e.call(method, e.base+path, token, body, hdr...)
}

// want fails unless r has status and exactly the JSON body want.
func want(t *testing.T, r resp, status int, want string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("content type %q", ct)
	}
	var got, exp any
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatalf("body is not JSON: %q", r.Body)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("bad expectation %q: %v", want, err)
	}
	g, _ := json.Marshal(got)
	x, _ := json.Marshal(exp)
	if !bytes.Equal(g, x) {
		t.Fatalf("body\n got %s\nwant %s", r.Body, want)
	}
}

const pw = "correct horse battery staple"

// register signs a customer up through the legacy family.
func (e *env) register(email string) {
	e.t.Helper()
	r := e.do("POST", "/api/customer/register", "", map[string]any{
		"first_name": "ada", "last_name": "Lovelace", "email": email, "password": pw, "password_confirmation": pw,
	})
	want(e.t, r, 200, `{"message":"Your account has been created successfully."}`)
}

// login logs in through the legacy family with ?token=true and returns
// the token and the customer.
func (e *env) login(email string) (string, map[string]any) {
	e.t.Helper()
	r := e.do("POST", "/api/customer/login?token=true", "", map[string]any{"email": email, "password": pw})
	if r.Status != 200 {
		e.t.Fatalf("login: %d %s", r.Status, r.Body)
	}
	m := r.json(e.t)
	tok, _ := m["token"].(string)
	if tok == "" {
		e.t.Fatalf("login gave no token: %s", r.Body)
	}
	return tok, m["data"].(map[string]any)
}

// signup registers and logs in.
func (e *env) signup(email string) (string, map[string]any) {
	e.t.Helper()
	e.register(email)
	return e.login(email)
}
