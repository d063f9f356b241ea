package sqlite_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/store/sqlite"
	"github.com/clientele/clientele/internal/store/storetest"
)

// newStore opens a migrated store on a file of its own. On cleanup it checks
// the file's integrity and that no row points at a missing parent, so every
// conformance case also proves it left the database consistent.
func newStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.OpenAndMigrate(tb.Context(), filepath.Join(tb.TempDir(), "clientele.db"))
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() {
		// tb.Context is already canceled when cleanups run.
		ctx := context.Background()
		if s.Ping(ctx) == nil { // some cases close the store themselves
			checkConsistent(tb, s)
		}
		if err := s.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return s
}

func checkConsistent(tb testing.TB, s *sqlite.Store) {
	tb.Helper()
	var res string
	if err := s.DB().QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		tb.Errorf("integrity_check: %q, %v", res, err)
	}
	rows, err := s.DB().Query("PRAGMA foreign_key_check")
	if err != nil {
		tb.Errorf("foreign_key_check: %v", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var (
			table, parent string
			rowid, fkid   any
		)
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			tb.Errorf("foreign_key_check: %v", err)
			return
		}
		tb.Errorf("foreign_key_check: %s row %v points at a missing %s", table, rowid, parent)
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) core.Store { return newStore(t) })
}

func TestOpenDoesNotMigrate(t *testing.T) {
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "clientele.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("Open created %d tables; migrating is the caller's decision", n)
	}
}

// TestMigrate checks the connection set-up and that migrating an up-to-date
// database is a no-op that keeps its rows (STYLE rule 22: when a second
// migration lands, seed at version 1 here and migrate up).
func TestMigrate(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "clientele.db")
	s, err := sqlite.OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db := s.DB()

	pragmas := map[string]string{
		"journal_mode": "wal",
		"foreign_keys": "1",
		"synchronous":  "1", // NORMAL
		"busy_timeout": "5000",
	}
	for name, want := range pragmas {
		var got string
		if err := db.QueryRow("PRAGMA " + name).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", name, err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %q, want %q", name, got, want)
		}
	}

	shop := &core.Shop{ID: "sto_01HZX000000000000000000001", Name: "Seed", CreatedAt: time.Unix(1, 0).UTC(), UpdatedAt: time.Unix(1, 0).UTC()}
	if err := s.CreateShop(ctx, shop); err != nil {
		t.Fatal(err)
	}
	version := func() (v, n int64) {
		t.Helper()
		if err := db.QueryRow(`SELECT max(version_id), count(*) FROM goose_db_version`).Scan(&v, &n); err != nil {
			t.Fatal(err)
		}
		return v, n
	}
	v1, n1 := version()
	if v1 < 1 {
		t.Fatalf("version after migrate = %d", v1)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if v2, n2 := version(); v2 != v1 || n2 != n1 {
		t.Fatalf("second migrate changed goose_db_version: (%d, %d) -> (%d, %d)", v1, n1, v2, n2)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopen: the data and schema version survive, and migrating is still a no-op.
	s, err = sqlite.OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.GetShop(ctx, shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != shop.Name || !got.CreatedAt.Equal(shop.CreatedAt) {
		t.Fatalf("reopened shop = %+v, want %+v", got, shop)
	}
}

// TestTwoStoresOneFile stands in for two processes (a server and a CLI) on
// one file: their writers contend for SQLite's file lock, and busy_timeout
// plus BEGIN IMMEDIATE must turn that into waiting, not errors.
func TestTwoStoresOneFile(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "clientele.db")
	a, err := sqlite.OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	now := time.Unix(1700000000, 0).UTC()
	const n = 20
	errs := make(chan error, 2*n)
	start := make(chan struct{})
	for i := range 2 * n {
		s := a
		if i%2 == 1 {
			s = b
		}
		go func() {
			<-start
			errs <- s.InTx(ctx, func(tx core.Store) error {
				id := fmt.Sprintf("sto_01HZX%021d", i)
				if err := tx.CreateShop(ctx, &core.Shop{ID: id, Name: "s", CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
				_, err := tx.GetShop(ctx, id)
				return err
			})
		}()
	}
	close(start)
	for range 2 * n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var count int
	if err := b.DB().QueryRow(`SELECT count(*) FROM shops`).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if count != 2*n {
		t.Fatalf("%d shops, want %d", count, 2*n)
	}
}

func TestOpenUnavailable(t *testing.T) {
	// The directory does not exist, so SQLite cannot create the file.
	_, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "missing", "clientele.db"))
	if !errors.Is(err, core.ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable", err)
	}
}

func TestTxStoreRefusesClose(t *testing.T) {
	s := newStore(t)
	err := s.InTx(t.Context(), func(tx core.Store) error { return tx.Close() })
	if err == nil {
		t.Fatal("Close inside a transaction succeeded")
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("store unusable after refused Close: %v", err)
	}
}

// benchFixture makes a shop, a customer, a session and its first refresh
// token.
func benchFixture(b *testing.B, s *sqlite.Store) (*core.Customer, *core.RefreshToken) {
	b.Helper()
	ctx := b.Context()
	now := time.Now().UTC()
	shop := &core.Shop{ID: "sto_01HZX000000000000000000001", Name: "Bench", CreatedAt: now, UpdatedAt: now}
	c := &core.Customer{
		ID: "cus_01HZX000000000000000000001", ShopID: shop.ID,
		Email: "Bench@Example.com", EmailNormalized: "bench@example.com",
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		FirstName:    "Bench", Status: core.StatusActive,
		Metadata:  map[string]any{"tier": "gold", "tags": []any{"a", "b"}},
		CreatedAt: now, UpdatedAt: now,
	}
	se := &core.Session{ID: "ses_01HZX000000000000000000001", ShopID: shop.ID, CustomerID: c.ID,
		CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(24 * time.Hour)}
	rt := &core.RefreshToken{ID: "rt_01HZX000000000000000000000", SessionID: se.ID, Hash: benchHash(0), CreatedAt: now}
	for _, err := range []error{
		s.CreateShop(ctx, shop), s.CreateCustomer(ctx, c), s.CreateSession(ctx, se), s.CreateRefreshToken(ctx, rt),
	} {
		if err != nil {
			b.Fatal(err)
		}
	}
	return c, rt
}

func benchHash(i int) []byte {
	h := sha256.Sum256(fmt.Appendf(nil, "token-%d", i))
	return h[:]
}

func BenchmarkGetCustomer(b *testing.B) {
	s := newStore(b)
	c, _ := benchFixture(b, s)
	ctx := b.Context()
	for b.Loop() {
		if _, err := s.GetCustomer(ctx, c.ShopID, c.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRotateRefreshToken measures one refresh's storage work: find the
// token, mark it rotated and insert its child, in one transaction.
func BenchmarkRotateRefreshToken(b *testing.B) {
	s := newStore(b)
	_, rt := benchFixture(b, s)
	ctx := b.Context()
	hash := rt.Hash
	i := 0
	for b.Loop() {
		i++
		child := &core.RefreshToken{ID: fmt.Sprintf("rt_01HZX%021d", i), Hash: benchHash(i), CreatedAt: time.Now()}
		if err := storetest.Rotate(ctx, s, hash, child); err != nil {
			b.Fatal(err)
		}
		hash = child.Hash
	}
}
