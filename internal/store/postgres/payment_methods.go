package postgres

import (
	"context"

	"github.com/clientele/clientele/internal/core"
)

// The payment methods methods of core.PaymentMethodStore are stubs until that area lands.

// CreatePaymentMethod is not implemented yet.
func (r repo) CreatePaymentMethod(_ context.Context, m *core.PaymentMethod) error {
	return errNotImplemented
}

// GetPaymentMethod is not implemented yet.
func (r repo) GetPaymentMethod(_ context.Context, shopID, customerID, id string) (*core.PaymentMethod, error) {
	return nil, errNotImplemented
}

// ListPaymentMethods is not implemented yet.
func (r repo) ListPaymentMethods(_ context.Context, shopID, customerID, after string, limit int) ([]core.PaymentMethod, error) {
	return nil, errNotImplemented
}

// UpdatePaymentMethod is not implemented yet.
func (r repo) UpdatePaymentMethod(_ context.Context, m *core.PaymentMethod) error {
	return errNotImplemented
}

// DeletePaymentMethod is not implemented yet.
func (r repo) DeletePaymentMethod(_ context.Context, shopID, customerID, id string) error {
	return errNotImplemented
}

// ClearDefaultPaymentMethod is not implemented yet.
func (r repo) ClearDefaultPaymentMethod(_ context.Context, shopID, customerID, keepID string) error {
	return errNotImplemented
}
