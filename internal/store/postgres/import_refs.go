package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/core"
)

const importRefColumns = `shop_id, customer_id, external_id, source, digest, run_id, imported_at`

// PutImportRef inserts or replaces the customer's ref. The unique
// (shop_id, external_id) index makes an id another customer holds
// core.ErrConflict; the foreign key makes another shop's customer
// core.ErrNotFound.
func (r repo) PutImportRef(ctx context.Context, ref *core.ImportRef) error {
	_, err := r.checkedExec(ctx, `INSERT INTO customer_import_refs (`+importRefColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (shop_id, customer_id) DO UPDATE SET external_id = excluded.external_id,
			source = excluded.source, digest = excluded.digest, run_id = excluded.run_id, imported_at = excluded.imported_at`,
		ref.ShopID, ref.CustomerID, ref.ExternalID, ref.Source, ref.Digest, ref.RunID, ref.ImportedAt)
	if err != nil {
		return fmt.Errorf("postgres: put import ref: %w", translate(err))
	}
	return nil
}

// GetImportRef returns the ref of the shop's customer.
func (r repo) GetImportRef(ctx context.Context, shopID, customerID string) (*core.ImportRef, error) {
	ref, err := scanImportRef(r.q.QueryRow(ctx, `SELECT `+importRefColumns+`
		FROM customer_import_refs WHERE shop_id = $1 AND customer_id = $2`, shopID, customerID))
	if err != nil {
		return nil, fmt.Errorf("postgres: get import ref: %w", err)
	}
	return ref, nil
}

// GetImportRefByExternalID finds the shop's ref by the old platform's id.
func (r repo) GetImportRefByExternalID(ctx context.Context, shopID, externalID string) (*core.ImportRef, error) {
	ref, err := scanImportRef(r.q.QueryRow(ctx, `SELECT `+importRefColumns+`
		FROM customer_import_refs WHERE shop_id = $1 AND external_id = $2`, shopID, externalID))
	if err != nil {
		return nil, fmt.Errorf("postgres: get import ref by external id: %w", err)
	}
	return ref, nil
}

func scanImportRef(row pgx.Row) (*core.ImportRef, error) {
	var ref core.ImportRef
	if err := row.Scan(&ref.ShopID, &ref.CustomerID, &ref.ExternalID, &ref.Source, &ref.Digest, &ref.RunID, &ref.ImportedAt); err != nil {
		return nil, translate(err)
	}
	ref.ImportedAt = utc(ref.ImportedAt)
	return &ref, nil
}
