package postgres

import (
	"context"

	"github.com/clientele/clientele/internal/core"
)

// The orders methods of core.OrderStore are stubs until that area lands.

// UpsertOrder is not implemented yet.
func (r repo) UpsertOrder(_ context.Context, o *core.Order) (inserted bool, err error) {
	return false, errNotImplemented
}

// GetOrder is not implemented yet.
func (r repo) GetOrder(_ context.Context, shopID, customerID, id string) (*core.Order, error) {
	return nil, errNotImplemented
}

// ListOrders is not implemented yet.
func (r repo) ListOrders(_ context.Context, shopID, customerID, before string, limit int) ([]core.Order, error) {
	return nil, errNotImplemented
}

// ClaimOrders is not implemented yet.
func (r repo) ClaimOrders(_ context.Context, shopID, customerID, emailNormalized string, ids []string) ([]string, error) {
	return nil, errNotImplemented
}

// AnonymizeCustomerOrders is not implemented yet.
func (r repo) AnonymizeCustomerOrders(_ context.Context, shopID, customerID string) error {
	return errNotImplemented
}
