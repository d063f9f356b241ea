package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const auditColumns = `id, shop_id, type, customer_id, actor, email_masked, ip, user_agent, request_id, detail, created_at`

// AppendAudit inserts e.
func (r repo) AppendAudit(ctx context.Context, e *core.AuditEntry) error {
	_, err := r.checkedExec(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.ID, e.ShopID, e.Type, e.CustomerID, e.Actor, e.EmailMasked, e.IP, e.UserAgent, e.RequestID, e.Detail, e.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: append audit: %w", translate(err))
	}
	return nil
}

// ListAudit returns the shop's entries matching q, newest first, below before.
func (r repo) ListAudit(ctx context.Context, shopID string, q core.AuditQuery, before string, limit int) ([]core.AuditEntry, error) {
	var since, until *time.Time
	if !q.Since.IsZero() {
		since = &q.Since
	}
	if !q.Until.IsZero() {
		until = &q.Until
	}
	rows, err := r.q.Query(ctx, `SELECT `+auditColumns+` FROM audit_log
		WHERE shop_id = $1 AND ($2 = '' OR type = $2) AND ($3 = '' OR customer_id = $3)
		  AND ($4::timestamptz IS NULL OR created_at >= $4) AND ($5::timestamptz IS NULL OR created_at < $5)
		  AND ($6 = '' OR id < $6)
		ORDER BY id DESC LIMIT $7`,
		shopID, q.Type, q.CustomerID, since, until, before, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list audit: %w", translate(err))
	}
	defer rows.Close()
	out := []core.AuditEntry{}
	for rows.Next() {
		var e core.AuditEntry
		if err := rows.Scan(&e.ID, &e.ShopID, &e.Type, &e.CustomerID, &e.Actor, &e.EmailMasked, &e.IP, &e.UserAgent,
			&e.RequestID, &e.Detail, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: list audit: %w", translate(err))
		}
		e.CreatedAt = e.CreatedAt.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list audit: %w", translate(err))
	}
	return out, nil
}

// PurgeAudit deletes entries created before cutoff.
func (r repo) PurgeAudit(ctx context.Context, cutoff time.Time) (int, error) {
	tag, err := r.q.Exec(ctx, `DELETE FROM audit_log WHERE created_at < $1`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("postgres: purge audit: %w", translate(err))
	}
	return int(tag.RowsAffected()), nil
}
