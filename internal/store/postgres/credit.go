package postgres

import (
	"context"
	"fmt"

	"github.com/clientele/clientele/internal/core"
)

const creditColumns = `id, shop_id, customer_id, currency, amount, kind, reason, author, reference, created_at`

// LockCustomer takes the customer's row lock (FOR UPDATE inside InTx) and
// holds it to the end of the transaction, so two writers that each re-read
// a balance before appending to it take turns: the second reads the sum
// only after the first committed. Outside a transaction it only checks
// that the customer is the shop's.
func (r repo) LockCustomer(ctx context.Context, shopID, customerID string) error {
	ok, err := exists(ctx, r.q, `SELECT 1 FROM customers WHERE shop_id = $1 AND id = $2`+r.forUpdate(), shopID, customerID)
	if err != nil {
		return fmt.Errorf("postgres: lock customer: %w", err)
	}
	if !ok {
		return fmt.Errorf("postgres: lock customer: %w", core.ErrNotFound)
	}
	return nil
}

// AppendCredit inserts one ledger entry. A customer that is not the
// shop's is core.ErrNotFound through the composite foreign key.
func (r repo) AppendCredit(ctx context.Context, e *core.CreditEntry) error {
	_, err := r.checkedExec(ctx, `INSERT INTO store_credit_entries (`+creditColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.ID, e.ShopID, e.CustomerID, e.Currency, e.Amount, string(e.Kind), e.Reason, e.Author, e.Reference,
		e.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: append credit: %w", translate(err))
	}
	return nil
}

// CreditBalances sums the customer's entries per currency. SUM of bigint
// is numeric in PostgreSQL; core bounds balances well inside bigint, so
// the cast back is exact.
func (r repo) CreditBalances(ctx context.Context, shopID, customerID string) ([]core.Balance, error) {
	rows, err := r.q.Query(ctx, `SELECT currency, SUM(amount)::bigint FROM store_credit_entries
		WHERE shop_id = $1 AND customer_id = $2 GROUP BY currency ORDER BY currency`, shopID, customerID)
	if err != nil {
		return nil, fmt.Errorf("postgres: credit balances: %w", translate(err))
	}
	defer rows.Close()
	out := []core.Balance{}
	for rows.Next() {
		var b core.Balance
		if err := rows.Scan(&b.Currency, &b.Amount); err != nil {
			return nil, fmt.Errorf("postgres: credit balances: %w", translate(err))
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: credit balances: %w", translate(err))
	}
	return out, nil
}

// ListCredit pages the customer's entries by id (creation order).
func (r repo) ListCredit(ctx context.Context, shopID, customerID, after string, limit int) ([]core.CreditEntry, error) {
	rows, err := r.q.Query(ctx, `SELECT `+creditColumns+` FROM store_credit_entries
		WHERE shop_id = $1 AND customer_id = $2 AND id > $3 ORDER BY id LIMIT $4`, shopID, customerID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list credit: %w", translate(err))
	}
	defer rows.Close()
	out := []core.CreditEntry{}
	for rows.Next() {
		var (
			e    core.CreditEntry
			kind string
		)
		if err := rows.Scan(&e.ID, &e.ShopID, &e.CustomerID, &e.Currency, &e.Amount, &kind,
			&e.Reason, &e.Author, &e.Reference, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: list credit: %w", translate(err))
		}
		e.Kind, e.CreatedAt = core.CreditKind(kind), utc(e.CreatedAt)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list credit: %w", translate(err))
	}
	return out, nil
}
