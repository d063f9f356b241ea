package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

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
	_, err = r.w.ExecContext(ctx, `INSERT INTO customer_groups (`+groupColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		g.ID, g.ShopID, g.Name, g.Description, meta, micros(g.CreatedAt), micros(g.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create group: %w", translate(err))
	}
	return nil
}

// GetGroup returns the shop's group id; another shop's is core.ErrNotFound.
func (r repo) GetGroup(ctx context.Context, shopID, id string) (*core.CustomerGroup, error) {
	g, err := scanGroup(r.r.QueryRowContext(ctx,
		`SELECT `+groupColumns+` FROM customer_groups WHERE shop_id = ? AND id = ?`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get group: %w", err)
	}
	return g, nil
}

// ListGroups pages the shop's groups by id.
func (r repo) ListGroups(ctx context.Context, shopID, after string, limit int) ([]core.CustomerGroup, error) {
	return queryGroups(ctx, r.r, "list groups", `SELECT `+groupColumns+` FROM customer_groups
		WHERE shop_id = ? AND id > ? ORDER BY id LIMIT ?`, shopID, after, limit)
}

// UpdateGroup writes name, description, metadata and UpdatedAt; a name
// another group of the shop has is core.ErrConflict.
func (r repo) UpdateGroup(ctx context.Context, g *core.CustomerGroup) error {
	meta, err := encodeMetadata(g.Metadata)
	if err != nil {
		return err
	}
	return execOne(ctx, r.w, "update group", `UPDATE customer_groups SET
		name = ?, description = ?, metadata = ?, updated_at = ? WHERE shop_id = ? AND id = ?`,
		g.Name, g.Description, meta, micros(g.UpdatedAt), g.ShopID, g.ID)
}

// DeleteGroup removes the group; its memberships go with it through the
// foreign key.
func (r repo) DeleteGroup(ctx context.Context, shopID, id string) error {
	return execOne(ctx, r.w, "delete group", `DELETE FROM customer_groups WHERE shop_id = ? AND id = ?`, shopID, id)
}

// SetCustomerGroups replaces the customer's memberships with groupIDs
// (duplicates count once). The customer and every group must be the
// shop's, or it is core.ErrNotFound and nothing changes: both are checked
// before the first write, and the writes run in one transaction (the
// caller's, or one of its own).
func (r repo) SetCustomerGroups(ctx context.Context, shopID, customerID string, groupIDs []string) error {
	ids := slices.Compact(slices.Sorted(slices.Values(groupIDs)))
	if ids == nil {
		ids = []string{} // JSON [], not null: json_each would read null as one value
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("sqlite: set customer groups: %w", err)
	}
	err = withGroupsTx(ctx, r.w, func(q querier) error {
		ok, err := exists(ctx, q, `SELECT 1 FROM customers WHERE shop_id = ? AND id = ?`, shopID, customerID)
		if err != nil {
			return err
		}
		var found int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM customer_groups
			WHERE shop_id = ? AND id IN (SELECT value FROM json_each(?))`, shopID, string(list)).Scan(&found); err != nil {
			return translate(err)
		}
		if !ok || found != len(ids) {
			return core.ErrNotFound
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM customer_group_members WHERE shop_id = ? AND customer_id = ?`,
			shopID, customerID); err != nil {
			return translate(err)
		}
		_, err = q.ExecContext(ctx, `INSERT INTO customer_group_members (shop_id, customer_id, group_id)
			SELECT ?, ?, value FROM json_each(?)`, shopID, customerID, string(list))
		return translate(err)
	})
	if err != nil {
		return fmt.Errorf("sqlite: set customer groups: %w", err)
	}
	return nil
}

// CustomerGroups lists the customer's groups by id; a customer of another
// shop has none here. The customer's memberships drive the join (CROSS
// JOIN: SQLite keeps that order) and come in group id order from their
// primary key: with a plain JOIN and ORDER BY g.id, SQLite walked every
// group of the store to avoid a sort, on every token-authenticated read.
func (r repo) CustomerGroups(ctx context.Context, shopID, customerID string) ([]core.CustomerGroup, error) {
	return queryGroups(ctx, r.r, "customer groups", `SELECT g.id, g.shop_id, g.name, g.description, g.metadata,
		g.created_at, g.updated_at
		FROM customer_group_members m CROSS JOIN customer_groups g ON g.id = m.group_id AND g.shop_id = m.shop_id
		WHERE m.shop_id = ? AND m.customer_id = ? ORDER BY m.group_id`, shopID, customerID)
}

// withGroupsTx runs fn on w when w is already a transaction, and otherwise
// in a transaction of its own on the writer pool, so a write of several
// statements is all or nothing either way.
func withGroupsTx(ctx context.Context, w querier, fn func(q querier) error) error {
	c, ok := w.(*stmtCache)
	if !ok {
		return fn(w)
	}
	return c.inTx(ctx, fn)
}

func queryGroups(ctx context.Context, q querier, op, query string, args ...any) ([]core.CustomerGroup, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", op, translate(err))
	}
	defer rows.Close()
	out := []core.CustomerGroup{}
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", op, err)
		}
		out = append(out, *g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", op, translate(err))
	}
	return out, nil
}

func scanGroup(sc scanner) (*core.CustomerGroup, error) {
	var (
		g                core.CustomerGroup
		meta             sql.NullString
		created, updated int64
	)
	if err := sc.Scan(&g.ID, &g.ShopID, &g.Name, &g.Description, &meta, &created, &updated); err != nil {
		return nil, translate(err)
	}
	var err error
	if g.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	g.CreatedAt, g.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &g, nil
}
