package sqlite

import (
	"context"

	"github.com/clientele/clientele/internal/core"
)

// The wishlists methods of core.WishlistStore are stubs until that area lands.

// CreateWishlist is not implemented yet.
func (r repo) CreateWishlist(_ context.Context, w *core.Wishlist) error {
	return errNotImplemented
}

// GetWishlist is not implemented yet.
func (r repo) GetWishlist(_ context.Context, shopID, customerID, id string) (*core.Wishlist, error) {
	return nil, errNotImplemented
}

// GetWishlistByShareToken is not implemented yet.
func (r repo) GetWishlistByShareToken(_ context.Context, shopID, token string) (*core.Wishlist, error) {
	return nil, errNotImplemented
}

// ListWishlists is not implemented yet.
func (r repo) ListWishlists(_ context.Context, shopID, customerID, after string, limit int) ([]core.Wishlist, error) {
	return nil, errNotImplemented
}

// CountWishlists is not implemented yet.
func (r repo) CountWishlists(_ context.Context, shopID, customerID string) (int, error) {
	return 0, errNotImplemented
}

// UpdateWishlist is not implemented yet.
func (r repo) UpdateWishlist(_ context.Context, w *core.Wishlist) error {
	return errNotImplemented
}

// DeleteWishlist is not implemented yet.
func (r repo) DeleteWishlist(_ context.Context, shopID, customerID, id string) error {
	return errNotImplemented
}

// CreateWishlistItem is not implemented yet.
func (r repo) CreateWishlistItem(_ context.Context, it *core.WishlistItem) error {
	return errNotImplemented
}

// GetWishlistItem is not implemented yet.
func (r repo) GetWishlistItem(_ context.Context, shopID, wishlistID, id string) (*core.WishlistItem, error) {
	return nil, errNotImplemented
}

// ListWishlistItems is not implemented yet.
func (r repo) ListWishlistItems(_ context.Context, shopID, wishlistID, after string, limit int) ([]core.WishlistItem, error) {
	return nil, errNotImplemented
}

// CountWishlistItems is not implemented yet.
func (r repo) CountWishlistItems(_ context.Context, shopID, wishlistID string) (int, error) {
	return 0, errNotImplemented
}

// UpdateWishlistItem is not implemented yet.
func (r repo) UpdateWishlistItem(_ context.Context, it *core.WishlistItem) error {
	return errNotImplemented
}

// DeleteWishlistItem is not implemented yet.
func (r repo) DeleteWishlistItem(_ context.Context, shopID, wishlistID, id string) error {
	return errNotImplemented
}
