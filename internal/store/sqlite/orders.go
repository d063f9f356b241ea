package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/store/storejson"
)

// The order index. Line items and address snapshots are JSON columns:
// they are read and written whole with their order and never queried, so
// child tables would only cost joins. Their JSON shape is the store's own
// (snake_case keys below), independent of Go field names, so renaming a
// field in core cannot orphan stored data.

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
	args := append(vals, nullString(o.CustomerID), o.ShopID, o.CustomerID)
	var (
		id       string
		created  int64
		customer sql.NullString
	)
	// The WHERE clause also tells SQLite's parser that ON CONFLICT is the
	// upsert clause, not a join constraint of the SELECT.
	err = r.w.QueryRowContext(ctx, `INSERT INTO orders (`+orderColumns+`)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE ? IS NULL OR EXISTS (SELECT 1 FROM customers WHERE shop_id = ? AND id = ?)
		ON CONFLICT (shop_id, number) DO UPDATE SET `+orderSetOnConflict+`
		RETURNING id, created_at, customer_id`, args...).Scan(&id, &created, &customer)
	if err != nil {
		return false, fmt.Errorf("sqlite: upsert order: %w", translate(err))
	}
	inserted := id == o.ID
	o.ID, o.CreatedAt, o.CustomerID = id, fromMicros(created), customer.String
	return inserted, nil
}

// GetOrder returns the shop's order; with customerID set, only that
// customer's (a guest order is nobody's).
func (r repo) GetOrder(ctx context.Context, shopID, customerID, id string) (*core.Order, error) {
	o, err := scanOrder(r.r.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders
		WHERE shop_id = ? AND id = ? AND (? = '' OR customer_id = ?)`, shopID, id, customerID, customerID))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get order: %w", err)
	}
	return o, nil
}

// GetOrderByNumber returns the shop's order with the store's number.
func (r repo) GetOrderByNumber(ctx context.Context, shopID, number string) (*core.Order, error) {
	o, err := scanOrder(r.r.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders
		WHERE shop_id = ? AND number = ?`, shopID, number))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get order by number: %w", err)
	}
	return o, nil
}

// ListOrders pages the customer's orders by id, newest first.
func (r repo) ListOrders(ctx context.Context, shopID, customerID, before string, limit int) ([]core.Order, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT `+orderColumns+` FROM orders
		WHERE shop_id = ? AND customer_id = ? AND (? = '' OR id < ?) ORDER BY id DESC LIMIT ?`,
		shopID, customerID, before, before, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list orders: %w", translate(err))
	}
	defer rows.Close()
	out := []core.Order{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list orders: %w", err)
		}
		out = append(out, *o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list orders: %w", translate(err))
	}
	return out, nil
}

// ClaimOrders links the shop's unowned orders with the address to the
// customer, in one conditional update, so an order another claim took
// first is skipped rather than stolen. A customer that is not the shop's
// is core.ErrNotFound; an empty address claims nothing (anonymised orders
// have one). The ids come back sorted.
func (r repo) ClaimOrders(ctx context.Context, shopID, customerID, emailNormalized string, ids []string) ([]string, error) {
	ok, err := exists(ctx, r.w, `SELECT 1 FROM customers WHERE shop_id = ? AND id = ?`, shopID, customerID)
	switch {
	case err != nil:
		return nil, fmt.Errorf("sqlite: claim orders: %w", err)
	case !ok:
		return nil, fmt.Errorf("sqlite: claim orders: %w", core.ErrNotFound)
	case emailNormalized == "":
		return []string{}, nil
	}
	only, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim orders: %w", err)
	}
	rows, err := r.w.QueryContext(ctx, `UPDATE orders SET customer_id = ?
		WHERE shop_id = ? AND customer_id IS NULL AND email_normalized = ?
		AND (? = 0 OR id IN (SELECT value FROM json_each(?)))
		RETURNING id`, customerID, shopID, emailNormalized, len(ids), string(only))
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim orders: %w", translate(err))
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: claim orders: %w", translate(err))
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: claim orders: %w", translate(err))
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
	_, err := r.w.ExecContext(ctx, `UPDATE orders SET customer_id = NULL, email = '', email_normalized = '',
		billing_address = NULL, shipping_address = NULL WHERE shop_id = ? AND customer_id = ?`, shopID, customerID)
	if err != nil {
		return fmt.Errorf("sqlite: anonymize customer orders: %w", translate(err))
	}
	return nil
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
		items, bill, ship, meta, micros(o.PlacedAt), micros(o.CreatedAt), micros(o.UpdatedAt),
	}, nil
}

func scanOrder(sc scanner) (*core.Order, error) {
	var (
		o                        core.Order
		customer                 sql.NullString
		items                    string
		bill, ship, meta         sql.NullString
		placed, created, updated int64
	)
	err := sc.Scan(&o.ID, &o.ShopID, &o.Number, &customer, &o.Email, &o.EmailNormalized, &o.State, &o.PaymentStatus,
		&o.FulfillmentStatus, &o.Currency, &o.Subtotal, &o.ShippingTotal, &o.TaxTotal, &o.DiscountTotal, &o.Total, &o.ItemCount,
		&items, &bill, &ship, &meta, &placed, &created, &updated)
	if err != nil {
		return nil, translate(err)
	}
	o.CustomerID = customer.String
	if o.LineItems, err = storejson.DecodeLineItems([]byte(items)); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if o.BillingAddress, err = storejson.DecodeSnapshot(nullBytes(bill)); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if o.ShippingAddress, err = storejson.DecodeSnapshot(nullBytes(ship)); err != nil {
		return nil, err
	}
	if o.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	o.PlacedAt, o.CreatedAt, o.UpdatedAt = fromMicros(placed), fromMicros(created), fromMicros(updated)
	return &o, nil
}

// nullBytes is a nullable TEXT column's bytes, nil for NULL.
func nullBytes(v sql.NullString) []byte {
	if !v.Valid {
		return nil
	}
	return []byte(v.String)
}
