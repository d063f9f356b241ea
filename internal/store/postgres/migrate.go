package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"io/fs"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

// Migrate applies pending migrations; with none pending it does nothing.
//
// It is safe to run from several nodes at once: the whole run holds a
// PostgreSQL advisory lock keyed by the schema, so one node migrates while
// the others wait and then find nothing to do. The lock is taken here
// rather than through goose's session locker for two reasons. goose's
// Up first asks HasPending, which creates the version table without any
// lock; nodes racing there collide and goose retries after a one-second
// sleep. And goose's Postgres locker polls pg_try_advisory_lock every
// 5 seconds, so a node that lost the race idles long after the winner is
// done, where pg_advisory_lock hands over at once. The lock is per schema
// because schemas are independent (the tests migrate dozens in parallel),
// and it dies with the session, so a node that crashes mid-migration
// never leaves the database locked.
//
// goose needs a database/sql handle, which Migrate makes with
// pgx/v5/stdlib on top of the Store's own pool (same server, user and
// search_path, and connections already open). goose runs SQL migrations
// on one connection, but the lock holds another, so a pool of one gets a
// separate handle built from the pool's configuration instead.
func (s *Store) Migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	schema := s.schema
	table := "goose_db_version"
	if schema != "" {
		// Qualified, so the version table lands in the schema even if the
		// DSN's own search_path were to win.
		table = schema + "." + table
	} else if err := s.pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		// NULL (no schema of the search_path exists) fails the scan too:
		// there would be nowhere to create the tables.
		return fmt.Errorf("postgres: migrate: current schema: %w", translate(err))
	}

	unlock, err := s.lockMigrations(ctx, lockKey(schema))
	if err != nil {
		return fmt.Errorf("postgres: migrate: lock: %w", translate(err))
	}
	defer unlock()

	var db *sql.DB
	if cfg := s.pool.Config(); cfg.MaxConns < 2 {
		db = stdlib.OpenDB(*cfg.ConnConfig)
	} else {
		db = stdlib.OpenDBFromPool(s.pool) // closing it leaves the pool open
	}
	defer db.Close()
	// The global registry holds Go migrations registered by init functions
	// anywhere in the binary; ours are SQL only, and a stray registration
	// must not run against this database.
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys,
		goose.WithDisableGlobalRegistry(true),
		goose.WithTableName(table))
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("postgres: migrate: %w", translate(err))
	}
	return nil
}

// lockKey derives the advisory lock key for migrating schema. Advisory
// keys are one namespace per database, so the prefix keeps ours away from
// other applications' keys.
func lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("clientele/migrate/" + schema))
	return int64(h.Sum64())
}

// lockMigrations waits (as long as ctx allows) for the session-level
// advisory lock key on a connection of the pool, and returns the function
// that releases it. A connection that may still hold the lock is closed
// rather than returned to the pool, since ending the session is what
// releases a lock for certain.
func (s *Store) lockMigrations(ctx context.Context, key int64) (unlock func(), err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		// A canceled wait may race with the grant.
		_ = conn.Conn().Close(context.WithoutCancel(ctx))
		conn.Release()
		return nil, err
	}
	return func() {
		// The run's ctx may be done; the unlock must still go out.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
		defer cancel()
		var released bool
		if err := conn.QueryRow(uctx, `SELECT pg_advisory_unlock($1)`, key).Scan(&released); err != nil || !released {
			_ = conn.Conn().Close(uctx)
		}
		conn.Release() // the pool discards a closed connection
	}, nil
}
