package bagisto

import (
	"net/http"
	"strconv"

	"github.com/clientele/clientele/internal/core"
)

// wishlistRows renders the default wishlist's items whose product
// reference is a Bagisto product id (a decimal integer); items added
// through other dialects with other references are not shown.
func (a *API) wishlistRows(r *http.Request) ([]row, []core.WishlistItem, error) {
	_, items, err := a.svc.AllDefaultWishlistItems(r.Context(), principalOf(r))
	if err != nil {
		return nil, nil, err
	}
	var kept []core.WishlistItem
	for _, it := range items {
		if _, ok := pathNum(it.ProductID); ok && it.VariantID == "" {
			kept = append(kept, it)
		}
	}
	ids := make([]string, len(kept))
	for i := range kept {
		ids[i] = kept[i].ID
	}
	nums, err := a.svc.Aliases(r.Context(), shopOf(r).ID, core.AliasWishlistItem, ids...)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]row, len(kept))
	for i := range kept {
		rows[i] = row{num: nums[kept[i].ID], created: kept[i].CreatedAt, updated: kept[i].UpdatedAt, view: wishlistItemView(nums[kept[i].ID], &kept[i])}
	}
	return rows, kept, nil
}

// wishlistItemView renders an item (contract §5.5): product carries only
// the id the client sent, since Clientele has no catalogue.
func wishlistItemView(num int64, it *core.WishlistItem) obj {
	pid, _ := strconv.ParseInt(it.ProductID, 10, 64)
	return obj{{"id", num}, {"product", obj{{"id", pid}}}, {"created_at", ts(it.CreatedAt)}, {"updated_at", ts(it.UpdatedAt)}}
}

func (a *API) listWishlist(w http.ResponseWriter, r *http.Request) error {
	rows, _, err := a.wishlistRows(r)
	if err != nil {
		return err
	}
	sortRows(r, rows, false)
	if isV1(r) {
		return ok(w, obj{{"data", views(rows)}})
	}
	return ok(w, paginate(r, rows))
}

func (a *API) toggleWishlist(w http.ResponseWriter, r *http.Request) error {
	pid, valid := pathNum(r.PathValue("product_id"))
	if !valid {
		return errNotFound()
	}
	v1 := isV1(r)
	it, added, err := a.svc.ToggleWishlistProduct(r.Context(), principalOf(r), strconv.FormatInt(pid, 10))
	if err != nil {
		return (&laravel{v1: v1}).coreFields(err, map[string]string{"items": "product_id", "product_id": "product_id", "wishlist": "product_id"})
	}
	if !added {
		if !v1 {
			return ok(w, obj{{"data", nil}, {"message", "Item removed from wishlist successfully."}})
		}
		rows, _, err := a.wishlistRows(r)
		if err != nil {
			return err
		}
		sortRows(r, rows, false)
		return ok(w, obj{{"data", views(rows)}, {"message", "Item Successfully Removed From Wishlist."}})
	}
	nums, err := a.svc.Aliases(r.Context(), shopOf(r).ID, core.AliasWishlistItem, it.ID)
	if err != nil {
		return err
	}
	msg := "Item Successfully Added To Wishlist"
	if v1 {
		msg += "."
	}
	return ok(w, obj{{"data", wishlistItemView(nums[it.ID], it)}, {"message", msg}})
}

func (a *API) removeWishlistItem(w http.ResponseWriter, r *http.Request) error {
	num, valid := pathNum(r.PathValue("id"))
	if !valid {
		return errNotFound()
	}
	p := principalOf(r)
	id, err := a.svc.ResolveMine(r.Context(), p, core.AliasWishlistItem, num)
	if err != nil {
		return err
	}
	_, items, err := a.wishlistRows(r)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.ID == id {
			if err := a.svc.DeleteWishlistItem(r.Context(), p, it.WishlistID, it.ID); err != nil {
				return err
			}
			return ok(w, obj{{"message", "Item removed successfully."}})
		}
	}
	return errNotFound()
}

func (a *API) clearWishlist(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.ClearDefaultWishlist(r.Context(), principalOf(r)); err != nil {
		return err
	}
	return ok(w, obj{{"message", "Item Successfully Removed From Wishlist."}})
}
