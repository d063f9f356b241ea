package securitytest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/auth/password"
	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
)

// newStoreDB creates a SQLite database with one store and returns its path
// and publishable key.
func newStoreDB(t *testing.T) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "clientele.db")
	cfg := config.Default()
	cfg.DB = path
	app, err := server.Build(context.Background(), server.Options{Config: cfg, Hasher: password.New(password.TestParams())})
	if err != nil {
		t.Fatal(err)
	}
	created, err := app.Service.CreateShop(context.Background(), core.NewShop{Name: "Crash store", AllowedOrigins: []string{"https://shop.example"}, PasswordResetURL: "https://shop.example/reset"})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	return path, created.PublishableKey
}

// post sends a JSON POST to a child and decodes the answer.
func post(client *http.Client, url, pk string, body any) (int, map[string]any, error) {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Publishable-Key", pk)
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, err
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return res.StatusCode, m, nil
}

// Case 41: kill -9 during a burst of registrations and refreshes, then a
// restart: every acknowledged registration is present, no half-written
// row is visible, integrity_check is ok and every refresh family is
// consistent. (WAL with synchronous=NORMAL may lose the last commits on a
// power loss, not on a process crash: see the repository's SECURITY.md.)
func case41(t *testing.T) {
	db, pk := newStoreDB(t)
	p := startChild(t, db)
	client := &http.Client{Timeout: 5 * time.Second}
	var mu sync.Mutex
	var acked []string
	var ops atomic.Int64
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			for i := 0; ; i++ {
				email := fmt.Sprintf("w%d-%d@example.com", w, i)
				st, m, err := post(client, p.url+"/v1/customers", pk, map[string]any{"email": email, "password": pw})
				if err != nil {
					return // the server is gone
				}
				if st != 201 {
					t.Errorf("registration: %d %v", st, m)
					return
				}
				mu.Lock()
				acked = append(acked, email)
				mu.Unlock()
				ops.Add(1)
				tok := m["refresh_token"].(string)
				for range 2 {
					st, m, err := post(client, p.url+"/v1/auth/refresh", pk, map[string]any{"refresh_token": tok})
					if err != nil {
						return
					}
					if st != 200 {
						t.Errorf("refresh: %d %v", st, m)
						return
					}
					tok = m["refresh_token"].(string)
					ops.Add(1)
				}
			}
		})
	}
	eventually(t, "a burst of writes", func() bool { return ops.Load() >= 300 })
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()
	wg.Wait()
	t.Logf("killed after %d acknowledged writes (%d registrations)", ops.Load(), len(acked))

	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var check string
	if err := raw.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q %v", check, err)
	}
	present := map[string]bool{}
	rows, err := raw.Query("SELECT email FROM customers")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var e string
		_ = rows.Scan(&e)
		present[e] = true
	}
	rows.Close()
	for _, e := range acked {
		if !present[e] {
			t.Errorf("acknowledged registration %s is gone", e)
		}
	}
	// No customer without its session and first token: a registration
	// commits all of it or nothing.
	if n := count(t, raw, `SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.customer_id = c.id)`); n != 0 {
		t.Errorf("%d customers without the session their registration created", n)
	}
	familiesConsistent(t, raw)
	// The restarted service serves the acknowledged accounts.
	p2 := startChild(t, db)
	for _, e := range acked[:min(len(acked), 20)] {
		if st, m, err := post(client, p2.url+"/v1/auth/login", pk, map[string]any{"email": e, "password": pw}); err != nil || st != 200 {
			t.Fatalf("login %s after restart: %d %v %v", e, st, m, err)
		}
	}
}

// Case 42: SIGTERM under load: the server stops accepting, finishes what it
// accepted, and no accepted request gets a 5xx; the process exits cleanly
// before the shutdown deadline.
func case42(t *testing.T) {
	db, pk := newStoreDB(t)
	p := startChild(t, db)
	client := &http.Client{Timeout: 10 * time.Second}
	var ok, fivexx, refused atomic.Int64
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				st, m, err := post(client, p.url+"/v1/customers", pk, map[string]any{"email": fmt.Sprintf("t%d-%d@example.com", w, i), "password": pw})
				switch {
				case err != nil:
					refused.Add(1)
					return // no longer accepting
				case st >= 500:
					fivexx.Add(1)
					t.Errorf("an accepted request got %d %v", st, m)
				case st == 201:
					ok.Add(1)
				default:
					t.Errorf("registration: %d %v", st, m)
				}
			}
		})
	}
	eventually(t, "load before SIGTERM", func() bool { return ok.Load() >= 100 })
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t, 20*time.Second); err != nil {
		t.Fatalf("the server did not exit cleanly: %v", err)
	}
	wg.Wait()
	t.Logf("%d answered 201, %d 5xx, %d workers saw the listener close", ok.Load(), fivexx.Load(), refused.Load())
	if fivexx.Load() != 0 {
		t.Fatalf("%d accepted requests got a 5xx", fivexx.Load())
	}
}
