package postgres

import (
	"context"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// The email tokens methods of core.EmailTokenStore are stubs until that area lands.

// CreateEmailToken is not implemented yet.
func (r repo) CreateEmailToken(_ context.Context, t *core.EmailToken) error {
	return errNotImplemented
}

// GetEmailTokenByHash is not implemented yet.
func (r repo) GetEmailTokenByHash(_ context.Context, hash []byte) (*core.EmailToken, error) {
	return nil, errNotImplemented
}

// UseEmailToken is not implemented yet.
func (r repo) UseEmailToken(_ context.Context, id string, at time.Time) error {
	return errNotImplemented
}

// InvalidateEmailTokens is not implemented yet.
func (r repo) InvalidateEmailTokens(_ context.Context, shopID, customerID string, purpose core.VerificationPurpose, at time.Time) error {
	return errNotImplemented
}
