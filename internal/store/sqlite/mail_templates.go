package sqlite

import (
	"context"
	"fmt"

	"github.com/clientele/clientele/internal/core"
)

// PutMailTemplate inserts or replaces the shop's template of t.Kind. A
// shop that does not exist is core.ErrNotFound.
func (r repo) PutMailTemplate(ctx context.Context, t *core.MailTemplate) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO mail_templates (shop_id, kind, subject, text_body, html_body, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (shop_id, kind) DO UPDATE SET subject = excluded.subject, text_body = excluded.text_body,
		    html_body = excluded.html_body, updated_at = excluded.updated_at`,
		t.ShopID, t.Kind, t.Subject, t.Text, t.HTML, micros(t.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: put mail template: %w", translate(err))
	}
	return nil
}

// GetMailTemplate finds the shop's template of kind.
func (r repo) GetMailTemplate(ctx context.Context, shopID, kind string) (*core.MailTemplate, error) {
	var t core.MailTemplate
	var updated int64
	err := r.r.QueryRowContext(ctx, `SELECT shop_id, kind, subject, text_body, html_body, updated_at
		FROM mail_templates WHERE shop_id = ? AND kind = ?`, shopID, kind).
		Scan(&t.ShopID, &t.Kind, &t.Subject, &t.Text, &t.HTML, &updated)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get mail template: %w", translate(err))
	}
	t.UpdatedAt = fromMicros(updated)
	return &t, nil
}

// ListMailTemplates returns the shop's templates ordered by kind.
func (r repo) ListMailTemplates(ctx context.Context, shopID string) ([]core.MailTemplate, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT shop_id, kind, subject, text_body, html_body, updated_at
		FROM mail_templates WHERE shop_id = ? ORDER BY kind`, shopID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list mail templates: %w", translate(err))
	}
	defer rows.Close()
	out := []core.MailTemplate{}
	for rows.Next() {
		var t core.MailTemplate
		var updated int64
		if err := rows.Scan(&t.ShopID, &t.Kind, &t.Subject, &t.Text, &t.HTML, &updated); err != nil {
			return nil, fmt.Errorf("sqlite: list mail templates: %w", translate(err))
		}
		t.UpdatedAt = fromMicros(updated)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list mail templates: %w", translate(err))
	}
	return out, nil
}

// DeleteMailTemplate removes the shop's template of kind.
func (r repo) DeleteMailTemplate(ctx context.Context, shopID, kind string) error {
	return execOne(ctx, r.w, "delete mail template", `DELETE FROM mail_templates WHERE shop_id = ? AND kind = ?`, shopID, kind)
}
