package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

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
	_, err = r.checkedExec(ctx, `INSERT INTO addresses (`+addressColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		a.ID, a.ShopID, a.CustomerID, a.Label, a.FirstName, a.LastName, a.Company,
		a.Address1, a.Address2, a.City, a.RegionCode, a.RegionName, a.PostalCode, a.CountryCode, a.Phone,
		meta, a.CreatedAt, a.UpdatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create address: %w", translate(err))
	}
	return nil
}

// GetAddress returns the customer's address id; another customer's or
// another shop's is core.ErrNotFound, like a missing one.
func (r repo) GetAddress(ctx context.Context, shopID, customerID, id string) (*core.Address, error) {
	a, err := scanAddress(r.q.QueryRow(ctx, `SELECT `+addressColumns+` FROM addresses
		WHERE shop_id = $1 AND customer_id = $2 AND id = $3`, shopID, customerID, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get address: %w", err)
	}
	return a, nil
}

// ListAddresses pages the customer's book by id.
func (r repo) ListAddresses(ctx context.Context, shopID, customerID, after string, limit int) ([]core.Address, error) {
	rows, err := r.q.Query(ctx, `SELECT `+addressColumns+` FROM addresses
		WHERE shop_id = $1 AND customer_id = $2 AND id > $3 ORDER BY id LIMIT $4`, shopID, customerID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list addresses: %w", translate(err))
	}
	defer rows.Close()
	out := []core.Address{}
	for rows.Next() {
		a, err := scanAddress(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list addresses: %w", err)
		}
		out = append(out, *a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list addresses: %w", translate(err))
	}
	return out, nil
}

// CountAddresses counts the customer's book, for the per-customer cap.
// Core holds the customer's lock (LockCustomer) around count and insert,
// so two transactions cannot both pass the cap at READ COMMITTED.
func (r repo) CountAddresses(ctx context.Context, shopID, customerID string) (int, error) {
	var n int
	err := r.q.QueryRow(ctx, `SELECT count(*) FROM addresses WHERE shop_id = $1 AND customer_id = $2`,
		shopID, customerID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: count addresses: %w", translate(err))
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
	// Checked: text PostgreSQL cannot store (a NUL byte) is refused here.
	tag, err := r.checkedExec(ctx, `UPDATE addresses SET
		label = $1, first_name = $2, last_name = $3, company = $4, address1 = $5, address2 = $6, city = $7,
		region_code = $8, region_name = $9, postal_code = $10, country_code = $11, phone = $12, metadata = $13,
		updated_at = $14
		WHERE shop_id = $15 AND customer_id = $16 AND id = $17`,
		a.Label, a.FirstName, a.LastName, a.Company, a.Address1, a.Address2, a.City,
		a.RegionCode, a.RegionName, a.PostalCode, a.CountryCode, a.Phone, meta, a.UpdatedAt,
		a.ShopID, a.CustomerID, a.ID)
	switch {
	case err != nil:
		return fmt.Errorf("postgres: update address: %w", translate(err))
	case tag.RowsAffected() == 0:
		return fmt.Errorf("postgres: update address: %w", core.ErrNotFound)
	}
	return nil
}

// DeleteAddress removes the customer's address; a customer default that
// named it becomes NULL through the foreign key.
func (r repo) DeleteAddress(ctx context.Context, shopID, customerID, id string) error {
	return execOne(ctx, r.q, "delete address",
		`DELETE FROM addresses WHERE shop_id = $1 AND customer_id = $2 AND id = $3`, shopID, customerID, id)
}

func scanAddress(row pgx.Row) (*core.Address, error) {
	var (
		a    core.Address
		meta []byte
	)
	err := row.Scan(&a.ID, &a.ShopID, &a.CustomerID, &a.Label, &a.FirstName, &a.LastName, &a.Company,
		&a.Address1, &a.Address2, &a.City, &a.RegionCode, &a.RegionName, &a.PostalCode, &a.CountryCode, &a.Phone,
		&meta, &a.CreatedAt, &a.UpdatedAt)
	if err != nil {
		return nil, translate(err)
	}
	if a.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	a.CreatedAt, a.UpdatedAt = utc(a.CreatedAt), utc(a.UpdatedAt)
	return &a, nil
}
