package sqlite

import (
	"context"
	"database/sql"
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
// Only the reader pool is wrapped. The writer pool has one connection that
// a transaction holds while it runs, so preparing through the pool from
// inside a transaction would wait for that same connection forever.
type stmtCache struct {
	db *sql.DB

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
	s := c.stmts[query]
	c.mu.RUnlock()
	if s != nil {
		return s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.stmts[query]; s != nil {
		return s
	}
	if len(c.stmts) >= maxCachedStmts {
		return nil
	}
	s, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.stmts[query] = s
	return s
}

// ExecContext runs query through its cached statement.
func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := c.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return c.db.ExecContext(ctx, query, args...)
}

// QueryContext runs query through its cached statement.
func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := c.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return c.db.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query through its cached statement.
func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
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
// query once for the transaction's life. A batch (an import batch writes
// about ten statements for each of its 500 customers) otherwise parses
// the same few statements thousands of times. The statements belong to
// the transaction: database/sql closes them when it commits or rolls back.
type txStmts struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

var _ querier = (*txStmts)(nil)

func newTxStmts(tx *sql.Tx) *txStmts { return &txStmts{tx: tx, stmts: map[string]*sql.Stmt{}} }

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
	s, err := t.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	t.stmts[query] = s
	return s
}

// ExecContext runs query through the transaction's statement for it.
func (t *txStmts) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

// QueryContext runs query through the transaction's statement for it.
func (t *txStmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query through the transaction's statement for it.
func (t *txStmts) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}
