package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/clientele/clientele/internal/core"
)

// translate turns a driver error into a core error kind, so no caller above
// the store ever branches on SQL errors (STYLE rule 7). The result wraps both
// the kind and the driver error: errors.Is sees the kind, logs see the cause.
// Errors without a kind (context cancellation, bugs such as a syntax error)
// pass through unchanged and end up as internal errors.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return core.ErrNotFound
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	if kind := kindOf(se.Code()); kind != nil {
		return fmt.Errorf("%w: %w", kind, err)
	}
	return err
}

// kindOf maps an SQLite result code (extended codes are on in the driver) to
// a core error kind, or nil when none applies.
func kindOf(code int) error {
	switch code {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return core.ErrConflict
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		// The row refers to a shop, customer or session that does not exist
		// (or, through the composite keys, belongs to another shop): the
		// same answer a lookup of that parent would give.
		return core.ErrNotFound
	}
	// The low byte is the primary code; the rest refines it (SQLITE_IOERR_WRITE,
	// SQLITE_BUSY_SNAPSHOT, ...), and every refinement of these is transient or
	// environmental.
	switch code & 0xff {
	case sqlite3.SQLITE_FULL, // disk or quota full
		sqlite3.SQLITE_IOERR,    // the OS failed a read, write or fsync
		sqlite3.SQLITE_BUSY,     // still locked after busy_timeout
		sqlite3.SQLITE_LOCKED,   // locked within this process (shared cache)
		sqlite3.SQLITE_CANTOPEN, // file or directory missing or not permitted
		sqlite3.SQLITE_READONLY: // file, directory or mount is read-only
		return core.ErrUnavailable
	}
	return nil
}
