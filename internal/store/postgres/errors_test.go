package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testenv"
)

// Most of these SQLSTATEs (a crash, a full disk, a failover) cannot be
// provoked against a shared test server, so the mapping is tested by code
// here, and with real errors where a test can cause them.
func TestKindOfCode(t *testing.T) {
	tests := []struct {
		code string
		want error
	}{
		{"23505", core.ErrConflict},    // unique_violation
		{"23503", core.ErrNotFound},    // foreign_key_violation
		{"23502", nil},                 // not_null_violation: a bug, not a kind
		{"23514", nil},                 // check_violation
		{"22021", core.ErrInvalid},     // NUL byte in text
		{"22P05", core.ErrInvalid},     // \u0000 in jsonb
		{"08000", core.ErrUnavailable}, // connection_exception
		{"08006", core.ErrUnavailable}, // connection_failure
		{"08001", core.ErrUnavailable}, // sqlclient_unable_to_establish_sqlconnection
		{"57P01", core.ErrUnavailable}, // admin_shutdown
		{"57P02", core.ErrUnavailable}, // crash_shutdown
		{"57P03", core.ErrUnavailable}, // cannot_connect_now
		{"57014", core.ErrUnavailable}, // query_canceled (statement_timeout)
		{"53300", core.ErrUnavailable}, // too_many_connections
		{"53100", core.ErrUnavailable}, // disk_full
		{"53200", core.ErrUnavailable}, // out_of_memory
		{"58030", core.ErrUnavailable}, // io_error
		{"40001", core.ErrUnavailable}, // serialization_failure
		{"40P01", core.ErrUnavailable}, // deadlock_detected
		{"55P03", core.ErrUnavailable}, // lock_not_available
		{"25006", core.ErrUnavailable}, // read_only_sql_transaction
		{"28P01", nil},                 // invalid_password: configuration
		{"3D000", nil},                 // invalid_catalog_name: configuration
		{"42601", nil},                 // syntax_error: a bug
		{"42P01", nil},                 // undefined_table: not migrated
		{"XX000", nil},                 // internal_error
		{"", nil},                      // not an SQLSTATE
		{"0", nil},                     // not an SQLSTATE
	}
	for _, tt := range tests {
		t.Run("code="+tt.code, func(t *testing.T) {
			if got := kindOfCode(tt.code); got != tt.want { // kinds are sentinels
				t.Fatalf("kindOfCode(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}

// timeoutError is a net.Error that timed out, like a read deadline.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestTranslate(t *testing.T) {
	if translate(nil) != nil {
		t.Fatal("translate(nil) != nil")
	}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	tests := []struct {
		name string
		err  error
		want error // nil: passed through unchanged
	}{
		{"no_rows", fmt.Errorf("scan: %w", pgx.ErrNoRows), core.ErrNotFound},
		{"unique", &pgconn.PgError{Code: "23505"}, core.ErrConflict},
		{"too_many_connections", fmt.Errorf("connect: %w", &pgconn.PgError{Code: "53300"}), core.ErrUnavailable},
		{"net", refused, core.ErrUnavailable},
		{"net_timeout", timeoutError{}, core.ErrUnavailable},
		{"eof", fmt.Errorf("receive message: %w", io.ErrUnexpectedEOF), core.ErrUnavailable},
		{"conn_closed", fmt.Errorf("query: %w", pgconn.ErrConnClosed), core.ErrUnavailable},
		{"deadline", fmt.Errorf("acquire: %w", context.DeadlineExceeded), core.ErrUnavailable},
		{"canceled", fmt.Errorf("acquire: %w", context.Canceled), nil},
		{"other", errors.New("something else"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := translate(tt.err)
			if tt.want == nil {
				if got != tt.err {
					t.Fatalf("unclassified error changed: %v", got)
				}
				return
			}
			if !errors.Is(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			if tt.want != core.ErrNotFound && !errors.Is(got, tt.err) {
				t.Fatalf("the driver error is lost: %v", got)
			}
		})
	}
}

// TestTranslateRealErrors provokes real server errors and checks that the
// kind is visible to errors.Is and the driver error to errors.As (for logs).
func TestTranslateRealErrors(t *testing.T) {
	ctx := t.Context()
	s := openTestStore(t)
	check := func(err, kind error, code string) {
		t.Helper()
		err = translate(err)
		if !errors.Is(err, kind) {
			t.Fatalf("got %v, want %v", err, kind)
		}
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != code {
			t.Fatalf("driver error lost or wrong: %v", err)
		}
	}
	insert := `INSERT INTO secrets (name, value) VALUES ('k', '\x01')`
	if _, err := s.pool.Exec(ctx, insert); err != nil {
		t.Fatal(err)
	}
	_, err := s.pool.Exec(ctx, insert)
	check(err, core.ErrConflict, "23505")

	_, err = s.pool.Exec(ctx, `INSERT INTO api_keys (id, shop_id, kind, hash, created_at)
		VALUES ('key_x', 'sto_missing', 'secret', '\x02', now())`)
	check(err, core.ErrNotFound, "23503")

	_, err = s.pool.Exec(ctx, `INSERT INTO secrets (name, value) VALUES ($1, '\x01')`, "nul\x00byte")
	check(err, core.ErrInvalid, "22021")

	// A store whose transaction is read-only stands in for a standby.
	err = pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO secrets (name, value) VALUES ('ro', '\x01')`)
		return err
	})
	check(err, core.ErrUnavailable, "25006")

	// statement_timeout: the server gave up on a slow statement.
	err = pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL statement_timeout = '10ms'`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `SELECT pg_sleep(1)`)
		return err
	})
	check(err, core.ErrUnavailable, "57014")
}

// TestCheckedExecKeepsTransaction checks the savepoint around a refused
// write inside InTx twice in a row, so the first refusal must have left
// the transaction usable and the savepoint released for the second.
func TestCheckedExecKeepsTransaction(t *testing.T) {
	ctx := t.Context()
	s := openTestStore(t)
	err := s.InTx(ctx, func(tx core.Store) error {
		r := tx.(*txStore).repo
		for i := range 2 {
			_, err := r.checkedExec(ctx, `INSERT INTO api_keys (id, shop_id, kind, hash, created_at)
				VALUES ('key_x', 'sto_missing', 'secret', '\x02', now())`)
			if !errors.Is(translate(err), core.ErrNotFound) {
				return fmt.Errorf("refused insert %d: got %v, want not found", i, err)
			}
		}
		_, err := r.checkedExec(ctx, `INSERT INTO secrets (name, value) VALUES ('after', '\x01')`)
		return err
	})
	if err != nil {
		t.Fatalf("InTx: %v", err)
	}
	if _, err := readSecret(ctx, s.pool, "after"); err != nil {
		t.Fatalf("the write after the refusals did not commit: %v", err)
	}
}

// openTestStore opens a migrated store on a fresh schema, dropped at the
// end of the test. (The external tests have their own, with more checks;
// these internal tests only need somewhere to provoke errors.)
func openTestStore(t *testing.T) *Store {
	t.Helper()
	dsn := testenv.Postgres(t)
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	s, err := OpenAndMigrate(t.Context(), dsn, Options{Schema: "t_" + hex.EncodeToString(b), MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer s.Close()
		if _, err := s.pool.Exec(context.Background(), `DROP SCHEMA "`+s.schema+`" CASCADE`); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	return s
}
