package sqlite

import (
	"context"

	"github.com/clientele/clientele/internal/core"
)

// The admin customers methods of core.AdminCustomerStore are stubs until that area lands.

// SearchCustomers is not implemented yet.
func (r repo) SearchCustomers(_ context.Context, shopID string, q core.CustomerQuery, after string, limit int) ([]core.Customer, error) {
	return nil, errNotImplemented
}
