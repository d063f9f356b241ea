package securitytest

import (
	"bufio"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

// countingReader yields n bytes of JSON-ish filler and counts what was
// read (atomically: the transport reads on its own goroutine).
type countingReader struct {
	n    int64
	read atomic.Int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	done := r.read.Load()
	if done >= r.n {
		return 0, io.EOF
	}
	m := min(int64(len(p)), r.n-done)
	for i := range m {
		p[i] = 'a'
	}
	if done == 0 && m > 0 {
		p[0] = '{'
	}
	r.read.Add(m)
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
			if body.read.Load() >= body.n {
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

// isServerError reports a 5xx.
func isServerError(r *testkit.Response) bool { return r.Status >= 500 }

// Case 33: malformed JSON, trailing data, wrong types and duplicate keys
// are a 400 (problem+json on /v1, each dialect's envelope elsewhere), never
// a 500; duplicate keys resolve deterministically (the last one wins, as
// in every JSON decoder the SDKs use) or are refused.
func case33(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		bad := []string{
			`{"email":"a@example.com","password":`,
			`{"email":"a@example.com","password":"x"} {"x":1}`,
			`{"email":"a@example.com","password":"x"}garbage`,
			`{"email":42,"password":true}`,
			`{"email":["a@example.com"],"password":{"x":1}}`,
			`[]`, `null`, `"string"`, `123`, ``, `{`, `{"email":"\ud800"}`,
			"\xff\xfe{}",
		}
		paths := map[string]map[string]string{
			"/v1/auth/login":                  {"X-Publishable-Key": k.PK},
			"/v1/customers":                   {"X-Publishable-Key": k.PK},
			spreeBase + "/auth/login":         {"X-Spree-Api-Key": k.PK},
			spreeBase + "/customers":          {"X-Spree-Api-Key": k.PK},
			"/medusa/auth/customer/emailpass": {"X-Publishable-Api-Key": k.PK},
			"/medusa-v1/store/customers":      {"X-Publishable-Api-Key": k.PK},
		}
		for path, hdr := range paths {
			for _, body := range bad {
				r := do(t, k, "POST", path, body, hdr)
				if r.Status != 400 && r.Status != 401 && r.Status != 422 {
					t.Errorf("%s %q: %d %s, want 400", path, body, r.Status, r.Body)
				}
				if strings.HasPrefix(path, "/v1/") && r.Status == 400 && r.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s %q: %s is not problem+json", path, body, r.Header.Get("Content-Type"))
				}
			}
		}
		dup := `{"email":"first@example.com","email":"second@example.com","password":"` + pw + `"}`
		r := do(t, k, "POST", "/v1/customers", dup, paths["/v1/customers"])
		switch r.Status {
		case 400:
		case 201:
			if got := r.JSON(t)["customer"].(map[string]any)["email"]; got != "second@example.com" {
				t.Fatalf("duplicate keys resolved to %v, want the last", got)
			}
		default:
			t.Fatalf("duplicate keys: %d %s", r.Status, r.Body)
		}
	})
}

// Case 34: e-mail edge cases get the same verdict on every surface: a
// documented normalization (IDN in Unicode form, NFKC, lower case) or a
// refusal with a client error, never a 500.
func case34(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		cases := []struct {
			email string
			ok    bool
		}{
			{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 63) + ".com", false}, // 259 chars
			{"nodomain@", false},
			{"nodomain", false},
			{"@example.com", false},
			{"user@localhost", false},
			{"zero\u200bwidth@example.com", false},
			{"rtl\u202emoc.elpmaxe@example.com", false},
			{"nul\x00byte@example.com", false},
			{`"quoted local"@example.com`, false},
			{"two@@example.com", false},
			{"dots..dots@example.com", false},
			{"user@münchen.de", true},
			{"user@xn--mnchen-3ya.de", true},
			{"plus+tag@example.com", true},
		}
		for i, c := range cases {
			for _, s := range surfaces {
				email := c.email
				if c.ok {
					email = fmt.Sprintf("s%d%s-%s", i, s.name, c.email)
				}
				r := s.register(t, k, k.PK, email)
				if isServerError(r) {
					t.Errorf("%s %q: %d %s", s.name, c.email, r.Status, r.Body)
				}
				if (r.Status < 300) != c.ok {
					t.Errorf("%s %q: %d %s, want accepted=%v", s.name, c.email, r.Status, r.Body, c.ok)
				}
			}
			// Login and reset refuse or ignore a bad address without a 500.
			r := login(t, k, c.email, pw)
			if isServerError(r) {
				t.Errorf("login %q: %d", c.email, r.Status)
			}
			if r := native(t, k, "POST", "/v1/password-resets", "", map[string]string{"email": c.email}); isServerError(r) {
				t.Errorf("reset %q: %d", c.email, r.Status)
			}
		}
	}, testkit.WithCore(relaxed()))
}

// Case 35: SQL and JSON injection in string fields is stored literally (and
// read back byte for byte) or refused with a client error; never a 500,
// and a refused write adds no row.
func case35(t *testing.T) {
	payloads := []string{"' OR 1=1--", `{"$gt":""}`, "Robert'); DROP TABLE customers;--", `\u0000`, "%00", "${jndi:ldap://x}", "<script>alert(1)</script>", "\" OR \"\"=\""}
	onBackendsDB(t, func(t *testing.T, k *testkit.Kit, db *sql.DB) {
		c := k.Register("inject@example.com")
		customers := count(t, db, "SELECT count(*) FROM customers")
		for _, p := range payloads {
			r := native(t, k, "PATCH", "/v1/customer", c.Access, map[string]any{"first_name": p, "last_name": p})
			if isServerError(r) {
				t.Fatalf("profile %q: %d", p, r.Status)
			}
			if r.Status == 200 {
				got := me(t, k, c.Access).JSON(t)
				if got["first_name"] != p || got["last_name"] != p {
					t.Fatalf("profile %q stored as %v", p, got["first_name"])
				}
			}
			r = native(t, k, "POST", "/v1/customer/addresses", c.Access, map[string]any{"first_name": p, "last_name": p, "address1": p, "city": p, "postal_code": "10115", "country_code": "DE"})
			if isServerError(r) {
				t.Fatalf("address %q: %d", p, r.Status)
			}
			if r.Status == 201 {
				got := native(t, k, "GET", "/v1/customer/addresses/"+r.Str(t, "id"), c.Access, nil).JSON(t)
				if got["city"] != p || got["address1"] != p {
					t.Fatalf("address %q stored as %v", p, got["city"])
				}
			}
			for _, e := range []string{p, p + "@example.com", "a@example.com" + p} {
				if r := login(t, k, e, p); isServerError(r) || r.Status == 200 {
					t.Fatalf("login %q: %d", e, r.Status)
				}
				r := native(t, k, "POST", "/v1/customers", "", map[string]any{"email": e, "password": pw + p})
				if isServerError(r) {
					t.Fatalf("register %q: %d", e, r.Status)
				}
				if r.Status == 201 {
					// A valid address after all (e.g. "%00@example.com"):
					// stored literally.
					customers++
					if got := r.JSON(t)["customer"].(map[string]any)["email"]; got != e {
						t.Fatalf("registered %q as %q", e, got)
					}
					want(t, login(t, k, e, pw+p), 200)
				}
			}
			if r := native(t, k, "GET", "/v1/customer/addresses/"+p, c.Access, nil); isServerError(r) || r.Status == 200 {
				t.Fatalf("address id %q: %d", p, r.Status)
			}
			if r := refresh(t, k, p); r.Status != 401 && r.Status != 400 {
				t.Fatalf("refresh %q: %d", p, r.Status)
			}
		}
		if n := count(t, db, "SELECT count(*) FROM customers"); n != customers {
			t.Fatalf("%d customers, want %d: a refused registration left a row", n, customers)
		}
		want(t, login(t, k, c.Email, c.Password), 200)
	}, testkit.WithCore(relaxed()))
}

// Case 36: the documented caps (100 addresses, 1,000 items per wishlist)
// answer 422 one past the cap, and an over-long name inside the body limit
// is 422 too; nothing is stored. The address cap runs at its default; the
// item cap, the same code path, at 50 to keep the run short.
func case36(t *testing.T) {
	if caps := core.DefaultConfig().Caps; caps.Addresses != 100 || caps.WishlistItems != 1000 {
		t.Fatalf("documented caps changed: %+v", caps)
	}
	cfg := core.DefaultConfig()
	cfg.Caps.WishlistItems = 50
	caps := cfg.Caps
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("caps@example.com")
		addr := map[string]any{"first_name": "B", "last_name": "B", "address1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country_code": "DE"}
		for range caps.Addresses {
			want(t, native(t, k, "POST", "/v1/customer/addresses", c.Access, addr), 201)
		}
		wantProblem(t, native(t, k, "POST", "/v1/customer/addresses", c.Access, addr), 422, "")
		wl := native(t, k, "POST", "/v1/customer/wishlists", c.Access, map[string]any{"name": "Big"})
		want(t, wl, 201)
		items := "/v1/customer/wishlists/" + wl.Str(t, "id") + "/items"
		for i := range caps.WishlistItems {
			want(t, native(t, k, "POST", items, c.Access, map[string]any{"product_id": fmt.Sprintf("p%d", i)}), 201)
		}
		wantProblem(t, native(t, k, "POST", items, c.Access, map[string]any{"product_id": "one-too-many"}), 422, "")
		long := strings.Repeat("n", 60<<10)
		before := me(t, k, c.Access)
		wantProblem(t, native(t, k, "PATCH", "/v1/customer", c.Access, map[string]any{"first_name": long}), 422, "validation_failed")
		if string(me(t, k, c.Access).Body) != string(before.Body) {
			t.Fatal("the refused profile update changed the profile")
		}
		wantProblem(t, native(t, k, "PATCH", "/v1/customer", c.Access, map[string]any{"first_name": strings.Repeat("n", 1<<20)}), 413, "")
	}, testkit.WithCore(cfg))
}
