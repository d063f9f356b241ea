package sfcc

import (
	"errors"
	"math"
	"net/http"
	"slices"

	"github.com/clientele/clientele/internal/core"
)

// listTypes are SCAPI's product-list types; gift certificates are refused.
var listTypes = []string{"wish_list", "gift_registry", "shopping_list", "custom_1", "custom_2", "custom_3"}

// Metadata keys of a product list's fields without a core column.
const (
	mdListType    = metaPrefix + "type"
	mdListDesc    = metaPrefix + "description"
	mdListUnnamed = metaPrefix + "unnamed"
)

// listObjects are the nested objects kept whole in metadata.
var listObjects = []string{"event", "registrant", "coRegistrant"}

func errInvalidList(detail string) *problem {
	return prob(http.StatusBadRequest, "invalid-product-list", "Invalid Product List", detail)
}

func errListNotFound() *problem { return errNotFound("No product list with this ID could be found.") }

// listPrincipal is the registered principal lists are kept for; guests
// have none yet (contract §5.1: 404 until core stores guest lists).
func listPrincipal(r *http.Request) (*core.Principal, error) {
	p := principalOf(r)
	if !registered(p) {
		return nil, errNotFound("Guest shoppers have no product lists.")
	}
	return p, nil
}

// productListDoc renders a CustomerProductList with its items.
func (a *API) productListDoc(r *http.Request, p *core.Principal, w *core.WishlistView) (map[string]any, error) {
	typ, _ := w.Metadata[mdListType].(string)
	if typ == "" {
		typ = "wish_list"
	}
	d := map[string]any{
		"id": wireID(w.ID), "type": typ, "public": !w.IsPrivate,
		"creationDate": ts(w.CreatedAt), "lastModified": ts(w.UpdatedAt),
	}
	if un, _ := w.Metadata[mdListUnnamed].(bool); !un {
		d["name"] = w.Name
	}
	if s, _ := w.Metadata[mdListDesc].(string); s != "" {
		d["description"] = s
	}
	for _, k := range listObjects {
		if v, ok := w.Metadata[metaPrefix+k]; ok {
			d[k] = v
		}
	}
	items := []map[string]any{}
	pg := core.Page{Limit: 100}
	for {
		page, err := a.svc.WishlistItems(r.Context(), p, w.ID, pg)
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			items = append(items, itemDoc(&page.Items[i]))
		}
		if page.Next == "" {
			break
		}
		pg.Cursor = page.Next
	}
	d["customerProductListItems"] = items
	return d, nil
}

// itemDoc renders a CustomerProductListItem (all six fields always).
func itemDoc(it *core.WishlistItem) map[string]any {
	return map[string]any{
		"id": wireID(it.ID), "productId": it.ProductID, "quantity": it.Quantity, "priority": it.Priority,
		"public": false, "purchasedQuantity": 0, "type": "product",
	}
}

// listInput reads the writable product-list fields into core's shapes.
func listInput(body object, current map[string]any) (name *string, private *bool, md map[string]any, err error) {
	md = map[string]any{}
	for k, v := range current {
		md[k] = v
	}
	if v, ok, bad := body.str("type"); bad || (ok && v != "" && !slices.Contains(listTypes, v)) {
		return nil, nil, nil, errInvalidList("type must be one of wish_list, gift_registry, shopping_list, custom_1, custom_2, custom_3.")
	} else if ok && v != "" {
		md[mdListType] = v
	}
	if v, ok, bad := body.str("name"); bad || tooLong(v, 256) {
		return nil, nil, nil, errInvalidList("name must be a string of at most 256 characters.")
	} else if ok {
		name = &v
	}
	if v, ok, bad := body.str("description"); bad || tooLong(v, 4000) {
		return nil, nil, nil, errInvalidList("description must be a string.")
	} else if ok {
		if v == "" {
			delete(md, mdListDesc)
		} else {
			md[mdListDesc] = v
		}
	}
	if v, ok, bad := body.boolean("public"); bad {
		return nil, nil, nil, errInvalidList("public must be a boolean.")
	} else if ok {
		priv := !v
		private = &priv
	}
	for _, k := range listObjects {
		if !body.has(k) {
			continue
		}
		o, ok := body.obj(k)
		if !ok {
			delete(md, metaPrefix+k)
			continue
		}
		if k == "event" {
			if t, _, _ := o.str("type"); t == "" {
				return nil, nil, nil, errInvalidList("event.type is required.")
			}
		}
		clean := map[string]any{}
		for field, raw := range o {
			var v any
			if err := unmarshal(raw, &v); err == nil {
				if s, isStr := v.(string); isStr && !tooLong(s, 256) {
					clean[field] = s
				}
			}
		}
		md[metaPrefix+k] = clean
	}
	return name, private, md, nil
}

func listError(err error) error {
	var ve *core.ValidationError
	if errors.As(err, &ve) {
		msg := "The product list is invalid."
		if len(ve.Fields) > 0 {
			msg = ve.Fields[0].Message
		}
		return errInvalidList(msg)
	}
	if errors.Is(err, core.ErrNotFound) {
		return errListNotFound()
	}
	return err
}

// getProductLists is getCustomerProductLists: every list, oldest first.
func (a *API) getProductLists(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	data := []map[string]any{}
	if registered(p) {
		pg := core.Page{Limit: 100}
		for {
			page, err := a.svc.Wishlists(r.Context(), p, pg)
			if err != nil {
				return err
			}
			for i := range page.Items {
				d, err := a.productListDoc(r, p, &page.Items[i])
				if err != nil {
					return err
				}
				data = append(data, d)
			}
			if page.Next == "" {
				break
			}
			pg.Cursor = page.Next
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"data": data, "limit": len(data), "total": len(data)})
}

// createProductList is createCustomerProductList: 200 with the list.
func (a *API) createProductList(w http.ResponseWriter, r *http.Request) error {
	p, err := listPrincipal(r)
	if err != nil {
		return err
	}
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	name, private, md, err := listInput(body, nil)
	if err != nil {
		return err
	}
	in := core.NewWishlist{IsPrivate: private, Metadata: md}
	if private == nil {
		t := true // SCAPI lists are private unless made public
		in.IsPrivate = &t
	}
	if name != nil && trimmed(*name) != "" {
		in.Name = *name
	} else {
		in.Name = "wish_list"
		if t, _ := md[mdListType].(string); t != "" {
			in.Name = t
		}
		md[mdListUnnamed] = true
	}
	v, err := a.svc.CreateWishlist(r.Context(), p, in)
	if err != nil {
		return listError(err)
	}
	d, err := a.productListDoc(r, p, v)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// list finds {listId} of the caller.
func (a *API) list(r *http.Request) (*core.Principal, *core.WishlistView, error) {
	p, err := listPrincipal(r)
	if err != nil {
		return nil, nil, err
	}
	v, err := a.svc.Wishlist(r.Context(), p, "wl_"+r.PathValue("listId"))
	if err != nil {
		return nil, nil, listError(err)
	}
	return p, v, nil
}

// getProductList is getCustomerProductList.
func (a *API) getProductList(w http.ResponseWriter, r *http.Request) error {
	p, v, err := a.list(r)
	if err != nil {
		return err
	}
	d, err := a.productListDoc(r, p, v)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// updateProductList is updateCustomerProductList.
func (a *API) updateProductList(w http.ResponseWriter, r *http.Request) error {
	p, v, err := a.list(r)
	if err != nil {
		return err
	}
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	name, private, md, err := listInput(body, v.Metadata)
	if err != nil {
		return err
	}
	u := core.WishlistPatch{IsPrivate: private, Metadata: &md}
	if name != nil {
		if trimmed(*name) == "" {
			md[mdListUnnamed] = true
		} else {
			delete(md, mdListUnnamed)
			u.Name = name
		}
	}
	if v, err = a.svc.UpdateWishlist(r.Context(), p, v.ID, u); err != nil {
		return listError(err)
	}
	d, err := a.productListDoc(r, p, v)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// deleteProductList is deleteCustomerProductList: 204.
func (a *API) deleteProductList(w http.ResponseWriter, r *http.Request) error {
	p, v, err := a.list(r)
	if err != nil {
		return err
	}
	if err := a.svc.DeleteWishlist(r.Context(), p, v.ID); err != nil {
		return listError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// itemFields reads quantity and priority (public is accepted and not kept).
func itemFields(body object) (qty *int, prio *int, err error) {
	if v, ok, bad := body.number("quantity"); bad || (ok && (v <= 0 || v != math.Trunc(v) || v > 10000)) {
		return nil, nil, errInvalidList("quantity must be a whole number greater than 0.")
	} else if ok {
		q := int(v)
		qty = &q
	}
	if v, ok, bad := body.number("priority"); bad || (ok && (v < 0 || v != math.Trunc(v) || v > 1000)) {
		return nil, nil, errInvalidList("priority must be a whole number from 0.")
	} else if ok {
		pr := int(v)
		prio = &pr
	}
	if _, _, bad := body.boolean("public"); bad {
		return nil, nil, errInvalidList("public must be a boolean.")
	}
	return qty, prio, nil
}

// createItem is createCustomerProductListItem: 200; a product already on
// the list grows its quantity.
func (a *API) createItem(w http.ResponseWriter, r *http.Request) error {
	p, v, err := a.list(r)
	if err != nil {
		return err
	}
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	if t, ok, bad := body.str("type"); bad || (ok && t != "" && t != "product") {
		return errInvalidList("Only items of type product are supported.")
	}
	pid, _, bad := body.str("productId")
	if bad || pid == "" || tooLong(pid, 100) {
		return errInvalidList("productId is required (1 to 100 characters).")
	}
	qty, prio, err := itemFields(body)
	if err != nil {
		return err
	}
	it, _, err := a.svc.AddWishlistItem(r.Context(), p, v.ID, core.NewWishlistItem{ProductID: pid, Quantity: qty, Priority: prio})
	if err != nil {
		return listError(err)
	}
	return writeJSON(w, http.StatusOK, itemDoc(it))
}

// item finds {itemId} on {listId}.
func (a *API) item(r *http.Request) (*core.Principal, *core.WishlistView, *core.WishlistItem, error) {
	p, v, err := a.list(r)
	if err != nil {
		return nil, nil, nil, err
	}
	it, err := a.svc.WishlistItem(r.Context(), p, v.ID, "wli_"+r.PathValue("itemId"))
	if err != nil {
		if errors.Is(err, core.ErrNotFound) {
			return nil, nil, nil, errNotFound("No product list item with this ID could be found.")
		}
		return nil, nil, nil, err
	}
	return p, v, it, nil
}

// getItem is getCustomerProductListItem.
func (a *API) getItem(w http.ResponseWriter, r *http.Request) error {
	_, _, it, err := a.item(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemDoc(it))
}

// updateItem is updateCustomerProductListItem.
func (a *API) updateItem(w http.ResponseWriter, r *http.Request) error {
	p, v, it, err := a.item(r)
	if err != nil {
		return err
	}
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	qty, prio, err := itemFields(body)
	if err != nil {
		return err
	}
	it, err = a.svc.UpdateWishlistItem(r.Context(), p, v.ID, it.ID, core.WishlistItemPatch{Quantity: qty, Priority: prio})
	if err != nil {
		return listError(err)
	}
	return writeJSON(w, http.StatusOK, itemDoc(it))
}

// deleteItem is deleteCustomerProductListItem: 204.
func (a *API) deleteItem(w http.ResponseWriter, r *http.Request) error {
	p, v, it, err := a.item(r)
	if err != nil {
		return err
	}
	if err := a.svc.DeleteWishlistItem(r.Context(), p, v.ID, it.ID); err != nil {
		return listError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
