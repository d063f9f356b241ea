package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

// bulkRows is how many customers one INSERT carries: 20 columns each keeps
// a statement far under SQLite's 32 766 parameters.
const bulkRows = 500

// BulkCreateCustomers inserts cs in one write transaction, all or none.
func (s *Store) BulkCreateCustomers(ctx context.Context, cs []*core.Customer) error {
	return s.InTx(ctx, func(tx core.Store) error { return tx.BulkCreateCustomers(ctx, cs) })
}

// BulkCreateCustomers inserts cs inside the open transaction with
// multi-row INSERTs; the caller's commit or rollback makes it all or none.
func (t *txStore) BulkCreateCustomers(ctx context.Context, cs []*core.Customer) error {
	for len(cs) > 0 {
		n := min(len(cs), bulkRows)
		if err := insertCustomers(ctx, t.w, cs[:n]); err != nil {
			return err
		}
		cs = cs[n:]
	}
	return nil
}

func insertCustomers(ctx context.Context, q querier, cs []*core.Customer) error {
	var sb strings.Builder
	sb.WriteString(`INSERT INTO customers (` + customerColumns + `) VALUES `)
	args := make([]any, 0, len(cs)*20)
	for i, c := range cs {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		meta, err := encodeMetadata(c.Metadata)
		if err != nil {
			return err
		}
		args = append(args,
			c.ID, c.ShopID, c.Email, c.EmailNormalized, nullMicros(c.EmailVerifiedAt), c.PasswordHash,
			c.FirstName, c.LastName, c.Phone, c.Gender, c.DateOfBirth, bit(c.AcceptsEmailMarketing), string(c.Status),
			meta, nullMicros(c.PasswordChangedAt), micros(c.CreatedAt), micros(c.UpdatedAt),
			c.CompanyName, nullString(c.DefaultBillingAddressID), nullString(c.DefaultShippingAddressID))
	}
	if _, err := q.ExecContext(ctx, sb.String(), args...); err != nil {
		return fmt.Errorf("sqlite: bulk create customers: %w", translate(err))
	}
	return nil
}
