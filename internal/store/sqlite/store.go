// Package sqlite implements [core.Store] on SQLite through modernc.org/sqlite,
// a pure-Go driver, so the binary needs no cgo.
//
// The set-up follows PocketBase (STYLE §2, rule 10): every connection runs
// busy_timeout first, then WAL, synchronous=NORMAL and foreign_keys=ON. Writes
// go through a pool of exactly one connection, so SQLite's single-writer rule
// is enforced by database/sql's queue instead of by SQLITE_BUSY retries, while
// reads use a separate pool that WAL lets run beside the writer.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/clientele/clientele/internal/core"
)

// migrationsFS holds the goose migrations; embedding them makes the binary
// the only artefact a deployment needs.
//
//go:embed migrations/*.sql
var migrationsFS embed.FS

// connPragmas run on every new connection of both pools.
//
// busy_timeout must come first. The pragmas after it take locks (switching
// to WAL rewrites the file header), and without a timeout they fail at once
// with SQLITE_BUSY when another process — a second node, or `clientele
// migrate` — has the file open at that moment. The driver sorts busy_timeout
// first anyway; we list it first so the intent survives a driver change.
//
// synchronous=NORMAL is durable in WAL mode except for the last commits
// before a power loss, and saves an fsync per commit. foreign_keys is off by
// default in SQLite and is what makes DeleteCustomer cascade.
const connPragmas = "_pragma=busy_timeout(5000)" +
	"&_pragma=journal_mode(WAL)" +
	"&_pragma=synchronous(NORMAL)" +
	"&_pragma=foreign_keys(ON)"

// writerParams make every transaction BEGIN IMMEDIATE, taking the write lock
// up front. A deferred transaction that reads and then writes would have to
// upgrade its lock, and SQLite answers a failed upgrade with SQLITE_BUSY
// immediately (busy_timeout cannot help, as waiting could deadlock).
const writerParams = connPragmas + "&_txlock=immediate"

// readerParams make reader connections refuse writes, so a write method that
// wrongly used the reader pool fails loudly in tests instead of racing the
// writer.
const readerParams = connPragmas + "&_pragma=query_only(1)"

// Store is the SQLite [core.Store]. Create it with [Open] or
// [OpenAndMigrate]; it is safe for concurrent use.
type Store struct {
	repo
	writer *sql.DB
	reader *sql.DB
	stmts  *stmtCache // prepared statements over reader
	wstmts *stmtCache // prepared statements over writer, shared by transactions
}

// Both the pool-backed Store and the Store handed to InTx callbacks must
// satisfy the port.
var (
	_ core.Store = (*Store)(nil)
	_ core.Store = (*txStore)(nil)
)

// Open opens (creating if needed) the database at path, a file path or a
// "file:" URI. It does not migrate: the caller decides when the schema may
// change (see [Store.Migrate] and [OpenAndMigrate]). An in-memory database
// is not supported, since the two pools would each get their own.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	writer, err := openPool(ctx, dsn(path, writerParams), 1)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open writer: %w", err)
	}
	// The writer connects first, so a new file is already in WAL mode when
	// the (query-only) readers open it.
	reader, err := openPool(ctx, dsn(path, readerParams), max(4, runtime.NumCPU()))
	if err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("sqlite: open reader: %w", err)
	}
	stmts, wstmts := newStmtCache(reader), newStmtCache(writer)
	return &Store{repo: repo{r: stmts, w: wstmts}, writer: writer, reader: reader, stmts: stmts, wstmts: wstmts}, nil
}

// OpenAndMigrate opens the database and brings its schema up to date, for
// callers (tests, the dev server) that own the database outright.
func OpenAndMigrate(ctx context.Context, path string) (*Store, error) {
	s, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// openPool opens a pool of at most n connections and pings it, so a bad
// path or unreadable file fails here rather than on the first request.
func openPool(ctx context.Context, dsn string, n int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(n)
	// Keep idle connections: opening one re-runs every pragma.
	db.SetMaxIdleConns(n)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, translate(err)
	}
	return db, nil
}

// dsn appends params to path, which may already carry a query.
func dsn(path, params string) string {
	if strings.Contains(path, "?") {
		return path + "&" + params
	}
	return path + "?" + params
}

// Migrate applies pending migrations; with none pending it does nothing.
// It runs on the writer so it queues behind in-flight writes instead of
// failing with SQLITE_BUSY.
func (s *Store) Migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	// The global registry holds Go migrations registered by init functions
	// anywhere in the binary; ours are SQL only, and a stray registration
	// must not run against this database.
	p, err := goose.NewProvider(goose.DialectSQLite3, s.writer, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	// Not p.Close: it would close s.writer.
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", translate(err))
	}
	return nil
}

// TraceQueries makes the store call fn with every query it runs through
// its pools and transactions, and the query's arguments (tests use it to
// EXPLAIN what the hot paths run). Call it before the store is used: it is
// not synchronised with queries in flight.
func (s *Store) TraceQueries(fn func(query string, args []any)) {
	s.stmts.trace, s.wstmts.trace = fn, fn
}

// QueryPlan returns the detail lines of EXPLAIN QUERY PLAN for query with
// args, as the reader pool would run it (tests pin hot queries' plans).
func (s *Store) QueryPlan(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.reader.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}

// DB returns the writer pool, for tests and tools that need raw SQL such as
// PRAGMA integrity_check. Writing through it bypasses every invariant the
// Store keeps.
func (s *Store) DB() *sql.DB { return s.writer }

// InTx runs fn in one write transaction on the single writer connection, so
// it is serialised with every other write: a row read inside fn cannot change
// before fn's writes commit. An error from fn rolls back and is returned
// unchanged; a panic rolls back and keeps panicking.
func (s *Store) InTx(ctx context.Context, fn func(tx core.Store) error) error {
	return s.wstmts.inTx(ctx, func(q querier) error { return fn(&txStore{repo{r: q, w: q}}) })
}

// Ping checks both pools, since either failing breaks requests.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.writer.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping writer: %w", translate(err))
	}
	if err := s.reader.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping reader: %w", translate(err))
	}
	return nil
}

// Close closes both pools. It is safe to call more than once.
func (s *Store) Close() error {
	// Readers first: the last connection to close checkpoints the WAL into
	// the main file, and that should be the writer.
	s.stmts.close()
	s.wstmts.close()
	return errors.Join(s.reader.Close(), s.writer.Close())
}

// txStore is the Store handed to InTx callbacks: every method runs on the
// transaction.
type txStore struct{ repo }

// InTx joins the transaction already open: fn runs on the same Store, and
// its error (or the outer callback's) decides the single commit.
func (t *txStore) InTx(_ context.Context, fn func(tx core.Store) error) error {
	return fn(t)
}

// Ping runs a trivial query on the transaction's connection.
func (t *txStore) Ping(ctx context.Context) error {
	var one int
	if err := t.w.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", translate(err))
	}
	return nil
}

// Close refuses: the pools belong to the outer Store, and closing them from
// inside a transaction is a bug in the caller.
func (t *txStore) Close() error {
	return errors.New("sqlite: Close called on the Store of a transaction")
}

// querier is what *sql.DB and *sql.Tx have in common, so each method is
// written once and runs either on a pool or inside a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// repo holds the data methods of core.Store. Outside a transaction r is the
// reader pool and w the writer; inside one both are the transaction, so reads
// see the transaction's own writes.
type repo struct {
	r querier
	w querier
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}

// execOne runs a write that must touch exactly one row; touching none means
// the row does not exist (or belongs to another shop).
func execOne(ctx context.Context, q querier, op, query string, args ...any) error {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", op, translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", op, translate(err))
	}
	if n == 0 {
		return fmt.Errorf("sqlite: %s: %w", op, core.ErrNotFound)
	}
	return nil
}

// exists reports whether query (a SELECT 1 ...) finds a row.
func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, translate(err)
	}
	return true, nil
}
