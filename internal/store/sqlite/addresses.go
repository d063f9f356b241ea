package sqlite

import (
	"context"

	"github.com/clientele/clientele/internal/core"
)

// The addresses methods of core.AddressStore are stubs until that area lands.

// CreateAddress is not implemented yet.
func (r repo) CreateAddress(_ context.Context, a *core.Address) error {
	return errNotImplemented
}

// GetAddress is not implemented yet.
func (r repo) GetAddress(_ context.Context, shopID, customerID, id string) (*core.Address, error) {
	return nil, errNotImplemented
}

// ListAddresses is not implemented yet.
func (r repo) ListAddresses(_ context.Context, shopID, customerID, after string, limit int) ([]core.Address, error) {
	return nil, errNotImplemented
}

// CountAddresses is not implemented yet.
func (r repo) CountAddresses(_ context.Context, shopID, customerID string) (int, error) {
	return 0, errNotImplemented
}

// UpdateAddress is not implemented yet.
func (r repo) UpdateAddress(_ context.Context, a *core.Address) error {
	return errNotImplemented
}

// DeleteAddress is not implemented yet.
func (r repo) DeleteAddress(_ context.Context, shopID, customerID, id string) error {
	return errNotImplemented
}
