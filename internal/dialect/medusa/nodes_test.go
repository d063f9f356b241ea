package medusa_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

// twoNodes boots two independent processes' worth of stack (each its own
// core.Service, router, rate limiter and caches) over ONE database, as
// behind a load balancer, and returns a client of each for the same store.
func twoNodes(t *testing.T, dsn string) (a, b *client) {
	t.Helper()
	var opts server.Options
	ka := testkit.New(t, func(o *server.Options) {
		o.Config.DB = dsn
		opts = *o
	})
	app, err := server.Build(context.Background(), opts)
	if err != nil {
		t.Fatalf("build node B: %v", err)
	}
	srv := httptest.NewServer(app.Handler)
	t.Cleanup(func() {
		srv.Close()
		_ = app.Close(context.Background())
	})
	kb := &testkit.Kit{T: t, App: app, Server: srv, Clock: ka.Clock, Mail: ka.Mail, Shop: ka.Shop, PK: ka.PK, SK: ka.SK}
	return &client{t: t, k: ka, pk: ka.PK}, &client{t: t, k: kb, pk: ka.PK}
}

// Pending identities and cookie sessions live in the database, so several
// stateless nodes serve one shopper: a registration token minted on A
// completes on B, a cookie set on A works on B, a logout on B reaches A.
func TestTwoNodesShareIdentitiesAndCookies(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "shared.db")
			if backend == "postgres" {
				dsn, _ = testkit.PostgresSchema(t)
			}
			a, b := twoNodes(t, dsn)

			// Two-step sign-up across nodes.
			r := a.do("POST", "/auth/customer/emailpass/register", map[string]any{"email": "nodes@example.com", "password": pw}, nil)
			if r.status != 200 {
				t.Fatalf("register on A: %d %s", r.status, r.raw)
			}
			reg := r.body["token"].(string)
			// The e-mail-squat rule holds across nodes.
			wantErr(t, b.do("POST", "/auth/customer/emailpass/register", map[string]any{"email": "nodes@example.com", "password": pw}, nil), 401, "unauthorized", "Identity with email already exists")
			// An interrupted sign-up resumes by login on the other node.
			r = b.do("POST", "/auth/customer/emailpass", map[string]any{"email": "nodes@example.com", "password": pw}, nil)
			if r.status != 200 || claims(t, r.body["token"].(string))["scope"] != "registration" {
				t.Fatalf("login of a pending identity on B: %d %s", r.status, r.raw)
			}
			r = b.do("POST", "/store/customers", map[string]any{"first_name": "Ada"}, bearer(reg))
			if r.status != 200 {
				t.Fatalf("create on B: %d %s", r.status, r.raw)
			}
			cust := r.body["customer"].(map[string]any)
			wantErr(t, a.do("POST", "/store/customers", map[string]any{}, bearer(reg)), 400, "invalid_data", "Request already authenticated as a customer.")
			r = a.do("POST", "/auth/token/refresh", nil, bearer(reg))
			if r.status != 200 {
				t.Fatalf("refresh on A: %d %s", r.status, r.raw)
			}
			tok := r.body["token"].(string)
			if cl := claims(t, tok); cl["actor_id"] != cust["id"] || cl["auth_identity_id"] != claims(t, reg)["auth_identity_id"] {
				t.Fatalf("customer token claims %v (registration %v)", cl, claims(t, reg))
			}
			if r := b.do("GET", "/store/customers/me", nil, bearer(tok)); r.status != 200 {
				t.Fatalf("me on B: %d %s", r.status, r.raw)
			}

			// Cookie set on A works on B; logout on B reaches A.
			r = a.do("POST", "/auth/session", nil, bearer(tok))
			if r.status != 200 {
				t.Fatalf("session on A: %d %s", r.status, r.raw)
			}
			cookie := map[string]string{"Cookie": strings.Split(r.header.Get("Set-Cookie"), ";")[0]}
			if r := b.do("GET", "/store/customers/me", nil, cookie); r.status != 200 {
				t.Fatalf("me by cookie on B: %d %s", r.status, r.raw)
			}
			if r := b.do("DELETE", "/auth/session", nil, cookie); r.status != 200 {
				t.Fatalf("logout on B: %d %s", r.status, r.raw)
			}
			wantErr(t, a.do("GET", "/store/customers/me", nil, cookie), 401, "unauthorized", "Unauthorized")
			wantErr(t, a.do("GET", "/store/customers/me", nil, bearer(tok)), 401, "unauthorized", "Unauthorized")
			wantErr(t, a.do("POST", "/auth/token/refresh", nil, bearer(tok)), 401, "unauthorized", "Unauthorized")

			// v1: the cookie of /store/auth on B works on A, and its
			// logout on A reaches B.
			r = b.v1("POST", "/store/auth", map[string]any{"email": "nodes@example.com", "password": pw}, nil)
			if r.status != 200 {
				t.Fatalf("v1 login on B: %d %s", r.status, r.raw)
			}
			v1cookie := map[string]string{"Cookie": strings.Split(r.header.Get("Set-Cookie"), ";")[0]}
			if r := a.v1("GET", "/store/auth", nil, v1cookie); r.status != 200 {
				t.Fatalf("v1 session on A: %d %s", r.status, r.raw)
			}
			if r := a.v1("DELETE", "/store/auth", map[string]any{}, v1cookie); r.status != 200 {
				t.Fatalf("v1 logout on A: %d %s", r.status, r.raw)
			}
			wantErr(t, b.v1("GET", "/store/customers/me", nil, v1cookie), 401, "unauthorized", "Unauthorized")
		})
	}
}
