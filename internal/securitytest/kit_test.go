package securitytest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

// pw is a password every policy accepts.
const pw = "correct horse battery staple"

// backend is one storage engine a case runs on.
type backend struct {
	name string
	opts func(t *testing.T) []testkit.Option
}

// backends are SQLite (always) and PostgreSQL (skipped without a server,
// failing instead under CLIENTELE_REQUIRE_ALL=1).
var backends = []backend{
	{"sqlite", func(*testing.T) []testkit.Option { return nil }},
	{"postgres", func(t *testing.T) []testkit.Option { return []testkit.Option{testkit.WithPostgres(t)} }},
}

// onBackends runs fn once per backend, each on a fresh stack.
func onBackends(t *testing.T, fn func(t *testing.T, k *testkit.Kit), opts ...testkit.Option) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			k := testkit.New(t, append(b.opts(t), opts...)...)
			fn(t, k)
		})
	}
}

// relaxed is the default core config with rate limits out of reach, for
// cases that send more requests than a limit allows and are not about
// limits. (A zero Limits would mean the defaults.)
func relaxed() core.Config {
	c := core.DefaultConfig()
	r := core.Rate{Limit: 1 << 30, Window: time.Minute}
	c.Limits = core.Limits{
		LoginFailuresPerAccount: r, LoginPerIP: r, RegisterPerIP: r, ResetPerEmail: r, ResetPerIP: r,
		ResetCompletePerIP: r, EmailExistsPerIP: r, GiftCardRedeemPerCustomer: r, GiftCardRedeemPerIP: r, EmailTokenSends: r,
	}
	return c
}

// do sends one request with a JSON body (a string is sent verbatim) and the
// given headers, as the SDKs do, and returns the whole exchange.
func do(t testing.TB, k *testkit.Kit, method, path string, body any, hdr map[string]string) *testkit.Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, k.Server.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	for h, v := range hdr {
		if h == "Host" {
			req.Host = v // net/http sends req.Host, not a Host header
			continue
		}
		req.Header.Set(h, v)
	}
	res, err := k.Server.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &testkit.Response{Status: res.StatusCode, Header: res.Header, Body: raw}
}

// native sends a /v1 request with the kit's publishable key and a token.
func native(t testing.TB, k *testkit.Kit, method, path, token string, body any) *testkit.Response {
	t.Helper()
	return k.Do(testkit.Req{Method: method, Path: path, Token: token, Body: body, NoCheck: true})
}

// want fails unless res has the status.
func want(t testing.TB, res *testkit.Response, status int) {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status = %d, want %d; body: %s", res.Status, status, res.Body)
	}
}

// wantProblem fails unless res is a problem+json with the status and code.
func wantProblem(t testing.TB, res *testkit.Response, status int, code string) {
	t.Helper()
	want(t, res, status)
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type = %q, want problem+json; body: %s", ct, res.Body)
	}
	if code != "" {
		if got := res.Str(t, "code"); got != code {
			t.Fatalf("code = %q, want %q; body: %s", got, code, res.Body)
		}
	}
}

// same fails unless two answers are identical in status and body.
func same(t testing.TB, what string, a, b *testkit.Response) {
	t.Helper()
	if a.Status != b.Status || !bytes.Equal(a.Body, b.Body) {
		t.Fatalf("%s: answers differ:\n%d %s\n%d %s", what, a.Status, a.Body, b.Status, b.Body)
	}
}

func login(t testing.TB, k *testkit.Kit, email, password string) *testkit.Response {
	t.Helper()
	return native(t, k, "POST", "/v1/auth/login", "", map[string]string{"email": email, "password": password})
}

func refresh(t testing.TB, k *testkit.Kit, tok string) *testkit.Response {
	t.Helper()
	return native(t, k, "POST", "/v1/auth/refresh", "", map[string]string{"refresh_token": tok})
}

func me(t testing.TB, k *testkit.Kit, access string) *testkit.Response {
	t.Helper()
	return native(t, k, "GET", "/v1/customer", access, nil)
}

var linkToken = regexp.MustCompile(`[?&]token=([A-Za-z0-9_%-]+)`)

// mailToken waits for the n-th mail to `to` of the kind and returns the
// token in its link.
func mailToken(t testing.TB, k *testkit.Kit, to, kind string, n int) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		var found []string
		for _, m := range k.Mail.Messages() {
			if m.To == to && m.Kind == kind {
				if s := linkToken.FindStringSubmatch(m.Text); s != nil {
					found = append(found, s[1])
				}
			}
		}
		if len(found) >= n {
			return found[n-1]
		}
		if _, err := k.Mail.Wait(ctx, len(k.Mail.Messages())+1); err != nil {
			t.Fatalf("no %s mail #%d to %s: %v", kind, n, to, err)
		}
	}
}

// requestReset asks for a reset of email through /v1 and returns the token.
func requestReset(t testing.TB, k *testkit.Kit, email string, n int) string {
	t.Helper()
	want(t, native(t, k, "POST", "/v1/password-resets", "", map[string]string{"email": email}), 202)
	return mailToken(t, k, email, "password_reset", n)
}

// withConfig adjusts the process configuration of a kit.
func withConfig(f func(c *config.Config)) testkit.Option {
	return func(o *server.Options) { f(&o.Config) }
}

// behindProxy trusts loopback as a reverse proxy, so X-Forwarded-For
// chooses the client address (tests use it to rotate client IPs).
func behindProxy() testkit.Option {
	return withConfig(func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	})
}

// onBackendsDB is onBackends with a second, raw connection to the same
// database: what an attacker with a dump sees, or a consistency check.
// Queries must use no parameters (the placeholder syntax differs).
func onBackendsDB(t *testing.T, fn func(t *testing.T, k *testkit.Kit, db *sql.DB), opts ...testkit.Option) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			var driver, dsn string
			var kitOpts []testkit.Option
			if b.name == "postgres" {
				dsn, _ = testkit.PostgresSchema(t)
				driver = "pgx"
				kitOpts = append(kitOpts, withConfig(func(c *config.Config) { c.DB = dsn }))
			} else {
				driver = "sqlite"
				kitOpts = append(kitOpts, withConfig(func(c *config.Config) { dsn = c.DB }))
			}
			k := testkit.New(t, append(kitOpts, opts...)...)
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			fn(t, k, db)
		})
	}
}

// count runs a SELECT count(*) query.
func count(t testing.TB, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// logBuffer is a concurrency-safe buffer for a kit's logs.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// withLogs sends the kit's logs (access log included) to buf.
func withLogs(buf *logBuffer) testkit.Option {
	return func(o *server.Options) {
		o.Logger = slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
}
