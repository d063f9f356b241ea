package testkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testenv"
)

// PostgresSchema creates a private schema in the test database (skipping,
// or failing under CLIENTELE_REQUIRE_ALL=1, when PostgreSQL is absent) and
// returns a DSN whose search_path selects it, plus a connection already on
// it for assertions. The schema is dropped when the test ends.
func PostgresSchema(t testing.TB) (string, *pgx.Conn) {
	t.Helper()
	base := testenv.Postgres(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_kit_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema+"; SET search_path TO "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		_ = conn.Close(context.Background())
	})
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), conn
}

// WithPostgres runs the kit on a private PostgreSQL schema.
func WithPostgres(t testing.TB) Option {
	dsn, _ := PostgresSchema(t)
	return func(o *server.Options) { o.Config.DB = dsn }
}
