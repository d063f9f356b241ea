package sqlite

import (
	"context"
	"database/sql"
	"fmt"

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
	_, err = r.w.ExecContext(ctx, `INSERT INTO customers (`+customerColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.ShopID, c.Email, c.EmailNormalized, nullMicros(c.EmailVerifiedAt), c.PasswordHash,
		c.FirstName, c.LastName, c.Phone, c.Gender, c.DateOfBirth, bit(c.AcceptsEmailMarketing), string(c.Status),
		meta, nullMicros(c.PasswordChangedAt), micros(c.CreatedAt), micros(c.UpdatedAt),
		c.CompanyName, nullString(c.DefaultBillingAddressID), nullString(c.DefaultShippingAddressID))
	if err != nil {
		return fmt.Errorf("sqlite: create customer: %w", translate(err))
	}
	return nil
}

// GetCustomer returns the shop's customer id; another shop's is
// core.ErrNotFound, like a missing one.
func (r repo) GetCustomer(ctx context.Context, shopID, id string) (*core.Customer, error) {
	c, err := scanCustomer(r.r.QueryRowContext(ctx,
		`SELECT `+customerColumns+` FROM customers WHERE shop_id = ? AND id = ?`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get customer: %w", err)
	}
	return c, nil
}

// GetCustomerByEmail looks a customer up by the normalised e-mail core
// computed; the store compares bytes and normalises nothing itself.
func (r repo) GetCustomerByEmail(ctx context.Context, shopID, emailNormalized string) (*core.Customer, error) {
	c, err := scanCustomer(r.r.QueryRowContext(ctx,
		`SELECT `+customerColumns+` FROM customers WHERE shop_id = ? AND email_normalized = ?`,
		shopID, emailNormalized))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get customer by email: %w", err)
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
	return execOne(ctx, r.w, "update customer", `UPDATE customers SET
		email = ?, email_normalized = ?, email_verified_at = ?, password_hash = ?,
		first_name = ?, last_name = ?, phone = ?, gender = ?, date_of_birth = ?,
		accepts_email_marketing = ?, status = ?, metadata = ?, password_changed_at = ?, updated_at = ?,
		company_name = ?, default_billing_address_id = ?, default_shipping_address_id = ?
		WHERE shop_id = ? AND id = ?`,
		c.Email, c.EmailNormalized, nullMicros(c.EmailVerifiedAt), c.PasswordHash,
		c.FirstName, c.LastName, c.Phone, c.Gender, c.DateOfBirth,
		bit(c.AcceptsEmailMarketing), string(c.Status), meta, nullMicros(c.PasswordChangedAt), micros(c.UpdatedAt),
		c.CompanyName, nullString(c.DefaultBillingAddressID), nullString(c.DefaultShippingAddressID),
		c.ShopID, c.ID)
}

// DeleteCustomer removes the customer; the foreign keys cascade to its
// sessions (and so their refresh tokens) and password resets in the same
// statement.
func (r repo) DeleteCustomer(ctx context.Context, shopID, id string) error {
	return execOne(ctx, r.w, "delete customer", `DELETE FROM customers WHERE shop_id = ? AND id = ?`, shopID, id)
}

func scanCustomer(sc scanner) (*core.Customer, error) {
	var (
		c                   core.Customer
		verified, pwChanged sql.NullInt64
		accepts             int64
		status              string
		meta                sql.NullString
		created, updated    int64
		billing, shipping   sql.NullString
	)
	err := sc.Scan(&c.ID, &c.ShopID, &c.Email, &c.EmailNormalized, &verified, &c.PasswordHash,
		&c.FirstName, &c.LastName, &c.Phone, &c.Gender, &c.DateOfBirth, &accepts, &status,
		&meta, &pwChanged, &created, &updated,
		&c.CompanyName, &billing, &shipping)
	if err != nil {
		return nil, translate(err)
	}
	if c.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	c.EmailVerifiedAt, c.PasswordChangedAt = fromNullMicros(verified), fromNullMicros(pwChanged)
	c.AcceptsEmailMarketing = accepts != 0
	c.Status = core.CustomerStatus(status)
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	c.DefaultBillingAddressID, c.DefaultShippingAddressID = billing.String, shipping.String
	return &c, nil
}
