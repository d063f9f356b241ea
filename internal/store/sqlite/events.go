package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/clientele/clientele/internal/core"
)

// AppendEvent writes e to the outbox; an unknown shop is core.ErrNotFound.
func (r repo) AppendEvent(ctx context.Context, e *core.Event) error {
	data, err := json.Marshal(nonNilMap(e.Data))
	if err != nil {
		return fmt.Errorf("sqlite: append event: %w", err)
	}
	_, err = r.w.ExecContext(ctx, `INSERT INTO events (id, shop_id, type, subject_id, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, e.ID, e.ShopID, e.Type, e.SubjectID, string(data), micros(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: append event: %w", translate(err))
	}
	return nil
}

// ListEvents pages the shop's events by id; typ filters when set.
func (r repo) ListEvents(ctx context.Context, shopID, typ, after string, limit int) ([]core.Event, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT id, shop_id, type, subject_id, data, created_at FROM events
		WHERE shop_id = ? AND (? = '' OR type = ?) AND id > ? ORDER BY id LIMIT ?`, shopID, typ, typ, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list events: %w", translate(err))
	}
	return readEvents(rows, "list events")
}

// nonNilMap makes a nil map encode as {} rather than null.
func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// readEvents reads event rows (id, shop_id, type, subject_id, data,
// created_at) to the end and closes them; op names the caller in errors.
func readEvents(rows *sql.Rows, op string) ([]core.Event, error) {
	defer rows.Close()
	out := []core.Event{}
	for rows.Next() {
		var (
			e       core.Event
			data    string
			created int64
		)
		if err := rows.Scan(&e.ID, &e.ShopID, &e.Type, &e.SubjectID, &data, &created); err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", op, translate(err))
		}
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", op, err)
		}
		e.CreatedAt = fromMicros(created)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", op, translate(err))
	}
	return out, nil
}
