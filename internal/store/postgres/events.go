package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/core"
)

// AppendEvent writes e to the outbox; an unknown shop is core.ErrNotFound.
func (r repo) AppendEvent(ctx context.Context, e *core.Event) error {
	data := e.Data
	if data == nil {
		data = map[string]any{}
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("postgres: append event: %w", err)
	}
	_, err = r.checkedExec(ctx, `INSERT INTO events (id, shop_id, type, subject_id, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, e.ID, e.ShopID, e.Type, e.SubjectID, string(raw), utc(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("postgres: append event: %w", translate(err))
	}
	return nil
}

// ListEvents pages the shop's events by id; typ filters when set.
func (r repo) ListEvents(ctx context.Context, shopID, typ, after string, limit int) ([]core.Event, error) {
	rows, err := r.q.Query(ctx, `SELECT id, shop_id, type, subject_id, data, created_at FROM events
		WHERE shop_id = $1 AND ($2 = '' OR type = $2) AND id > $3 ORDER BY id LIMIT $4`, shopID, typ, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list events: %w", translate(err))
	}
	return readEvents(rows, "list events")
}

// readEvents reads event rows (id, shop_id, type, subject_id, data,
// created_at) to the end and closes them; op names the caller in errors.
func readEvents(rows pgx.Rows, op string) ([]core.Event, error) {
	defer rows.Close()
	out := []core.Event{}
	for rows.Next() {
		var (
			e    core.Event
			data []byte
		)
		if err := rows.Scan(&e.ID, &e.ShopID, &e.Type, &e.SubjectID, &data, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", op, translate(err))
		}
		if err := json.Unmarshal(data, &e.Data); err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", op, err)
		}
		e.CreatedAt = utc(e.CreatedAt)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, translate(err))
	}
	return out, nil
}
