package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/testenv"
	"github.com/clientele/clientele/internal/testkit"
)

// TestMain lets the test binary stand in for the clientele binary: with
// CLIENTELE_TEST_MAIN=1 it runs main, so multi-process tests start real
// `clientele serve` processes without a separate build.
func TestMain(m *testing.M) {
	if os.Getenv("CLIENTELE_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// node is a `clientele serve` child process.
type node struct {
	url string
	cmd *exec.Cmd
}

func startNode(t *testing.T, args ...string) *node {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "CLIENTELE_TEST_MAIN=1", "CLIENTELE_ARGON2_MEMORY=64", "CLIENTELE_ARGON2_TIME=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := &node{cmd: cmd}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := listenRE.FindStringSubmatch(sc.Text()); m != nil {
			n.url = m[1]
			break
		}
	}
	if n.url == "" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatal("node did not start")
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	t.Cleanup(n.stop)
	return n
}

func (n *node) stop() {
	if n.cmd.ProcessState != nil {
		return
	}
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = n.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = n.cmd.Process.Kill()
		<-done
	}
}

// pgSchema creates a private schema in the test database and returns a
// DSN whose search_path selects it.
func pgSchema(t *testing.T) (string, *pgx.Conn) { return testkit.PostgresSchema(t) }

func createStore(t *testing.T, dsn string) string {
	t.Helper()
	var out strings.Builder
	if err := run(t.Context(), []string{"stores", "create", "--name", "cluster", "--db", dsn, "--json"}, testEnv(nil), &out, io.Discard); err != nil {
		t.Fatalf("stores create: %v", err)
	}
	pk := strings.Split(strings.Split(out.String(), `"publishable_key":"`)[1], `"`)[0]
	return pk
}

// Two stateless nodes on one PostgreSQL and one Redis behave as one service:
// a logout on B reaches A's access-token checks within a second, login
// failures count across both, and a refresh-token race across them revokes
// the session exactly once.
func TestTwoNodes(t *testing.T) {
	dsn, conn := pgSchema(t)
	redisURL := testenv.StartRedis(t).URL
	pk := createStore(t, dsn)
	a := startNode(t, "--db", dsn, "--redis", redisURL, "--refresh-grace", "1ms", "--issuer", "https://accounts.test")
	b := startNode(t, "--db", dsn, "--redis", redisURL, "--refresh-grace", "1ms", "--issuer", "https://accounts.test")

	creds := map[string]string{"email": "two@example.com", "password": "a long enough secret"}
	if st, _, raw := call(t, "POST", a.url+"/v1/customers", pk, "", creds); st != 201 {
		t.Fatalf("register on A: %d %s", st, raw)
	}
	t.Run("logout_on_B_reaches_A_within_1s", func(t *testing.T) {
		st, login, _ := call(t, "POST", a.url+"/v1/auth/login", pk, "", creds)
		if st != 200 {
			t.Fatalf("login on A: %d", st)
		}
		access := login["access_token"].(string)
		if st, _, _ := call(t, "GET", a.url+"/v1/customer", "", access, nil); st != 200 {
			t.Fatalf("profile on A before logout: %d", st)
		}
		if st, _, _ := call(t, "POST", b.url+"/v1/auth/logout", "", access, map[string]any{}); st != 204 {
			t.Fatalf("logout on B: %d", st)
		}
		start := time.Now()
		for {
			st, _, _ := call(t, "GET", a.url+"/v1/customer", "", access, nil)
			if st == 401 {
				t.Logf("A refused the token %v after the logout on B", time.Since(start))
				break
			}
			if time.Since(start) > time.Second {
				t.Fatalf("A still accepts the token %v after the logout on B", time.Since(start))
			}
			time.Sleep(10 * time.Millisecond) // polling another process
		}
	})
	t.Run("login_failures_shared", func(t *testing.T) {
		bad := map[string]string{"email": creds["email"], "password": "wrong password"}
		tripped := 0
		for i := 1; i <= 20; i++ {
			n := a
			if i%2 == 0 {
				n = b
			}
			st, _, _ := call(t, "POST", n.url+"/v1/auth/login", pk, "", bad)
			if st == 429 {
				tripped = i
				break
			}
			if st != 401 {
				t.Fatalf("attempt %d: %d", i, st)
			}
		}
		if tripped != 11 {
			t.Fatalf("the shared limit tripped at attempt %d, want 11 (10 failures allowed across both nodes)", tripped)
		}
		for _, n := range []*node{a, b} {
			if st, _, _ := call(t, "POST", n.url+"/v1/auth/login", pk, "", creds); st != 429 {
				t.Fatalf("node %s after the limit: %d, want 429", n.url, st)
			}
		}
	})
	t.Run("refresh_reuse_race_revokes_once", func(t *testing.T) {
		other := map[string]string{"email": "race@example.com", "password": "a long enough secret"}
		st, reg, raw := call(t, "POST", b.url+"/v1/customers", pk, "", other)
		if st != 201 {
			t.Fatalf("register: %d %s", st, raw)
		}
		r1 := reg["refresh_token"].(string)
		// Rotate once, then race the now-stale R1 on both nodes.
		st, rot, _ := call(t, "POST", a.url+"/v1/auth/refresh", pk, "", map[string]string{"refresh_token": r1})
		if st != 200 {
			t.Fatalf("first rotation: %d", st)
		}
		r2 := rot["refresh_token"].(string)
		time.Sleep(5 * time.Millisecond) // past the 1 ms grace configured for this test
		var wg sync.WaitGroup
		codes := make(chan int, 2)
		for _, n := range []*node{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, _, _ := call(t, "POST", n.url+"/v1/auth/refresh", pk, "", map[string]string{"refresh_token": r1})
				codes <- st
			}()
		}
		wg.Wait()
		close(codes)
		for c := range codes {
			if c != 401 {
				t.Fatalf("reuse answered %d, want 401", c)
			}
		}
		for _, n := range []*node{a, b} {
			if st, _, _ := call(t, "POST", n.url+"/v1/auth/refresh", pk, "", map[string]string{"refresh_token": r2}); st != 401 {
				t.Fatalf("newest token after reuse on %s: %d", n.url, st)
			}
		}
		var revoked, children int
		sid := reg["session_id"].(string)
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE id = $1 AND revoked_at IS NOT NULL AND revoke_reason = 'refresh_token_reused'`, sid).Scan(&revoked); err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM refresh_tokens WHERE session_id = $1`, sid).Scan(&children); err != nil {
			t.Fatal(err)
		}
		if revoked != 1 || children != 2 {
			t.Fatalf("revoked sessions %d (want 1), tokens in family %d (want 2: no fork)", revoked, children)
		}
	})
}

// Killing Redis leaves both nodes serving logins on local limits, with
// /readyz reporting Redis down; they recover when it returns.
func TestNodesSurviveRedisOutage(t *testing.T) {
	dsn, _ := pgSchema(t)
	rs := testenv.StartRedis(t)
	pk := createStore(t, dsn)
	a := startNode(t, "--db", dsn, "--redis", rs.URL, "--issuer", "https://accounts.test")
	b := startNode(t, "--db", dsn, "--redis", rs.URL, "--issuer", "https://accounts.test")
	creds := map[string]string{"email": "outage@example.com", "password": "a long enough secret"}
	if st, _, _ := call(t, "POST", a.url+"/v1/customers", pk, "", creds); st != 201 {
		t.Fatalf("register: %d", st)
	}
	rs.Stop()
	for _, n := range []*node{a, b} {
		if st, _, raw := call(t, "POST", n.url+"/v1/auth/login", pk, "", creds); st != 200 {
			t.Fatalf("login on %s with Redis down: %d %s", n.url, st, raw)
		}
		st, ready, _ := call(t, "GET", n.url+"/readyz", "", "", nil)
		checks, _ := ready["checks"].(map[string]any)
		if st != 200 || ready["status"] != "degraded" || checks["redis"] != "down" {
			t.Fatalf("readyz with Redis down: %d %v", st, ready)
		}
	}
	rs.Start()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, ready, _ := call(t, "GET", a.url+"/readyz", "", "", nil)
		if ready["status"] == "ok" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz did not recover: %v", ready)
		}
		time.Sleep(50 * time.Millisecond) // polling another process
	}
}
