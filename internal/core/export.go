package core

import "context"

// Export is everything Clientele holds about one customer (GDPR access
// and portability), gathered through the same reads the API serves.
type Export struct {
	Customer       *Customer
	Groups         []CustomerGroup
	Addresses      []SavedAddress
	Wishlists      []WishlistExport
	CreditBalances []Balance
	CreditLedger   []CreditEntry
	GiftCards      []GiftCardView
	PaymentMethods []PaymentMethod
	Orders         []Order
	Sessions       []Session
}

// WishlistExport is a wishlist with all its items.
type WishlistExport struct {
	Wishlist WishlistView
	Items    []WishlistItem
}

// all drains a paginated read.
func all[T any](list func(Page) (PageOf[T], error)) ([]T, error) {
	var out []T
	p := Page{Limit: MaxPageLimit}
	for {
		page, err := list(p)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			if out == nil {
				out = []T{}
			}
			return out, nil
		}
		p.Cursor = page.Next
	}
}

// ExportCustomer gathers the authenticated customer's data. Secrets are
// never part of it: no password hash, no token or token hash, no gift-card
// code (only its last four characters).
func (s *Service) ExportCustomer(ctx context.Context, p *Principal) (*Export, error) {
	var (
		x   Export
		err error
	)
	if x.Customer, err = s.Customer(ctx, p); err != nil {
		return nil, err
	}
	if x.Groups, err = s.CustomerGroups(ctx, p.ShopID, p.CustomerID); err != nil {
		return nil, err
	}
	if x.Addresses, err = all(func(pg Page) (PageOf[SavedAddress], error) { return s.Addresses(ctx, p, pg) }); err != nil {
		return nil, err
	}
	lists, err := all(func(pg Page) (PageOf[WishlistView], error) { return s.Wishlists(ctx, p, pg) })
	if err != nil {
		return nil, err
	}
	x.Wishlists = make([]WishlistExport, 0, len(lists))
	for _, w := range lists {
		items, err := all(func(pg Page) (PageOf[WishlistItem], error) { return s.WishlistItems(ctx, p, w.ID, pg) })
		if err != nil {
			return nil, err
		}
		x.Wishlists = append(x.Wishlists, WishlistExport{Wishlist: w, Items: items})
	}
	if x.CreditBalances, err = s.MyCreditBalances(ctx, p); err != nil {
		return nil, err
	}
	if x.CreditLedger, err = all(func(pg Page) (PageOf[CreditEntry], error) { return s.MyCreditHistory(ctx, p, pg) }); err != nil {
		return nil, err
	}
	if x.GiftCards, err = all(func(pg Page) (PageOf[GiftCardView], error) { return s.MyGiftCards(ctx, p, pg) }); err != nil {
		return nil, err
	}
	if x.PaymentMethods, err = all(func(pg Page) (PageOf[PaymentMethod], error) { return s.PaymentMethods(ctx, p, pg) }); err != nil {
		return nil, err
	}
	if x.Orders, err = all(func(pg Page) (PageOf[Order], error) { return s.Orders(ctx, p, pg) }); err != nil {
		return nil, err
	}
	if x.Sessions, err = s.Sessions(ctx, p); err != nil {
		return nil, err
	}
	return &x, nil
}
