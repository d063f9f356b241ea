package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/store/storejson"
)

// The order index. Line items and address snapshots are jsonb columns:
// they are read and written whole with their order and never queried, so
// child tables would only cost joins. Their JSON shape is the store's own
// (snake_case keys below), the same as on SQLite.

const orderColumns = `id, shop_id, number, customer_id, email, email_normalized, state, payment_status,
	fulfillment_status, currency, subtotal, shipping_total, tax_total, discount_total, total, item_count,
	line_items, billing_address, shipping_address, metadata, placed_at, created_at, updated_at`

// orderSetOnConflict replaces every reported field of an existing order
// and keeps its id, created_at and, when the new value has none, its
// customer.
const orderSetOnConflict = `customer_id = COALESCE(excluded.customer_id, orders.customer_id),
	email = excluded.email, email_normalized = excluded.email_normalized, state = excluded.state,
	payment_status = excluded.payment_status, fulfillment_status = excluded.fulfillment_status,
	currency = excluded.currency, subtotal = excluded.subtotal, shipping_total = excluded.shipping_total,
	tax_total = excluded.tax_total, discount_total = excluded.discount_total, total = excluded.total,
	item_count = excluded.item_count, line_items = excluded.line_items,
	billing_address = excluded.billing_address, shipping_address = excluded.shipping_address,
	metadata = excluded.metadata, placed_at = excluded.placed_at, updated_at = excluded.updated_at`

// UpsertOrder inserts o or replaces the shop's order with its number, in
// one statement, so two reports of a new order racing each other make one
// row. A customer that is not the shop's is core.ErrNotFound: the INSERT
// selects no row then, and nothing changes. It sets o.ID, o.CreatedAt and
// o.CustomerID to the stored values; the order is new when its id is.
func (r repo) UpsertOrder(ctx context.Context, o *core.Order) (bool, error) {
	vals, err := orderValues(o)
	if err != nil {
		return false, err
	}
	var (
		id       string
		created  time.Time
		customer *string
	)
	// Every parameter is cast: in a SELECT list PostgreSQL cannot infer
	// their types from the target columns.
	err = r.checkedQueryRow(ctx, `INSERT INTO orders (`+orderColumns+`)
		SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text,
			$9::text, $10::text, $11::bigint, $12::bigint, $13::bigint, $14::bigint, $15::bigint, $16::integer,
			$17::jsonb, $18::jsonb, $19::jsonb, $20::jsonb, $21::timestamptz, $22::timestamptz, $23::timestamptz
		WHERE $4::text IS NULL OR EXISTS (SELECT 1 FROM customers WHERE shop_id = $2 AND id = $4)
		ON CONFLICT (shop_id, number) DO UPDATE SET `+orderSetOnConflict+`
		RETURNING id, created_at, customer_id`, vals, &id, &created, &customer)
	if err != nil {
		return false, fmt.Errorf("postgres: upsert order: %w", translate(err))
	}
	inserted := id == o.ID
	o.ID, o.CreatedAt, o.CustomerID = id, utc(created), ""
	if customer != nil {
		o.CustomerID = *customer
	}
	return inserted, nil
}

// GetOrder returns the shop's order; with customerID set, only that
// customer's (a guest order is nobody's).
func (r repo) GetOrder(ctx context.Context, shopID, customerID, id string) (*core.Order, error) {
	o, err := scanOrder(r.q.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders
		WHERE shop_id = $1 AND id = $2 AND ($3 = '' OR customer_id = $3)`, shopID, id, customerID))
	if err != nil {
		return nil, fmt.Errorf("postgres: get order: %w", err)
	}
	return o, nil
}

// GetOrderByNumber returns the shop's order with the store's number.
func (r repo) GetOrderByNumber(ctx context.Context, shopID, number string) (*core.Order, error) {
	o, err := scanOrder(r.q.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders
		WHERE shop_id = $1 AND number = $2`, shopID, number))
	if err != nil {
		return nil, fmt.Errorf("postgres: get order by number: %w", err)
	}
	return o, nil
}

// ListOrders pages the customer's orders by id, newest first.
func (r repo) ListOrders(ctx context.Context, shopID, customerID, before string, limit int) ([]core.Order, error) {
	rows, err := r.q.Query(ctx, `SELECT `+orderColumns+` FROM orders
		WHERE shop_id = $1 AND customer_id = $2 AND ($3 = '' OR id < $3) ORDER BY id DESC LIMIT $4`,
		shopID, customerID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list orders: %w", translate(err))
	}
	defer rows.Close()
	out := []core.Order{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list orders: %w", err)
		}
		out = append(out, *o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list orders: %w", translate(err))
	}
	return out, nil
}

// ClaimOrders links the shop's unowned orders with the address to the
// customer, in one conditional update, so an order another claim took
// first is skipped rather than stolen (a concurrent claim waits on the row
// lock and then finds customer_id set). A customer that is not the shop's
// is core.ErrNotFound; an empty address claims nothing (anonymised orders
// have one). The ids come back sorted.
func (r repo) ClaimOrders(ctx context.Context, shopID, customerID, emailNormalized string, ids []string) ([]string, error) {
	ok, err := exists(ctx, r.q, `SELECT 1 FROM customers WHERE shop_id = $1 AND id = $2`, shopID, customerID)
	switch {
	case err != nil:
		return nil, fmt.Errorf("postgres: claim orders: %w", err)
	case !ok:
		return nil, fmt.Errorf("postgres: claim orders: %w", core.ErrNotFound)
	case emailNormalized == "":
		return []string{}, nil
	}
	if ids == nil {
		ids = []string{} // NULL would make cardinality() NULL and match nothing
	}
	rows, err := r.q.Query(ctx, `UPDATE orders SET customer_id = $1
		WHERE shop_id = $2 AND customer_id IS NULL AND email_normalized = $3
		AND (cardinality($4::text[]) = 0 OR id = ANY ($4::text[]))
		RETURNING id`, customerID, shopID, emailNormalized, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim orders: %w", translate(err))
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: claim orders: %w", translate(err))
	}
	if out == nil {
		out = []string{}
	}
	slices.Sort(out)
	return out, nil
}

// AnonymizeCustomerOrders unlinks the customer's orders and blanks their
// e-mail (both columns become empty, which no claim matches) and address
// snapshots. Line items (product data) and metadata (the store's) stay.
// Call it before DeleteCustomer: afterwards the foreign key has already
// unlinked the orders and they can no longer be told apart.
func (r repo) AnonymizeCustomerOrders(ctx context.Context, shopID, customerID string) error {
	_, err := r.q.Exec(ctx, `UPDATE orders SET customer_id = NULL, email = '', email_normalized = '',
		billing_address = NULL, shipping_address = NULL WHERE shop_id = $1 AND customer_id = $2`, shopID, customerID)
	if err != nil {
		return fmt.Errorf("postgres: anonymize customer orders: %w", translate(err))
	}
	return nil
}

// checkedQueryRow is checkedExec for a statement that returns one row
// (an upsert with RETURNING): inside a transaction it runs under the
// savepoint, so a refused write leaves the transaction usable. No row is
// pgx.ErrNoRows, after the savepoint is released.
func (r repo) checkedQueryRow(ctx context.Context, sql string, args []any, dest ...any) error {
	if !r.inTx {
		return r.q.QueryRow(ctx, sql, args...).Scan(dest...)
	}
	b := &pgx.Batch{}
	b.Queue("SAVEPOINT " + savepoint)
	b.Queue(sql, args...)
	b.Queue("RELEASE SAVEPOINT " + savepoint)
	br := r.q.SendBatch(ctx, b)
	_, err := br.Exec()
	var noRows bool
	if err == nil {
		err = br.QueryRow().Scan(dest...)
		if errors.Is(err, pgx.ErrNoRows) {
			noRows, err = true, nil
		}
	}
	if err == nil {
		_, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if noRows {
			return pgx.ErrNoRows
		}
		return nil
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	if _, uerr := r.q.Exec(ctx, "ROLLBACK TO SAVEPOINT "+savepoint+"; RELEASE SAVEPOINT "+savepoint); uerr != nil {
		return errors.Join(err, fmt.Errorf("rollback to savepoint: %w", uerr))
	}
	return err
}

// orderValues encodes o in orderColumns order.
func orderValues(o *core.Order) ([]any, error) {
	items, err := storejson.EncodeLineItems(o.LineItems)
	if err != nil {
		return nil, err
	}
	bill, err := storejson.EncodeSnapshot(o.BillingAddress)
	if err != nil {
		return nil, err
	}
	ship, err := storejson.EncodeSnapshot(o.ShippingAddress)
	if err != nil {
		return nil, err
	}
	meta, err := encodeMetadata(o.Metadata)
	if err != nil {
		return nil, err
	}
	return []any{
		o.ID, o.ShopID, o.Number, nullString(o.CustomerID), o.Email, o.EmailNormalized, o.State, o.PaymentStatus,
		o.FulfillmentStatus, o.Currency, o.Subtotal, o.ShippingTotal, o.TaxTotal, o.DiscountTotal, o.Total, o.ItemCount,
		items, bill, ship, meta, o.PlacedAt, o.CreatedAt, o.UpdatedAt,
	}, nil
}

func scanOrder(row pgx.Row) (*core.Order, error) {
	var (
		o                       core.Order
		customer                *string
		items, bill, ship, meta []byte
	)
	err := row.Scan(&o.ID, &o.ShopID, &o.Number, &customer, &o.Email, &o.EmailNormalized, &o.State, &o.PaymentStatus,
		&o.FulfillmentStatus, &o.Currency, &o.Subtotal, &o.ShippingTotal, &o.TaxTotal, &o.DiscountTotal, &o.Total, &o.ItemCount,
		&items, &bill, &ship, &meta, &o.PlacedAt, &o.CreatedAt, &o.UpdatedAt)
	if err != nil {
		return nil, translate(err)
	}
	if customer != nil {
		o.CustomerID = *customer
	}
	if o.LineItems, err = storejson.DecodeLineItems(items); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if o.BillingAddress, err = storejson.DecodeSnapshot(bill); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if o.ShippingAddress, err = storejson.DecodeSnapshot(ship); err != nil {
		return nil, err
	}
	if o.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	o.PlacedAt, o.CreatedAt, o.UpdatedAt = utc(o.PlacedAt), utc(o.CreatedAt), utc(o.UpdatedAt)
	return &o, nil
}
