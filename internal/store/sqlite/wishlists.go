package sqlite

import (
	"context"
	"database/sql"
	"fmt"

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
	_, err = r.w.ExecContext(ctx, `INSERT INTO wishlists (`+wishlistColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.ID, w.ShopID, w.CustomerID, w.Name, bit(w.IsDefault), bit(w.IsPrivate), nullString(w.ShareToken),
		meta, micros(w.CreatedAt), micros(w.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create wishlist: %w", translate(err))
	}
	return nil
}

// GetWishlist returns the customer's list; another shop's or another
// customer's is core.ErrNotFound. Inside a transaction the single writer
// already serialises it with every other write.
func (r repo) GetWishlist(ctx context.Context, shopID, customerID, id string) (*core.Wishlist, error) {
	w, err := scanWishlist(r.r.QueryRowContext(ctx, `SELECT `+wishlistColumns+` FROM wishlists
		WHERE shop_id = ? AND customer_id = ? AND id = ?`, shopID, customerID, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get wishlist: %w", err)
	}
	return w, nil
}

// GetWishlistByShareToken finds the shop's public list with the token. A
// private row never matches, even one that (against core's rules) kept a
// token, so unsharing is what kills a link.
func (r repo) GetWishlistByShareToken(ctx context.Context, shopID, token string) (*core.Wishlist, error) {
	w, err := scanWishlist(r.r.QueryRowContext(ctx, `SELECT `+wishlistColumns+` FROM wishlists
		WHERE share_token = ? AND shop_id = ? AND is_private = 0`, token, shopID))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get wishlist by share token: %w", err)
	}
	return w, nil
}

// ListWishlists pages the customer's lists by id (creation order).
func (r repo) ListWishlists(ctx context.Context, shopID, customerID, after string, limit int) ([]core.Wishlist, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT `+wishlistColumns+` FROM wishlists
		WHERE shop_id = ? AND customer_id = ? AND id > ? ORDER BY id LIMIT ?`, shopID, customerID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list wishlists: %w", translate(err))
	}
	defer rows.Close()
	out := []core.Wishlist{}
	for rows.Next() {
		w, err := scanWishlist(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list wishlists: %w", err)
		}
		out = append(out, *w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list wishlists: %w", translate(err))
	}
	return out, nil
}

// CountWishlists counts the customer's lists, for the per-customer cap.
func (r repo) CountWishlists(ctx context.Context, shopID, customerID string) (int, error) {
	var n int
	err := r.r.QueryRowContext(ctx, `SELECT count(*) FROM wishlists WHERE shop_id = ? AND customer_id = ?`,
		shopID, customerID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: count wishlists: %w", translate(err))
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
	return execOne(ctx, r.w, "update wishlist", `UPDATE wishlists SET
		name = ?, is_default = ?, is_private = ?, share_token = ?, metadata = ?, updated_at = ?
		WHERE shop_id = ? AND customer_id = ? AND id = ?`,
		w.Name, bit(w.IsDefault), bit(w.IsPrivate), nullString(w.ShareToken), meta, micros(w.UpdatedAt),
		w.ShopID, w.CustomerID, w.ID)
}

// DeleteWishlist removes the list; the foreign key cascades to its items
// in the same statement.
func (r repo) DeleteWishlist(ctx context.Context, shopID, customerID, id string) error {
	return execOne(ctx, r.w, "delete wishlist",
		`DELETE FROM wishlists WHERE shop_id = ? AND customer_id = ? AND id = ?`, shopID, customerID, id)
}

// CreateWishlistItem inserts it. A list missing from it.ShopID is
// core.ErrNotFound; the same product and variant twice in one list is
// core.ErrConflict.
func (r repo) CreateWishlistItem(ctx context.Context, it *core.WishlistItem) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO wishlist_items (`+wishlistItemColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.ID, it.ShopID, it.WishlistID, it.ProductID, it.VariantID, it.Quantity, it.Note,
		it.Priority, micros(it.CreatedAt), micros(it.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create wishlist item: %w", translate(err))
	}
	return nil
}

// GetWishlistItem returns an item of the shop's list. Items are scoped by
// list, not by customer: core checks the list is the customer's first.
func (r repo) GetWishlistItem(ctx context.Context, shopID, wishlistID, id string) (*core.WishlistItem, error) {
	it, err := scanWishlistItem(r.r.QueryRowContext(ctx, `SELECT `+wishlistItemColumns+` FROM wishlist_items
		WHERE shop_id = ? AND wishlist_id = ? AND id = ?`, shopID, wishlistID, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get wishlist item: %w", err)
	}
	return it, nil
}

// ListWishlistItems pages a list's items by id (the order they were added).
func (r repo) ListWishlistItems(ctx context.Context, shopID, wishlistID, after string, limit int) ([]core.WishlistItem, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT `+wishlistItemColumns+` FROM wishlist_items
		WHERE wishlist_id = ? AND shop_id = ? AND id > ? ORDER BY id LIMIT ?`, wishlistID, shopID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list wishlist items: %w", translate(err))
	}
	defer rows.Close()
	out := []core.WishlistItem{}
	for rows.Next() {
		it, err := scanWishlistItem(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list wishlist items: %w", err)
		}
		out = append(out, *it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list wishlist items: %w", translate(err))
	}
	return out, nil
}

// CountWishlistItems counts a list's items, for the per-list cap.
func (r repo) CountWishlistItems(ctx context.Context, shopID, wishlistID string) (int, error) {
	var n int
	err := r.r.QueryRowContext(ctx, `SELECT count(*) FROM wishlist_items WHERE wishlist_id = ? AND shop_id = ?`,
		wishlistID, shopID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: count wishlist items: %w", translate(err))
	}
	return n, nil
}

// UpdateWishlistItem writes every mutable field of it, matched by shop,
// list and id; moving it onto a product and variant the list already has
// is core.ErrConflict.
func (r repo) UpdateWishlistItem(ctx context.Context, it *core.WishlistItem) error {
	return execOne(ctx, r.w, "update wishlist item", `UPDATE wishlist_items SET
		product_id = ?, variant_id = ?, quantity = ?, note = ?, priority = ?, updated_at = ?
		WHERE shop_id = ? AND wishlist_id = ? AND id = ?`,
		it.ProductID, it.VariantID, it.Quantity, it.Note, it.Priority, micros(it.UpdatedAt),
		it.ShopID, it.WishlistID, it.ID)
}

// DeleteWishlistItem removes one item of the shop's list.
func (r repo) DeleteWishlistItem(ctx context.Context, shopID, wishlistID, id string) error {
	return execOne(ctx, r.w, "delete wishlist item",
		`DELETE FROM wishlist_items WHERE shop_id = ? AND wishlist_id = ? AND id = ?`, shopID, wishlistID, id)
}

func scanWishlist(sc scanner) (*core.Wishlist, error) {
	var (
		w                  core.Wishlist
		isDefault, private int64
		token, meta        sql.NullString
		created, updated   int64
	)
	err := sc.Scan(&w.ID, &w.ShopID, &w.CustomerID, &w.Name, &isDefault, &private, &token,
		&meta, &created, &updated)
	if err != nil {
		return nil, translate(err)
	}
	if w.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	w.IsDefault, w.IsPrivate, w.ShareToken = isDefault != 0, private != 0, token.String
	w.CreatedAt, w.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &w, nil
}

func scanWishlistItem(sc scanner) (*core.WishlistItem, error) {
	var (
		it               core.WishlistItem
		created, updated int64
	)
	err := sc.Scan(&it.ID, &it.ShopID, &it.WishlistID, &it.ProductID, &it.VariantID, &it.Quantity, &it.Note,
		&it.Priority, &created, &updated)
	if err != nil {
		return nil, translate(err)
	}
	it.CreatedAt, it.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &it, nil
}
