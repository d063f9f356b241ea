package httpapi

import (
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

func (a *API) listWishlists(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	lists, err := a.svc.Wishlists(r.Context(), principalOf(r), pg)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(lists, toWishlist))
}

func (a *API) createWishlist(w http.ResponseWriter, r *http.Request) error {
	var in createWishlistRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	wl, err := a.svc.CreateWishlist(r.Context(), principalOf(r), core.NewWishlist{
		Name: in.Name, IsDefault: in.IsDefault, IsPrivate: in.IsPrivate, Metadata: in.Metadata,
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, toWishlist(*wl))
}

func (a *API) getWishlist(w http.ResponseWriter, r *http.Request) error {
	wl, err := a.svc.Wishlist(r.Context(), principalOf(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toWishlist(*wl))
}

func (a *API) patchWishlist(w http.ResponseWriter, r *http.Request) error {
	var in patchWishlistRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	wl, err := a.svc.UpdateWishlist(r.Context(), principalOf(r), r.PathValue("id"), core.WishlistPatch{
		Name: in.Name, IsDefault: in.IsDefault, IsPrivate: in.IsPrivate, Metadata: in.Metadata,
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toWishlist(*wl))
}

func (a *API) deleteWishlist(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.DeleteWishlist(r.Context(), principalOf(r), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) listWishlistItems(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	items, err := a.svc.WishlistItems(r.Context(), principalOf(r), r.PathValue("id"), pg)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(items, toWishlistItem))
}

// addWishlistItem answers 201 with a new item, or 200 with the existing
// item of the same product and variant, whose quantity grew.
func (a *API) addWishlistItem(w http.ResponseWriter, r *http.Request) error {
	var in addWishlistItemRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	it, created, err := a.svc.AddWishlistItem(r.Context(), principalOf(r), r.PathValue("id"), core.NewWishlistItem{
		ProductID: in.ProductID, VariantID: in.VariantID, Quantity: in.Quantity, Note: in.Note, Priority: in.Priority,
	})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return httpx.WriteJSON(w, status, toWishlistItem(*it))
}

func (a *API) getWishlistItem(w http.ResponseWriter, r *http.Request) error {
	it, err := a.svc.WishlistItem(r.Context(), principalOf(r), r.PathValue("id"), r.PathValue("item_id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toWishlistItem(*it))
}

func (a *API) patchWishlistItem(w http.ResponseWriter, r *http.Request) error {
	var in patchWishlistItemRequest
	if err := httpx.DecodeJSON(w, r, &in, 0); err != nil {
		return err
	}
	it, err := a.svc.UpdateWishlistItem(r.Context(), principalOf(r), r.PathValue("id"), r.PathValue("item_id"), core.WishlistItemPatch{
		Quantity: in.Quantity, Note: in.Note, Priority: in.Priority,
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toWishlistItem(*it))
}

func (a *API) deleteWishlistItem(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.DeleteWishlistItem(r.Context(), principalOf(r), r.PathValue("id"), r.PathValue("item_id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sharedWishlist serves a public list by its share token; ?limit and
// ?cursor page its items.
func (a *API) sharedWishlist(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	wl, items, err := a.svc.SharedWishlist(r.Context(), shopOf(r).ID, r.PathValue("token"), pg)
	if err != nil {
		return err
	}
	page := listOf(items, toWishlistItem)
	return httpx.WriteJSON(w, http.StatusOK, sharedWishlistJSON{
		ID: wl.ID, Name: wl.Name, ItemCount: wl.ItemCount, CreatedAt: stamp(wl.CreatedAt), UpdatedAt: stamp(wl.UpdatedAt),
		Items: page.Data, NextCursor: page.NextCursor,
	})
}
