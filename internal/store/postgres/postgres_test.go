package postgres_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/store/postgres"
	"github.com/clientele/clientele/internal/store/storetest"
	"github.com/clientele/clientele/internal/testenv"
)

// testMaxConns keeps each test store's pool small: the suite runs cases in
// parallel, each on its own pool, and the server's max_connections (100 by
// default) is shared with every other package under test. The concurrent
// cases still overlap: their goroutines queue for a connection, and the
// ones holding one contend for the same row.
const testMaxConns = 4

// admin is a pool shared by the tests' clean-ups, so dropping a schema
// does not pay for a connection of its own.
var admin struct {
	once sync.Once
	pool *pgxpool.Pool
	err  error
}

func adminPool(dsn string) (*pgxpool.Pool, error) {
	admin.once.Do(func() {
		admin.pool, admin.err = pgxpool.New(context.Background(), dsn)
	})
	return admin.pool, admin.err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if admin.pool != nil {
		admin.pool.Close()
	}
	os.Exit(code)
}

// newSchema returns a fresh schema name and drops the schema (with all it
// holds) when the test ends, so every test has a database of its own
// (STYLE rule 9) and nothing is truncated or shared.
func newSchema(tb testing.TB, dsn string) string {
	tb.Helper()
	schema := "t_" + hex.EncodeToString(randBytes(tb, 8))
	tb.Cleanup(func() {
		pool, err := adminPool(dsn)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		// tb.Context is already canceled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := pool.Exec(ctx, `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

func randBytes(tb testing.TB, n int) []byte {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return b
}

// newStore opens a migrated store on a schema of its own. On cleanup it
// checks that no connection is still checked out, so every conformance
// case also proves it left no transaction open (after an error, a panic or
// a canceled context).
func newStore(tb testing.TB) *postgres.Store {
	tb.Helper()
	dsn := testenv.Postgres(tb)
	schema := newSchema(tb, dsn)
	s, err := postgres.OpenAndMigrate(tb.Context(), dsn, postgres.Options{Schema: schema, MaxConns: testMaxConns})
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() {
		// A connection given back in a failed state (a commit on a canceled
		// context) is destroyed by the pool in the background, and counts as
		// checked out until that finishes: give it a moment, not forever.
		deadline := time.Now().Add(5 * time.Second)
		for s.Pool().Stat().AcquiredConns() != 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := s.Pool().Stat().AcquiredConns(); n != 0 {
			tb.Errorf("%d connections still checked out at the end of the test", n)
		}
		if err := s.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	testenv.Postgres(t) // skip once, not once per case
	storetest.Run(t, func(t *testing.T) core.Store { return newStore(t) })
}

// version returns the newest applied migration and the number of rows in
// schema's goose table, read by qualified name so the test also proves
// the table lives in the configured schema.
func version(t *testing.T, s *postgres.Store, schema string) (v, n int64) {
	t.Helper()
	err := s.Pool().QueryRow(t.Context(),
		`SELECT max(version_id), count(*) FROM "`+schema+`".goose_db_version`).Scan(&v, &n)
	if err != nil {
		t.Fatal(err)
	}
	return v, n
}

func TestOpenDoesNotMigrate(t *testing.T) {
	dsn := testenv.Postgres(t)
	schema := newSchema(t, dsn)
	s, err := postgres.Open(t.Context(), dsn, postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.Pool().QueryRow(t.Context(),
		`SELECT count(*) FROM pg_tables WHERE schemaname = $1`, schema).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("Open created %d tables; migrating is the caller's decision", n)
	}
}

// TestMigrate checks that migrating an up-to-date schema is a no-op that
// keeps its rows (STYLE rule 22: when a second migration lands, seed at
// version 1 here and migrate up), and that everything, goose's table
// included, lands in the configured schema.
func TestMigrate(t *testing.T) {
	ctx := t.Context()
	dsn := testenv.Postgres(t)
	schema := newSchema(t, dsn)
	opts := postgres.Options{Schema: schema, MaxConns: 2}
	s, err := postgres.OpenAndMigrate(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	var tables int
	if err := s.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = $1
		AND tablename IN ('goose_db_version', 'shops', 'customers', 'sessions', 'refresh_tokens')`,
		schema).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 5 {
		t.Fatalf("found %d of 5 expected tables in schema %s", tables, schema)
	}

	shop := &core.Shop{ID: "sto_01HZX000000000000000000001", Name: "Seed", CreatedAt: time.Unix(1, 0).UTC(), UpdatedAt: time.Unix(1, 0).UTC()}
	if err := s.CreateShop(ctx, shop); err != nil {
		t.Fatal(err)
	}
	v1, n1 := version(t, s, schema)
	if v1 < 1 {
		t.Fatalf("version after migrate = %d", v1)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if v2, n2 := version(t, s, schema); v2 != v1 || n2 != n1 {
		t.Fatalf("second migrate changed goose_db_version: (%d, %d) -> (%d, %d)", v1, n1, v2, n2)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopen: the data and schema version survive, and migrating is still a no-op.
	s, err = postgres.OpenAndMigrate(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.GetShop(ctx, shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != shop.Name || !got.CreatedAt.Equal(shop.CreatedAt) {
		t.Fatalf("reopened shop = %+v, want %+v", got, shop)
	}
	if v3, n3 := version(t, s, schema); v3 != v1 || n3 != n1 {
		t.Fatalf("migrate after reopen changed goose_db_version: (%d, %d) -> (%d, %d)", v1, n1, v3, n3)
	}
}

// TestMigrateDSNSearchPath covers a deployment that sets no Schema but
// names one in the DSN's search_path, as server.OpenStore does with
// default options: Migrate must put the tables and goose's table in
// current_schema(), not in public.
func TestMigrateDSNSearchPath(t *testing.T) {
	ctx := t.Context()
	dsn := testenv.Postgres(t)
	schema := newSchema(t, dsn)
	pool, err := adminPool(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `CREATE SCHEMA "`+schema+`"`); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema) // pgx sends unknown parameters to the server
	u.RawQuery = q.Encode()
	s, err := postgres.OpenAndMigrate(ctx, u.String(), postgres.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := version(t, s, schema); v < 1 {
		t.Fatalf("version = %d", v)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if err := s.CreateShop(ctx, &core.Shop{ID: "sto_1", Name: "x", CreatedAt: time.Unix(1, 0), UpdatedAt: time.Unix(1, 0)}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM "`+schema+`".shops`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("shops in %s: %d, %v", schema, n, err)
	}
}

// TestMigrateConcurrently stands in for several nodes starting at once on
// an empty database: each opens its own pool (creating the schema races
// too) and migrates, and all must succeed with the migrations applied once.
func TestMigrateConcurrently(t *testing.T) {
	ctx := t.Context()
	dsn := testenv.Postgres(t)
	schema := newSchema(t, dsn)
	const nodes = 5
	stores := make([]*postgres.Store, nodes)
	errs := make([]error, nodes)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() {
			<-start
			// Pools of one and of two take Migrate's two ways to a
			// database/sql handle.
			opts := postgres.Options{Schema: schema, MaxConns: int32(1 + i%2)}
			stores[i], errs[i] = postgres.OpenAndMigrate(ctx, dsn, opts)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("node %d: %v", i, err)
			continue
		}
		defer stores[i].Close()
	}
	if t.Failed() {
		return
	}
	// One row per migration plus goose's version-0 row: a second applier
	// would have added rows (or failed on CREATE TABLE).
	var applied, rows int64
	if err := stores[0].Pool().QueryRow(ctx, `SELECT count(*) FILTER (WHERE version_id > 0), count(*)
		FROM "`+schema+`".goose_db_version`).Scan(&applied, &rows); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migration files found: %v", err)
	}
	if want := int64(len(files)); applied != want || rows != want+1 {
		t.Fatalf("goose_db_version has %d applied migrations in %d rows, want %d in %d", applied, rows, want, want+1)
	}
	for i, s := range stores {
		if err := s.Ping(ctx); err != nil {
			t.Errorf("node %d: ping: %v", i, err)
		}
	}
}

func TestOpenRejectsBadOptions(t *testing.T) {
	for _, opts := range []postgres.Options{
		{Schema: "Mixed"},
		{Schema: `x"; DROP TABLE shops; --`},
		{Schema: "1st"},
		{MaxConns: -1},
	} {
		// No server is needed: the options are checked before connecting.
		if _, err := postgres.Open(t.Context(), "postgres://postgres@127.0.0.1:1/test", opts); err == nil || errors.Is(err, core.ErrUnavailable) {
			t.Errorf("Open(%+v) = %v, want a configuration error", opts, err)
		}
	}
}

// TestOpenUnavailable points Open at a port nobody listens on: the error
// must be core.ErrUnavailable (a 503 with Retry-After, not a 500), with the
// driver's cause kept for the log.
func TestOpenUnavailable(t *testing.T) {
	dsn := "postgres://postgres@" + testenv.ClosedAddr(t) + "/test?sslmode=disable&connect_timeout=5"
	_, err := postgres.Open(t.Context(), dsn, postgres.Options{})
	if !errors.Is(err, core.ErrUnavailable) {
		t.Fatalf("Open: got %v, want ErrUnavailable", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) {
		t.Fatalf("Open: the dial error is lost: %v", err)
	}
	_, err = postgres.OpenAndMigrate(t.Context(), dsn, postgres.Options{Schema: "t_unreachable"})
	if !errors.Is(err, core.ErrUnavailable) {
		t.Fatalf("OpenAndMigrate: got %v, want ErrUnavailable", err)
	}
}

// TestPingServerGone opens a store through a TCP relay and then cuts it,
// as if the server went away under a running node: Ping must report
// core.ErrUnavailable both for the pooled connection that died and for
// the reconnect that is refused, and recover once the server is back.
func TestPingServerGone(t *testing.T) {
	dsn := testenv.Postgres(t)
	u, err := url.Parse(dsn) // testenv.Postgres guarantees a URL with a host
	if err != nil {
		t.Fatal(err)
	}
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	r := testenv.NewRelay(t, net.JoinHostPort(u.Hostname(), port))
	u.Host = r.Addr()
	s, err := postgres.Open(t.Context(), u.String(), postgres.Options{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	r.Cut()
	for i := range 2 { // the dead pooled connection, then a refused dial
		if err := s.Ping(t.Context()); !errors.Is(err, core.ErrUnavailable) {
			t.Fatalf("ping %d with the server gone: got %v, want ErrUnavailable", i, err)
		}
	}
	r.Restore()
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("ping after the server came back: %v", err)
	}
}

// benchFixture makes a shop, a customer, a session and its first refresh
// token (the same rows as the SQLite benchmarks).
func benchFixture(b *testing.B, s *postgres.Store) (*core.Customer, *core.RefreshToken) {
	b.Helper()
	ctx := b.Context()
	now := time.Now().UTC()
	shop := &core.Shop{ID: "sto_01HZX000000000000000000001", Name: "Bench", CreatedAt: now, UpdatedAt: now}
	c := &core.Customer{
		ID: "cus_01HZX000000000000000000001", ShopID: shop.ID,
		Email: "Bench@Example.com", EmailNormalized: "bench@example.com",
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		FirstName:    "Bench", Status: core.StatusActive,
		Metadata:  map[string]any{"tier": "gold", "tags": []any{"a", "b"}},
		CreatedAt: now, UpdatedAt: now,
	}
	se := &core.Session{ID: "ses_01HZX000000000000000000001", ShopID: shop.ID, CustomerID: c.ID,
		CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(24 * time.Hour)}
	rt := &core.RefreshToken{ID: "rt_01HZX000000000000000000000", SessionID: se.ID, Hash: benchHash(0), CreatedAt: now}
	for _, err := range []error{
		s.CreateShop(ctx, shop), s.CreateCustomer(ctx, c), s.CreateSession(ctx, se), s.CreateRefreshToken(ctx, rt),
	} {
		if err != nil {
			b.Fatal(err)
		}
	}
	return c, rt
}

func benchHash(i int) []byte {
	h := sha256.Sum256(fmt.Appendf(nil, "token-%d", i))
	return h[:]
}

func BenchmarkGetCustomer(b *testing.B) {
	s := newStore(b)
	c, _ := benchFixture(b, s)
	ctx := b.Context()
	for b.Loop() {
		if _, err := s.GetCustomer(ctx, c.ShopID, c.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRotateRefreshToken measures one refresh's storage work: find the
// token (locking it), mark it rotated and insert its child, in one
// transaction.
func BenchmarkRotateRefreshToken(b *testing.B) {
	s := newStore(b)
	_, rt := benchFixture(b, s)
	ctx := b.Context()
	hash := rt.Hash
	i := 0
	for b.Loop() {
		i++
		child := &core.RefreshToken{ID: fmt.Sprintf("rt_01HZX%021d", i), Hash: benchHash(i), CreatedAt: time.Now()}
		if err := storetest.Rotate(ctx, s, hash, child); err != nil {
			b.Fatal(err)
		}
		hash = child.Hash
	}
}
