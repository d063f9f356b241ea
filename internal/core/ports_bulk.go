package core

import "context"

// BulkStore loads many rows in one call, for tools (the seed command) that
// fill a store far faster than one request per row could.
type BulkStore interface {
	// BulkCreateCustomers inserts every customer of cs, all or none: a taken
	// e-mail (in the store or twice in cs) is ErrConflict and an unknown
	// shop ErrNotFound, and then nothing of cs is written. Backends insert
	// with multi-row statements in one transaction; callers bound len(cs).
	BulkCreateCustomers(ctx context.Context, cs []*Customer) error
}
