package testenv_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testenv"
)

// recorder stands in for a test so that skips and failures can be observed
// instead of ending the real test. The embedded TB supplies the rest.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                          {}
func (r *recorder) Skipf(format string, args ...any) { r.skipped = fmt.Sprintf(format, args...) }
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
}

func TestRequireAll(t *testing.T) {
	for val, want := range map[string]bool{"": false, "0": false, "true": false, "1": true} {
		t.Setenv("CLIENTELE_REQUIRE_ALL", val)
		if got := testenv.RequireAll(); got != want {
			t.Errorf("CLIENTELE_REQUIRE_ALL=%q: RequireAll() = %v, want %v", val, got, want)
		}
	}
}

func TestUnreachableSkipsUnlessRequired(t *testing.T) {
	addr := testenv.ClosedAddr(t)
	for _, tc := range []struct {
		name, env, url string
		probe          func(testing.TB) string
	}{
		{"redis", "CLIENTELE_TEST_REDIS", "redis://" + addr + "/15", testenv.Redis},
		{"postgres", "CLIENTELE_TEST_POSTGRES", "postgres://postgres@" + addr + "/test", testenv.Postgres},
		{"nats", "CLIENTELE_TEST_NATS", "nats://" + addr, testenv.NATS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(tc.env, tc.url)

			t.Setenv("CLIENTELE_REQUIRE_ALL", "")
			r := &recorder{TB: t}
			tc.probe(r)
			if r.failed != "" || !strings.Contains(r.skipped, addr) || !strings.Contains(r.skipped, "CLIENTELE_REQUIRE_ALL=1") {
				t.Errorf("without CLIENTELE_REQUIRE_ALL: skipped %q, failed %q; want a skip naming the address and the override", r.skipped, r.failed)
			}

			t.Setenv("CLIENTELE_REQUIRE_ALL", "1")
			r = &recorder{TB: t}
			tc.probe(r)
			if r.skipped != "" || !strings.Contains(r.failed, addr) {
				t.Errorf("with CLIENTELE_REQUIRE_ALL=1: skipped %q, failed %q; want a failure naming the address", r.skipped, r.failed)
			}
		})
	}
}

func TestMalformedURLFails(t *testing.T) {
	t.Setenv("CLIENTELE_REQUIRE_ALL", "")
	for env, probe := range map[string]func(testing.TB) string{
		"CLIENTELE_TEST_REDIS":    testenv.Redis,
		"CLIENTELE_TEST_POSTGRES": testenv.Postgres,
		"CLIENTELE_TEST_NATS":     testenv.NATS,
	} {
		t.Setenv(env, "::not a url")
		r := &recorder{TB: t}
		probe(r)
		if r.failed == "" || r.skipped != "" {
			t.Errorf("%s malformed: skipped %q, failed %q; want a failure, a typo must not skip", env, r.skipped, r.failed)
		}
	}
}

func TestPostgresReachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	u := "postgres://postgres@" + l.Addr().String() + "/test?sslmode=disable"
	t.Setenv("CLIENTELE_TEST_POSTGRES", u)
	r := &recorder{TB: t}
	if got := testenv.Postgres(r); got != u || r.skipped != "" || r.failed != "" {
		t.Errorf("Postgres() = %q (skipped %q, failed %q), want %q", got, r.skipped, r.failed, u)
	}
}

func TestRedisDefault(t *testing.T) {
	t.Setenv("CLIENTELE_TEST_REDIS", "")
	if got := testenv.Redis(t); got != testenv.DefaultRedis {
		t.Errorf("Redis() = %q, want %q", got, testenv.DefaultRedis)
	}
}

func TestLink(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 2)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()

	link := testenv.NewLink()
	ctx := context.Background()
	c, err := link.Dial(ctx, "tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server := <-accepted
	defer server.Close()

	link.Cut()
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Error("read on a cut connection succeeded")
	}
	if _, err := link.Dial(ctx, "tcp", l.Addr().String()); !errors.Is(err, testenv.ErrCut) {
		t.Errorf("dial while cut: %v, want ErrCut", err)
	}
	select {
	case <-link.Refused():
	default:
		t.Error("refused dial not reported")
	}

	link.Restore()
	c, err = link.Dial(ctx, "tcp", l.Addr().String())
	if err != nil {
		t.Fatalf("dial after Restore: %v", err)
	}
	defer c.Close()
	server = <-accepted
	defer server.Close()
	if _, err := server.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Errorf("read after Restore: %v", err)
	}
}

func TestLinkStall(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			accepted <- c
		}
	}()
	link := testenv.NewLink()
	c, err := link.Dial(context.Background(), "tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	server := <-accepted
	defer server.Close()

	link.Stall()
	if _, err := c.Write([]byte("lost")); err != nil {
		t.Fatalf("write on a stalled connection: %v; want silent success", err)
	}
	if _, err := server.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	// The byte arrives and is dropped; the read ends only at its deadline.
	if err := c.SetReadDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Read(make([]byte, 1)); n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("read on a stalled connection: %d, %v; want a deadline error", n, err)
	}
	// Nothing the client wrote reached the server.
	if err := server.SetReadDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if n, err := server.Read(make([]byte, 4)); n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("server read %d bytes (%v) from a stalled connection", n, err)
	}
}

// greeter listens on loopback and writes greeting to every connection, as
// a NATS server writes its INFO line first.
func greeter(t *testing.T, greeting string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_, _ = io.WriteString(c, greeting)
			_ = c.Close()
		}
	}()
	return l.Addr().String()
}

// NATS counts as reachable only when the server greets as NATS with
// JetStream on; anything else skips with the reason.
func TestNATSGreeting(t *testing.T) {
	t.Setenv("CLIENTELE_REQUIRE_ALL", "")
	for _, tc := range []struct {
		name, greeting, skip string
	}{
		{"jetstream", `INFO {"server_id":"x","jetstream":true}` + "\r\n", ""},
		{"no_jetstream", `INFO {"server_id":"x"}` + "\r\n", "without JetStream"},
		{"not_nats", "+PONG\r\n", "not a NATS server"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := "nats://" + greeter(t, tc.greeting)
			t.Setenv("CLIENTELE_TEST_NATS", u)
			r := &recorder{TB: t}
			got := testenv.NATS(r)
			switch {
			case r.failed != "":
				t.Errorf("failed %q", r.failed)
			case tc.skip == "" && (r.skipped != "" || got != u):
				t.Errorf("NATS() = %q, skipped %q; want %q", got, r.skipped, u)
			case tc.skip != "" && !strings.Contains(r.skipped, tc.skip):
				t.Errorf("skipped %q, want it to say %q", r.skipped, tc.skip)
			}
		})
	}
}
