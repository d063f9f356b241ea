package main

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testenv"
)

// PostgreSQL going away under load: requests during the outage fail fast
// with 503 problem+json (never a hang or a client timeout), the node
// recovers by itself when the database returns, and no refresh-token family
// is left half-rotated.
func TestPostgresOutageUnderLoad(t *testing.T) {
	dsn, conn := pgSchema(t)
	u, _ := url.Parse(dsn)
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	relay := testenv.NewRelay(t, net.JoinHostPort(u.Hostname(), port))
	u.Host = relay.Addr()
	viaRelay := u.String()
	pk := createStore(t, dsn)
	n := startNode(t, "--db", viaRelay, "--issuer", "https://accounts.test")

	// A few customers, each refreshing its own chain in a loop.
	type chain struct{ tok string }
	var chains []*chain
	for i := range 4 {
		st, reg, raw := call(t, "POST", n.url+"/v1/customers", pk, "", map[string]string{
			"email": "load" + string(rune('a'+i)) + "@example.com", "password": "a long enough secret"})
		if st != 201 {
			t.Fatalf("register: %d %s", st, raw)
		}
		chains = append(chains, &chain{tok: reg["refresh_token"].(string)})
	}
	client := &http.Client{Timeout: 2 * time.Second}
	var ok, unavailable, other, timeouts atomic.Int64
	var slowest atomic.Int64
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, c := range chains {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				start := time.Now()
				st, body, err := post(client, n.url+"/v1/auth/refresh", pk, `{"refresh_token":"`+c.tok+`"}`)
				if d := time.Since(start); int64(d) > slowest.Load() {
					slowest.Store(int64(d))
				}
				switch {
				case err != nil:
					timeouts.Add(1)
				case st == 200:
					ok.Add(1)
					c.tok = body["refresh_token"].(string)
				case st == 503 && body["code"] != nil:
					unavailable.Add(1)
				default:
					other.Add(1)
					t.Errorf("unexpected answer %d %v", st, body)
				}
			}
		}()
	}
	waitUntil(t, func() bool { return ok.Load() >= 20 })
	relay.Cut()
	waitUntil(t, func() bool { return unavailable.Load() >= 20 })
	if st, ready, _ := call(t, "GET", n.url+"/readyz", "", "", nil); st != 503 || ready["checks"].(map[string]any)["database"] != "down" {
		t.Fatalf("readyz during the outage: %d %v", st, ready)
	}
	if st, _, _ := call(t, "GET", n.url+"/healthz", "", "", nil); st != 200 {
		t.Fatalf("healthz during the outage: %d", st)
	}
	relay.Restore()
	before := ok.Load()
	waitUntil(t, func() bool { return ok.Load() >= before+20 })
	stop()
	wg.Wait()
	t.Logf("ok %d, 503 %d, other %d, client timeouts %d, slowest %v", ok.Load(), unavailable.Load(), other.Load(), timeouts.Load(), time.Duration(slowest.Load()))
	if timeouts.Load() > 0 || other.Load() > 0 {
		t.Fatalf("%d client timeouts and %d unexpected answers during the outage", timeouts.Load(), other.Load())
	}
	// Families are consistent: never two live tokens in a session, never a
	// rotated token without its child.
	var forks, orphans int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM (SELECT session_id FROM refresh_tokens
		WHERE rotated_at IS NULL GROUP BY session_id HAVING count(*) > 1) f`).Scan(&forks); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM refresh_tokens p WHERE rotated_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM refresh_tokens c WHERE c.parent_id = p.id)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if forks != 0 || orphans != 0 {
		t.Fatalf("inconsistent families: %d forked sessions, %d rotated tokens without a child", forks, orphans)
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 20 s")
		}
		time.Sleep(5 * time.Millisecond) // the workers are other goroutines doing network I/O
	}
}
