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
	// FindImportMatches returns, in one go, the shop's customers whose ref
	// has one of externalIDs or whose EmailNormalized is one of emails,
	// each with its ref (nil when the customer was not imported), in any
	// order.
	FindImportMatches(ctx context.Context, shopID string, externalIDs, emails []string) ([]ImportMatch, error)
	// WriteImport writes one import batch's new rows with as few round
	// trips as the backend allows: customers (their default address ids
	// set once their addresses exist), addresses, refs (inserted or
	// replaced), group memberships, credit entries and events. Run it in a
	// transaction: any error (ErrConflict for a taken e-mail or external
	// id, ErrNotFound for another shop's group) leaves the transaction
	// unusable on PostgreSQL, and the caller rolls it back.
	WriteImport(ctx context.Context, w *ImportWrites) error
}

// ImportMatch is a customer an import batch's records may match.
type ImportMatch struct {
	Customer Customer
	Ref      *ImportRef
}

// ImportWrites are the rows one import batch adds.
type ImportWrites struct {
	Customers []Customer
	Addresses []Address
	Refs      []ImportRef
	Members   []GroupMember
	Credit    []CreditEntry
	Events    []Event
}

// GroupMember is one customer's membership of one group.
type GroupMember struct {
	ShopID     string
	CustomerID string
	GroupID    string
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
