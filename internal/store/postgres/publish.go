package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// ClaimUnpublishedEvents leases unpublished, unleased events in one
// statement; SKIP LOCKED lets nodes claim side by side without waiting or
// overlapping.
func (r repo) ClaimUnpublishedEvents(ctx context.Context, now, leaseUntil time.Time, limit int) ([]core.Event, error) {
	rows, err := r.q.Query(ctx, `WITH due AS (
			SELECT id FROM events
			WHERE nats_published_at IS NULL AND (nats_lease_until IS NULL OR nats_lease_until <= $1)
			ORDER BY id LIMIT $3
			FOR UPDATE SKIP LOCKED)
		UPDATE events e SET nats_lease_until = $2 FROM due WHERE e.id = due.id
		RETURNING e.id, e.shop_id, e.type, e.subject_id, e.data, e.created_at`, utc(now), utc(leaseUntil), limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim unpublished events: %w", translate(err))
	}
	out, err := readEvents(rows, "claim unpublished events")
	if err != nil {
		return nil, err
	}
	// RETURNING promises no order.
	slices.SortFunc(out, func(a, b core.Event) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// MarkEventsPublished stamps the events as published and drops their lease.
func (r repo) MarkEventsPublished(ctx context.Context, ids []string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := r.q.Exec(ctx, `UPDATE events SET nats_published_at = $1, nats_lease_until = NULL WHERE id = ANY($2)`, utc(at), ids); err != nil {
		return fmt.Errorf("postgres: mark events published: %w", translate(err))
	}
	return nil
}

// ReleaseEventClaims drops the leases that are still leaseUntil.
func (r repo) ReleaseEventClaims(ctx context.Context, ids []string, leaseUntil time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := r.q.Exec(ctx, `UPDATE events SET nats_lease_until = NULL WHERE nats_lease_until = $1 AND id = ANY($2)`, utc(leaseUntil), ids); err != nil {
		return fmt.Errorf("postgres: release event claims: %w", translate(err))
	}
	return nil
}
