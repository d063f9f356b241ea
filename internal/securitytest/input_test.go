package securitytest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

// countingReader yields n bytes of JSON-ish filler and counts what was read.
type countingReader struct{ n, read int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, io.EOF
	}
	m := min(int64(len(p)), r.n-r.read)
	for i := range m {
		p[i] = 'a'
	}
	if r.read == 0 && m > 0 {
		p[0] = '{'
	}
	r.read += m
	return int(m), nil
}

// Case 32: a 10 MiB body is 413 without the server reading it all; a
// client trickling its headers or body is cut off at ReadHeaderTimeout /
// ReadTimeout; oversized headers are 431.
func case32(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		for _, path := range []string{"/v1/auth/login", spreeBase + "/auth/login", "/medusa/auth/customer/emailpass", "/medusa-v1/store/auth"} {
			body := &countingReader{n: 10 << 20}
			req, _ := http.NewRequest("POST", k.Server.URL+path, body)
			req.ContentLength = body.n
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Publishable-Key", k.PK)
			req.Header.Set("X-Spree-Api-Key", k.PK)
			req.Header.Set("X-Publishable-Api-Key", k.PK)
			res, err := k.Server.Client().Do(req)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("%s: 10 MiB body answered %d, want 413", path, res.StatusCode)
			}
			if body.read >= body.n {
				t.Errorf("%s: the whole 10 MiB body was read", path)
			}
		}
	})

	t.Run("slow_clients", func(t *testing.T) {
		k := testkit.New(t)
		cfg := config.Default()
		cfg.ReadHeaderTimeout, cfg.ReadTimeout = 300*time.Millisecond, 600*time.Millisecond
		cfg.MaxHeaderBytes = 4 << 10
		srv := server.NewHTTPServer(cfg, k.App.Handler, nil)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = srv.Serve(ln) }()
		t.Cleanup(func() { _ = srv.Close() })
		addr := ln.Addr().String()

		// trickle opens a connection, sends head at once, then one byte of
		// drip every 50 ms, and reports how long the server let it live.
		trickle := func(head, drip string) time.Duration {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			start := time.Now()
			closed := make(chan time.Duration, 1)
			go func() {
				_, _ = io.Copy(io.Discard, conn) // returns when the server closes
				closed <- time.Since(start)
			}()
			if _, err := io.WriteString(conn, head); err != nil {
				t.Fatal(err)
			}
			tick := time.NewTicker(50 * time.Millisecond) // the attack's pace, not synchronisation
			defer tick.Stop()
			for i := 0; ; i++ {
				select {
				case d := <-closed:
					return d
				case <-tick.C:
					if i >= len(drip) || time.Since(start) > 10*time.Second {
						t.Fatalf("the server let a trickling client live %v", time.Since(start))
					}
					_, _ = conn.Write([]byte{drip[i]})
				}
			}
		}
		headers := "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\n"
		drip := strings.Repeat("X-Slow: y\r\n", 40)
		if d := trickle(headers, drip); d > 3*time.Second {
			t.Fatalf("slow headers cut off after %v, ReadHeaderTimeout is 300 ms", d)
		}
		body := fmt.Sprintf("POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Publishable-Key: %s\r\nContent-Length: 400\r\n\r\n", k.PK)
		if d := trickle(body, "{"+strings.Repeat(" ", 398)+"}"); d > 3*time.Second {
			t.Fatalf("slow body cut off after %v, ReadTimeout is 600 ms", d)
		}
		// Headers over MaxHeaderBytes: 431.
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_, _ = fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 16<<10))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil && !errors.Is(err, io.EOF) {
			t.Fatal(err)
		}
		if err == nil && res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Fatalf("16 KiB of headers answered %d, want 431", res.StatusCode)
		}
	})
}
