package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// maxCachedStmts bounds the statements a stmtCache keeps. The store's
// queries are constants, a couple of hundred at most; the bound only stops
// a query built from input (a variable-length IN list, say) from growing
// the cache without end: past it, queries run unprepared as before.
const maxCachedStmts = 256

// stmtCache is a querier over the reader pool that prepares each distinct
// query once and reuses it. modernc's SQLite re-parses and re-plans every
// statement on every call otherwise, and that parsing was the largest
// single cost of a token-authenticated read (BENCHMARKS.md, P3).
// database/sql prepares a cached statement on each pool connection the
// first time it runs there and keeps it.
//
// The writer pool has one connection that a transaction holds while it
// runs, so preparing through the pool from inside a transaction would wait
// for that same connection forever: transactions only look statements up
// here (lookup) and ask for what they missed once they are done (warm).
type stmtCache struct {
	db    *sql.DB
	trace func(query string, args []any) // see Store.TraceQueries

	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

var _ querier = (*stmtCache)(nil)

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}}
}

// stmt returns the prepared statement for query, or nil when it cannot be
// prepared or the cache is full: the caller then runs query unprepared, so
// a bad query fails exactly as it did without the cache.
func (c *stmtCache) stmt(ctx context.Context, query string) *sql.Stmt {
	c.mu.RLock()
	s, full := c.stmts[query], len(c.stmts) >= maxCachedStmts
	c.mu.RUnlock()
	if s != nil || full {
		return s
	}
	// Prepared without holding mu: on the writer, preparing waits for the
	// connection, and the transaction holding it may be calling lookup.
	s, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.stmts[query]; prev != nil {
		_ = s.Close() // another caller prepared it meanwhile
		return prev
	}
	if len(c.stmts) >= maxCachedStmts {
		_ = s.Close()
		return nil
	}
	c.stmts[query] = s
	return s
}

// traceQuery hands query to the trace, if one is set (Store.TraceQueries).
func (c *stmtCache) traceQuery(query string, args []any) {
	if c.trace != nil {
		c.trace(query, args)
	}
}

// lookup returns query's statement if it is already prepared; it never
// prepares, so a transaction holding the pool's only connection may call it.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.stmts[query]
}

// warm prepares the queries transaction t had to prepare for itself. It
// runs after t has ended, when the connection is free again.
func (c *stmtCache) warm(ctx context.Context, t *txStmts) {
	for _, q := range t.missed {
		if ctx.Err() != nil {
			return
		}
		c.stmt(ctx, q)
	}
}

// inTx runs fn in a transaction on c's pool, through c's statements, and
// commits if fn returns nil. fn's error is returned unchanged. Meant for
// the writer (see Store.InTx).
func (c *stmtCache) inTx(ctx context.Context, fn func(q querier) error) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", translate(err))
	}
	q := newTxStmts(tx, c)
	// Deferred first so it runs last, when the connection is free again.
	defer c.warm(ctx, q)
	done := false
	defer func() {
		// Covers fn's error and a panic in fn: an open transaction would
		// hold the writer's only connection forever.
		if !done {
			_ = tx.Rollback()
		}
	}()
	if err := fn(q); err != nil {
		return err
	}
	done = true
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", translate(err))
	}
	return nil
}

// ExecContext runs query through its cached statement.
func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.traceQuery(query, args)
	if s := c.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return c.db.ExecContext(ctx, query, args...)
}

// QueryContext runs query through its cached statement.
func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.traceQuery(query, args)
	if s := c.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return c.db.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query through its cached statement.
func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c.traceQuery(query, args)
	if s := c.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return c.db.QueryRowContext(ctx, query, args...)
}

// close closes the cached statements; the pool is closed by its owner.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, s := range c.stmts {
		_ = s.Close()
		delete(c.stmts, q)
	}
}

// txStmts is a querier over one transaction that prepares each distinct
// query at most once for the transaction's life, and not at all when the
// writer's shared cache already holds it. Parsing was a sixth of a token
// refresh's CPU (each rotation runs a handful of statements once), and an
// import batch writes about ten statements for each of its 500 customers.
// The per-transaction handles belong to the transaction: database/sql
// closes them when it ends, without closing the shared statements under
// them.
type txStmts struct {
	tx     *sql.Tx
	shared *stmtCache // the writer's statements
	stmts  map[string]*sql.Stmt
	missed []string // prepared here because shared lacked them
}

var _ querier = (*txStmts)(nil)

func newTxStmts(tx *sql.Tx, shared *stmtCache) *txStmts {
	return &txStmts{tx: tx, shared: shared, stmts: map[string]*sql.Stmt{}}
}

// stmt returns query's statement, or nil to run it unprepared (the cache
// is full, or preparing failed: the unprepared run reports the error).
// A transaction runs on one goroutine at a time, so no lock is needed.
func (t *txStmts) stmt(ctx context.Context, query string) *sql.Stmt {
	if s := t.stmts[query]; s != nil {
		return s
	}
	if len(t.stmts) >= maxCachedStmts {
		return nil
	}
	if ps := t.shared.lookup(query); ps != nil {
		// Same connection: database/sql reuses the prepared statement.
		s := t.tx.StmtContext(ctx, ps)
		t.stmts[query] = s
		return s
	}
	s, err := t.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	t.stmts[query] = s
	if len(t.missed) < maxCachedStmts {
		t.missed = append(t.missed, query)
	}
	return s
}

// ExecContext runs query through the transaction's statement for it.
func (t *txStmts) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	t.shared.traceQuery(query, args)
	if s := t.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

// QueryContext runs query through the transaction's statement for it.
func (t *txStmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	t.shared.traceQuery(query, args)
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query through the transaction's statement for it.
func (t *txStmts) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	t.shared.traceQuery(query, args)
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}
