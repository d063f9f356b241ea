package postgres

import (
	"context"
	"fmt"
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
		WHERE a.num = $1 AND a.kind = 'customer' AND a.shop_id = $2 AND x.id = $3`,
	core.AliasAddress: `SELECT a.target_id FROM aliases a
		JOIN addresses x ON x.shop_id = a.shop_id AND x.id = a.target_id
		WHERE a.num = $1 AND a.kind = 'address' AND a.shop_id = $2 AND x.customer_id = $3`,
	core.AliasOrder: `SELECT a.target_id FROM aliases a
		JOIN orders x ON x.shop_id = a.shop_id AND x.id = a.target_id
		WHERE a.num = $1 AND a.kind = 'order' AND a.shop_id = $2 AND x.customer_id = $3`,
	core.AliasWishlistItem: `SELECT a.target_id FROM aliases a
		JOIN wishlist_items x ON x.shop_id = a.shop_id AND x.id = a.target_id
		JOIN wishlists w ON w.shop_id = x.shop_id AND w.id = x.wishlist_id
		WHERE a.num = $1 AND a.kind = 'wishlist_item' AND a.shop_id = $2 AND w.customer_id = $3`,
	core.AliasGroup: `SELECT a.target_id FROM aliases a
		JOIN customer_groups x ON x.shop_id = a.shop_id AND x.id = a.target_id
		WHERE a.num = $1 AND a.kind = 'group' AND a.shop_id = $2 AND $3 = ''`,
}

// Aliases returns the aliases of the shop's rows of kind among ids.
func (r repo) Aliases(ctx context.Context, shopID string, kind core.AliasKind, ids []string) (map[string]int64, error) {
	out := make(map[string]int64, len(ids))
	rows, err := r.q.Query(ctx, `SELECT target_id, num FROM aliases WHERE shop_id = $1 AND kind = $2 AND target_id = ANY($3)`,
		shopID, string(kind), ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: aliases: %w", translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var num int64
		if err := rows.Scan(&id, &num); err != nil {
			return nil, fmt.Errorf("postgres: aliases: %w", translate(err))
		}
		out[id] = num
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: aliases: %w", translate(err))
	}
	return out, nil
}

// ResolveAlias finds the id of the owner's row of kind numbered num.
func (r repo) ResolveAlias(ctx context.Context, shopID, ownerID string, kind core.AliasKind, num int64) (string, error) {
	q, ok := aliasOwned[kind]
	if !ok || (kind != core.AliasGroup && ownerID == "") {
		return "", fmt.Errorf("postgres: resolve alias: %w", core.ErrNotFound)
	}
	var id string
	if err := r.q.QueryRow(ctx, q, num, shopID, ownerID).Scan(&id); err != nil {
		return "", fmt.Errorf("postgres: resolve alias: %w", translate(err))
	}
	return id, nil
}

// CountShops counts the deployment's stores.
func (r repo) CountShops(ctx context.Context) (int, error) {
	var n int
	if err := r.q.QueryRow(ctx, `SELECT count(*) FROM shops`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count shops: %w", translate(err))
	}
	return n, nil
}

// SetSessionExpiry moves the session's absolute expiry.
func (r repo) SetSessionExpiry(ctx context.Context, shopID, id string, at time.Time) error {
	return execOne(ctx, r.q, "set session expiry",
		`UPDATE sessions SET expires_at = $1 WHERE shop_id = $2 AND id = $3`, at, shopID, id)
}
