package httpapi

import "github.com/clientele/clientele/internal/core"

// wishlistJSON is the /v1 wishlist resource. share_token is null while the
// list is private.
type wishlistJSON struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	IsDefault  bool           `json:"is_default"`
	IsPrivate  bool           `json:"is_private"`
	ShareToken *string        `json:"share_token"`
	Metadata   map[string]any `json:"metadata"`
	ItemCount  int            `json:"item_count"`
	CreatedAt  string         `json:"created_at"`
	UpdatedAt  string         `json:"updated_at"`
}

func toWishlist(w core.WishlistView) wishlistJSON {
	md := w.Metadata
	if md == nil {
		md = map[string]any{}
	}
	return wishlistJSON{
		ID: w.ID, Name: w.Name, IsDefault: w.IsDefault, IsPrivate: w.IsPrivate, ShareToken: nullable(w.ShareToken),
		Metadata: md, ItemCount: w.ItemCount, CreatedAt: stamp(w.CreatedAt), UpdatedAt: stamp(w.UpdatedAt),
	}
}

// wishlistItemJSON is one product on a list; optional text is null when unset.
type wishlistItemJSON struct {
	ID         string  `json:"id"`
	WishlistID string  `json:"wishlist_id"`
	ProductID  string  `json:"product_id"`
	VariantID  *string `json:"variant_id"`
	Quantity   int     `json:"quantity"`
	Note       *string `json:"note"`
	Priority   int     `json:"priority"`
	CreatedAt  string  `json:"created_at"`
	UpdatedAt  string  `json:"updated_at"`
}

func toWishlistItem(it core.WishlistItem) wishlistItemJSON {
	return wishlistItemJSON{
		ID: it.ID, WishlistID: it.WishlistID, ProductID: it.ProductID, VariantID: nullable(it.VariantID),
		Quantity: it.Quantity, Note: nullable(it.Note), Priority: it.Priority,
		CreatedAt: stamp(it.CreatedAt), UpdatedAt: stamp(it.UpdatedAt),
	}
}

// sharedWishlistJSON is a public list as anyone with its link sees it: no
// owner, no default flag, no metadata (dialects keep registrant e-mails
// there) and no token (the reader has it), plus one page of items.
type sharedWishlistJSON struct {
	ID         string             `json:"id"`
	Name       string             `json:"name"`
	ItemCount  int                `json:"item_count"`
	CreatedAt  string             `json:"created_at"`
	UpdatedAt  string             `json:"updated_at"`
	Items      []wishlistItemJSON `json:"items"`
	NextCursor *string            `json:"next_cursor"`
}

type createWishlistRequest struct {
	Name      string         `json:"name"`
	IsDefault bool           `json:"is_default"`
	IsPrivate *bool          `json:"is_private"`
	Metadata  map[string]any `json:"metadata"`
}

type patchWishlistRequest struct {
	Name      *string         `json:"name"`
	IsDefault *bool           `json:"is_default"`
	IsPrivate *bool           `json:"is_private"`
	Metadata  *map[string]any `json:"metadata"`
}

type addWishlistItemRequest struct {
	ProductID string  `json:"product_id"`
	VariantID string  `json:"variant_id"`
	Quantity  *int    `json:"quantity"`
	Note      *string `json:"note"`
	Priority  *int    `json:"priority"`
}

type patchWishlistItemRequest struct {
	Quantity *int    `json:"quantity"`
	Note     *string `json:"note"`
	Priority *int    `json:"priority"`
}
