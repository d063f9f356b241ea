package server_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/store/sqlite"
	"github.com/clientele/clientele/internal/testkit"
)

// queryLog keeps each distinct query a store ran, with its first arguments.
type queryLog struct {
	mu    sync.Mutex
	on    bool
	order []string
	args  map[string][]any
}

func (l *queryLog) record(query string, args []any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.on {
		return
	}
	if _, ok := l.args[query]; !ok {
		l.order = append(l.order, query)
		l.args[query] = slices.Clone(args)
	}
}

func (l *queryLog) start() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = true
}

func (l *queryLog) stop() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return slices.Clone(l.order)
}

// TestHotQueriesUseIndexes runs the storefront's hot paths (register, login,
// token-authenticated read, refresh, logout) through the real router,
// records every query the store runs meanwhile, and asks the database how
// it would run each: none may read a whole table. On PostgreSQL sequential
// scans are disabled for the EXPLAIN, so the planner shows one only where
// no index can serve the query (on a test's tiny tables it would otherwise
// prefer a scan). scripts/bench prints the plans into BENCHMARKS.md (P7).
func TestHotQueriesUseIndexes(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run("db="+db, func(t *testing.T) {
			log := &queryLog{args: map[string][]any{}}
			opts := []testkit.Option{func(o *server.Options) { o.QueryTrace = log.record }}
			var pg *pgx.Conn
			if db == "postgres" {
				dsn, conn := testkit.PostgresSchema(t)
				pg = conn
				opts = append(opts, testkit.WithConfig(func(c *config.Config) { c.DB = dsn }))
			}
			k := testkit.New(t, opts...)
			// Other shoppers' rows, so a plan that reads a whole store (or
			// picks the store's index over the row's own) shows: on empty
			// tables every index costs the same to the planner.
			ctx := context.Background()
			if _, err := k.App.Service.SeedCustomers(ctx, k.Shop.ID, core.SeedOptions{Count: 20000, EmailFormat: "fill-%d@example.com", Password: "filler-password-1234"}); err != nil {
				t.Fatal(err)
			}
			// Many groups, so a plan that walks the store's groups shows.
			var groups []string
			for i := range 200 {
				g, err := k.App.Service.CreateGroup(ctx, k.Shop.ID, core.GroupInput{Name: fmt.Sprintf("filler %d", i)})
				if err != nil {
					t.Fatal(err)
				}
				groups = append(groups, g.ID)
			}
			if pg != nil {
				for _, q := range []string{
					`INSERT INTO sessions (id, shop_id, customer_id, created_at, last_used_at, expires_at)
					 SELECT 'ses_fill_' || g, $1, NULL, now(), now(), now() + interval '1 day' FROM generate_series(1, 20000) g`,
					`INSERT INTO refresh_tokens (id, session_id, hash, created_at)
					 SELECT 'rtk_fill_' || g, 'ses_fill_' || g, sha256(g::text::bytea), now() FROM generate_series(1, 20000) g`,
					`INSERT INTO newsletter_subscribers (id, shop_id, email, email_normalized, created_at, updated_at)
					 SELECT 'nls_fill_' || g, $1, 'news' || g || '@example.com', 'news' || g || '@example.com', now(), now() FROM generate_series(1, 20000) g`,
				} {
					args := []any{}
					if strings.Contains(q, "$1") {
						args = append(args, k.Shop.ID)
					}
					if _, err := pg.Exec(ctx, q, args...); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := pg.Exec(ctx, "ANALYZE"); err != nil {
					t.Fatal(err)
				}
			}

			// The shopper the hot paths serve belongs to two of them.
			c := k.Register("hot@example.com")
			if _, err := k.App.Service.SetCustomerGroups(ctx, k.Shop.ID, c.ID, []string{groups[150], groups[7]}); err != nil {
				t.Fatal(err)
			}

			log.start()
			k.Register("new@example.com")
			if r := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": c.Password}}); r.Status != http.StatusOK {
				t.Fatalf("login: %d %s", r.Status, r.Body)
			}
			read := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access})
			if read.Status != http.StatusOK {
				t.Fatalf("read: %d %s", read.Status, read.Body)
			}
			var got []string
			for _, g := range read.JSON(t)["groups"].([]any) {
				got = append(got, g.(map[string]any)["id"].(string))
			}
			if want := []string{min(groups[7], groups[150]), max(groups[7], groups[150])}; !slices.Equal(got, want) {
				t.Fatalf("groups %v, want %v in id order", got, want)
			}
			r := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": c.Refresh}})
			if r.Status != http.StatusOK {
				t.Fatalf("refresh: %d %s", r.Status, r.Body)
			}
			if r := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/logout", Token: r.Str(t, "access_token"), Body: map[string]any{}}); r.Status != http.StatusNoContent {
				t.Fatalf("logout: %d %s", r.Status, r.Body)
			}
			queries := log.stop()
			if len(queries) < 5 {
				t.Fatalf("only %d queries recorded: is the trace wired?", len(queries))
			}

			for _, q := range queries {
				if !explainable(q) {
					continue // BEGIN, SAVEPOINT, SET and the like read no table
				}
				var plan []string
				var err error
				if db == "sqlite" {
					plan, err = k.App.Store.(*sqlite.Store).QueryPlan(ctx, q, log.args[q]...)
				} else {
					plan, err = postgresPlan(pg, q, log.args[q])
				}
				if err != nil {
					t.Fatalf("explain %s: %v", oneLine(q), err)
				}
				verdict := "ok"
				if bad := scans(db, plan); bad != "" {
					verdict = "SCANS"
					t.Errorf("%s reads a whole table (%s):\n%s", oneLine(q), bad, strings.Join(plan, "\n"))
				}
				t.Logf("plan: %s [%s] %s → %s", db, verdict, oneLine(q), strings.Join(plan, " | "))
			}
		})
	}
}

// explainable says whether q is a statement EXPLAIN takes.
func explainable(q string) bool {
	f := strings.Fields(q)
	if len(f) == 0 {
		return false
	}
	switch strings.ToUpper(f[0]) {
	case "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES":
		return true
	}
	return false
}

// scans names a whole-table read in plan, or one of all a store's rows
// (an index search on shop_id alone), or returns "".
func scans(db string, plan []string) string {
	for _, l := range plan {
		l = strings.TrimSpace(l)
		if db == "sqlite" {
			// "SCAN t" reads every row of t; "SCAN json_each" walks an
			// argument, and a CTE or subquery's SCAN reads its own few rows.
			if rest, ok := strings.CutPrefix(l, "SCAN "); ok {
				name := strings.Fields(rest)[0]
				if name != "json_each" && name != "CONSTANT" && !strings.HasPrefix(rest, "(subquery") {
					return l
				}
			}
			// An index search on the store alone reads all its rows.
			if strings.HasPrefix(l, "SEARCH ") && strings.HasSuffix(l, "(shop_id=?)") {
				return l
			}
		} else {
			storeOnly := strings.HasPrefix(l, "Index Cond: (shop_id = ") && strings.HasSuffix(l, "::text)") && strings.Count(l, " = ") == 1
			if strings.Contains(l, "Seq Scan on") || storeOnly {
				return l
			}
		}
	}
	return ""
}

func postgresPlan(conn *pgx.Conn, q string, args []any) ([]string, error) {
	ctx := context.Background()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, "EXPLAIN (COSTS OFF) "+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		plan = append(plan, strings.TrimSpace(l))
	}
	return plan, rows.Err()
}

func oneLine(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 110 {
		q = q[:110] + "…"
	}
	return fmt.Sprintf("%q", q)
}
