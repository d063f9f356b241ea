package core

import (
	"context"
	"time"
)

// ImportRef links a customer to the id it had on the platform it was
// imported from (see Service.ImportCustomers).
type ImportRef struct {
	ShopID     string
	CustomerID string
	// ExternalID is the old platform's customer id, unique per store.
	ExternalID string
	// Source names the platform: spree, medusa, bagisto, sfcc, clientele.
	Source string
	// Digest is the SHA-256 (hex) of the record last imported; a re-run
	// whose record has the same digest changes nothing.
	Digest string
	// RunID names the import run that last wrote the ref.
	RunID      string
	ImportedAt time.Time
}

// ImportStore keeps the external ids of imported customers.
type ImportStore interface {
	// PutImportRef inserts the customer's ref or replaces it. ErrConflict
	// when another customer of the shop has the external id; ErrNotFound
	// when the customer is not the shop's.
	PutImportRef(ctx context.Context, r *ImportRef) error
	// GetImportRef returns the ref of the shop's customer, or ErrNotFound.
	GetImportRef(ctx context.Context, shopID, customerID string) (*ImportRef, error)
	// GetImportRefByExternalID finds the shop's ref with the external id.
	GetImportRefByExternalID(ctx context.Context, shopID, externalID string) (*ImportRef, error)
}

// HashChecker is implemented by a Hasher that can tell, without hashing,
// whether a password hash from another platform is one it verifies within
// its cost bounds (internal/auth/password.CheckImportable). Import refuses
// hashed records when the Hasher is not one.
type HashChecker interface {
	// ImportableHash returns nil when encoded can be verified; otherwise
	// outOfBounds tells a known format whose costs exceed the bounds from
	// a format the hasher does not know.
	ImportableHash(encoded string) (outOfBounds bool, err error)
}
