package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/clientele/clientele/internal/core"
)

const importRefColumns = `shop_id, customer_id, external_id, source, digest, run_id, imported_at`

// PutImportRef inserts or replaces the customer's ref. The unique
// (shop_id, external_id) index makes an id another customer holds
// core.ErrConflict; the foreign key makes another shop's customer
// core.ErrNotFound.
func (r repo) PutImportRef(ctx context.Context, ref *core.ImportRef) error {
	_, err := r.checkedExec(ctx, `INSERT INTO customer_import_refs (`+importRefColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (shop_id, customer_id) DO UPDATE SET external_id = excluded.external_id,
			source = excluded.source, digest = excluded.digest, run_id = excluded.run_id, imported_at = excluded.imported_at`,
		ref.ShopID, ref.CustomerID, ref.ExternalID, ref.Source, ref.Digest, ref.RunID, ref.ImportedAt)
	if err != nil {
		return fmt.Errorf("postgres: put import ref: %w", translate(err))
	}
	return nil
}

// GetImportRef returns the ref of the shop's customer.
func (r repo) GetImportRef(ctx context.Context, shopID, customerID string) (*core.ImportRef, error) {
	ref, err := scanImportRef(r.q.QueryRow(ctx, `SELECT `+importRefColumns+`
		FROM customer_import_refs WHERE shop_id = $1 AND customer_id = $2`, shopID, customerID))
	if err != nil {
		return nil, fmt.Errorf("postgres: get import ref: %w", err)
	}
	return ref, nil
}

// GetImportRefByExternalID finds the shop's ref by the old platform's id.
func (r repo) GetImportRefByExternalID(ctx context.Context, shopID, externalID string) (*core.ImportRef, error) {
	ref, err := scanImportRef(r.q.QueryRow(ctx, `SELECT `+importRefColumns+`
		FROM customer_import_refs WHERE shop_id = $1 AND external_id = $2`, shopID, externalID))
	if err != nil {
		return nil, fmt.Errorf("postgres: get import ref by external id: %w", err)
	}
	return ref, nil
}

func scanImportRef(row pgx.Row) (*core.ImportRef, error) {
	var ref core.ImportRef
	if err := row.Scan(&ref.ShopID, &ref.CustomerID, &ref.ExternalID, &ref.Source, &ref.Digest, &ref.RunID, &ref.ImportedAt); err != nil {
		return nil, translate(err)
	}
	ref.ImportedAt = utc(ref.ImportedAt)
	return &ref, nil
}

// FindImportMatches reads the customers matching by external id or e-mail,
// then their refs: two round trips for a whole batch.
func (r repo) FindImportMatches(ctx context.Context, shopID string, externalIDs, emails []string) ([]core.ImportMatch, error) {
	if externalIDs == nil {
		externalIDs = []string{}
	}
	if emails == nil {
		emails = []string{}
	}
	// A UNION of ids, each found on its own index; an OR between the two
	// matches can leave the planner filtering the whole store per batch.
	rows, err := r.q.Query(ctx, `SELECT `+customerColumns+` FROM customers WHERE shop_id = $1 AND id IN (
		SELECT id FROM customers WHERE shop_id = $1 AND email_normalized = ANY($2)
		UNION
		SELECT customer_id FROM customer_import_refs WHERE shop_id = $1 AND external_id = ANY($3))`,
		shopID, emails, externalIDs)
	if err != nil {
		return nil, fmt.Errorf("postgres: find import matches: %w", translate(err))
	}
	var out []core.ImportMatch
	var customerIDs []string
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: find import matches: %w", err)
		}
		out = append(out, core.ImportMatch{Customer: *c})
		customerIDs = append(customerIDs, c.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: find import matches: %w", translate(err))
	}
	if len(out) == 0 {
		return nil, nil
	}
	refRows, err := r.q.Query(ctx, `SELECT `+importRefColumns+` FROM customer_import_refs
		WHERE shop_id = $1 AND customer_id = ANY($2)`, shopID, customerIDs)
	if err != nil {
		return nil, fmt.Errorf("postgres: find import matches: %w", translate(err))
	}
	defer refRows.Close()
	refs := map[string]*core.ImportRef{}
	for refRows.Next() {
		ref, err := scanImportRef(refRows)
		if err != nil {
			return nil, fmt.Errorf("postgres: find import matches: %w", err)
		}
		refs[ref.CustomerID] = ref
	}
	if err := refRows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: find import matches: %w", translate(err))
	}
	for i := range out {
		out[i].Ref = refs[out[i].Customer.ID]
	}
	return out, nil
}

// WriteImport queues every insert of the batch into one pgx.Batch: the
// whole batch is one round trip. The inserts are the store's own
// (CreateCustomer, CreateAddress, ...) run against a querier that queues.
func (r repo) WriteImport(ctx context.Context, w *core.ImportWrites) error {
	q := &queueQuerier{querier: r.q, b: &pgx.Batch{}}
	qr := repo{q: q}
	for _, c := range w.Customers {
		bare := c
		bare.DefaultBillingAddressID, bare.DefaultShippingAddressID = "", ""
		if err := qr.CreateCustomer(ctx, &bare); err != nil {
			return err
		}
	}
	for i := range w.Addresses {
		if err := qr.CreateAddress(ctx, &w.Addresses[i]); err != nil {
			return err
		}
	}
	for _, c := range w.Customers {
		if c.DefaultBillingAddressID != "" || c.DefaultShippingAddressID != "" {
			q.b.Queue(`UPDATE customers SET default_billing_address_id = $1, default_shipping_address_id = $2
				WHERE shop_id = $3 AND id = $4`,
				nullString(c.DefaultBillingAddressID), nullString(c.DefaultShippingAddressID), c.ShopID, c.ID)
		}
	}
	for i := range w.Refs {
		if err := qr.PutImportRef(ctx, &w.Refs[i]); err != nil {
			return err
		}
	}
	for _, m := range w.Members {
		q.b.Queue(`INSERT INTO customer_group_members (shop_id, customer_id, group_id) VALUES ($1, $2, $3)`,
			m.ShopID, m.CustomerID, m.GroupID)
	}
	for i := range w.Credit {
		if err := qr.AppendCredit(ctx, &w.Credit[i]); err != nil {
			return err
		}
	}
	for i := range w.Events {
		if err := qr.AppendEvent(ctx, &w.Events[i]); err != nil {
			return err
		}
	}
	if q.b.Len() == 0 {
		return nil
	}
	br := r.q.SendBatch(ctx, q.b)
	var err error
	for range q.b.Len() {
		if _, err = br.Exec(); err != nil {
			break
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("postgres: write import: %w", translate(err))
	}
	return nil
}

// queueQuerier queues Exec calls into a batch instead of running them;
// everything else goes to the wrapped querier.
type queueQuerier struct {
	querier
	b *pgx.Batch
}

func (q *queueQuerier) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	q.b.Queue(sql, args...)
	return pgconn.CommandTag{}, nil
}

// importTables are the tables an import writes, whose statistics the
// planner needs while they grow.
const importTables = "customers, addresses, customer_import_refs, customer_group_members, aliases, events, store_credit_entries"

var _ core.ImportStatsRefresher = (*Store)(nil)

// RefreshImportStats runs ANALYZE on the tables an import writes, so the
// planner stops using plans made when they were empty (core calls it as an
// import run's row count doubles). ANALYZE samples a bounded number of
// rows, so it costs about the same at any table size.
func (s *Store) RefreshImportStats(ctx context.Context) error {
	if _, err := s.pool.Exec(ctx, "ANALYZE "+importTables); err != nil {
		return fmt.Errorf("postgres: analyze import tables: %w", translate(err))
	}
	return nil
}
