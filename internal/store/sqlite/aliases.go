package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// aliasOwned joins an alias to its row and the row's owner, per kind: the
// lookup answers only when the live row still belongs to the owner named
// (an order claimed by another customer, or a deleted address, misses).
// Each query takes (num, shop_id, owner).
var aliasOwned = map[core.AliasKind]string{
	core.AliasCustomer: `SELECT a.target_id FROM aliases a
		JOIN customers x ON x.shop_id = a.shop_id AND x.id = a.target_id
		WHERE a.num = ? AND a.kind = 'customer' AND a.shop_id = ? AND x.id = ?`,
	core.AliasAddress: `SELECT a.target_id FROM aliases a
		JOIN addresses x ON x.shop_id = a.shop_id AND x.id = a.target_id
		WHERE a.num = ? AND a.kind = 'address' AND a.shop_id = ? AND x.customer_id = ?`,
	core.AliasOrder: `SELECT a.target_id FROM aliases a
		JOIN orders x ON x.shop_id = a.shop_id AND x.id = a.target_id
		WHERE a.num = ? AND a.kind = 'order' AND a.shop_id = ? AND x.customer_id = ?`,
	core.AliasWishlistItem: `SELECT a.target_id FROM aliases a
		JOIN wishlist_items x ON x.shop_id = a.shop_id AND x.id = a.target_id
		JOIN wishlists w ON w.shop_id = x.shop_id AND w.id = x.wishlist_id
		WHERE a.num = ? AND a.kind = 'wishlist_item' AND a.shop_id = ? AND w.customer_id = ?`,
	core.AliasGroup: `SELECT a.target_id FROM aliases a
		JOIN customer_groups x ON x.shop_id = a.shop_id AND x.id = a.target_id
		WHERE a.num = ? AND a.kind = 'group' AND a.shop_id = ? AND ? = ''`,
}

// aliasBatch bounds the ids of one IN list (SQLite allows 32766
// parameters; lists are a page long anyway).
const aliasBatch = 500

// Aliases returns the aliases of the shop's rows of kind among ids.
func (r repo) Aliases(ctx context.Context, shopID string, kind core.AliasKind, ids []string) (map[string]int64, error) {
	out := make(map[string]int64, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), aliasBatch)
		args := []any{shopID, string(kind)}
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		rows, err := r.r.QueryContext(ctx, `SELECT target_id, num FROM aliases WHERE shop_id = ? AND kind = ? AND target_id IN (?`+
			strings.Repeat(", ?", n-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: aliases: %w", translate(err))
		}
		for rows.Next() {
			var id string
			var num int64
			if err := rows.Scan(&id, &num); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: aliases: %w", translate(err))
			}
			out[id] = num
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("sqlite: aliases: %w", translate(err))
		}
		ids = ids[n:]
	}
	return out, nil
}

// ResolveAlias finds the id of the owner's row of kind numbered num.
func (r repo) ResolveAlias(ctx context.Context, shopID, ownerID string, kind core.AliasKind, num int64) (string, error) {
	q, ok := aliasOwned[kind]
	if !ok || (kind != core.AliasGroup && ownerID == "") {
		return "", fmt.Errorf("sqlite: resolve alias: %w", core.ErrNotFound)
	}
	var id string
	err := r.r.QueryRowContext(ctx, q, num, shopID, ownerID).Scan(&id)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("sqlite: resolve alias: %w", core.ErrNotFound)
		}
		return "", fmt.Errorf("sqlite: resolve alias: %w", translate(err))
	}
	return id, nil
}

// CountShops counts the deployment's stores.
func (r repo) CountShops(ctx context.Context) (int, error) {
	var n int
	if err := r.r.QueryRowContext(ctx, `SELECT count(*) FROM shops`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count shops: %w", translate(err))
	}
	return n, nil
}

// SetSessionExpiry moves the session's absolute expiry.
func (r repo) SetSessionExpiry(ctx context.Context, shopID, id string, at time.Time) error {
	return execOne(ctx, r.w, "set session expiry",
		`UPDATE sessions SET expires_at = ? WHERE shop_id = ? AND id = ?`, micros(at), shopID, id)
}
