package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/core"
)

const groupColumns = `id, shop_id, name, description, metadata, created_at, updated_at`

// CreateGroup inserts g. The unique (shop_id, name) index makes a taken
// name core.ErrConflict without a check-then-insert race; an unknown shop
// is core.ErrNotFound.
func (r repo) CreateGroup(ctx context.Context, g *core.CustomerGroup) error {
	meta, err := encodeMetadata(g.Metadata)
	if err != nil {
		return err
	}
	_, err = r.checkedExec(ctx, `INSERT INTO customer_groups (`+groupColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		g.ID, g.ShopID, g.Name, g.Description, meta, g.CreatedAt, g.UpdatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create group: %w", translate(err))
	}
	return nil
}

// GetGroup returns the shop's group id; another shop's is core.ErrNotFound.
func (r repo) GetGroup(ctx context.Context, shopID, id string) (*core.CustomerGroup, error) {
	g, err := scanGroup(r.q.QueryRow(ctx,
		`SELECT `+groupColumns+` FROM customer_groups WHERE shop_id = $1 AND id = $2`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get group: %w", err)
	}
	return g, nil
}

// ListGroups pages the shop's groups by id.
func (r repo) ListGroups(ctx context.Context, shopID, after string, limit int) ([]core.CustomerGroup, error) {
	return queryGroups(ctx, r.q, "list groups", `SELECT `+groupColumns+` FROM customer_groups
		WHERE shop_id = $1 AND id > $2 ORDER BY id LIMIT $3`, shopID, after, limit)
}

// UpdateGroup writes name, description, metadata and UpdatedAt; a name
// another group of the shop has is core.ErrConflict.
func (r repo) UpdateGroup(ctx context.Context, g *core.CustomerGroup) error {
	meta, err := encodeMetadata(g.Metadata)
	if err != nil {
		return err
	}
	// Checked: the new name may be taken.
	tag, err := r.checkedExec(ctx, `UPDATE customer_groups SET
		name = $1, description = $2, metadata = $3, updated_at = $4 WHERE shop_id = $5 AND id = $6`,
		g.Name, g.Description, meta, g.UpdatedAt, g.ShopID, g.ID)
	switch {
	case err != nil:
		return fmt.Errorf("postgres: update group: %w", translate(err))
	case tag.RowsAffected() == 0:
		return fmt.Errorf("postgres: update group: %w", core.ErrNotFound)
	}
	return nil
}

// DeleteGroup removes the group; its memberships go with it through the
// foreign key.
func (r repo) DeleteGroup(ctx context.Context, shopID, id string) error {
	return execOne(ctx, r.q, "delete group", `DELETE FROM customer_groups WHERE shop_id = $1 AND id = $2`, shopID, id)
}

// SetCustomerGroups replaces the customer's memberships with groupIDs
// (duplicates count once). The customer and every group must be the
// shop's, or it is core.ErrNotFound and nothing changes: both are checked
// before the first write, and the writes run in one transaction (the
// caller's, or one of its own).
func (r repo) SetCustomerGroups(ctx context.Context, shopID, customerID string, groupIDs []string) error {
	ids := slices.Compact(slices.Sorted(slices.Values(groupIDs)))
	if ids == nil {
		ids = []string{} // pgx would send a nil slice as NULL
	}
	err := r.withGroupsTx(ctx, func(t repo) error {
		// The customer's row lock serialises replacements: without it two
		// concurrent calls could each delete the rows they saw and both
		// insert, leaving a mix of the two sets.
		ok, err := exists(ctx, t.q, `SELECT 1 FROM customers WHERE shop_id = $1 AND id = $2 FOR UPDATE`, shopID, customerID)
		if err != nil {
			return err
		}
		var found int
		if err := t.q.QueryRow(ctx, `SELECT count(*) FROM customer_groups WHERE shop_id = $1 AND id = ANY($2)`,
			shopID, ids).Scan(&found); err != nil {
			return translate(err)
		}
		if !ok || found != len(ids) {
			return core.ErrNotFound
		}
		if _, err := t.q.Exec(ctx, `DELETE FROM customer_group_members WHERE shop_id = $1 AND customer_id = $2`,
			shopID, customerID); err != nil {
			return translate(err)
		}
		// Checked: a group deleted since the count fails the foreign key,
		// and the caller's transaction must stay usable.
		_, err = t.checkedExec(ctx, `INSERT INTO customer_group_members (shop_id, customer_id, group_id)
			SELECT $1, $2, unnest($3::text[])`, shopID, customerID, ids)
		return translate(err)
	})
	if err != nil {
		return fmt.Errorf("postgres: set customer groups: %w", err)
	}
	return nil
}

// CustomerGroups lists the customer's groups by id; a customer of another
// shop has none here.
func (r repo) CustomerGroups(ctx context.Context, shopID, customerID string) ([]core.CustomerGroup, error) {
	return queryGroups(ctx, r.q, "customer groups", `SELECT g.id, g.shop_id, g.name, g.description, g.metadata,
		g.created_at, g.updated_at
		FROM customer_group_members m JOIN customer_groups g ON g.shop_id = m.shop_id AND g.id = m.group_id
		WHERE m.shop_id = $1 AND m.customer_id = $2 ORDER BY g.id`, shopID, customerID)
}

// withGroupsTx runs fn on r when r is already in a transaction, and
// otherwise in a READ COMMITTED transaction of its own, so a write of
// several statements is all or nothing either way.
func (r repo) withGroupsTx(ctx context.Context, fn func(t repo) error) error {
	if r.inTx {
		return fn(r)
	}
	db, ok := r.q.(interface {
		BeginTx(context.Context, pgx.TxOptions) (pgx.Tx, error)
	})
	if !ok {
		return fmt.Errorf("postgres: %T cannot begin a transaction", r.q)
	}
	tx, err := db.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return translate(err)
	}
	if err := fn(repo{q: tx, inTx: true}); err != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
		defer cancel()
		_ = tx.Rollback(rctx)
		return err
	}
	return translate(tx.Commit(ctx))
}

func queryGroups(ctx context.Context, q querier, op, sql string, args ...any) ([]core.CustomerGroup, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, translate(err))
	}
	defer rows.Close()
	out := []core.CustomerGroup{}
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", op, err)
		}
		out = append(out, *g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, translate(err))
	}
	return out, nil
}

func scanGroup(row pgx.Row) (*core.CustomerGroup, error) {
	var (
		g    core.CustomerGroup
		meta []byte
	)
	if err := row.Scan(&g.ID, &g.ShopID, &g.Name, &g.Description, &meta, &g.CreatedAt, &g.UpdatedAt); err != nil {
		return nil, translate(err)
	}
	var err error
	if g.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	g.CreatedAt, g.UpdatedAt = utc(g.CreatedAt), utc(g.UpdatedAt)
	return &g, nil
}
