package sqlite

import (
	"context"

	"github.com/clientele/clientele/internal/core"
)

// The groups methods of core.GroupStore are stubs until that area lands.

// CreateGroup is not implemented yet.
func (r repo) CreateGroup(_ context.Context, g *core.CustomerGroup) error {
	return errNotImplemented
}

// GetGroup is not implemented yet.
func (r repo) GetGroup(_ context.Context, shopID, id string) (*core.CustomerGroup, error) {
	return nil, errNotImplemented
}

// ListGroups is not implemented yet.
func (r repo) ListGroups(_ context.Context, shopID, after string, limit int) ([]core.CustomerGroup, error) {
	return nil, errNotImplemented
}

// UpdateGroup is not implemented yet.
func (r repo) UpdateGroup(_ context.Context, g *core.CustomerGroup) error {
	return errNotImplemented
}

// DeleteGroup is not implemented yet.
func (r repo) DeleteGroup(_ context.Context, shopID, id string) error {
	return errNotImplemented
}

// SetCustomerGroups is not implemented yet.
func (r repo) SetCustomerGroups(_ context.Context, shopID, customerID string, groupIDs []string) error {
	return errNotImplemented
}

// CustomerGroups is not implemented yet.
func (r repo) CustomerGroups(_ context.Context, shopID, customerID string) ([]core.CustomerGroup, error) {
	return nil, errNotImplemented
}
