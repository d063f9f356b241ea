// Package testenv decides, in one place, what a test does when a service it
// needs (Redis, PostgreSQL, NATS) is not running: skip with a clear message on a
// developer's machine, fail under CLIENTELE_REQUIRE_ALL=1 so that CI cannot
// go green by silently skipping everything. Import it only from tests.
package testenv

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	// DefaultRedis is database 15, away from the 0 a developer's own
	// tooling uses. Tests still isolate themselves by key prefix and never
	// flush, since parallel packages share the database.
	DefaultRedis = "redis://127.0.0.1:6379/15"
	// DefaultPostgres is a local server's throwaway database.
	DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	// DefaultNATS is a local NATS server with JetStream. Tests isolate
	// themselves by stream name and subject prefix, and delete their
	// streams.
	DefaultNATS = "nats://127.0.0.1:4222"

	// probeTimeout bounds each reachability check, so a missing service
	// costs a test run one second, not a connect timeout per test.
	probeTimeout = time.Second
)

// RequireAll reports whether every test must run (env
// CLIENTELE_REQUIRE_ALL=1), turning a missing service into a failure.
func RequireAll() bool { return os.Getenv("CLIENTELE_REQUIRE_ALL") == "1" }

// Redis returns the URL of the Redis for tests (env CLIENTELE_TEST_REDIS,
// or DefaultRedis) after checking that it answers PING, and otherwise
// skips t (or fails it, under RequireAll).
func Redis(t testing.TB) string {
	t.Helper()
	u := envOr("CLIENTELE_TEST_REDIS", DefaultRedis)
	opt, err := redis.ParseURL(u)
	if err != nil {
		// A malformed URL is a configuration mistake, never a reason to skip.
		t.Fatalf("testenv: CLIENTELE_TEST_REDIS=%q: %v", u, err)
		return "" // only reached with a recording TB, as in this package's tests
	}
	// One attempt, no retries: a refused connection answers at once.
	opt.DialTimeout, opt.MaxRetries, opt.DialerRetries = probeTimeout, -1, 1
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		unavailable(t, "Redis", u, "CLIENTELE_TEST_REDIS", err)
	}
	return u
}

// Postgres returns the URL of the PostgreSQL for tests (env
// CLIENTELE_TEST_POSTGRES, or DefaultPostgres) after checking that its
// port accepts a TCP connection, and otherwise skips t (or fails it, under
// RequireAll). A plain dial keeps this package free of a database driver;
// the test's own connection reports anything past reachability.
func Postgres(t testing.TB) string {
	t.Helper()
	u := envOr("CLIENTELE_TEST_POSTGRES", DefaultPostgres)
	parsed, err := url.Parse(u)
	if err != nil || parsed.Hostname() == "" {
		t.Fatalf("testenv: CLIENTELE_TEST_POSTGRES=%q: no host (%v)", u, err)
		return ""
	}
	port := parsed.Port()
	if port == "" {
		port = "5432"
	}
	conn, err := net.DialTimeout("tcp", net.JoinHostPort(parsed.Hostname(), port), probeTimeout)
	if err != nil {
		unavailable(t, "PostgreSQL", u, "CLIENTELE_TEST_POSTGRES", err)
		return u
	}
	_ = conn.Close()
	return u
}

// NATS returns the URL of the NATS server for tests (env
// CLIENTELE_TEST_NATS, or DefaultNATS) after checking that it greets a
// TCP connection with its INFO line and has JetStream on, and otherwise
// skips t (or fails it, under RequireAll). Reading the greeting by hand
// keeps this package free of a NATS client.
func NATS(t testing.TB) string {
	t.Helper()
	u := envOr("CLIENTELE_TEST_NATS", DefaultNATS)
	parsed, err := url.Parse(u)
	if err != nil || parsed.Scheme != "nats" || parsed.Hostname() == "" {
		t.Fatalf("testenv: CLIENTELE_TEST_NATS=%q: want nats://host:port (%v)", u, err)
		return ""
	}
	port := parsed.Port()
	if port == "" {
		port = "4222"
	}
	if err := natsGreets(net.JoinHostPort(parsed.Hostname(), port)); err != nil {
		unavailable(t, "NATS with JetStream", u, "CLIENTELE_TEST_NATS", err)
	}
	return u
}

// natsGreets dials addr and reads the INFO line a NATS server sends first.
func natsGreets(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, probeTimeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(probeTimeout))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("no greeting: %w", err)
	}
	info, ok := strings.CutPrefix(line, "INFO ")
	if !ok {
		return fmt.Errorf("not a NATS server: it greets with %.40q", line)
	}
	var fields struct {
		JetStream bool `json:"jetstream"`
	}
	if err := json.Unmarshal([]byte(info), &fields); err != nil {
		return fmt.Errorf("unreadable INFO: %w", err)
	}
	if !fields.JetStream {
		return errors.New("the server runs without JetStream (start it with -js)")
	}
	return nil
}

// envOr is the environment variable name, or def when it is unset or empty.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func unavailable(t testing.TB, what, u, env string, err error) {
	t.Helper()
	if RequireAll() {
		t.Fatalf("%s at %s is unreachable and CLIENTELE_REQUIRE_ALL=1: %v", what, u, err)
		return
	}
	t.Skipf("skipping: %s at %s is unreachable (%v); start it or set %s, and set CLIENTELE_REQUIRE_ALL=1 to make this a failure", what, u, err, env)
}

// ClosedAddr returns a 127.0.0.1 address that refuses connections: the
// port was just free, so a client pointed at it sees a server that is down.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}
