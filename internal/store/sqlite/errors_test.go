package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/clientele/clientele/internal/core"
)

// The driver's *sqlite.Error has unexported fields, so a disk-full or I/O
// error cannot be built in a test; the mapping from result codes is tested
// here instead, and real errors where a test can provoke them.
func TestKindOf(t *testing.T) {
	tests := []struct {
		name string
		code int
		want error
	}{
		{"unique", sqlite3.SQLITE_CONSTRAINT_UNIQUE, core.ErrConflict},
		{"primary_key", sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, core.ErrConflict},
		{"foreign_key", sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, core.ErrNotFound},
		{"not_null", sqlite3.SQLITE_CONSTRAINT_NOTNULL, nil},
		{"check", sqlite3.SQLITE_CONSTRAINT_CHECK, nil},
		{"full", sqlite3.SQLITE_FULL, core.ErrUnavailable},
		{"ioerr", sqlite3.SQLITE_IOERR, core.ErrUnavailable},
		{"ioerr_write", sqlite3.SQLITE_IOERR_WRITE, core.ErrUnavailable},
		{"ioerr_fsync", sqlite3.SQLITE_IOERR_FSYNC, core.ErrUnavailable},
		{"busy", sqlite3.SQLITE_BUSY, core.ErrUnavailable},
		{"busy_snapshot", sqlite3.SQLITE_BUSY_SNAPSHOT, core.ErrUnavailable},
		{"busy_timeout", sqlite3.SQLITE_BUSY_TIMEOUT, core.ErrUnavailable},
		{"locked_sharedcache", sqlite3.SQLITE_LOCKED_SHAREDCACHE, core.ErrUnavailable},
		{"cantopen_isdir", sqlite3.SQLITE_CANTOPEN_ISDIR, core.ErrUnavailable},
		{"readonly", sqlite3.SQLITE_READONLY, core.ErrUnavailable},
		{"readonly_dbmoved", sqlite3.SQLITE_READONLY_DBMOVED, core.ErrUnavailable},
		{"generic", sqlite3.SQLITE_ERROR, nil},
		{"corrupt", sqlite3.SQLITE_CORRUPT, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kindOf(tt.code); got != tt.want { // kinds are sentinels
				t.Fatalf("kindOf(%d) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}

func TestTranslateNoRows(t *testing.T) {
	if translate(nil) != nil {
		t.Fatal("translate(nil) != nil")
	}
	if err := translate(fmt.Errorf("scan: %w", sql.ErrNoRows)); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
	other := errors.New("something else")
	if err := translate(other); err != other {
		t.Fatalf("unclassified error changed: %v", err)
	}
}

// TestTranslateRealErrors provokes real driver errors and checks that the
// kind is visible to errors.Is and the driver error to errors.As (for logs).
func TestTranslateRealErrors(t *testing.T) {
	s, err := OpenAndMigrate(t.Context(), filepath.Join(t.TempDir(), "clientele.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()

	insert := `INSERT INTO secrets (name, value) VALUES ('k', x'01')`
	if _, err := s.writer.ExecContext(ctx, insert); err != nil {
		t.Fatal(err)
	}
	check := func(err, kind error, code int) {
		t.Helper()
		err = translate(err)
		if !errors.Is(err, kind) {
			t.Fatalf("got %v, want %v", err, kind)
		}
		var se *sqlite.Error
		if !errors.As(err, &se) || se.Code() != code {
			t.Fatalf("driver error lost or wrong: %v", err)
		}
	}
	_, err = s.writer.ExecContext(ctx, insert)
	check(err, core.ErrConflict, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)

	// The reader pool is query_only, so a write there is SQLITE_READONLY,
	// which stands in here for a read-only file or mount.
	_, err = s.reader.ExecContext(ctx, `INSERT INTO secrets (name, value) VALUES ('r', x'01')`)
	check(err, core.ErrUnavailable, sqlite3.SQLITE_READONLY)

	_, err = s.writer.ExecContext(ctx, `INSERT INTO api_keys (id, shop_id, kind, hash, created_at)
		VALUES ('key_x', 'sto_missing', 'secret', x'02', 0)`)
	check(err, core.ErrNotFound, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY)
}

// TestReaderPragmas checks the reader pool got the same set-up as the
// writer, plus query_only.
func TestReaderPragmas(t *testing.T) {
	s, err := OpenAndMigrate(t.Context(), filepath.Join(t.TempDir(), "clientele.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for name, want := range map[string]string{
		"journal_mode": "wal", "foreign_keys": "1", "synchronous": "1", "busy_timeout": "5000", "query_only": "1",
	} {
		var got string
		if err := s.reader.QueryRowContext(t.Context(), "PRAGMA "+name).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", name, err)
		}
		if got != want {
			t.Errorf("reader PRAGMA %s = %q, want %q", name, got, want)
		}
	}
}
