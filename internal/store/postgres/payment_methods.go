package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/core"
)

const paymentMethodColumns = `id, shop_id, customer_id, provider, provider_ref, type, brand, last4,
	exp_month, exp_year, holder_name, billing_address_id, is_default, metadata, created_at, updated_at`

// CreatePaymentMethod inserts m. A customer missing from m.ShopID, or an
// unknown billing address, is core.ErrNotFound; a provider reference the
// shop already has, or a second default for the customer, core.ErrConflict.
func (r repo) CreatePaymentMethod(ctx context.Context, m *core.PaymentMethod) error {
	meta, err := encodeMetadata(m.Metadata)
	if err != nil {
		return err
	}
	_, err = r.checkedExec(ctx, `INSERT INTO payment_methods (`+paymentMethodColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		m.ID, m.ShopID, m.CustomerID, m.Provider, m.ProviderRef, m.Type, m.Brand, m.Last4,
		m.ExpMonth, m.ExpYear, m.HolderName, nullString(m.BillingAddressID), m.IsDefault, meta,
		m.CreatedAt, m.UpdatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create payment method: %w", translate(err))
	}
	return nil
}

// GetPaymentMethod returns the customer's method; another shop's or
// another customer's is core.ErrNotFound.
func (r repo) GetPaymentMethod(ctx context.Context, shopID, customerID, id string) (*core.PaymentMethod, error) {
	m, err := scanPaymentMethod(r.q.QueryRow(ctx, `SELECT `+paymentMethodColumns+` FROM payment_methods
		WHERE shop_id = $1 AND customer_id = $2 AND id = $3`, shopID, customerID, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get payment method: %w", err)
	}
	return m, nil
}

// ListPaymentMethods pages the customer's methods by id.
func (r repo) ListPaymentMethods(ctx context.Context, shopID, customerID, after string, limit int) ([]core.PaymentMethod, error) {
	rows, err := r.q.Query(ctx, `SELECT `+paymentMethodColumns+` FROM payment_methods
		WHERE shop_id = $1 AND customer_id = $2 AND id > $3 ORDER BY id LIMIT $4`, shopID, customerID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list payment methods: %w", translate(err))
	}
	defer rows.Close()
	out := []core.PaymentMethod{}
	for rows.Next() {
		m, err := scanPaymentMethod(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list payment methods: %w", err)
		}
		out = append(out, *m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list payment methods: %w", translate(err))
	}
	return out, nil
}

// UpdatePaymentMethod writes every mutable field of m, matched by shop,
// customer and id; CreatedAt is fixed at creation. Checked: a second
// default or an unknown billing address is refused by the database.
func (r repo) UpdatePaymentMethod(ctx context.Context, m *core.PaymentMethod) error {
	meta, err := encodeMetadata(m.Metadata)
	if err != nil {
		return err
	}
	tag, err := r.checkedExec(ctx, `UPDATE payment_methods SET
		provider = $1, provider_ref = $2, type = $3, brand = $4, last4 = $5, exp_month = $6, exp_year = $7,
		holder_name = $8, billing_address_id = $9, is_default = $10, metadata = $11, updated_at = $12
		WHERE shop_id = $13 AND customer_id = $14 AND id = $15`,
		m.Provider, m.ProviderRef, m.Type, m.Brand, m.Last4, m.ExpMonth, m.ExpYear,
		m.HolderName, nullString(m.BillingAddressID), m.IsDefault, meta, m.UpdatedAt,
		m.ShopID, m.CustomerID, m.ID)
	switch {
	case err != nil:
		return fmt.Errorf("postgres: update payment method: %w", translate(err))
	case tag.RowsAffected() == 0:
		return fmt.Errorf("postgres: update payment method: %w", core.ErrNotFound)
	}
	return nil
}

// DeletePaymentMethod removes the customer's method.
func (r repo) DeletePaymentMethod(ctx context.Context, shopID, customerID, id string) error {
	return execOne(ctx, r.q, "delete payment method",
		`DELETE FROM payment_methods WHERE shop_id = $1 AND customer_id = $2 AND id = $3`, shopID, customerID, id)
}

// ClearDefaultPaymentMethod unsets the default flag on the customer's
// other methods. It touches no timestamp: the default moving is one change
// of the method that became default.
func (r repo) ClearDefaultPaymentMethod(ctx context.Context, shopID, customerID, keepID string) error {
	_, err := r.q.Exec(ctx, `UPDATE payment_methods SET is_default = false
		WHERE shop_id = $1 AND customer_id = $2 AND id <> $3 AND is_default`, shopID, customerID, keepID)
	if err != nil {
		return fmt.Errorf("postgres: clear default payment method: %w", translate(err))
	}
	return nil
}

func scanPaymentMethod(row pgx.Row) (*core.PaymentMethod, error) {
	var (
		m       core.PaymentMethod
		address *string
		meta    []byte
	)
	err := row.Scan(&m.ID, &m.ShopID, &m.CustomerID, &m.Provider, &m.ProviderRef, &m.Type, &m.Brand, &m.Last4,
		&m.ExpMonth, &m.ExpYear, &m.HolderName, &address, &m.IsDefault, &meta, &m.CreatedAt, &m.UpdatedAt)
	if err != nil {
		return nil, translate(err)
	}
	if m.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	if address != nil {
		m.BillingAddressID = *address
	}
	m.CreatedAt, m.UpdatedAt = utc(m.CreatedAt), utc(m.UpdatedAt)
	return &m, nil
}
