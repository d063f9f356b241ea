package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/core"
)

const customerColumns = `id, shop_id, email, email_normalized, email_verified_at, password_hash,
	first_name, last_name, phone, gender, date_of_birth, accepts_email_marketing, status,
	metadata, password_changed_at, created_at, updated_at,
	company_name, default_billing_address_id, default_shipping_address_id`

// CreateCustomer inserts c. The shop's unique (shop_id, email_normalized)
// index turns a taken e-mail into core.ErrConflict atomically, with no
// check-then-insert race; an unknown shop is core.ErrNotFound.
func (r repo) CreateCustomer(ctx context.Context, c *core.Customer) error {
	meta, err := encodeMetadata(c.Metadata)
	if err != nil {
		return err
	}
	_, err = r.checkedExec(ctx, `INSERT INTO customers (`+customerColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
		c.ID, c.ShopID, c.Email, c.EmailNormalized, c.EmailVerifiedAt, c.PasswordHash,
		c.FirstName, c.LastName, c.Phone, c.Gender, c.DateOfBirth, c.AcceptsEmailMarketing, string(c.Status),
		meta, c.PasswordChangedAt, c.CreatedAt, c.UpdatedAt,
		c.CompanyName, nullString(c.DefaultBillingAddressID), nullString(c.DefaultShippingAddressID))
	if err != nil {
		return fmt.Errorf("postgres: create customer: %w", translate(err))
	}
	return nil
}

// GetCustomer returns the shop's customer id; another shop's is
// core.ErrNotFound, like a missing one.
func (r repo) GetCustomer(ctx context.Context, shopID, id string) (*core.Customer, error) {
	c, err := scanCustomer(r.q.QueryRow(ctx,
		`SELECT `+customerColumns+` FROM customers WHERE shop_id = $1 AND id = $2`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get customer: %w", err)
	}
	return c, nil
}

// GetCustomerByEmail looks a customer up by the normalised e-mail core
// computed; the store compares bytes and normalises nothing itself.
func (r repo) GetCustomerByEmail(ctx context.Context, shopID, emailNormalized string) (*core.Customer, error) {
	c, err := scanCustomer(r.q.QueryRow(ctx,
		`SELECT `+customerColumns+` FROM customers WHERE shop_id = $1 AND email_normalized = $2`,
		shopID, emailNormalized))
	if err != nil {
		return nil, fmt.Errorf("postgres: get customer by email: %w", err)
	}
	return c, nil
}

// UpdateCustomer writes every mutable field of c; ID, ShopID and CreatedAt
// are fixed at creation. A taken e-mail is core.ErrConflict, a customer
// missing from c.ShopID core.ErrNotFound, and so is a default address id
// that names no address (the foreign key refuses it).
func (r repo) UpdateCustomer(ctx context.Context, c *core.Customer) error {
	meta, err := encodeMetadata(c.Metadata)
	if err != nil {
		return err
	}
	// Checked: the new e-mail may be taken, a default address gone.
	tag, err := r.checkedExec(ctx, `UPDATE customers SET
		email = $1, email_normalized = $2, email_verified_at = $3, password_hash = $4,
		first_name = $5, last_name = $6, phone = $7, gender = $8, date_of_birth = $9,
		accepts_email_marketing = $10, status = $11, metadata = $12, password_changed_at = $13, updated_at = $14,
		company_name = $15, default_billing_address_id = $16, default_shipping_address_id = $17
		WHERE shop_id = $18 AND id = $19`,
		c.Email, c.EmailNormalized, c.EmailVerifiedAt, c.PasswordHash,
		c.FirstName, c.LastName, c.Phone, c.Gender, c.DateOfBirth,
		c.AcceptsEmailMarketing, string(c.Status), meta, c.PasswordChangedAt, c.UpdatedAt,
		c.CompanyName, nullString(c.DefaultBillingAddressID), nullString(c.DefaultShippingAddressID),
		c.ShopID, c.ID)
	switch {
	case err != nil:
		return fmt.Errorf("postgres: update customer: %w", translate(err))
	case tag.RowsAffected() == 0:
		return fmt.Errorf("postgres: update customer: %w", core.ErrNotFound)
	}
	return nil
}

// DeleteCustomer removes the customer; the foreign keys cascade to its
// sessions (and so their refresh tokens) and password resets in the same
// statement.
func (r repo) DeleteCustomer(ctx context.Context, shopID, id string) error {
	return execOne(ctx, r.q, "delete customer", `DELETE FROM customers WHERE shop_id = $1 AND id = $2`, shopID, id)
}

func scanCustomer(row pgx.Row) (*core.Customer, error) {
	var (
		c                   core.Customer
		verified, pwChanged *time.Time
		status              string
		meta                []byte
		created, updated    time.Time
		billing, shipping   *string
	)
	err := row.Scan(&c.ID, &c.ShopID, &c.Email, &c.EmailNormalized, &verified, &c.PasswordHash,
		&c.FirstName, &c.LastName, &c.Phone, &c.Gender, &c.DateOfBirth, &c.AcceptsEmailMarketing, &status,
		&meta, &pwChanged, &created, &updated,
		&c.CompanyName, &billing, &shipping)
	if err != nil {
		return nil, translate(err)
	}
	if c.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	c.EmailVerifiedAt, c.PasswordChangedAt = utcPtr(verified), utcPtr(pwChanged)
	c.Status = core.CustomerStatus(status)
	c.CreatedAt, c.UpdatedAt = utc(created), utc(updated)
	if billing != nil {
		c.DefaultBillingAddressID = *billing
	}
	if shipping != nil {
		c.DefaultShippingAddressID = *shipping
	}
	return &c, nil
}
