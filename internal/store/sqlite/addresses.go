package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/clientele/clientele/internal/core"
)

const addressColumns = `id, shop_id, customer_id, label, first_name, last_name, company,
	address1, address2, city, region_code, region_name, postal_code, country_code, phone,
	metadata, created_at, updated_at`

// CreateAddress inserts a. A customer missing from a.ShopID (another
// shop's, or none) is core.ErrNotFound through the composite foreign key;
// a taken id is core.ErrConflict.
func (r repo) CreateAddress(ctx context.Context, a *core.Address) error {
	meta, err := encodeMetadata(a.Metadata)
	if err != nil {
		return err
	}
	_, err = r.w.ExecContext(ctx, `INSERT INTO addresses (`+addressColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.ShopID, a.CustomerID, a.Label, a.FirstName, a.LastName, a.Company,
		a.Address1, a.Address2, a.City, a.RegionCode, a.RegionName, a.PostalCode, a.CountryCode, a.Phone,
		meta, micros(a.CreatedAt), micros(a.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create address: %w", translate(err))
	}
	return nil
}

// GetAddress returns the customer's address id; another customer's or
// another shop's is core.ErrNotFound, like a missing one.
func (r repo) GetAddress(ctx context.Context, shopID, customerID, id string) (*core.Address, error) {
	a, err := scanAddress(r.r.QueryRowContext(ctx, `SELECT `+addressColumns+` FROM addresses
		WHERE shop_id = ? AND customer_id = ? AND id = ?`, shopID, customerID, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get address: %w", err)
	}
	return a, nil
}

// ListAddresses pages the customer's book by id.
func (r repo) ListAddresses(ctx context.Context, shopID, customerID, after string, limit int) ([]core.Address, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT `+addressColumns+` FROM addresses
		WHERE shop_id = ? AND customer_id = ? AND id > ? ORDER BY id LIMIT ?`, shopID, customerID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list addresses: %w", translate(err))
	}
	defer rows.Close()
	out := []core.Address{}
	for rows.Next() {
		a, err := scanAddress(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list addresses: %w", err)
		}
		out = append(out, *a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list addresses: %w", translate(err))
	}
	return out, nil
}

// CountAddresses counts the customer's book, for the per-customer cap.
// Inside InTx the count cannot change before the transaction's own insert
// commits: SQLite has one writer.
func (r repo) CountAddresses(ctx context.Context, shopID, customerID string) (int, error) {
	var n int
	err := r.r.QueryRowContext(ctx, `SELECT count(*) FROM addresses WHERE shop_id = ? AND customer_id = ?`,
		shopID, customerID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: count addresses: %w", translate(err))
	}
	return n, nil
}

// UpdateAddress writes every mutable field of a, matched by shop, customer
// and id; ShopID, CustomerID and CreatedAt never change.
func (r repo) UpdateAddress(ctx context.Context, a *core.Address) error {
	meta, err := encodeMetadata(a.Metadata)
	if err != nil {
		return err
	}
	return execOne(ctx, r.w, "update address", `UPDATE addresses SET
		label = ?, first_name = ?, last_name = ?, company = ?, address1 = ?, address2 = ?, city = ?,
		region_code = ?, region_name = ?, postal_code = ?, country_code = ?, phone = ?, metadata = ?, updated_at = ?
		WHERE shop_id = ? AND customer_id = ? AND id = ?`,
		a.Label, a.FirstName, a.LastName, a.Company, a.Address1, a.Address2, a.City,
		a.RegionCode, a.RegionName, a.PostalCode, a.CountryCode, a.Phone, meta, micros(a.UpdatedAt),
		a.ShopID, a.CustomerID, a.ID)
}

// DeleteAddress removes the customer's address; a customer default that
// named it becomes NULL through the foreign key.
func (r repo) DeleteAddress(ctx context.Context, shopID, customerID, id string) error {
	return execOne(ctx, r.w, "delete address",
		`DELETE FROM addresses WHERE shop_id = ? AND customer_id = ? AND id = ?`, shopID, customerID, id)
}

func scanAddress(sc scanner) (*core.Address, error) {
	var (
		a                core.Address
		meta             sql.NullString
		created, updated int64
	)
	err := sc.Scan(&a.ID, &a.ShopID, &a.CustomerID, &a.Label, &a.FirstName, &a.LastName, &a.Company,
		&a.Address1, &a.Address2, &a.City, &a.RegionCode, &a.RegionName, &a.PostalCode, &a.CountryCode, &a.Phone,
		&meta, &created, &updated)
	if err != nil {
		return nil, translate(err)
	}
	if a.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &a, nil
}
