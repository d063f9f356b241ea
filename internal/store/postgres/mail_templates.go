package postgres

import (
	"context"
	"fmt"

	"github.com/clientele/clientele/internal/core"
)

// PutMailTemplate inserts or replaces the shop's template of t.Kind. A
// shop that does not exist is core.ErrNotFound.
func (r repo) PutMailTemplate(ctx context.Context, t *core.MailTemplate) error {
	_, err := r.checkedExec(ctx, `INSERT INTO mail_templates (shop_id, kind, subject, text_body, html_body, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (shop_id, kind) DO UPDATE SET subject = excluded.subject, text_body = excluded.text_body,
		    html_body = excluded.html_body, updated_at = excluded.updated_at`,
		t.ShopID, t.Kind, t.Subject, t.Text, t.HTML, t.UpdatedAt)
	if err != nil {
		return fmt.Errorf("postgres: put mail template: %w", translate(err))
	}
	return nil
}

// GetMailTemplate finds the shop's template of kind.
func (r repo) GetMailTemplate(ctx context.Context, shopID, kind string) (*core.MailTemplate, error) {
	var t core.MailTemplate
	err := r.q.QueryRow(ctx, `SELECT shop_id, kind, subject, text_body, html_body, updated_at
		FROM mail_templates WHERE shop_id = $1 AND kind = $2`, shopID, kind).
		Scan(&t.ShopID, &t.Kind, &t.Subject, &t.Text, &t.HTML, &t.UpdatedAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: get mail template: %w", translate(err))
	}
	t.UpdatedAt = t.UpdatedAt.UTC()
	return &t, nil
}

// ListMailTemplates returns the shop's templates ordered by kind.
func (r repo) ListMailTemplates(ctx context.Context, shopID string) ([]core.MailTemplate, error) {
	rows, err := r.q.Query(ctx, `SELECT shop_id, kind, subject, text_body, html_body, updated_at
		FROM mail_templates WHERE shop_id = $1 ORDER BY kind`, shopID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list mail templates: %w", translate(err))
	}
	defer rows.Close()
	out := []core.MailTemplate{}
	for rows.Next() {
		var t core.MailTemplate
		if err := rows.Scan(&t.ShopID, &t.Kind, &t.Subject, &t.Text, &t.HTML, &t.UpdatedAt); err != nil {
			return nil, fmt.Errorf("postgres: list mail templates: %w", translate(err))
		}
		t.UpdatedAt = t.UpdatedAt.UTC()
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list mail templates: %w", translate(err))
	}
	return out, nil
}

// DeleteMailTemplate removes the shop's template of kind.
func (r repo) DeleteMailTemplate(ctx context.Context, shopID, kind string) error {
	return execOne(ctx, r.q, "delete mail template", `DELETE FROM mail_templates WHERE shop_id = $1 AND kind = $2`, shopID, kind)
}
