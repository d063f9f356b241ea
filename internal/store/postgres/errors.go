package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/clientele/clientele/internal/core"
)

// translate turns a driver error into a core error kind, so no caller above
// the store ever branches on SQL errors (STYLE rule 7). The result wraps both
// the kind and the driver error: errors.Is sees the kind, logs see the cause.
// Errors without a kind (the caller's own cancellation, bugs such as a
// syntax error) pass through unchanged and end up as internal errors.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return core.ErrNotFound
	}
	if kind := kindOf(err); kind != nil {
		return fmt.Errorf("%w: %w", kind, err)
	}
	return err
}

// kindOf classifies err, or returns nil when no kind applies.
func kindOf(err error) error {
	// The server's own answer decides first. This includes a connection
	// attempt the server refused: "too many connections" or "starting up"
	// are transient, a wrong password or database name is a configuration
	// mistake that no retry will fix.
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return kindOfCode(pe.Code)
	}
	// The caller went away; the database is not at fault. (pgconn reports
	// a canceled context as a "timeout" too, so this test comes first.)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	var (
		ce *pgconn.ConnectError
		ne net.Error
	)
	switch {
	// The dial was refused, or DNS or TLS failed.
	case errors.As(err, &ce),
		// The server did not answer before the deadline. A deadline is also
		// what the pool's Acquire returns when no connection could be had.
		pgconn.Timeout(err), errors.Is(err, context.DeadlineExceeded),
		// The connection was lost: found closed on reuse, or the server
		// hung up mid-answer.
		errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &ne):
		return core.ErrUnavailable
	}
	return nil
}

// kindOfCode maps an SQLSTATE to a core error kind, or nil when none
// applies. See https://www.postgresql.org/docs/current/errcodes-appendix.html.
func kindOfCode(code string) error {
	switch code {
	case "23505": // unique_violation: a taken id, hash or e-mail
		return core.ErrConflict
	case "23503": // foreign_key_violation
		// The row refers to a shop, customer or session that does not exist
		// (or, through the composite keys, belongs to another shop): the
		// same answer a lookup of that parent would give.
		return core.ErrNotFound
	case "22021", // character_not_in_repertoire: a NUL byte or invalid UTF-8 in text
		"22P05": // untranslatable_character: \u0000 in a jsonb string
		// SQLite stores these; PostgreSQL cannot. The input is at fault,
		// so the caller gets a 4xx rather than a 500.
		return core.ErrInvalid
	case "57P01", // admin_shutdown: the server is stopping
		"57P02", // crash_shutdown: another backend crashed
		"57P03", // cannot_connect_now: starting up or in recovery
		"57014", // query_canceled: statement_timeout
		"55P03", // lock_not_available: lock_timeout
		"40001", // serialization_failure
		"40P01", // deadlock_detected: the victim may retry
		"25006": // read_only_sql_transaction: a standby, e.g. mid-failover
		return core.ErrUnavailable
	}
	if len(code) != 5 { // not an SQLSTATE; nothing more to read from it
		return nil
	}
	switch code[:2] {
	case "08", // connection_exception
		"53", // insufficient_resources: too many connections, disk or memory full
		"58": // system_error: I/O errors outside PostgreSQL
		return core.ErrUnavailable
	}
	return nil
}
