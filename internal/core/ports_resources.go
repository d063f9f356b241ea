package core

import (
	"context"
	"time"
)

// The account-resource repositories. Store embeds each of them; they are
// split by area so each area's storage, tests and service code live in
// files of their own.
//
// Conventions shared by every method below:
//   - Reads and writes are scoped by shop and, for a customer's things, by
//     customer: another shop's or another customer's id is ErrNotFound and
//     changes nothing (no IDOR).
//   - List methods return at most limit items with ids greater than after
//     (ids are ULIDs, so this is creation order and stable under concurrent
//     inserts), oldest first, unless a method says otherwise. Core asks for
//     limit+1 to learn whether there is a next page.
//   - Updates write every mutable field of the value (matched by ids) and
//     never CreatedAt.

// AddressStore keeps address books.
type AddressStore interface {
	CreateAddress(ctx context.Context, a *Address) error
	GetAddress(ctx context.Context, shopID, customerID, id string) (*Address, error)
	ListAddresses(ctx context.Context, shopID, customerID, after string, limit int) ([]Address, error)
	CountAddresses(ctx context.Context, shopID, customerID string) (int, error)
	UpdateAddress(ctx context.Context, a *Address) error
	DeleteAddress(ctx context.Context, shopID, customerID, id string) error
}

// GroupStore keeps customer groups and memberships.
type GroupStore interface {
	CreateGroup(ctx context.Context, g *CustomerGroup) error
	GetGroup(ctx context.Context, shopID, id string) (*CustomerGroup, error)
	ListGroups(ctx context.Context, shopID, after string, limit int) ([]CustomerGroup, error)
	UpdateGroup(ctx context.Context, g *CustomerGroup) error
	// DeleteGroup removes the group and its memberships.
	DeleteGroup(ctx context.Context, shopID, id string) error
	// SetCustomerGroups replaces the customer's memberships; every id must be
	// a group of the shop (ErrNotFound otherwise, nothing changed).
	SetCustomerGroups(ctx context.Context, shopID, customerID string, groupIDs []string) error
	// CustomerGroups lists the customer's groups, by group id.
	CustomerGroups(ctx context.Context, shopID, customerID string) ([]CustomerGroup, error)
}

// WishlistStore keeps wishlists and their items.
type WishlistStore interface {
	CreateWishlist(ctx context.Context, w *Wishlist) error
	GetWishlist(ctx context.Context, shopID, customerID, id string) (*Wishlist, error)
	// GetWishlistByShareToken finds a public list of the shop by its token.
	GetWishlistByShareToken(ctx context.Context, shopID, token string) (*Wishlist, error)
	ListWishlists(ctx context.Context, shopID, customerID, after string, limit int) ([]Wishlist, error)
	CountWishlists(ctx context.Context, shopID, customerID string) (int, error)
	UpdateWishlist(ctx context.Context, w *Wishlist) error
	// DeleteWishlist removes the list and its items.
	DeleteWishlist(ctx context.Context, shopID, customerID, id string) error

	CreateWishlistItem(ctx context.Context, it *WishlistItem) error
	GetWishlistItem(ctx context.Context, shopID, wishlistID, id string) (*WishlistItem, error)
	ListWishlistItems(ctx context.Context, shopID, wishlistID, after string, limit int) ([]WishlistItem, error)
	CountWishlistItems(ctx context.Context, shopID, wishlistID string) (int, error)
	UpdateWishlistItem(ctx context.Context, it *WishlistItem) error
	DeleteWishlistItem(ctx context.Context, shopID, wishlistID, id string) error
}

// CreditStore keeps store-credit and gift-card ledgers. Balances are sums
// of entries, never stored numbers.
type CreditStore interface {
	// LockCustomer serialises balance-changing work on one customer inside
	// a transaction (SELECT … FOR UPDATE on PostgreSQL; the single writer
	// on SQLite). ErrNotFound if the customer is not the shop's.
	LockCustomer(ctx context.Context, shopID, customerID string) error
	AppendCredit(ctx context.Context, e *CreditEntry) error
	// CreditBalances returns the customer's balance per currency, by currency.
	CreditBalances(ctx context.Context, shopID, customerID string) ([]Balance, error)
	// ListCredit returns ledger entries, oldest first.
	ListCredit(ctx context.Context, shopID, customerID, after string, limit int) ([]CreditEntry, error)

	CreateGiftCard(ctx context.Context, g *GiftCard) error
	GetGiftCard(ctx context.Context, shopID, id string) (*GiftCard, error)
	// GetGiftCardByCodeHash finds (and inside a transaction locks) a card.
	GetGiftCardByCodeHash(ctx context.Context, shopID string, hash []byte) (*GiftCard, error)
	// ListGiftCards lists the cards assigned to a customer.
	ListGiftCards(ctx context.Context, shopID, customerID, after string, limit int) ([]GiftCard, error)
	UpdateGiftCard(ctx context.Context, g *GiftCard) error
	AppendGiftCardEntry(ctx context.Context, e *GiftCardEntry) error
	// GiftCardBalance is the sum of the card's entries.
	GiftCardBalance(ctx context.Context, shopID, giftCardID string) (int64, error)
	ListGiftCardEntries(ctx context.Context, shopID, giftCardID string) ([]GiftCardEntry, error)
}

// PaymentMethodStore keeps saved payment methods.
type PaymentMethodStore interface {
	CreatePaymentMethod(ctx context.Context, m *PaymentMethod) error
	GetPaymentMethod(ctx context.Context, shopID, customerID, id string) (*PaymentMethod, error)
	ListPaymentMethods(ctx context.Context, shopID, customerID, after string, limit int) ([]PaymentMethod, error)
	UpdatePaymentMethod(ctx context.Context, m *PaymentMethod) error
	DeletePaymentMethod(ctx context.Context, shopID, customerID, id string) error
	// ClearDefaultPaymentMethod unsets IsDefault on every method of the customer but keepID.
	ClearDefaultPaymentMethod(ctx context.Context, shopID, customerID, keepID string) error
}

// OrderStore keeps the order index.
type OrderStore interface {
	// UpsertOrder inserts the order, or replaces the one with the same
	// (ShopID, Number), keeping its ID, CreatedAt and CustomerID when the
	// new value's CustomerID is empty. It sets o.ID and o.CreatedAt to the
	// stored ones and reports whether it inserted.
	UpsertOrder(ctx context.Context, o *Order) (inserted bool, err error)
	// GetOrderByNumber finds the shop's order by the store's own number.
	GetOrderByNumber(ctx context.Context, shopID, number string) (*Order, error)
	// GetOrder returns the shop's order; customerID, when not empty, must own it.
	GetOrder(ctx context.Context, shopID, customerID, id string) (*Order, error)
	// ListOrders returns the customer's orders newest first (ids below before;
	// empty before means from the newest).
	ListOrders(ctx context.Context, shopID, customerID, before string, limit int) ([]Order, error)
	// ClaimOrders links the shop's unowned orders placed with emailNormalized
	// (all of them, or only ids when ids is not empty) to the customer and
	// returns the ids it linked.
	ClaimOrders(ctx context.Context, shopID, customerID, emailNormalized string, ids []string) ([]string, error)
	// AnonymizeCustomerOrders keeps the customer's orders for the store's
	// books but unlinks them and blanks their personal data (e-mail,
	// address snapshots, names), for account deletion.
	AnonymizeCustomerOrders(ctx context.Context, shopID, customerID string) error
}

// EmailTokenStore keeps verification, e-mail-change and claim tokens.
type EmailTokenStore interface {
	CreateEmailToken(ctx context.Context, t *EmailToken) error
	GetEmailTokenByHash(ctx context.Context, hash []byte) (*EmailToken, error)
	// UseEmailToken sets UsedAt when still unset; ErrConflict if it was set.
	UseEmailToken(ctx context.Context, id string, at time.Time) error
	// InvalidateEmailTokens marks every unused token of the customer with
	// the purpose used.
	InvalidateEmailTokens(ctx context.Context, shopID, customerID string, purpose VerificationPurpose, at time.Time) error
}

// EventStore is the outbox.
type EventStore interface {
	AppendEvent(ctx context.Context, e *Event) error
	// ListEvents returns the shop's events oldest first; typ filters when set.
	ListEvents(ctx context.Context, shopID, typ, after string, limit int) ([]Event, error)
}

// AdminCustomerStore has the admin-only customer queries.
type AdminCustomerStore interface {
	// SearchCustomers lists the shop's customers matching q, by id.
	SearchCustomers(ctx context.Context, shopID string, q CustomerQuery, after string, limit int) ([]Customer, error)
}
