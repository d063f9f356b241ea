package sqlite

import (
	"context"
	"fmt"

	"github.com/clientele/clientele/internal/core"
)

const creditColumns = `id, shop_id, customer_id, currency, amount, kind, reason, author, reference, created_at`

// LockCustomer checks that the customer is the shop's. Inside InTx that is
// all the locking SQLite needs: the transaction began IMMEDIATE on the
// single writer connection, so no other write can run until it ends and the
// balance core reads next cannot change under it.
func (r repo) LockCustomer(ctx context.Context, shopID, customerID string) error {
	ok, err := exists(ctx, r.w, `SELECT 1 FROM customers WHERE shop_id = ? AND id = ?`, shopID, customerID)
	if err != nil {
		return fmt.Errorf("sqlite: lock customer: %w", err)
	}
	if !ok {
		return fmt.Errorf("sqlite: lock customer: %w", core.ErrNotFound)
	}
	return nil
}

// AppendCredit inserts one ledger entry. A customer that is not the
// shop's is core.ErrNotFound through the composite foreign key.
func (r repo) AppendCredit(ctx context.Context, e *core.CreditEntry) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO store_credit_entries (`+creditColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.ShopID, e.CustomerID, e.Currency, e.Amount, string(e.Kind), e.Reason, e.Author, e.Reference,
		micros(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: append credit: %w", translate(err))
	}
	return nil
}

// CreditBalances sums the customer's entries per currency. Inside InTx it
// reads through the transaction, so it sees the entries written before it.
func (r repo) CreditBalances(ctx context.Context, shopID, customerID string) ([]core.Balance, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT currency, SUM(amount) FROM store_credit_entries
		WHERE shop_id = ? AND customer_id = ? GROUP BY currency ORDER BY currency`, shopID, customerID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: credit balances: %w", translate(err))
	}
	defer rows.Close()
	out := []core.Balance{}
	for rows.Next() {
		var b core.Balance
		if err := rows.Scan(&b.Currency, &b.Amount); err != nil {
			return nil, fmt.Errorf("sqlite: credit balances: %w", translate(err))
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: credit balances: %w", translate(err))
	}
	return out, nil
}

// ListCredit pages the customer's entries by id (creation order).
func (r repo) ListCredit(ctx context.Context, shopID, customerID, after string, limit int) ([]core.CreditEntry, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT `+creditColumns+` FROM store_credit_entries
		WHERE shop_id = ? AND customer_id = ? AND id > ? ORDER BY id LIMIT ?`, shopID, customerID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list credit: %w", translate(err))
	}
	defer rows.Close()
	out := []core.CreditEntry{}
	for rows.Next() {
		var (
			e       core.CreditEntry
			kind    string
			created int64
		)
		if err := rows.Scan(&e.ID, &e.ShopID, &e.CustomerID, &e.Currency, &e.Amount, &kind,
			&e.Reason, &e.Author, &e.Reference, &created); err != nil {
			return nil, fmt.Errorf("sqlite: list credit: %w", translate(err))
		}
		e.Kind, e.CreatedAt = core.CreditKind(kind), fromMicros(created)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list credit: %w", translate(err))
	}
	return out, nil
}
