package core

import (
	"context"
	"time"
)

// AliasKind names the kind of row an integer alias numbers.
type AliasKind string

// The kinds of rows that have integer aliases.
const (
	AliasCustomer     AliasKind = "customer"
	AliasAddress      AliasKind = "address"
	AliasOrder        AliasKind = "order"
	AliasWishlistItem AliasKind = "wishlist_item"
	AliasGroup        AliasKind = "group"
)

// MaxAlias is the largest alias: platforms whose clients keep ids in
// 32-bit integers (Bagisto's Java and Kotlin apps) break past it.
const MaxAlias = 1<<31 - 1

// AliasStore keeps the integer aliases of rows, for platforms whose wire
// format has auto-increment integer ids (Bagisto). The storage assigns a
// row's alias when the row is inserted, from one sequence that never
// hands a number out twice, and drops it with the row; an alias never
// changes.
type AliasStore interface {
	// Aliases returns the alias of each of ids (rows of kind in the
	// shop); ids of other shops, or of no row, are absent from the map.
	Aliases(ctx context.Context, shopID string, kind AliasKind, ids []string) (map[string]int64, error)
	// ResolveAlias returns the id of the shop's row of kind numbered num
	// that ownerID owns: the customer itself for AliasCustomer, the
	// customer whose book, order or wishlist it is for addresses, orders
	// and wishlist items. Groups belong to the shop: ownerID must be
	// empty. Any other row, or an empty ownerID for an owned kind, is
	// ErrNotFound.
	ResolveAlias(ctx context.Context, shopID, ownerID string, kind AliasKind, num int64) (string, error)
}

// DialectStore has the few queries dialects need beyond the rest of the
// port.
type DialectStore interface {
	// CountShops returns how many stores the deployment has.
	CountShops(ctx context.Context) (int, error)
	// SetSessionExpiry moves the shop's session's absolute expiry to at
	// (ErrNotFound for another shop's session).
	SetSessionExpiry(ctx context.Context, shopID, id string, at time.Time) error
}

// Aliases returns the integer aliases of rows of kind in the shop, by id.
// Every id must have one, at most MaxAlias: rows get theirs when they are
// inserted, so a missing one is a storage fault, not a client error.
func (s *Service) Aliases(ctx context.Context, shopID string, kind AliasKind, ids ...string) (map[string]int64, error) {
	if len(ids) == 0 {
		return map[string]int64{}, nil
	}
	m, err := s.store.Aliases(ctx, shopID, kind, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if n, ok := m[id]; !ok || n < 1 || n > MaxAlias {
			return nil, newErr(ErrUnavailable, CodeInternal, "a "+string(kind)+" has no integer alias")
		}
	}
	return m, nil
}

// ResolveMine returns the id of the authenticated customer's row of kind
// whose alias is num (the customer's own record for AliasCustomer).
// Another customer's or store's row, an unknown number or one out of the
// alias range is ErrNotFound, indistinguishably.
func (s *Service) ResolveMine(ctx context.Context, p *Principal, kind AliasKind, num int64) (string, error) {
	if p == nil || p.CustomerID == "" || kind == AliasGroup || num < 1 || num > MaxAlias {
		return "", newErr(ErrNotFound, CodeNotFound, "not found")
	}
	id, err := s.store.ResolveAlias(ctx, p.ShopID, p.CustomerID, kind, num)
	if err != nil {
		return "", notFoundAs(err, newErr(ErrNotFound, CodeNotFound, "not found"))
	}
	return id, nil
}
