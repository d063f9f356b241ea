// Package testkit boots the real Clientele stack for tests: a temp SQLite
// database, the real router and middleware behind httptest, a settable
// clock, a recording mailer and cheap argon2id parameters. Import it only
// from _test.go files.
package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/auth/password"
	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mail"
	"github.com/clientele/clientele/internal/server"
)

// Kit is a running stack with one store.
type Kit struct {
	T      testing.TB
	App    *server.App
	Server *httptest.Server
	Clock  *Clock
	Mail   *mail.Recorder
	Shop   *core.Shop
	PK, SK string
	// Validate, when set, checks every request and response against the
	// OpenAPI contract.
	Validate func(t testing.TB, req *http.Request, reqBody []byte, res *http.Response, resBody []byte)

	opts server.Options // what App was built from, for Node
}

// Option adjusts the kit before it boots.
type Option func(*server.Options)

// WithCore replaces core's configuration (limits, TTLs, admission).
func WithCore(c core.Config) Option { return func(o *server.Options) { o.Core = &c } }

// WithHasher replaces the password hasher.
func WithHasher(h core.Hasher) Option { return func(o *server.Options) { o.Hasher = h } }

// WithConfig adjusts the process configuration (flags) the stack is built
// from.
func WithConfig(f func(*config.Config)) Option { return func(o *server.Options) { f(&o.Config) } }

// New boots a stack on a fresh database in t.TempDir and creates a store.
func New(t testing.TB, opts ...Option) *Kit {
	t.Helper()
	ctx := context.Background()
	k := &Kit{T: t, Clock: NewClock(), Mail: mail.NewRecorder()}
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "clientele.db")
	cfg.Issuer = "http://clientele.test"
	o := server.Options{Config: cfg, Clock: k.Clock, Mailer: k.Mail, Hasher: password.New(password.TestParams())}
	for _, f := range opts {
		f(&o)
	}
	app, err := server.Build(ctx, o)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	k.App, k.opts = app, o
	k.Server = httptest.NewServer(app.Handler)
	t.Cleanup(func() {
		k.Server.Close()
		_ = app.Close(context.Background())
	})
	created := k.NewShop("Test store")
	k.Shop, k.PK, k.SK = created.Shop, created.PublishableKey, created.SecretKey
	return k
}

// Node builds another App over the kit's database, with the same options
// and clock: a second node of the same deployment, for tests of work that
// several nodes share. opts adjust this node only (say, its own event
// publisher), on top of the kit's.
func (k *Kit) Node(opts ...Option) *server.App {
	k.T.Helper()
	o := k.opts
	for _, f := range opts {
		f(&o)
	}
	app, err := server.Build(context.Background(), o)
	if err != nil {
		k.T.Fatalf("build node: %v", err)
	}
	k.T.Cleanup(func() { _ = app.Close(context.Background()) })
	return app
}

// NewShop creates another store.
func (k *Kit) NewShop(name string) *core.CreatedShop {
	k.T.Helper()
	c, err := k.App.Service.CreateShop(context.Background(), core.NewShop{
		Name: name, AllowedOrigins: []string{"https://shop.example"}, PasswordResetURL: "https://shop.example/reset",
	})
	if err != nil {
		k.T.Fatalf("create shop: %v", err)
	}
	return c
}

// Response is a finished HTTP exchange.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a map.
func (r *Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// Str returns a top-level string field of a JSON body.
func (r *Response) Str(t testing.TB, key string) string {
	t.Helper()
	s, _ := r.JSON(t)[key].(string)
	return s
}

// Req describes a request. Body may be a string (sent verbatim), []byte,
// or anything else (sent as JSON).
type Req struct {
	Method  string
	Path    string
	Body    any
	PK      string // X-Publishable-Key; "-" sends none, "" sends the kit's
	Token   string // bearer token
	Admin   bool   // send the kit's secret key as the bearer token (admin API), and no publishable key
	Header  map[string]string
	NoCheck bool // skip OpenAPI validation (for deliberately broken requests)
}

// Do sends a request to the running stack.
func (k *Kit) Do(r Req) *Response {
	k.T.Helper()
	var body []byte
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = []byte(b)
	case []byte:
		body = b
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			k.T.Fatalf("marshal: %v", err)
		}
	}
	req, err := http.NewRequest(r.Method, k.Server.URL+r.Path, bytes.NewReader(body))
	if err != nil {
		k.T.Fatalf("request: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Admin {
		r.Token, r.PK = k.SK, "-"
	}
	switch r.PK {
	case "":
		req.Header.Set("X-Publishable-Key", k.PK)
	case "-":
	default:
		req.Header.Set("X-Publishable-Key", r.PK)
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for h, v := range r.Header {
		req.Header.Set(h, v)
	}
	res, err := k.Server.Client().Do(req)
	if err != nil {
		k.T.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer res.Body.Close()
	rb, err := io.ReadAll(res.Body)
	if err != nil {
		k.T.Fatalf("read: %v", err)
	}
	if k.Validate != nil && !r.NoCheck && !strings.HasPrefix(r.Path, "/v1/openapi") {
		req.Body = io.NopCloser(bytes.NewReader(body))
		k.Validate(k.T, req, body, res, rb)
	}
	return &Response{Status: res.StatusCode, Header: res.Header, Body: rb}
}

// Customer is a registered test customer with its tokens.
type Customer struct {
	ID, Email, Password   string
	Access, Refresh, Sess string
}

// Register signs up a customer through /v1 and returns it with its tokens.
func (k *Kit) Register(email string) *Customer {
	k.T.Helper()
	pw := "correct horse battery staple"
	res := k.Do(Req{Method: "POST", Path: "/v1/customers", Body: map[string]any{"email": email, "password": pw, "first_name": "Test"}})
	if res.Status != http.StatusCreated {
		k.T.Fatalf("register %s: %d %s", email, res.Status, res.Body)
	}
	m := res.JSON(k.T)
	c := m["customer"].(map[string]any)
	return &Customer{
		ID: c["id"].(string), Email: email, Password: pw,
		Access: m["access_token"].(string), Refresh: m["refresh_token"].(string), Sess: m["session_id"].(string),
	}
}
