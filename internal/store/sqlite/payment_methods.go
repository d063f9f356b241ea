package sqlite

import (
	"context"
	"database/sql"
	"fmt"

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
	_, err = r.w.ExecContext(ctx, `INSERT INTO payment_methods (`+paymentMethodColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.ShopID, m.CustomerID, m.Provider, m.ProviderRef, m.Type, m.Brand, m.Last4,
		m.ExpMonth, m.ExpYear, m.HolderName, nullString(m.BillingAddressID), bit(m.IsDefault), meta,
		micros(m.CreatedAt), micros(m.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create payment method: %w", translate(err))
	}
	return nil
}

// GetPaymentMethod returns the customer's method; another shop's or
// another customer's is core.ErrNotFound.
func (r repo) GetPaymentMethod(ctx context.Context, shopID, customerID, id string) (*core.PaymentMethod, error) {
	m, err := scanPaymentMethod(r.r.QueryRowContext(ctx, `SELECT `+paymentMethodColumns+` FROM payment_methods
		WHERE shop_id = ? AND customer_id = ? AND id = ?`, shopID, customerID, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get payment method: %w", err)
	}
	return m, nil
}

// ListPaymentMethods pages the customer's methods by id.
func (r repo) ListPaymentMethods(ctx context.Context, shopID, customerID, after string, limit int) ([]core.PaymentMethod, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT `+paymentMethodColumns+` FROM payment_methods
		WHERE shop_id = ? AND customer_id = ? AND id > ? ORDER BY id LIMIT ?`, shopID, customerID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list payment methods: %w", translate(err))
	}
	defer rows.Close()
	out := []core.PaymentMethod{}
	for rows.Next() {
		m, err := scanPaymentMethod(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list payment methods: %w", err)
		}
		out = append(out, *m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list payment methods: %w", translate(err))
	}
	return out, nil
}

// UpdatePaymentMethod writes every mutable field of m, matched by shop,
// customer and id; CreatedAt is fixed at creation.
func (r repo) UpdatePaymentMethod(ctx context.Context, m *core.PaymentMethod) error {
	meta, err := encodeMetadata(m.Metadata)
	if err != nil {
		return err
	}
	return execOne(ctx, r.w, "update payment method", `UPDATE payment_methods SET
		provider = ?, provider_ref = ?, type = ?, brand = ?, last4 = ?, exp_month = ?, exp_year = ?,
		holder_name = ?, billing_address_id = ?, is_default = ?, metadata = ?, updated_at = ?
		WHERE shop_id = ? AND customer_id = ? AND id = ?`,
		m.Provider, m.ProviderRef, m.Type, m.Brand, m.Last4, m.ExpMonth, m.ExpYear,
		m.HolderName, nullString(m.BillingAddressID), bit(m.IsDefault), meta, micros(m.UpdatedAt),
		m.ShopID, m.CustomerID, m.ID)
}

// DeletePaymentMethod removes the customer's method.
func (r repo) DeletePaymentMethod(ctx context.Context, shopID, customerID, id string) error {
	return execOne(ctx, r.w, "delete payment method",
		`DELETE FROM payment_methods WHERE shop_id = ? AND customer_id = ? AND id = ?`, shopID, customerID, id)
}

// ClearDefaultPaymentMethod unsets the default flag on the customer's
// other methods. It touches no timestamp: the default moving is one change
// of the method that became default.
func (r repo) ClearDefaultPaymentMethod(ctx context.Context, shopID, customerID, keepID string) error {
	_, err := r.w.ExecContext(ctx, `UPDATE payment_methods SET is_default = 0
		WHERE shop_id = ? AND customer_id = ? AND id <> ? AND is_default = 1`, shopID, customerID, keepID)
	if err != nil {
		return fmt.Errorf("sqlite: clear default payment method: %w", translate(err))
	}
	return nil
}

func scanPaymentMethod(sc scanner) (*core.PaymentMethod, error) {
	var (
		m                core.PaymentMethod
		address, meta    sql.NullString
		isDefault        int64
		created, updated int64
	)
	err := sc.Scan(&m.ID, &m.ShopID, &m.CustomerID, &m.Provider, &m.ProviderRef, &m.Type, &m.Brand, &m.Last4,
		&m.ExpMonth, &m.ExpYear, &m.HolderName, &address, &isDefault, &meta, &created, &updated)
	if err != nil {
		return nil, translate(err)
	}
	if m.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	m.BillingAddressID, m.IsDefault = address.String, isDefault != 0
	m.CreatedAt, m.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &m, nil
}
