package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

// bulkRows is how many customers one INSERT carries: 20 columns each keeps
// a statement far under PostgreSQL's 65 535 parameters.
const bulkRows = 500

// BulkCreateCustomers inserts cs in one transaction, all or none.
func (s *Store) BulkCreateCustomers(ctx context.Context, cs []*core.Customer) error {
	return s.InTx(ctx, func(tx core.Store) error { return tx.BulkCreateCustomers(ctx, cs) })
}

// BulkCreateCustomers inserts cs inside the open transaction with multi-row
// INSERTs; a refused row fails the call, and the caller's rollback (every
// core caller returns the error) undoes the rows before it.
func (t *txStore) BulkCreateCustomers(ctx context.Context, cs []*core.Customer) error {
	for len(cs) > 0 {
		n := min(len(cs), bulkRows)
		if err := t.insertCustomers(ctx, cs[:n]); err != nil {
			return err
		}
		cs = cs[n:]
	}
	return nil
}

func (r repo) insertCustomers(ctx context.Context, cs []*core.Customer) error {
	var sb strings.Builder
	sb.WriteString(`INSERT INTO customers (` + customerColumns + `) VALUES `)
	args := make([]any, 0, len(cs)*20)
	for i, c := range cs {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		for j := range 20 {
			if j > 0 {
				sb.WriteByte(',')
			}
			sb.WriteByte('$')
			sb.WriteString(strconv.Itoa(i*20 + j + 1))
		}
		sb.WriteByte(')')
		meta, err := encodeMetadata(c.Metadata)
		if err != nil {
			return err
		}
		args = append(args,
			c.ID, c.ShopID, c.Email, c.EmailNormalized, c.EmailVerifiedAt, c.PasswordHash,
			c.FirstName, c.LastName, c.Phone, c.Gender, c.DateOfBirth, c.AcceptsEmailMarketing, string(c.Status),
			meta, c.PasswordChangedAt, c.CreatedAt, c.UpdatedAt,
			c.CompanyName, nullString(c.DefaultBillingAddressID), nullString(c.DefaultShippingAddressID))
	}
	// checkedExec: inside a caller's transaction a refused row must not
	// abort it before the caller decides.
	if _, err := r.checkedExec(ctx, sb.String(), args...); err != nil {
		return fmt.Errorf("postgres: bulk create customers: %w", translate(err))
	}
	return nil
}
