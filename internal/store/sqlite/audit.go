package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const auditColumns = `id, shop_id, type, customer_id, actor, email_masked, ip, user_agent, request_id, detail, created_at`

// AppendAudit inserts e.
func (r repo) AppendAudit(ctx context.Context, e *core.AuditEntry) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.ShopID, e.Type, e.CustomerID, e.Actor, e.EmailMasked, e.IP, e.UserAgent, e.RequestID, e.Detail, micros(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: append audit: %w", translate(err))
	}
	return nil
}

// ListAudit returns the shop's entries matching q, newest first, below before.
func (r repo) ListAudit(ctx context.Context, shopID string, q core.AuditQuery, before string, limit int) ([]core.AuditEntry, error) {
	var since, until int64 = 0, 1<<63 - 1
	if !q.Since.IsZero() {
		since = micros(q.Since)
	}
	if !q.Until.IsZero() {
		until = micros(q.Until)
	}
	rows, err := r.r.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log
		WHERE shop_id = ? AND (? = '' OR type = ?) AND (? = '' OR customer_id = ?)
		  AND created_at >= ? AND created_at < ? AND (? = '' OR id < ?)
		ORDER BY id DESC LIMIT ?`,
		shopID, q.Type, q.Type, q.CustomerID, q.CustomerID, since, until, before, before, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list audit: %w", translate(err))
	}
	defer rows.Close()
	out := []core.AuditEntry{}
	for rows.Next() {
		var e core.AuditEntry
		var created int64
		if err := rows.Scan(&e.ID, &e.ShopID, &e.Type, &e.CustomerID, &e.Actor, &e.EmailMasked, &e.IP, &e.UserAgent,
			&e.RequestID, &e.Detail, &created); err != nil {
			return nil, fmt.Errorf("sqlite: list audit: %w", translate(err))
		}
		e.CreatedAt = fromMicros(created)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list audit: %w", translate(err))
	}
	return out, nil
}

// PurgeAudit deletes entries created before cutoff.
func (r repo) PurgeAudit(ctx context.Context, cutoff time.Time) (int, error) {
	res, err := r.w.ExecContext(ctx, `DELETE FROM audit_log WHERE created_at < ?`, micros(cutoff))
	if err != nil {
		return 0, fmt.Errorf("sqlite: purge audit: %w", translate(err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}
