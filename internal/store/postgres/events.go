package postgres

import (
	"context"

	"github.com/clientele/clientele/internal/core"
)

// The events methods of core.EventStore are stubs until that area lands.

// AppendEvent is not implemented yet.
func (r repo) AppendEvent(_ context.Context, e *core.Event) error {
	return errNotImplemented
}

// ListEvents is not implemented yet.
func (r repo) ListEvents(_ context.Context, shopID, typ, after string, limit int) ([]core.Event, error) {
	return nil, errNotImplemented
}
