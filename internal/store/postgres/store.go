// Package postgres implements [core.Store] on PostgreSQL through pgx's
// connection pool, for deployments that run more than one node.
//
// It passes the same conformance suite as the SQLite backend
// (internal/store/storetest). Where SQLite gets its guarantees from a single
// writer, this backend gets them from the database: row locks (SELECT ...
// FOR UPDATE) for refresh rotation and reset consumption, conditional
// updates for single use, unique indexes for races between inserts, and an
// advisory lock so that nodes starting together migrate one at a time.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/clientele/clientele/internal/core"
)

// migrationsFS holds the goose migrations; embedding them makes the binary
// the only artefact a deployment needs.
//
//go:embed migrations/*.sql
var migrationsFS embed.FS

// Options tune [Open]. The zero value is a sensible default.
type Options struct {
	// MaxConns caps the pool. Zero means the DSN's pool_max_conns if it has
	// one, else 4 × the number of CPUs: requests spend most of their time
	// waiting on the network, not the CPU, so a pool the size of the CPU
	// count would leave the database idle while requests queue.
	MaxConns int32
	// Schema, when set, is created if missing and put first in every
	// connection's search_path, so tables (and goose's version table) live
	// there. Tests give each run its own schema; a deployment can use it to
	// share a database with other applications. It must be a plain
	// lower-case identifier, so it never needs quoting in SQL.
	Schema string
	// Trace, when set, is called with every query the store sends and its
	// arguments, batched ones included (tests use it to EXPLAIN what the
	// hot paths run).
	Trace func(query string, args []any)
}

// schemaName is what Options.Schema accepts: an unquoted PostgreSQL
// identifier (at most 63 bytes, the server's NAMEDATALEN limit).
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Store is the PostgreSQL [core.Store]. Create it with [Open] or
// [OpenAndMigrate]; it is safe for concurrent use.
type Store struct {
	repo
	pool   *pgxpool.Pool
	schema string
}

// Both the pool-backed Store and the Store handed to InTx callbacks must
// satisfy the port.
var (
	_ core.Store = (*Store)(nil)
	_ core.Store = (*txStore)(nil)
)

// Open connects to the database dsn names (a postgres:// URL or a libpq
// key=value string) and checks that it answers, so a wrong host or a
// server that is down fails here rather than on the first request. It does
// not migrate: the caller decides when the schema may change (see
// [Store.Migrate] and [OpenAndMigrate]).
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	if opts.Schema != "" && !schemaName.MatchString(opts.Schema) {
		return nil, fmt.Errorf("postgres: schema %q: want a lower-case identifier ([a-z_][a-z0-9_]*, at most 63 bytes)", opts.Schema)
	}
	if opts.MaxConns < 0 {
		return nil, fmt.Errorf("postgres: MaxConns %d: must not be negative", opts.MaxConns)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgconn's ParseConfigError masks the password in its message.
		return nil, fmt.Errorf("postgres: parse dsn: %w", err)
	}
	switch {
	case opts.MaxConns > 0:
		cfg.MaxConns = opts.MaxConns
	case !strings.Contains(dsn, "pool_max_conns"):
		cfg.MaxConns = int32(4 * runtime.NumCPU())
	}
	params := cfg.ConnConfig.RuntimeParams
	if opts.Schema != "" {
		// Only the schema, unless the DSN names a search_path to keep
		// behind it: falling through to public would let a query find
		// another schema's table of the same name before Migrate ran.
		path := `"` + opts.Schema + `"`
		if prev := params["search_path"]; prev != "" {
			path += ", " + prev
		}
		params["search_path"] = path
	}
	if params["application_name"] == "" {
		// Names our sessions in pg_stat_activity and the server log.
		params["application_name"] = "clientele"
	}
	if opts.Trace != nil {
		cfg.ConnConfig.Tracer = queryTracer(opts.Trace)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open pool: %w", translate(err))
	}
	s := &Store{repo: repo{q: pool}, pool: pool, schema: opts.Schema}
	// pgxpool connects lazily; this first round trip proves the server is
	// reachable and accepts our credentials.
	if opts.Schema != "" {
		err = s.createSchema(ctx)
	} else {
		err = pool.Ping(ctx)
	}
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", translate(err))
	}
	return s, nil
}

// createSchema creates s.schema unless it exists. It looks before it
// creates because CREATE SCHEMA IF NOT EXISTS still demands the CREATE
// privilege on the database, which a deployment user that was handed an
// existing schema need not have.
func (s *Store) createSchema(ctx context.Context) error {
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`,
		s.schema).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err := s.pool.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS "`+s.schema+`"`)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		// Two nodes creating the schema at once: IF NOT EXISTS is checked
		// before the catalog insert, so the loser trips the catalog's
		// unique index instead. The schema exists either way.
		return nil
	}
	return err
}

// OpenAndMigrate opens the database and brings its schema up to date, for
// callers (tests, the server) that own the database outright.
func OpenAndMigrate(ctx context.Context, dsn string, opts Options) (*Store, error) {
	s, err := Open(ctx, dsn, opts)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Pool returns the connection pool, for tests and tools that need raw SQL.
// Writing through it bypasses every invariant the Store keeps.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// rollbackTimeout bounds the ROLLBACK after a failed or panicking
// callback, which runs even when the caller's context is already done.
const rollbackTimeout = 5 * time.Second

// InTx runs fn in one READ COMMITTED transaction. The level is set
// explicitly, not left to the server's default_transaction_isolation: at
// REPEATABLE READ a refresh waiting on a token's row lock would fail with a
// serialization error instead of reading the rotated row and reporting
// reuse, which is what the refresh flow relies on.
//
// An error from fn rolls back and is returned unchanged; a panic rolls
// back and keeps panicking.
func (s *Store) InTx(ctx context.Context, fn func(tx core.Store) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", translate(err))
	}
	done := false
	defer func() {
		if done {
			return
		}
		// Covers fn's error and a panic in fn. The rollback must reach the
		// server even if ctx is canceled, or the connection would go back
		// to the pool mid-transaction (pgx would close it instead, which
		// is correct but costs a reconnect).
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
		defer cancel()
		_ = tx.Rollback(rctx)
	}()
	if err := fn(&txStore{repo{q: tx, inTx: true}}); err != nil {
		return err
	}
	done = true
	// A failed COMMIT leaves nothing to roll back: pgx closes the
	// transaction (and the connection, if its state is unknown).
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", translate(err))
	}
	return nil
}

// Ping checks that a connection can be had and the server answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", translate(err))
	}
	return nil
}

// Close closes the pool, waiting for connections in use to be returned.
// It is safe to call more than once (pgxpool closes only once).
func (s *Store) Close() error {
	s.pool.Close()
	return nil
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
	if err := t.q.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("postgres: ping: %w", translate(err))
	}
	return nil
}

// Close refuses: the pool belongs to the outer Store, and closing it from
// inside a transaction is a bug in the caller.
func (t *txStore) Close() error {
	return errors.New("postgres: Close called on the Store of a transaction")
}

// querier is what *pgxpool.Pool and pgx.Tx have in common, so each method
// is written once and runs either on the pool or inside a transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

var (
	_ querier = (*pgxpool.Pool)(nil)
	_ querier = (pgx.Tx)(nil)
)

// repo holds the data methods of core.Store, run on q: the pool, or the
// transaction when inTx is set.
type repo struct {
	q    querier
	inTx bool
}

// forUpdate is appended to the lookups the port asks to lock inside a
// transaction (GetRefreshTokenByHash, GetPasswordResetByHash). Outside one
// a lock would be released as soon as the statement ends, so it is left
// off there.
func (r repo) forUpdate() string {
	if r.inTx {
		return " FOR UPDATE"
	}
	return ""
}

// savepoint is the name checked writes use; a fixed name is enough because
// each is released (or rolled back to and released) before the next.
const savepoint = "clientele_stmt"

// checkedExec runs a write that a constraint may refuse (an insert, or an
// update of a unique column). Inside a transaction it runs under a
// savepoint. PostgreSQL aborts the whole transaction on any failed
// statement, so without one a caller that handles the ErrConflict and
// carries on, as the conformance suite and the refresh flow do, would find
// every later statement refused and the COMMIT turned into a rollback;
// SQLite has no such rule. SAVEPOINT, the statement and RELEASE go out as
// one pipelined batch, so the success path costs no extra round trip.
func (r repo) checkedExec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if !r.inTx {
		return r.q.Exec(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue("SAVEPOINT " + savepoint)
	b.Queue(sql, args...)
	b.Queue("RELEASE SAVEPOINT " + savepoint)
	br := r.q.SendBatch(ctx, b)
	var tag pgconn.CommandTag
	_, err := br.Exec()
	if err == nil {
		tag, err = br.Exec()
	}
	if err == nil {
		_, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		return tag, nil
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		// The connection failed; there is no transaction left to repair.
		return tag, err
	}
	// The server refused the statement: undo it alone and carry on. This
	// goes out as one simple-protocol query (pgx uses that protocol for a
	// statement without arguments): in an aborted transaction the server
	// refuses to parse anything but ROLLBACK, so RELEASE could not be
	// prepared, and a failed prepare would upset pgx's statement cache.
	if _, uerr := r.q.Exec(ctx, "ROLLBACK TO SAVEPOINT "+savepoint+"; RELEASE SAVEPOINT "+savepoint); uerr != nil {
		// The transaction stays aborted; COMMIT will report it too.
		return tag, errors.Join(err, fmt.Errorf("rollback to savepoint: %w", uerr))
	}
	return tag, err
}

// execOne runs a write that must touch exactly one row; touching none
// means the row does not exist (or belongs to another shop).
func execOne(ctx context.Context, q querier, op, sql string, args ...any) error {
	tag, err := q.Exec(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", op, translate(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %s: %w", op, core.ErrNotFound)
	}
	return nil
}

// exists reports whether query (a SELECT 1 ...) finds a row.
func exists(ctx context.Context, q querier, sql string, args ...any) (bool, error) {
	var one int
	err := q.QueryRow(ctx, sql, args...).Scan(&one)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, nil
	case err != nil:
		return false, translate(err)
	}
	return true, nil
}
