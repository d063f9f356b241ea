package sqlite

import (
	"context"
	"fmt"

	"github.com/clientele/clientele/internal/core"
)

const importRefColumns = `shop_id, customer_id, external_id, source, digest, run_id, imported_at`

// PutImportRef inserts or replaces the customer's ref. The unique
// (shop_id, external_id) index makes an id another customer holds
// core.ErrConflict; the foreign key makes another shop's customer
// core.ErrNotFound.
func (r repo) PutImportRef(ctx context.Context, ref *core.ImportRef) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO customer_import_refs (`+importRefColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (shop_id, customer_id) DO UPDATE SET external_id = excluded.external_id,
			source = excluded.source, digest = excluded.digest, run_id = excluded.run_id, imported_at = excluded.imported_at`,
		ref.ShopID, ref.CustomerID, ref.ExternalID, ref.Source, ref.Digest, ref.RunID, micros(ref.ImportedAt))
	if err != nil {
		return fmt.Errorf("sqlite: put import ref: %w", translate(err))
	}
	return nil
}

// GetImportRef returns the ref of the shop's customer.
func (r repo) GetImportRef(ctx context.Context, shopID, customerID string) (*core.ImportRef, error) {
	ref, err := scanImportRef(r.r.QueryRowContext(ctx, `SELECT `+importRefColumns+`
		FROM customer_import_refs WHERE shop_id = ? AND customer_id = ?`, shopID, customerID))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get import ref: %w", err)
	}
	return ref, nil
}

// GetImportRefByExternalID finds the shop's ref by the old platform's id.
func (r repo) GetImportRefByExternalID(ctx context.Context, shopID, externalID string) (*core.ImportRef, error) {
	ref, err := scanImportRef(r.r.QueryRowContext(ctx, `SELECT `+importRefColumns+`
		FROM customer_import_refs WHERE shop_id = ? AND external_id = ?`, shopID, externalID))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get import ref by external id: %w", err)
	}
	return ref, nil
}

func scanImportRef(sc scanner) (*core.ImportRef, error) {
	var (
		ref core.ImportRef
		at  int64
	)
	if err := sc.Scan(&ref.ShopID, &ref.CustomerID, &ref.ExternalID, &ref.Source, &ref.Digest, &ref.RunID, &at); err != nil {
		return nil, translate(err)
	}
	ref.ImportedAt = fromMicros(at)
	return &ref, nil
}

// matchCustomersQuery reads the store's (?1) customers whose normalised
// e-mail is in the JSON list ?2 or whose import ref has an external id in
// the JSON list ?3.
//
// Each way to match is a loop over the batch's list with an index lookup
// per element, and the query says so instead of leaving it to the planner:
//
//   - CROSS JOIN makes the json_each list the outer loop (SQLite never
//     reorders the operands of a CROSS JOIN), so each element is one
//     search of the (shop_id, email_normalized) or (shop_id, external_id)
//     index, whatever the planner thinks of the tables' sizes;
//   - UNION ALL, not UNION: the outer IN already ignores a customer listed
//     twice, and UNION let SQLite 3.54 (modernc v1.62) plan a MERGE of the
//     two sides in id order, reading them through the (shop_id, id) and
//     (shop_id, customer_id) indexes: every customer and every ref of the
//     store for every batch, with a Bloom filter on the list. That made
//     each batch's cost grow with the store and a 1 M-row import slow down
//     as it went (BENCHMARKS.md, customer import). TestMatchQueryPlan
//     checks the plan.
const matchCustomersQuery = `SELECT ` + customerColumns + ` FROM customers WHERE shop_id = ?1 AND id IN (
	SELECT c.id FROM json_each(?2) AS j CROSS JOIN customers AS c
		ON c.shop_id = ?1 AND c.email_normalized = j.value
	UNION ALL
	SELECT r.customer_id FROM json_each(?3) AS j CROSS JOIN customer_import_refs AS r
		ON r.shop_id = ?1 AND r.external_id = j.value)`

// matchRefsQuery reads the store's (?1) refs of the customers in the JSON
// list ?2, again the list as the outer loop.
const matchRefsQuery = `SELECT ` + importRefColumns + ` FROM json_each(?2) AS j
	CROSS JOIN customer_import_refs AS r ON r.shop_id = ?1 AND r.customer_id = j.value`

// FindImportMatches reads the customers matching by external id or e-mail,
// then their refs: two statements for a whole batch.
func (r repo) FindImportMatches(ctx context.Context, shopID string, externalIDs, emails []string) ([]core.ImportMatch, error) {
	ids, err := jsonList(externalIDs)
	if err != nil {
		return nil, err
	}
	mails, err := jsonList(emails)
	if err != nil {
		return nil, err
	}
	rows, err := r.r.QueryContext(ctx, matchCustomersQuery, shopID, mails, ids)
	if err != nil {
		return nil, fmt.Errorf("sqlite: find import matches: %w", translate(err))
	}
	var out []core.ImportMatch
	var customerIDs []string
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("sqlite: find import matches: %w", err)
		}
		out = append(out, core.ImportMatch{Customer: *c})
		customerIDs = append(customerIDs, c.ID)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("sqlite: find import matches: %w", translate(err))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: find import matches: %w", translate(err))
	}
	if len(out) == 0 {
		return nil, nil
	}
	cids, err := jsonList(customerIDs)
	if err != nil {
		return nil, err
	}
	refRows, err := r.r.QueryContext(ctx, matchRefsQuery, shopID, cids)
	if err != nil {
		return nil, fmt.Errorf("sqlite: find import matches: %w", translate(err))
	}
	defer refRows.Close()
	refs := map[string]*core.ImportRef{}
	for refRows.Next() {
		ref, err := scanImportRef(refRows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: find import matches: %w", err)
		}
		refs[ref.CustomerID] = ref
	}
	if err := refRows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: find import matches: %w", translate(err))
	}
	for i := range out {
		out[i].Ref = refs[out[i].Customer.ID]
	}
	return out, nil
}

// WriteImport inserts a batch's rows statement by statement on the one
// writer connection (SQLite has no round trips to save).
func (r repo) WriteImport(ctx context.Context, w *core.ImportWrites) error {
	defaults := make([]core.Customer, 0, len(w.Customers))
	for _, c := range w.Customers {
		bare := c
		bare.DefaultBillingAddressID, bare.DefaultShippingAddressID = "", ""
		if err := r.CreateCustomer(ctx, &bare); err != nil {
			return err
		}
		if c.DefaultBillingAddressID != "" || c.DefaultShippingAddressID != "" {
			defaults = append(defaults, c)
		}
	}
	for i := range w.Addresses {
		if err := r.CreateAddress(ctx, &w.Addresses[i]); err != nil {
			return err
		}
	}
	for _, c := range defaults {
		if err := execOne(ctx, r.w, "write import", `UPDATE customers SET default_billing_address_id = ?,
			default_shipping_address_id = ? WHERE shop_id = ? AND id = ?`,
			nullString(c.DefaultBillingAddressID), nullString(c.DefaultShippingAddressID), c.ShopID, c.ID); err != nil {
			return err
		}
	}
	for i := range w.Refs {
		if err := r.PutImportRef(ctx, &w.Refs[i]); err != nil {
			return err
		}
	}
	for _, m := range w.Members {
		if _, err := r.w.ExecContext(ctx, `INSERT INTO customer_group_members (shop_id, customer_id, group_id) VALUES (?, ?, ?)`,
			m.ShopID, m.CustomerID, m.GroupID); err != nil {
			return fmt.Errorf("sqlite: write import: %w", translate(err))
		}
	}
	for i := range w.Credit {
		if err := r.AppendCredit(ctx, &w.Credit[i]); err != nil {
			return err
		}
	}
	for i := range w.Events {
		if err := r.AppendEvent(ctx, &w.Events[i]); err != nil {
			return err
		}
	}
	return nil
}
