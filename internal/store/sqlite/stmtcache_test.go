package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/clientele/clientele/internal/core"
)

// A statement a transaction had to prepare for itself is in the writer's
// shared cache once the transaction has ended, committed or rolled back,
// and the next transaction runs it from there.
func TestWriterStatementsOutliveTheirTransaction(t *testing.T) {
	ctx := context.Background()
	s, err := OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	const q = `SELECT count(*) FROM shops WHERE id <> ?`
	run := func(fail error) error {
		return s.InTx(ctx, func(tx core.Store) error {
			var n int
			if err := tx.(*txStore).w.QueryRowContext(ctx, q, "x").Scan(&n); err != nil {
				return err
			}
			return fail
		})
	}
	if s.wstmts.lookup(q) != nil {
		t.Fatal("statement cached before any transaction ran it")
	}
	rollback := errors.New("roll back")
	if err := run(rollback); !errors.Is(err, rollback) {
		t.Fatalf("InTx returned %v, want fn's error unchanged", err)
	}
	first := s.wstmts.lookup(q)
	if first == nil {
		t.Fatal("statement not cached after a rolled-back transaction")
	}
	if err := run(nil); err != nil {
		t.Fatal(err)
	}
	if s.wstmts.lookup(q) != first {
		t.Fatal("a later transaction prepared the statement again instead of reusing it")
	}
}
