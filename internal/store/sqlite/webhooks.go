package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const endpointColumns = `id, shop_id, url, secret, event_types, disabled, disabled_reason, failing_since, created_at, updated_at`

func scanEndpoint(sc scanner) (*core.WebhookEndpoint, error) {
	var (
		e                core.WebhookEndpoint
		types            string
		disabled         int64
		failing          sql.NullInt64
		created, updated int64
	)
	if err := sc.Scan(&e.ID, &e.ShopID, &e.URL, &e.Secret, &types, &disabled, &e.DisabledReason, &failing, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(types), &e.EventTypes); err != nil {
		return nil, err
	}
	if e.EventTypes == nil {
		e.EventTypes = []string{}
	}
	e.Disabled, e.FailingSince = disabled == 1, fromNullMicros(failing)
	e.CreatedAt, e.UpdatedAt = fromMicros(created), fromMicros(updated)
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
	_, err := r.w.ExecContext(ctx, `INSERT INTO webhook_endpoints (`+endpointColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.ShopID, e.URL, e.Secret, encodeTypes(e.EventTypes), bit(e.Disabled), e.DisabledReason, nullMicros(e.FailingSince), micros(e.CreatedAt), micros(e.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create webhook endpoint: %w", translate(err))
	}
	return nil
}

// GetWebhookEndpoint returns the shop's endpoint.
func (r repo) GetWebhookEndpoint(ctx context.Context, shopID, id string) (*core.WebhookEndpoint, error) {
	e, err := scanEndpoint(r.w.QueryRowContext(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE shop_id = ? AND id = ?`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get webhook endpoint: %w", translate(err))
	}
	return e, nil
}

// ListWebhookEndpoints returns the shop's endpoints, oldest first.
func (r repo) ListWebhookEndpoints(ctx context.Context, shopID string) ([]core.WebhookEndpoint, error) {
	rows, err := r.w.QueryContext(ctx, `SELECT `+endpointColumns+` FROM webhook_endpoints WHERE shop_id = ? ORDER BY id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list webhook endpoints: %w", translate(err))
	}
	defer rows.Close()
	out := []core.WebhookEndpoint{}
	for rows.Next() {
		e, err := scanEndpoint(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list webhook endpoints: %w", translate(err))
		}
		out = append(out, *e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list webhook endpoints: %w", translate(err))
	}
	return out, nil
}

// UpdateWebhookEndpoint writes the endpoint's changeable fields.
func (r repo) UpdateWebhookEndpoint(ctx context.Context, e *core.WebhookEndpoint) error {
	res, err := r.w.ExecContext(ctx, `UPDATE webhook_endpoints SET url = ?, event_types = ?, disabled = ?, disabled_reason = ?,
		failing_since = ?, updated_at = ? WHERE shop_id = ? AND id = ?`,
		e.URL, encodeTypes(e.EventTypes), bit(e.Disabled), e.DisabledReason, nullMicros(e.FailingSince), micros(e.UpdatedAt), e.ShopID, e.ID)
	return oneRow(res, err, "update webhook endpoint")
}

// DeleteWebhookEndpoint deletes the endpoint; its deliveries cascade.
func (r repo) DeleteWebhookEndpoint(ctx context.Context, shopID, id string) error {
	res, err := r.w.ExecContext(ctx, `DELETE FROM webhook_endpoints WHERE shop_id = ? AND id = ?`, shopID, id)
	return oneRow(res, err, "delete webhook endpoint")
}

// oneRow turns an exec result into nil, core.ErrNotFound (no row) or a
// translated error.
func oneRow(res sql.Result, err error, op string) error {
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", op, translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", op, translate(err))
	}
	if n == 0 {
		return fmt.Errorf("sqlite: %s: %w", op, core.ErrNotFound)
	}
	return nil
}

// UndispatchedEvents returns events not yet fanned out, oldest first. The
// single writer connection serialises transactions, so no row lock is
// needed for two nodes not to take the same events.
func (r repo) UndispatchedEvents(ctx context.Context, limit int) ([]core.Event, error) {
	rows, err := r.w.QueryContext(ctx, `SELECT id, shop_id, type, subject_id, data, created_at FROM events
		WHERE dispatched_at IS NULL ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: undispatched events: %w", translate(err))
	}
	return readEvents(rows, "undispatched events")
}

// MarkEventsDispatched stamps the events as fanned out.
func (r repo) MarkEventsDispatched(ctx context.Context, ids []string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, 0, len(ids)+1)
	args = append(args, micros(at))
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := r.w.ExecContext(ctx, `UPDATE events SET dispatched_at = ? WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return fmt.Errorf("sqlite: mark events dispatched: %w", translate(err))
	}
	return nil
}

// CreateWebhookDelivery inserts d unless the endpoint already has a
// delivery of the event.
func (r repo) CreateWebhookDelivery(ctx context.Context, d *core.WebhookDelivery) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO webhook_deliveries (id, shop_id, endpoint_id, event_id, status, attempts,
		next_attempt_at, last_status, last_error, created_at, updated_at)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ? AND shop_id = ?)
		  AND EXISTS (SELECT 1 FROM events WHERE id = ? AND shop_id = ?)
		ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
		d.ID, d.ShopID, d.EndpointID, d.EventID, d.Status, d.Attempts, micros(d.NextAttemptAt), d.LastStatus, d.LastError,
		micros(d.CreatedAt), micros(d.UpdatedAt), d.EndpointID, d.ShopID, d.EventID, d.ShopID)
	if err != nil {
		return fmt.Errorf("sqlite: create webhook delivery: %w", translate(err))
	}
	return nil
}

const deliveryColumns = `d.id, d.shop_id, d.endpoint_id, d.event_id, d.status, d.attempts, d.next_attempt_at, d.lease_until,
	d.last_status, d.last_error, d.created_at, d.updated_at`

func scanDelivery(sc scanner, extra ...any) (*core.WebhookDelivery, error) {
	var (
		d                      core.WebhookDelivery
		next, created, updated int64
		lease                  sql.NullInt64
	)
	dest := append([]any{&d.ID, &d.ShopID, &d.EndpointID, &d.EventID, &d.Status, &d.Attempts, &next, &lease,
		&d.LastStatus, &d.LastError, &created, &updated}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	d.NextAttemptAt, d.LeaseUntil = fromMicros(next), fromNullMicros(lease)
	d.CreatedAt, d.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &d, nil
}

// ClaimWebhookDeliveries leases due deliveries of enabled endpoints. The
// UPDATE ... RETURNING runs on the single writer, so two claims never
// overlap.
func (r repo) ClaimWebhookDeliveries(ctx context.Context, now, leaseUntil time.Time, limit int) ([]core.WebhookDelivery, error) {
	rows, err := r.w.QueryContext(ctx, `UPDATE webhook_deliveries SET lease_until = ?
		WHERE id IN (SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
			WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?) AND e.disabled = 0
			ORDER BY d.next_attempt_at, d.id LIMIT ?)
		RETURNING id`, micros(leaseUntil), micros(now), micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim webhook deliveries: %w", translate(err))
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: claim webhook deliveries: %w", translate(err))
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: claim webhook deliveries: %w", translate(err))
	}
	out := make([]core.WebhookDelivery, 0, len(ids))
	for _, id := range ids {
		d, err := r.claimedDelivery(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, nil
}

// claimedDelivery reads a delivery with its event and endpoint.
func (r repo) claimedDelivery(ctx context.Context, id string) (*core.WebhookDelivery, error) {
	var (
		ev      core.Event
		data    string
		created int64
	)
	d, err := scanDelivery(r.w.QueryRowContext(ctx, `SELECT `+deliveryColumns+`, v.type, v.subject_id, v.data, v.created_at
		FROM webhook_deliveries d JOIN events v ON v.id = d.event_id WHERE d.id = ?`, id),
		&ev.Type, &ev.SubjectID, &data, &created)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claimed delivery: %w", translate(err))
	}
	if err := json.Unmarshal([]byte(data), &ev.Data); err != nil {
		return nil, fmt.Errorf("sqlite: claimed delivery: %w", err)
	}
	ev.ID, ev.ShopID, ev.CreatedAt = d.EventID, d.ShopID, fromMicros(created)
	d.Event = &ev
	if d.Endpoint, err = r.GetWebhookEndpoint(ctx, d.ShopID, d.EndpointID); err != nil {
		return nil, err
	}
	return d, nil
}

// FinishWebhookAttempt records an attempt's outcome and drops the lease.
func (r repo) FinishWebhookAttempt(ctx context.Context, d *core.WebhookDelivery) error {
	res, err := r.w.ExecContext(ctx, `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, lease_until = NULL,
		last_status = ?, last_error = ?, updated_at = ? WHERE shop_id = ? AND id = ?`,
		d.Status, d.Attempts, micros(d.NextAttemptAt), d.LastStatus, d.LastError, micros(d.UpdatedAt), d.ShopID, d.ID)
	return oneRow(res, err, "finish webhook attempt")
}

// ListWebhookDeliveries pages an endpoint's deliveries by id.
func (r repo) ListWebhookDeliveries(ctx context.Context, shopID, endpointID, after string, limit int) ([]core.WebhookDelivery, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries d
		WHERE d.shop_id = ? AND d.endpoint_id = ? AND d.id > ? ORDER BY d.id LIMIT ?`, shopID, endpointID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list webhook deliveries: %w", translate(err))
	}
	defer rows.Close()
	out := []core.WebhookDelivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list webhook deliveries: %w", translate(err))
		}
		out = append(out, *d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list webhook deliveries: %w", translate(err))
	}
	return out, nil
}

// RequeueWebhookDeliveries makes matching deliveries pending and due now,
// creating the missing ones, in one transaction on the writer.
func (r repo) RequeueWebhookDeliveries(ctx context.Context, shopID, endpointID, eventID string, since, until, now time.Time) (int, error) {
	const match = `shop_id = ? AND (? = '' OR id = ?) AND created_at >= ? AND created_at < ?`
	args := []any{shopID, eventID, eventID, micros(since), micros(until)}
	if _, err := r.GetWebhookEndpoint(ctx, shopID, endpointID); err != nil {
		return 0, err
	}
	// Missing deliveries get ids derived from the endpoint and event, which
	// are unique together; the id only has to be unique and stable.
	_, err := r.w.ExecContext(ctx, `INSERT INTO webhook_deliveries (id, shop_id, endpoint_id, event_id, status, attempts,
		next_attempt_at, last_status, last_error, created_at, updated_at)
		SELECT 'whd_' || ? || '_' || substr(id, 5), shop_id, ?, id, 'pending', 0, ?, 0, '', ?, ? FROM events WHERE `+match+`
		ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
		append([]any{strings.TrimPrefix(endpointID, "whe_"), endpointID, micros(now), micros(now), micros(now)}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("sqlite: requeue webhook deliveries: %w", translate(err))
	}
	res, err := r.w.ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, lease_until = NULL, updated_at = ?
		WHERE shop_id = ? AND endpoint_id = ? AND event_id IN (SELECT id FROM events WHERE `+match+`)`,
		append([]any{micros(now), micros(now), shopID, endpointID}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("sqlite: requeue webhook deliveries: %w", translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: requeue webhook deliveries: %w", translate(err))
	}
	return int(n), nil
}
