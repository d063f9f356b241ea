package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// queryTracer hands every query a connection sends, alone or in a batch,
// to a func (Options.Trace).
type queryTracer func(query string, args []any)

var (
	_ pgx.QueryTracer = queryTracer(nil)
	_ pgx.BatchTracer = queryTracer(nil)
)

// TraceQueryStart reports a query sent on its own.
func (f queryTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	f(d.SQL, d.Args)
	return ctx
}

// TraceQueryEnd does nothing: only what is sent matters.
func (f queryTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart does nothing: TraceBatchQuery sees each query.
func (f queryTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

// TraceBatchQuery reports one query of a batch.
func (f queryTracer) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	f(d.SQL, d.Args)
}

// TraceBatchEnd does nothing.
func (f queryTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}
