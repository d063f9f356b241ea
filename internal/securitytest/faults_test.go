package securitytest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/testenv"
	"github.com/clientele/clientele/internal/testkit"
)

// familiesConsistent fails when a session has two live refresh tokens or a
// rotated token has no child ("old revoked and no new token").
func familiesConsistent(t testing.TB, db *sql.DB) {
	t.Helper()
	if n := count(t, db, `SELECT count(*) FROM (SELECT session_id FROM refresh_tokens
		WHERE rotated_at IS NULL GROUP BY session_id HAVING count(*) > 1) f`); n != 0 {
		t.Errorf("%d sessions with two live refresh tokens", n)
	}
	if n := count(t, db, `SELECT count(*) FROM refresh_tokens p WHERE rotated_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM refresh_tokens c WHERE c.parent_id = p.id)`); n != 0 {
		t.Errorf("%d rotated refresh tokens without a child", n)
	}
}

// refreshLoad runs one refresh chain per customer in its own goroutine until
// stop is closed, counting answers; any answer but 200 or a 503 problem is
// an error.
type refreshLoad struct {
	ok, unavailable atomic.Int64
	wg              sync.WaitGroup
}

func startRefreshLoad(t *testing.T, k *testkit.Kit, chains []string, stop <-chan struct{}) *refreshLoad {
	l := &refreshLoad{}
	for _, tok := range chains {
		l.wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				res := refresh(t, k, tok)
				switch {
				case res.Status == 200:
					l.ok.Add(1)
					tok = res.Str(t, "refresh_token")
				case res.Status == 503 && res.Header.Get("Content-Type") == "application/problem+json":
					l.unavailable.Add(1)
				default:
					t.Errorf("refresh answered %d %s", res.Status, res.Body)
					return
				}
			}
		})
	}
	return l
}

// eventually polls cond (other goroutines doing network I/O make progress
// meanwhile) for up to a minute (a -race build on a busy host is slow).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached in a minute", what)
		}
		time.Sleep(5 * time.Millisecond) // polling another goroutine's progress
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Case 37: PostgreSQL backends killed (pg_terminate_backend) in the middle
// of refresh transactions: every answer is a success or a retryable 503,
// and no family is left with an old token revoked and no child, or with two
// live children. SQLite has no server connection to kill.
func case37(t *testing.T) {
	dsn, conn := testkit.PostgresSchema(t)
	app := "clientele_" + randomHex(6)
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	k := testkit.New(t, withConfig(func(c *config.Config) { c.DB = u.String() }), testkit.WithCore(relaxed()))
	var chains []string
	for i := range 4 {
		chains = append(chains, k.Register(fmt.Sprintf("chain%d@example.com", i)).Refresh)
	}
	stop := make(chan struct{})
	load := startRefreshLoad(t, k, chains, stop)
	killed := 0
	for range 20 {
		before := load.ok.Load()
		eventually(t, "refreshes between kills", func() bool { return load.ok.Load() >= before+5 })
		var n int
		if err := conn.QueryRow(context.Background(),
			"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", app).Scan(&n); err != nil {
			t.Fatal(err)
		}
		killed += n
	}
	before := load.ok.Load()
	eventually(t, "refreshes after the last kill", func() bool { return load.ok.Load() >= before+10 })
	close(stop)
	load.wg.Wait()
	t.Logf("%d backends killed; %d refreshes ok, %d answered 503", killed, load.ok.Load(), load.unavailable.Load())
	if killed == 0 {
		t.Fatal("no backend was killed: the test did not test anything")
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	familiesConsistent(t, db)
}

// Case 38: PostgreSQL going away: /healthz stays 200, /readyz is 503,
// requests fail fast with 503, and the service recovers by itself when the
// database returns. (cmd/clientele TestPostgresOutageUnderLoad runs the
// same against a real process.)
func case38(t *testing.T) {
	dsn, _ := testkit.PostgresSchema(t)
	u, _ := url.Parse(dsn)
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	relay := testenv.NewRelay(t, net.JoinHostPort(u.Hostname(), port))
	u.Host = relay.Addr()
	k := testkit.New(t, withConfig(func(c *config.Config) { c.DB = u.String() }), testkit.WithCore(relaxed()))
	c := k.Register("outage@example.com")
	want(t, refresh(t, k, c.Refresh), 200)
	relay.Cut()
	want(t, native(t, k, "GET", "/healthz", "", nil), 200)
	if r := native(t, k, "GET", "/readyz", "", nil); r.Status != 503 || !strings.Contains(string(r.Body), `"database":"down"`) {
		t.Fatalf("readyz during the outage: %d %s", r.Status, r.Body)
	}
	var slowest time.Duration
	for range 20 {
		start := time.Now()
		res := login(t, k, c.Email, c.Password)
		if d := time.Since(start); d > slowest {
			slowest = d
		}
		wantProblem(t, res, 503, "")
		if res.Header.Get("Retry-After") == "" {
			t.Fatal("503 without Retry-After")
		}
	}
	t.Logf("slowest 503 during the outage: %v", slowest)
	if slowest > 2*time.Second {
		t.Fatalf("a request took %v to fail: not fast", slowest)
	}
	relay.Restore()
	eventually(t, "readiness after the outage", func() bool { return native(t, k, "GET", "/readyz", "", nil).Status == 200 })
	want(t, login(t, k, c.Email, c.Password), 200)
}

// Case 39: Redis down: login and refresh keep working on the local limiter,
// a logout still denies the session's access token (checked in the
// database), /readyz says degraded, and nothing answers 500.
func case39(t *testing.T) {
	r := testenv.StartRedis(t)
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("redis@example.com")
		want(t, login(t, k, c.Email, c.Password), 200)
		r.Stop()
		defer r.Start()
		for range 3 {
			want(t, login(t, k, c.Email, c.Password), 200)
		}
		res := refresh(t, k, c.Refresh)
		want(t, res, 200)
		access := res.Str(t, "access_token")
		want(t, me(t, k, access), 200)
		want(t, native(t, k, "POST", "/v1/auth/logout", access, nil), 204)
		wantProblem(t, me(t, k, access), 401, "")
		ready := native(t, k, "GET", "/readyz", "", nil)
		if (ready.Status != 200 && ready.Status != 503) || !containsAll(string(ready.Body), `"redis":"down"`, `"status":"degraded"`) {
			t.Fatalf("readyz with Redis down: %d %s", ready.Status, ready.Body)
		}
		// The local limiter still limits.
		for range 10 {
			login(t, k, c.Email, "wrong password")
		}
		wantProblem(t, login(t, k, c.Email, "wrong password"), 429, "rate_limited")
	}, withConfig(func(c *config.Config) { c.Redis = r.URL }))
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// Case 40: SQLite on a full filesystem (a 2 MiB tmpfs mounted by the test):
// registrations and refreshes answer 503/507 problem+json, leave no partial
// customer, the database passes integrity_check, and the service recovers
// once space is freed. Skipped, with the reason, where the test may not
// mount a filesystem.
func case40(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	path := filepath.Join(dir, "clientele.db")
	k := testkit.New(t, withConfig(func(c *config.Config) { c.DB = path }), testkit.WithCore(relaxed()))
	c := k.Register("full@example.com")
	// Fill the filesystem.
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	_ = f.Close()
	var refused []string
	for i := range 200 {
		email := fmt.Sprintf("later%d-%s@example.com", i, randomHex(20))
		res := native(t, k, "POST", "/v1/customers", "", map[string]any{"email": email, "password": pw, "first_name": randomHex(100), "last_name": randomHex(100)})
		if res.Status == 201 {
			continue
		}
		if res.Status != 503 && res.Status != 507 || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("registration on a full disk: %d %s", res.Status, res.Body)
		}
		refused = append(refused, email)
		if len(refused) >= 3 {
			break
		}
	}
	if len(refused) == 0 {
		t.Fatal("the disk never filled up")
	}
	if r := refresh(t, k, c.Refresh); r.Status != 200 && r.Status != 503 && r.Status != 507 {
		t.Fatalf("refresh on a full disk: %d %s", r.Status, r.Body)
	} else if r.Status == 200 {
		c.Refresh = r.Str(t, "refresh_token")
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q %v", check, err)
	}
	for _, e := range refused {
		if n := count(t, db, "SELECT count(*) FROM customers WHERE email = '"+e+"'"); n != 0 {
			t.Fatalf("a refused registration left a customer row for %s", e)
		}
	}
	familiesConsistent(t, db)
	want(t, native(t, k, "POST", "/v1/customers", "", map[string]any{"email": "after@example.com", "password": pw}), 201)
	want(t, refresh(t, k, c.Refresh), 200)
}
