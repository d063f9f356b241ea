package core

import "context"

// Event types written to the outbox. Every change a store's back end may
// want to react to writes one, in the same transaction as the change.
const (
	EventCustomerCreated        = "customer.created"
	EventCustomerUpdated        = "customer.updated"
	EventCustomerDeleted        = "customer.deleted"
	EventPasswordChanged        = "customer.password_changed"
	EventPasswordResetRequested = "customer.password_reset_requested"
	EventPasswordResetCompleted = "customer.password_reset_completed"
	EventSessionsRevoked        = "customer.sessions_revoked"
	EventRefreshTokenReuse      = "customer.refresh_token_reused"
)

// emit appends an event to the outbox inside tx. Event data never holds a
// secret (no tokens, no hashes, no passwords): the outbox table is as
// readable as the rest of the database, and a database dump must not yield
// a working token (SECURITY.md 21).
func (s *Service) emit(ctx context.Context, tx Store, shopID, typ, subjectID string, data map[string]any) error {
	if data == nil {
		data = map[string]any{}
	}
	if err := s.auditEvent(ctx, tx, shopID, typ, subjectID); err != nil {
		return err
	}
	return tx.AppendEvent(ctx, &Event{
		ID: s.newID("evt"), ShopID: shopID, Type: typ, SubjectID: subjectID, Data: data, CreatedAt: s.now(),
	})
}

// Events lists a store's outbox (admin API).
func (s *Service) Events(ctx context.Context, shopID, typ string, p Page) (PageOf[Event], error) {
	return listPage(p, func(e Event) string { return e.ID }, func(after string, limit int) ([]Event, error) {
		return s.store.ListEvents(ctx, shopID, typ, after, limit)
	})
}
