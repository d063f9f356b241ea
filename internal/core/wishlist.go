package core

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// Wishlist events. Their data names the customer and, for items, the list
// and product; never the share token, which is a link to the list.
const (
	EventWishlistCreated     = "wishlist.created"
	EventWishlistUpdated     = "wishlist.updated"
	EventWishlistDeleted     = "wishlist.deleted"
	EventWishlistItemAdded   = "wishlist.item_added"
	EventWishlistItemUpdated = "wishlist.item_updated"
	EventWishlistItemRemoved = "wishlist.item_removed"
)

// Wishlist bounds. Priorities follow SFCC product-list items (0 = none,
// 1 = highest … 5 = lowest); the other bounds keep a row small.
const (
	maxWishlistName       = 100
	maxWishlistProductRef = 255
	maxWishlistNote       = 1000
	maxWishlistQuantity   = 10000
	maxWishlistPriority   = 5
	// DefaultWishlistName names a default list core creates on first use.
	DefaultWishlistName = "Wishlist"
	// wishlistShareTokenBytes is 192 random bits, above the 128 a share link
	// needs to be unguessable.
	wishlistShareTokenBytes = 24
	// wishlistShareTokenPrefix marks share tokens in logs and secret scanners.
	wishlistShareTokenPrefix = "wls_"
)

// wishlistLimitReached is the field error code of a full collection (the
// documented caps of Config.Caps): 422, nothing stored. Every capped area
// should answer this code; it belongs in codes.go once they share it.
const wishlistLimitReached = "limit_reached"

// WishlistView is a list as every surface shows it: the row plus the number
// of items on it.
type WishlistView struct {
	Wishlist
	ItemCount int
}

// NewWishlist is the input of CreateWishlist.
type NewWishlist struct {
	Name string
	// IsDefault makes the new list the customer's default. The first list
	// of a customer is the default whatever this says.
	IsDefault bool
	// IsPrivate nil means private: sharing is opt-in.
	IsPrivate *bool
	Metadata  map[string]any
}

// WishlistPatch is a partial update of a list; nil leaves a field as is.
type WishlistPatch struct {
	Name *string
	// IsDefault true moves the default flag here. False on the default list
	// is refused: a customer with lists always has one default, which
	// changes by making another list the default (or deleting this one).
	IsDefault *bool
	// IsPrivate false publishes the list under a new share token; true
	// clears the token, so every link handed out stops working.
	IsPrivate *bool
	Metadata  *map[string]any // replaces the whole object
}

// NewWishlistItem is the input of AddWishlistItem.
type NewWishlistItem struct {
	ProductID string // required; the store's opaque reference
	VariantID string // optional
	Quantity  *int   // nil means 1
	Note      *string
	Priority  *int // nil means 0 (none)
}

// WishlistItemPatch is a partial update of an item. Product and variant are
// the item's identity in its list: change them by removing and adding.
type WishlistItemPatch struct {
	Quantity *int
	Note     *string
	Priority *int
}

func (in NewWishlist) validate() error {
	var f fields
	f.required("name", in.Name, maxWishlistName)
	f.metadata("metadata", in.Metadata)
	return f.err()
}

func (u WishlistPatch) validate() error {
	var f fields
	if u.Name != nil {
		f.required("name", *u.Name, maxWishlistName)
	}
	if u.Metadata != nil {
		f.metadata("metadata", *u.Metadata)
	}
	return f.err()
}

// wishlistItemFields validates the mutable fields of an item.
func (f *fields) wishlistItemFields(quantity *int, note *string, priority *int) {
	if quantity != nil && (*quantity < 1 || *quantity > maxWishlistQuantity) {
		f.add("quantity", FieldInvalid, "quantity must be between 1 and "+strconv.Itoa(maxWishlistQuantity))
	}
	if note != nil {
		f.text("note", *note, maxWishlistNote)
	}
	if priority != nil && (*priority < 0 || *priority > maxWishlistPriority) {
		f.add("priority", FieldInvalid, "priority must be between 0 and "+strconv.Itoa(maxWishlistPriority))
	}
}

func (in NewWishlistItem) validate() error {
	var f fields
	f.required("product_id", in.ProductID, maxWishlistProductRef)
	f.text("variant_id", in.VariantID, maxWishlistProductRef)
	f.wishlistItemFields(in.Quantity, in.Note, in.Priority)
	return f.err()
}

func (u WishlistItemPatch) validate() error {
	var f fields
	f.wishlistItemFields(u.Quantity, u.Note, u.Priority)
	return f.err()
}

// retryWishlistConflict runs fn, and once more if it fails with ErrConflict. The
// unique indexes (one default per customer, one row per product in a list)
// turn a race between two writers into a conflict for the second; running
// it again sees the first writer's row and takes the ordinary path.
func retryWishlistConflict(fn func() error) error {
	err := fn()
	if errors.Is(err, ErrConflict) {
		err = fn()
	}
	return err
}

// wishlistView adds the item count to a list.
func (s *Service) wishlistView(ctx context.Context, st Store, w *Wishlist) (*WishlistView, error) {
	n, err := st.CountWishlistItems(ctx, w.ShopID, w.ID)
	if err != nil {
		return nil, err
	}
	return &WishlistView{Wishlist: *w, ItemCount: n}, nil
}

// Wishlists lists the customer's lists, oldest first.
func (s *Service) Wishlists(ctx context.Context, p *Principal, pg Page) (PageOf[WishlistView], error) {
	lists, err := listPage(pg, func(w Wishlist) string { return w.ID }, func(after string, limit int) ([]Wishlist, error) {
		return s.store.ListWishlists(ctx, p.ShopID, p.CustomerID, after, limit)
	})
	if err != nil {
		return PageOf[WishlistView]{}, err
	}
	out := PageOf[WishlistView]{Items: make([]WishlistView, 0, len(lists.Items)), Next: lists.Next}
	for i := range lists.Items {
		v, err := s.wishlistView(ctx, s.store, &lists.Items[i])
		if err != nil {
			return PageOf[WishlistView]{}, err
		}
		out.Items = append(out.Items, *v)
	}
	return out, nil
}

// Wishlist returns one of the customer's lists; another customer's id is
// ErrNotFound.
func (s *Service) Wishlist(ctx context.Context, p *Principal, id string) (*WishlistView, error) {
	w, err := s.store.GetWishlist(ctx, p.ShopID, p.CustomerID, id)
	if err != nil {
		return nil, err
	}
	return s.wishlistView(ctx, s.store, w)
}

// CreateWishlist adds a list, within the per-customer cap. The customer's
// first list is the default; IsDefault on a later one moves the flag.
func (s *Service) CreateWishlist(ctx context.Context, p *Principal, in NewWishlist) (*WishlistView, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *WishlistView
	err := retryWishlistConflict(func() error {
		return s.store.InTx(ctx, func(tx Store) error {
			w, err := s.createWishlist(ctx, tx, p, in)
			if err != nil {
				return err
			}
			out = &WishlistView{Wishlist: *w}
			return nil
		})
	})
	return out, err
}

// createWishlist does CreateWishlist's work inside tx.
func (s *Service) createWishlist(ctx context.Context, tx Store, p *Principal, in NewWishlist) (*Wishlist, error) {
	n, err := tx.CountWishlists(ctx, p.ShopID, p.CustomerID)
	if err != nil {
		return nil, err
	}
	if n >= s.cfg.Caps.Wishlists {
		return nil, fieldErr("wishlists", wishlistLimitReached, "a customer may keep at most "+strconv.Itoa(s.cfg.Caps.Wishlists)+" wishlists")
	}
	now := s.now()
	w := &Wishlist{
		ID: s.newID("wl"), ShopID: p.ShopID, CustomerID: p.CustomerID, Name: strings.TrimSpace(in.Name),
		IsDefault: n == 0 || in.IsDefault, IsPrivate: in.IsPrivate == nil || *in.IsPrivate,
		Metadata: in.Metadata, CreatedAt: now, UpdatedAt: now,
	}
	if !w.IsPrivate {
		w.ShareToken = s.newSecret(wishlistShareTokenPrefix, wishlistShareTokenBytes)
	}
	if w.IsDefault && n > 0 {
		if err := s.clearDefaultWishlist(ctx, tx, p, w.ID); err != nil {
			return nil, err
		}
	}
	if err := tx.CreateWishlist(ctx, w); err != nil {
		return nil, err
	}
	return w, s.emit(ctx, tx, p.ShopID, EventWishlistCreated, w.ID, map[string]any{
		"customer_id": p.CustomerID, "is_default": w.IsDefault, "is_private": w.IsPrivate,
	})
}

// clearDefaultWishlist unsets the default flag on the customer's lists
// other than keepID, before another list takes it (the unique index
// allows one default at a time, so the order matters).
func (s *Service) clearDefaultWishlist(ctx context.Context, tx Store, p *Principal, keepID string) error {
	return s.eachWishlist(ctx, tx, p, func(w *Wishlist) error {
		if !w.IsDefault || w.ID == keepID {
			return nil
		}
		w.IsDefault, w.UpdatedAt = false, s.now()
		if err := tx.UpdateWishlist(ctx, w); err != nil {
			return err
		}
		return s.emit(ctx, tx, p.ShopID, EventWishlistUpdated, w.ID, map[string]any{
			"customer_id": p.CustomerID, "fields": []any{"is_default"},
		})
	})
}

// eachWishlist calls fn on every list of the customer, oldest first.
func (s *Service) eachWishlist(ctx context.Context, tx Store, p *Principal, fn func(w *Wishlist) error) error {
	after := ""
	for {
		lists, err := tx.ListWishlists(ctx, p.ShopID, p.CustomerID, after, MaxPageLimit)
		if err != nil {
			return err
		}
		for i := range lists {
			if err := fn(&lists[i]); err != nil {
				return err
			}
		}
		if len(lists) < MaxPageLimit {
			return nil
		}
		after = lists[len(lists)-1].ID
	}
}

// DefaultWishlist returns the customer's default list. Without one it
// creates it (named DefaultWishlistName, private) when create is set, for
// dialects whose customers have "the" wishlist (Spree, Bagisto); otherwise
// it is ErrNotFound.
func (s *Service) DefaultWishlist(ctx context.Context, p *Principal, create bool) (*WishlistView, error) {
	var out *WishlistView
	err := retryWishlistConflict(func() error {
		return s.store.InTx(ctx, func(tx Store) error {
			var def *Wishlist
			err := s.eachWishlist(ctx, tx, p, func(w *Wishlist) error {
				if w.IsDefault {
					def = w
				}
				return nil
			})
			switch {
			case err != nil:
				return err
			case def == nil && !create:
				return ErrNotFound
			case def == nil:
				if def, err = s.createWishlist(ctx, tx, p, NewWishlist{Name: DefaultWishlistName, IsDefault: true}); err != nil {
					return err
				}
			}
			out, err = s.wishlistView(ctx, tx, def)
			return err
		})
	})
	return out, err
}

// UpdateWishlist applies a partial update to one of the customer's lists.
func (s *Service) UpdateWishlist(ctx context.Context, p *Principal, id string, u WishlistPatch) (*WishlistView, error) {
	if err := u.validate(); err != nil {
		return nil, err
	}
	var out *WishlistView
	err := retryWishlistConflict(func() error {
		return s.store.InTx(ctx, func(tx Store) error {
			w, err := tx.GetWishlist(ctx, p.ShopID, p.CustomerID, id)
			if err != nil {
				return err
			}
			changed, err := s.applyWishlistPatch(ctx, tx, p, w, u)
			if err != nil {
				return err
			}
			if len(changed) > 0 {
				w.UpdatedAt = s.now()
				if err := tx.UpdateWishlist(ctx, w); err != nil {
					return err
				}
				if err := s.emit(ctx, tx, p.ShopID, EventWishlistUpdated, w.ID, map[string]any{
					"customer_id": p.CustomerID, "fields": changed,
				}); err != nil {
					return err
				}
			}
			out, err = s.wishlistView(ctx, tx, w)
			return err
		})
	})
	return out, err
}

// applyWishlistPatch changes w in memory (clearing another list's default
// flag in tx when w takes it) and returns the names of the fields that
// changed.
func (s *Service) applyWishlistPatch(ctx context.Context, tx Store, p *Principal, w *Wishlist, u WishlistPatch) ([]any, error) {
	var changed []any
	if u.Name != nil {
		if name := strings.TrimSpace(*u.Name); name != w.Name {
			w.Name = name
			changed = append(changed, "name")
		}
	}
	if u.IsDefault != nil && *u.IsDefault != w.IsDefault {
		if !*u.IsDefault {
			return nil, fieldErr("is_default", FieldInvalid, "make another wishlist the default instead")
		}
		if err := s.clearDefaultWishlist(ctx, tx, p, w.ID); err != nil {
			return nil, err
		}
		w.IsDefault = true
		changed = append(changed, "is_default")
	}
	if u.IsPrivate != nil && *u.IsPrivate != w.IsPrivate {
		w.IsPrivate, w.ShareToken = *u.IsPrivate, ""
		if !w.IsPrivate {
			w.ShareToken = s.newSecret(wishlistShareTokenPrefix, wishlistShareTokenBytes)
		}
		changed = append(changed, "is_private")
	}
	if u.Metadata != nil {
		w.Metadata = *u.Metadata
		changed = append(changed, "metadata")
	}
	return changed, nil
}

// DeleteWishlist removes one of the customer's lists with its items. When
// it was the default, the oldest remaining list becomes the default.
func (s *Service) DeleteWishlist(ctx context.Context, p *Principal, id string) error {
	return s.store.InTx(ctx, func(tx Store) error {
		w, err := tx.GetWishlist(ctx, p.ShopID, p.CustomerID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteWishlist(ctx, p.ShopID, p.CustomerID, id); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, p.ShopID, EventWishlistDeleted, id, map[string]any{"customer_id": p.CustomerID}); err != nil {
			return err
		}
		if !w.IsDefault {
			return nil
		}
		rest, err := tx.ListWishlists(ctx, p.ShopID, p.CustomerID, "", 1)
		if err != nil || len(rest) == 0 {
			return err
		}
		next := &rest[0]
		next.IsDefault, next.UpdatedAt = true, s.now()
		if err := tx.UpdateWishlist(ctx, next); err != nil {
			return err
		}
		return s.emit(ctx, tx, p.ShopID, EventWishlistUpdated, next.ID, map[string]any{
			"customer_id": p.CustomerID, "fields": []any{"is_default"},
		})
	})
}

// SharedWishlist returns a public list of the store by its share token,
// with a page of its items, for anyone holding the link. A private list or
// an unknown token is ErrNotFound. The caller must not show the list's
// owner: the link shares the list, not the customer.
func (s *Service) SharedWishlist(ctx context.Context, shopID, token string, pg Page) (*WishlistView, PageOf[WishlistItem], error) {
	if !strings.HasPrefix(token, wishlistShareTokenPrefix) {
		return nil, PageOf[WishlistItem]{}, ErrNotFound
	}
	w, err := s.store.GetWishlistByShareToken(ctx, shopID, token)
	if err != nil {
		return nil, PageOf[WishlistItem]{}, err
	}
	if w.IsPrivate {
		return nil, PageOf[WishlistItem]{}, ErrNotFound
	}
	items, err := s.pageWishlistItems(ctx, w, pg)
	if err != nil {
		return nil, PageOf[WishlistItem]{}, err
	}
	v, err := s.wishlistView(ctx, s.store, w)
	return v, items, err
}

func (s *Service) pageWishlistItems(ctx context.Context, w *Wishlist, pg Page) (PageOf[WishlistItem], error) {
	return listPage(pg, func(it WishlistItem) string { return it.ID }, func(after string, limit int) ([]WishlistItem, error) {
		return s.store.ListWishlistItems(ctx, w.ShopID, w.ID, after, limit)
	})
}

// WishlistItems lists the items of one of the customer's lists, in the
// order they were added.
func (s *Service) WishlistItems(ctx context.Context, p *Principal, wishlistID string, pg Page) (PageOf[WishlistItem], error) {
	w, err := s.store.GetWishlist(ctx, p.ShopID, p.CustomerID, wishlistID)
	if err != nil {
		return PageOf[WishlistItem]{}, err
	}
	return s.pageWishlistItems(ctx, w, pg)
}

// WishlistItem returns one item of one of the customer's lists.
func (s *Service) WishlistItem(ctx context.Context, p *Principal, wishlistID, id string) (*WishlistItem, error) {
	if _, err := s.store.GetWishlist(ctx, p.ShopID, p.CustomerID, wishlistID); err != nil {
		return nil, err
	}
	return s.store.GetWishlistItem(ctx, p.ShopID, wishlistID, id)
}

// AddWishlistItem puts a product on one of the customer's lists, within the
// per-list cap. A product and variant already on the list are not added
// twice: the existing item's quantity grows by the new one, and a note or
// priority sent replaces the old; created reports which happened.
func (s *Service) AddWishlistItem(ctx context.Context, p *Principal, wishlistID string, in NewWishlistItem) (it *WishlistItem, created bool, err error) {
	in.ProductID, in.VariantID = strings.TrimSpace(in.ProductID), strings.TrimSpace(in.VariantID)
	if err := in.validate(); err != nil {
		return nil, false, err
	}
	err = retryWishlistConflict(func() error {
		return s.store.InTx(ctx, func(tx Store) error {
			// Inside the transaction this also locks the list (PostgreSQL),
			// so the cap and the duplicate check below see every item.
			w, err := tx.GetWishlist(ctx, p.ShopID, p.CustomerID, wishlistID)
			if err != nil {
				return err
			}
			it, err = s.findWishlistItem(ctx, tx, w, in.ProductID, in.VariantID)
			switch {
			case err == nil:
				created = false
				return s.mergeWishlistItem(ctx, tx, p, it, in)
			case !errors.Is(err, ErrNotFound):
				return err
			}
			created = true
			it, err = s.insertWishlistItem(ctx, tx, p, w, in)
			return err
		})
	})
	if err != nil {
		return nil, false, err
	}
	return it, created, nil
}

// findWishlistItem returns the list's item for a product and variant, or
// ErrNotFound. Lists are capped, so reading them through is bounded.
func (s *Service) findWishlistItem(ctx context.Context, tx Store, w *Wishlist, productID, variantID string) (*WishlistItem, error) {
	after := ""
	for {
		items, err := tx.ListWishlistItems(ctx, w.ShopID, w.ID, after, 500)
		if err != nil {
			return nil, err
		}
		for i := range items {
			if items[i].ProductID == productID && items[i].VariantID == variantID {
				return &items[i], nil
			}
		}
		if len(items) < 500 {
			return nil, ErrNotFound
		}
		after = items[len(items)-1].ID
	}
}

func (s *Service) mergeWishlistItem(ctx context.Context, tx Store, p *Principal, it *WishlistItem, in NewWishlistItem) error {
	add := 1
	if in.Quantity != nil {
		add = *in.Quantity
	}
	if it.Quantity+add > maxWishlistQuantity {
		return fieldErr("quantity", FieldInvalid, "the item's quantity would exceed "+strconv.Itoa(maxWishlistQuantity))
	}
	it.Quantity += add
	if in.Note != nil {
		it.Note = strings.TrimSpace(*in.Note)
	}
	if in.Priority != nil {
		it.Priority = *in.Priority
	}
	it.UpdatedAt = s.now()
	if err := tx.UpdateWishlistItem(ctx, it); err != nil {
		return err
	}
	return s.emit(ctx, tx, p.ShopID, EventWishlistItemUpdated, it.ID, wishlistItemEventData(p, it))
}

func (s *Service) insertWishlistItem(ctx context.Context, tx Store, p *Principal, w *Wishlist, in NewWishlistItem) (*WishlistItem, error) {
	n, err := tx.CountWishlistItems(ctx, w.ShopID, w.ID)
	if err != nil {
		return nil, err
	}
	if n >= s.cfg.Caps.WishlistItems {
		return nil, fieldErr("items", wishlistLimitReached, "a wishlist may hold at most "+strconv.Itoa(s.cfg.Caps.WishlistItems)+" items")
	}
	now := s.now()
	it := &WishlistItem{
		ID: s.newID("wli"), ShopID: w.ShopID, WishlistID: w.ID, ProductID: in.ProductID, VariantID: in.VariantID,
		Quantity: 1, CreatedAt: now, UpdatedAt: now,
	}
	if in.Quantity != nil {
		it.Quantity = *in.Quantity
	}
	if in.Note != nil {
		it.Note = strings.TrimSpace(*in.Note)
	}
	if in.Priority != nil {
		it.Priority = *in.Priority
	}
	if err := tx.CreateWishlistItem(ctx, it); err != nil {
		return nil, err
	}
	return it, s.emit(ctx, tx, p.ShopID, EventWishlistItemAdded, it.ID, wishlistItemEventData(p, it))
}

// wishlistItemEventData is what webhooks learn about an item change.
func wishlistItemEventData(p *Principal, it *WishlistItem) map[string]any {
	return map[string]any{
		"customer_id": p.CustomerID, "wishlist_id": it.WishlistID,
		"product_id": it.ProductID, "variant_id": it.VariantID, "quantity": it.Quantity,
	}
}

// UpdateWishlistItem applies a partial update to an item of one of the
// customer's lists.
func (s *Service) UpdateWishlistItem(ctx context.Context, p *Principal, wishlistID, id string, u WishlistItemPatch) (*WishlistItem, error) {
	if err := u.validate(); err != nil {
		return nil, err
	}
	var it *WishlistItem
	err := s.store.InTx(ctx, func(tx Store) error {
		if _, err := tx.GetWishlist(ctx, p.ShopID, p.CustomerID, wishlistID); err != nil {
			return err
		}
		var err error
		if it, err = tx.GetWishlistItem(ctx, p.ShopID, wishlistID, id); err != nil {
			return err
		}
		if u.Quantity != nil {
			it.Quantity = *u.Quantity
		}
		if u.Note != nil {
			it.Note = strings.TrimSpace(*u.Note)
		}
		if u.Priority != nil {
			it.Priority = *u.Priority
		}
		it.UpdatedAt = s.now()
		if err := tx.UpdateWishlistItem(ctx, it); err != nil {
			return err
		}
		return s.emit(ctx, tx, p.ShopID, EventWishlistItemUpdated, it.ID, wishlistItemEventData(p, it))
	})
	return it, err
}

// DeleteWishlistItem removes an item from one of the customer's lists.
func (s *Service) DeleteWishlistItem(ctx context.Context, p *Principal, wishlistID, id string) error {
	return s.store.InTx(ctx, func(tx Store) error {
		if _, err := tx.GetWishlist(ctx, p.ShopID, p.CustomerID, wishlistID); err != nil {
			return err
		}
		it, err := tx.GetWishlistItem(ctx, p.ShopID, wishlistID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteWishlistItem(ctx, p.ShopID, wishlistID, id); err != nil {
			return err
		}
		return s.emit(ctx, tx, p.ShopID, EventWishlistItemRemoved, id, wishlistItemEventData(p, it))
	})
}
