package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// ClaimUnpublishedEvents leases unpublished, unleased events. The
// UPDATE ... RETURNING runs on the single writer, so two claims never
// overlap.
func (r repo) ClaimUnpublishedEvents(ctx context.Context, now, leaseUntil time.Time, limit int) ([]core.Event, error) {
	rows, err := r.w.QueryContext(ctx, `UPDATE events SET nats_lease_until = ?
		WHERE id IN (SELECT id FROM events
			WHERE nats_published_at IS NULL AND (nats_lease_until IS NULL OR nats_lease_until <= ?)
			ORDER BY id LIMIT ?)
		RETURNING id, shop_id, type, subject_id, data, created_at`, micros(leaseUntil), micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim unpublished events: %w", translate(err))
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
	args := append([]any{micros(at)}, idArgs(ids)...)
	_, err := r.w.ExecContext(ctx, `UPDATE events SET nats_published_at = ?, nats_lease_until = NULL
		WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return fmt.Errorf("sqlite: mark events published: %w", translate(err))
	}
	return nil
}

// ReleaseEventClaims drops the leases that are still leaseUntil.
func (r repo) ReleaseEventClaims(ctx context.Context, ids []string, leaseUntil time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	args := append([]any{micros(leaseUntil)}, idArgs(ids)...)
	_, err := r.w.ExecContext(ctx, `UPDATE events SET nats_lease_until = NULL
		WHERE nats_lease_until = ? AND id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return fmt.Errorf("sqlite: release event claims: %w", translate(err))
	}
	return nil
}

func idArgs(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
