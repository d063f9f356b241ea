package core

import (
	"context"
	"time"
)

// EventPublishStore tracks which outbox events have been published to the
// event stream (NATS JetStream with --nats). It mirrors the webhook
// delivery claims: events are leased to one node at a time, so nodes share
// the work without publishing an event twice, and a node that dies
// mid-publish only delays its claim until the lease runs out.
type EventPublishStore interface {
	// ClaimUnpublishedEvents leases up to limit events (of every shop) not
	// yet published and not leased at now, setting their lease to
	// leaseUntil, and returns them oldest first.
	ClaimUnpublishedEvents(ctx context.Context, now, leaseUntil time.Time, limit int) ([]Event, error)
	// MarkEventsPublished records that the events were published and drops
	// their lease; an empty list is a no-op.
	MarkEventsPublished(ctx context.Context, ids []string, at time.Time) error
	// ReleaseEventClaims drops the lease of the events that is still
	// leaseUntil (the claim this node made), so another round may take
	// them at once; a lease another node took since is left alone.
	ReleaseEventClaims(ctx context.Context, ids []string, leaseUntil time.Time) error
}
