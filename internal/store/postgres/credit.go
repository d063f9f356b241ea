package postgres

import (
	"context"

	"github.com/clientele/clientele/internal/core"
)

// The credit methods of core.CreditStore are stubs until that area lands.

// LockCustomer is not implemented yet.
func (r repo) LockCustomer(_ context.Context, shopID, customerID string) error {
	return errNotImplemented
}

// AppendCredit is not implemented yet.
func (r repo) AppendCredit(_ context.Context, e *core.CreditEntry) error {
	return errNotImplemented
}

// CreditBalances is not implemented yet.
func (r repo) CreditBalances(_ context.Context, shopID, customerID string) ([]core.Balance, error) {
	return nil, errNotImplemented
}

// ListCredit is not implemented yet.
func (r repo) ListCredit(_ context.Context, shopID, customerID, after string, limit int) ([]core.CreditEntry, error) {
	return nil, errNotImplemented
}

// CreateGiftCard is not implemented yet.
func (r repo) CreateGiftCard(_ context.Context, g *core.GiftCard) error {
	return errNotImplemented
}

// GetGiftCard is not implemented yet.
func (r repo) GetGiftCard(_ context.Context, shopID, id string) (*core.GiftCard, error) {
	return nil, errNotImplemented
}

// GetGiftCardByCodeHash is not implemented yet.
func (r repo) GetGiftCardByCodeHash(_ context.Context, shopID string, hash []byte) (*core.GiftCard, error) {
	return nil, errNotImplemented
}

// ListGiftCards is not implemented yet.
func (r repo) ListGiftCards(_ context.Context, shopID, customerID, after string, limit int) ([]core.GiftCard, error) {
	return nil, errNotImplemented
}

// UpdateGiftCard is not implemented yet.
func (r repo) UpdateGiftCard(_ context.Context, g *core.GiftCard) error {
	return errNotImplemented
}

// AppendGiftCardEntry is not implemented yet.
func (r repo) AppendGiftCardEntry(_ context.Context, e *core.GiftCardEntry) error {
	return errNotImplemented
}

// GiftCardBalance is not implemented yet.
func (r repo) GiftCardBalance(_ context.Context, shopID, giftCardID string) (int64, error) {
	return 0, errNotImplemented
}

// ListGiftCardEntries is not implemented yet.
func (r repo) ListGiftCardEntries(_ context.Context, shopID, giftCardID string) ([]core.GiftCardEntry, error) {
	return nil, errNotImplemented
}
