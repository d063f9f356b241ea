package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/clientele/clientele/internal/core"
)

const endpointColumns = `id, shop_id, url, secret, event_types, disabled, disabled_reason, failing_since, created_at, updated_at`

func scanEndpoint(row pgx.Row) (*core.WebhookEndpoint, error) {
	var (
		e     core.WebhookEndpoint
		types []byte
	)
	if err := row.Scan(&e.ID, &e.ShopID, &e.URL, &e.Secret, &types, &e.Disabled, &e.DisabledReason, &e.FailingSince, &e.CreatedAt, &e.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(types, &e.EventTypes); err != nil {
		return nil, err
	}
	if e.EventTypes == nil {
		e.EventTypes = []string{}
	}
	e.FailingSince, e.CreatedAt, e.UpdatedAt = utcPtr(e.FailingSince), utc(e.CreatedAt), utc(e.UpdatedAt)
	return &e, nil
}

func encodeTypes(types []string) string {
	if types == nil {
		types = []string{}
	}
	b, _ := json.Marshal(types)
	return string(b)
}

// CreateWebhookEndpoint inserts e; an unknown shop is core.ErrNotFound.
func (r repo) CreateWebhookEndpoint(ctx context.Context, e *core.WebhookEndpoint) error {
	_, err := r.checkedExec(ctx, `INSERT INTO webhook_endpoints (`+endpointColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.ID, e.ShopID, e.URL, e.Secret, encodeTypes(e.EventTypes), e.Disabled, e.DisabledReason, utcPtr(e.FailingSince), utc(e.CreatedAt), utc(e.UpdatedAt))
	if err != nil {
		return fmt.Errorf("postgres: create webhook endpoint: %w", translate(err))
	}
	return nil
}

// GetWebhookEndpoint returns the shop's endpoint; inside a transaction it
// locks the row, so health updates from two nodes do not interleave.
func (r repo) GetWebhookEndpoint(ctx context.Context, shopID, id string) (*core.WebhookEndpoint, error) {
	e, err := scanEndpoint(r.q.QueryRow(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE shop_id = $1 AND id = $2`+r.forUpdate(), shopID, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get webhook endpoint: %w", translate(err))
	}
	return e, nil
}

// ListWebhookEndpoints returns the shop's endpoints, oldest first.
func (r repo) ListWebhookEndpoints(ctx context.Context, shopID string) ([]core.WebhookEndpoint, error) {
	rows, err := r.q.Query(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE shop_id = $1 ORDER BY id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list webhook endpoints: %w", translate(err))
	}
	defer rows.Close()
	out := []core.WebhookEndpoint{}
	for rows.Next() {
		e, err := scanEndpoint(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list webhook endpoints: %w", translate(err))
		}
		out = append(out, *e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list webhook endpoints: %w", translate(err))
	}
	return out, nil
}

// UpdateWebhookEndpoint writes the endpoint's changeable fields.
func (r repo) UpdateWebhookEndpoint(ctx context.Context, e *core.WebhookEndpoint) error {
	tag, err := r.checkedExec(ctx, `UPDATE webhook_endpoints SET url = $1, event_types = $2, disabled = $3, disabled_reason = $4,
		failing_since = $5, updated_at = $6 WHERE shop_id = $7 AND id = $8`,
		e.URL, encodeTypes(e.EventTypes), e.Disabled, e.DisabledReason, utcPtr(e.FailingSince), utc(e.UpdatedAt), e.ShopID, e.ID)
	return oneRow(tag, err, "update webhook endpoint")
}

// DeleteWebhookEndpoint deletes the endpoint; its deliveries cascade.
func (r repo) DeleteWebhookEndpoint(ctx context.Context, shopID, id string) error {
	tag, err := r.q.Exec(ctx, `DELETE FROM webhook_endpoints WHERE shop_id = $1 AND id = $2`, shopID, id)
	return oneRow(tag, err, "delete webhook endpoint")
}

func oneRow(tag pgconn.CommandTag, err error, op string) error {
	switch {
	case err != nil:
		return fmt.Errorf("postgres: %s: %w", op, translate(err))
	case tag.RowsAffected() == 0:
		return fmt.Errorf("postgres: %s: %w", op, core.ErrNotFound)
	}
	return nil
}

// UndispatchedEvents returns events not yet fanned out, oldest first;
// inside a transaction they are locked and rows another node holds are
// skipped, so two nodes fan out disjoint batches.
func (r repo) UndispatchedEvents(ctx context.Context, limit int) ([]core.Event, error) {
	lock := ""
	if r.inTx {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	rows, err := r.q.Query(ctx, `SELECT id, shop_id, type, subject_id, data, created_at FROM events
		WHERE dispatched_at IS NULL ORDER BY id LIMIT $1`+lock, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: undispatched events: %w", translate(err))
	}
	return readEvents(rows, "undispatched events")
}

// MarkEventsDispatched stamps the events as fanned out.
func (r repo) MarkEventsDispatched(ctx context.Context, ids []string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := r.q.Exec(ctx, `UPDATE events SET dispatched_at = $1 WHERE id = ANY($2)`, utc(at), ids); err != nil {
		return fmt.Errorf("postgres: mark events dispatched: %w", translate(err))
	}
	return nil
}

// CreateWebhookDelivery inserts d unless the endpoint already has a
// delivery of the event.
func (r repo) CreateWebhookDelivery(ctx context.Context, d *core.WebhookDelivery) error {
	_, err := r.checkedExec(ctx, `INSERT INTO webhook_deliveries (id, shop_id, endpoint_id, event_id, status, attempts,
		next_attempt_at, last_status, last_error, created_at, updated_at)
		SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
		WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = $3 AND shop_id = $2)
		  AND EXISTS (SELECT 1 FROM events WHERE id = $4 AND shop_id = $2)
		ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
		d.ID, d.ShopID, d.EndpointID, d.EventID, d.Status, d.Attempts, utc(d.NextAttemptAt), d.LastStatus, d.LastError,
		utc(d.CreatedAt), utc(d.UpdatedAt))
	if err != nil {
		return fmt.Errorf("postgres: create webhook delivery: %w", translate(err))
	}
	return nil
}

const deliveryColumns = `d.id, d.shop_id, d.endpoint_id, d.event_id, d.status, d.attempts, d.next_attempt_at, d.lease_until,
	d.last_status, d.last_error, d.created_at, d.updated_at`

func scanDelivery(row pgx.Row, extra ...any) (*core.WebhookDelivery, error) {
	var d core.WebhookDelivery
	dest := append([]any{&d.ID, &d.ShopID, &d.EndpointID, &d.EventID, &d.Status, &d.Attempts, &d.NextAttemptAt, &d.LeaseUntil,
		&d.LastStatus, &d.LastError, &d.CreatedAt, &d.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	d.NextAttemptAt, d.LeaseUntil = utc(d.NextAttemptAt), utcPtr(d.LeaseUntil)
	d.CreatedAt, d.UpdatedAt = utc(d.CreatedAt), utc(d.UpdatedAt)
	return &d, nil
}

// ClaimWebhookDeliveries leases due deliveries of enabled endpoints in one
// statement; SKIP LOCKED lets nodes claim side by side without waiting or
// overlapping.
func (r repo) ClaimWebhookDeliveries(ctx context.Context, now, leaseUntil time.Time, limit int) ([]core.WebhookDelivery, error) {
	rows, err := r.q.Query(ctx, `WITH due AS (
			SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
			WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1) AND NOT e.disabled
			ORDER BY d.next_attempt_at, d.id LIMIT $3
			FOR UPDATE OF d SKIP LOCKED)
		UPDATE webhook_deliveries d SET lease_until = $2 FROM due, events v
		WHERE d.id = due.id AND v.id = d.event_id
		RETURNING `+deliveryColumns+`, v.type, v.subject_id, v.data, v.created_at`, utc(now), utc(leaseUntil), limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim webhook deliveries: %w", translate(err))
	}
	var out []core.WebhookDelivery
	for rows.Next() {
		var (
			ev   core.Event
			data []byte
		)
		d, err := scanDelivery(rows, &ev.Type, &ev.SubjectID, &data, &ev.CreatedAt)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: claim webhook deliveries: %w", translate(err))
		}
		if err := json.Unmarshal(data, &ev.Data); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: claim webhook deliveries: %w", err)
		}
		ev.ID, ev.ShopID, ev.CreatedAt = d.EventID, d.ShopID, utc(ev.CreatedAt)
		d.Event = &ev
		out = append(out, *d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: claim webhook deliveries: %w", translate(err))
	}
	eps := map[string]*core.WebhookEndpoint{}
	for i := range out {
		d := &out[i]
		if eps[d.EndpointID] == nil {
			e, err := r.GetWebhookEndpoint(ctx, d.ShopID, d.EndpointID)
			if err != nil {
				return nil, err
			}
			eps[d.EndpointID] = e
		}
		d.Endpoint = eps[d.EndpointID]
	}
	if out == nil {
		out = []core.WebhookDelivery{}
	}
	return out, nil
}

// FinishWebhookAttempt records an attempt's outcome and drops the lease.
func (r repo) FinishWebhookAttempt(ctx context.Context, d *core.WebhookDelivery) error {
	tag, err := r.q.Exec(ctx, `UPDATE webhook_deliveries SET status = $1, attempts = $2, next_attempt_at = $3, lease_until = NULL,
		last_status = $4, last_error = $5, updated_at = $6 WHERE shop_id = $7 AND id = $8`,
		d.Status, d.Attempts, utc(d.NextAttemptAt), d.LastStatus, d.LastError, utc(d.UpdatedAt), d.ShopID, d.ID)
	return oneRow(tag, err, "finish webhook attempt")
}

// ListWebhookDeliveries pages an endpoint's deliveries by id.
func (r repo) ListWebhookDeliveries(ctx context.Context, shopID, endpointID, after string, limit int) ([]core.WebhookDelivery, error) {
	rows, err := r.q.Query(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries d
		WHERE d.shop_id = $1 AND d.endpoint_id = $2 AND d.id > $3 ORDER BY d.id LIMIT $4`, shopID, endpointID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list webhook deliveries: %w", translate(err))
	}
	defer rows.Close()
	out := []core.WebhookDelivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list webhook deliveries: %w", translate(err))
		}
		out = append(out, *d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list webhook deliveries: %w", translate(err))
	}
	return out, nil
}

// RequeueWebhookDeliveries makes matching deliveries pending and due now,
// creating the missing ones. Core runs it inside a transaction.
func (r repo) RequeueWebhookDeliveries(ctx context.Context, shopID, endpointID, eventID string, since, until, now time.Time) (int, error) {
	if _, err := r.GetWebhookEndpoint(ctx, shopID, endpointID); err != nil {
		return 0, err
	}
	const match = `shop_id = $1 AND ($2 = '' OR id = $2) AND created_at >= $3 AND created_at < $4`
	_, err := r.q.Exec(ctx, `INSERT INTO webhook_deliveries (id, shop_id, endpoint_id, event_id, status, attempts,
		next_attempt_at, last_status, last_error, created_at, updated_at)
		SELECT 'whd_' || $5 || '_' || substr(id, 5), shop_id, $6, id, 'pending', 0, $7, 0, '', $7, $7 FROM events WHERE `+match+`
		ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
		shopID, eventID, utc(since), utc(until), strings.TrimPrefix(endpointID, "whe_"), endpointID, utc(now))
	if err != nil {
		return 0, fmt.Errorf("postgres: requeue webhook deliveries: %w", translate(err))
	}
	tag, err := r.q.Exec(ctx, `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $5, lease_until = NULL, updated_at = $5
		WHERE shop_id = $1 AND endpoint_id = $6 AND event_id IN (SELECT id FROM events WHERE `+match+`)`,
		shopID, eventID, utc(since), utc(until), utc(now), endpointID)
	if err != nil {
		return 0, fmt.Errorf("postgres: requeue webhook deliveries: %w", translate(err))
	}
	return int(tag.RowsAffected()), nil
}
