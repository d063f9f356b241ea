package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/core"
)

const wishlistColumns = `id, shop_id, customer_id, name, is_default, is_private, share_token,
	metadata, created_at, updated_at`

const wishlistItemColumns = `id, shop_id, wishlist_id, product_id, variant_id, quantity, note,
	priority, created_at, updated_at`

// CreateWishlist inserts w. A customer missing from w.ShopID is
// core.ErrNotFound (the composite foreign key); a second default list of the
// customer or a taken share token is core.ErrConflict.
func (r repo) CreateWishlist(ctx context.Context, w *core.Wishlist) error {
	meta, err := encodeMetadata(w.Metadata)
	if err != nil {
		return err
	}
	_, err = r.checkedExec(ctx, `INSERT INTO wishlists (`+wishlistColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		w.ID, w.ShopID, w.CustomerID, w.Name, w.IsDefault, w.IsPrivate, nullString(w.ShareToken),
		meta, w.CreatedAt, w.UpdatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create wishlist: %w", translate(err))
	}
	return nil
}

// GetWishlist returns the customer's list; another shop's or another
// customer's is core.ErrNotFound. Inside a transaction it locks the row, so
// core's read-check-write of a list and its items (the item cap, merging a
// duplicate product, moving the default) runs one at a time per list, as
// SQLite's single writer runs it.
func (r repo) GetWishlist(ctx context.Context, shopID, customerID, id string) (*core.Wishlist, error) {
	w, err := scanWishlist(r.q.QueryRow(ctx, `SELECT `+wishlistColumns+` FROM wishlists
		WHERE shop_id = $1 AND customer_id = $2 AND id = $3`+r.forUpdate(), shopID, customerID, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get wishlist: %w", err)
	}
	return w, nil
}

// GetWishlistByShareToken finds the shop's public list with the token. A
// private row never matches, even one that (against core's rules) kept a
// token, so unsharing is what kills a link.
func (r repo) GetWishlistByShareToken(ctx context.Context, shopID, token string) (*core.Wishlist, error) {
	w, err := scanWishlist(r.q.QueryRow(ctx, `SELECT `+wishlistColumns+` FROM wishlists
		WHERE share_token = $1 AND shop_id = $2 AND NOT is_private`, token, shopID))
	if err != nil {
		return nil, fmt.Errorf("postgres: get wishlist by share token: %w", err)
	}
	return w, nil
}

// ListWishlists pages the customer's lists by id (creation order).
func (r repo) ListWishlists(ctx context.Context, shopID, customerID, after string, limit int) ([]core.Wishlist, error) {
	rows, err := r.q.Query(ctx, `SELECT `+wishlistColumns+` FROM wishlists
		WHERE shop_id = $1 AND customer_id = $2 AND id > $3 ORDER BY id LIMIT $4`, shopID, customerID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list wishlists: %w", translate(err))
	}
	defer rows.Close()
	out := []core.Wishlist{}
	for rows.Next() {
		w, err := scanWishlist(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list wishlists: %w", err)
		}
		out = append(out, *w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list wishlists: %w", translate(err))
	}
	return out, nil
}

// CountWishlists counts the customer's lists, for the per-customer cap.
func (r repo) CountWishlists(ctx context.Context, shopID, customerID string) (int, error) {
	var n int
	err := r.q.QueryRow(ctx, `SELECT count(*) FROM wishlists WHERE shop_id = $1 AND customer_id = $2`,
		shopID, customerID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: count wishlists: %w", translate(err))
	}
	return n, nil
}

// UpdateWishlist writes every mutable field of w, matched by shop, customer
// and id. A second default or a taken share token is core.ErrConflict.
func (r repo) UpdateWishlist(ctx context.Context, w *core.Wishlist) error {
	meta, err := encodeMetadata(w.Metadata)
	if err != nil {
		return err
	}
	// Checked: the default flag and the share token are unique.
	tag, err := r.checkedExec(ctx, `UPDATE wishlists SET
		name = $1, is_default = $2, is_private = $3, share_token = $4, metadata = $5, updated_at = $6
		WHERE shop_id = $7 AND customer_id = $8 AND id = $9`,
		w.Name, w.IsDefault, w.IsPrivate, nullString(w.ShareToken), meta, w.UpdatedAt,
		w.ShopID, w.CustomerID, w.ID)
	switch {
	case err != nil:
		return fmt.Errorf("postgres: update wishlist: %w", translate(err))
	case tag.RowsAffected() == 0:
		return fmt.Errorf("postgres: update wishlist: %w", core.ErrNotFound)
	}
	return nil
}

// DeleteWishlist removes the list; the foreign key cascades to its items
// in the same statement.
func (r repo) DeleteWishlist(ctx context.Context, shopID, customerID, id string) error {
	return execOne(ctx, r.q, "delete wishlist",
		`DELETE FROM wishlists WHERE shop_id = $1 AND customer_id = $2 AND id = $3`, shopID, customerID, id)
}

// CreateWishlistItem inserts it. A list missing from it.ShopID is
// core.ErrNotFound; the same product and variant twice in one list is
// core.ErrConflict.
func (r repo) CreateWishlistItem(ctx context.Context, it *core.WishlistItem) error {
	_, err := r.checkedExec(ctx, `INSERT INTO wishlist_items (`+wishlistItemColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		it.ID, it.ShopID, it.WishlistID, it.ProductID, it.VariantID, it.Quantity, it.Note,
		it.Priority, it.CreatedAt, it.UpdatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create wishlist item: %w", translate(err))
	}
	return nil
}

// GetWishlistItem returns an item of the shop's list. Items are scoped by
// list, not by customer: core checks the list is the customer's first.
func (r repo) GetWishlistItem(ctx context.Context, shopID, wishlistID, id string) (*core.WishlistItem, error) {
	it, err := scanWishlistItem(r.q.QueryRow(ctx, `SELECT `+wishlistItemColumns+` FROM wishlist_items
		WHERE shop_id = $1 AND wishlist_id = $2 AND id = $3`, shopID, wishlistID, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get wishlist item: %w", err)
	}
	return it, nil
}

// ListWishlistItems pages a list's items by id (the order they were added).
func (r repo) ListWishlistItems(ctx context.Context, shopID, wishlistID, after string, limit int) ([]core.WishlistItem, error) {
	rows, err := r.q.Query(ctx, `SELECT `+wishlistItemColumns+` FROM wishlist_items
		WHERE wishlist_id = $1 AND shop_id = $2 AND id > $3 ORDER BY id LIMIT $4`, wishlistID, shopID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list wishlist items: %w", translate(err))
	}
	defer rows.Close()
	out := []core.WishlistItem{}
	for rows.Next() {
		it, err := scanWishlistItem(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list wishlist items: %w", err)
		}
		out = append(out, *it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list wishlist items: %w", translate(err))
	}
	return out, nil
}

// CountWishlistItems counts a list's items, for the per-list cap.
func (r repo) CountWishlistItems(ctx context.Context, shopID, wishlistID string) (int, error) {
	var n int
	err := r.q.QueryRow(ctx, `SELECT count(*) FROM wishlist_items WHERE wishlist_id = $1 AND shop_id = $2`,
		wishlistID, shopID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: count wishlist items: %w", translate(err))
	}
	return n, nil
}

// UpdateWishlistItem writes every mutable field of it, matched by shop,
// list and id; moving it onto a product and variant the list already has
// is core.ErrConflict.
func (r repo) UpdateWishlistItem(ctx context.Context, it *core.WishlistItem) error {
	// Checked: (wishlist_id, product_id, variant_id) is unique.
	tag, err := r.checkedExec(ctx, `UPDATE wishlist_items SET
		product_id = $1, variant_id = $2, quantity = $3, note = $4, priority = $5, updated_at = $6
		WHERE shop_id = $7 AND wishlist_id = $8 AND id = $9`,
		it.ProductID, it.VariantID, it.Quantity, it.Note, it.Priority, it.UpdatedAt,
		it.ShopID, it.WishlistID, it.ID)
	switch {
	case err != nil:
		return fmt.Errorf("postgres: update wishlist item: %w", translate(err))
	case tag.RowsAffected() == 0:
		return fmt.Errorf("postgres: update wishlist item: %w", core.ErrNotFound)
	}
	return nil
}

// DeleteWishlistItem removes one item of the shop's list.
func (r repo) DeleteWishlistItem(ctx context.Context, shopID, wishlistID, id string) error {
	return execOne(ctx, r.q, "delete wishlist item",
		`DELETE FROM wishlist_items WHERE shop_id = $1 AND wishlist_id = $2 AND id = $3`, shopID, wishlistID, id)
}

func scanWishlist(row pgx.Row) (*core.Wishlist, error) {
	var (
		w                core.Wishlist
		token            *string
		meta             []byte
		created, updated time.Time
	)
	err := row.Scan(&w.ID, &w.ShopID, &w.CustomerID, &w.Name, &w.IsDefault, &w.IsPrivate, &token,
		&meta, &created, &updated)
	if err != nil {
		return nil, translate(err)
	}
	if w.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	if token != nil {
		w.ShareToken = *token
	}
	w.CreatedAt, w.UpdatedAt = utc(created), utc(updated)
	return &w, nil
}

func scanWishlistItem(row pgx.Row) (*core.WishlistItem, error) {
	var (
		it               core.WishlistItem
		created, updated time.Time
	)
	err := row.Scan(&it.ID, &it.ShopID, &it.WishlistID, &it.ProductID, &it.VariantID, &it.Quantity, &it.Note,
		&it.Priority, &created, &updated)
	if err != nil {
		return nil, translate(err)
	}
	it.CreatedAt, it.UpdatedAt = utc(created), utc(updated)
	return &it, nil
}
