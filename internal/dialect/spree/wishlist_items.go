package spree

import (
	"net/http"

	"github.com/clientele/clientele/internal/core"
)

// Wishlist items can be changed and removed through Spree's routes (items
// added through the native API or another dialect); adding one needs a
// catalogue Variant Clientele cannot render (see createWishlistItem).

type wishlistItemRequest struct {
	Quantity *int `json:"quantity"`
}

func errWishlistItemNotFound() error { return errNotFound("Wishlist item") }

func toWishlistItem(it *core.WishlistItem) WishlistItem {
	return WishlistItem{ID: outID(it.ID, corePrefixItem, spreePrefixItem), VariantID: it.VariantID,
		ProductID: it.ProductID, WishlistID: it.WishlistID, Quantity: it.Quantity}
}

// wishlistOf checks the path's wishlist is the customer's, so an unknown
// list and an unknown item get their own messages.
func (a *API) wishlistOf(r *http.Request) error {
	if _, err := a.svc.Wishlist(r.Context(), principalOf(r), r.PathValue("id")); err != nil {
		return remap(err, errWishlistNotFound(), core.ErrNotFound)
	}
	return nil
}

func (a *API) updateWishlistItem(w http.ResponseWriter, r *http.Request) error {
	var in wishlistItemRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.wishlistOf(r); err != nil {
		return err
	}
	it, err := a.svc.UpdateWishlistItem(r.Context(), principalOf(r), r.PathValue("id"),
		inID(r.PathValue("item_id"), corePrefixItem, spreePrefixItem), core.WishlistItemPatch{Quantity: in.Quantity})
	if err != nil {
		return withFields(remap(err, errWishlistItemNotFound(), core.ErrNotFound), wishlistFields)
	}
	return writeJSON(w, http.StatusOK, toWishlistItem(it))
}

func (a *API) deleteWishlistItem(w http.ResponseWriter, r *http.Request) error {
	if err := a.wishlistOf(r); err != nil {
		return err
	}
	err := a.svc.DeleteWishlistItem(r.Context(), principalOf(r), r.PathValue("id"),
		inID(r.PathValue("item_id"), corePrefixItem, spreePrefixItem))
	if err != nil {
		return remap(err, errWishlistItemNotFound(), core.ErrNotFound)
	}
	return noContent(w)
}
