package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const idempotencyColumns = `id, shop_id, customer_id, key, fingerprint, status, content_type, body, created_at, expires_at`

// CreateIdempotencyRecord inserts r. A key the shop's customer already has
// is core.ErrConflict (the unique key decides between concurrent first
// uses); a customer missing from the shop core.ErrNotFound.
func (r repo) CreateIdempotencyRecord(ctx context.Context, rec *core.IdempotencyRecord) error {
	_, err := r.checkedExec(ctx, `INSERT INTO idempotency_records (`+idempotencyColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		rec.ID, rec.ShopID, rec.CustomerID, rec.Key, rec.Fingerprint, rec.Status, rec.ContentType, nonNilBytes(rec.Body),
		rec.CreatedAt, rec.ExpiresAt)
	if err != nil {
		return fmt.Errorf("postgres: create idempotency record: %w", translate(err))
	}
	return nil
}

// GetIdempotencyRecord finds the shop's customer's record of a key,
// expired or not (expiry is core's to judge).
func (r repo) GetIdempotencyRecord(ctx context.Context, shopID, customerID, key string) (*core.IdempotencyRecord, error) {
	var rec core.IdempotencyRecord
	err := r.q.QueryRow(ctx, `SELECT `+idempotencyColumns+` FROM idempotency_records
		WHERE shop_id = $1 AND customer_id = $2 AND key = $3`, shopID, customerID, key).
		Scan(&rec.ID, &rec.ShopID, &rec.CustomerID, &rec.Key, &rec.Fingerprint, &rec.Status, &rec.ContentType,
			&rec.Body, &rec.CreatedAt, &rec.ExpiresAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: get idempotency record: %w", translate(err))
	}
	rec.CreatedAt, rec.ExpiresAt = utc(rec.CreatedAt), utc(rec.ExpiresAt)
	rec.Body = nonNilBytes(rec.Body)
	return &rec, nil
}

// CompleteIdempotencyRecord stores the response of a running record; a
// finished, missing or other customer's record is core.ErrNotFound.
func (r repo) CompleteIdempotencyRecord(ctx context.Context, rec *core.IdempotencyRecord) error {
	return execOne(ctx, r.q, "complete idempotency record", `UPDATE idempotency_records
		SET status = $1, content_type = $2, body = $3, expires_at = $4
		WHERE shop_id = $5 AND customer_id = $6 AND id = $7 AND status = 0`,
		rec.Status, rec.ContentType, nonNilBytes(rec.Body), rec.ExpiresAt, rec.ShopID, rec.CustomerID, rec.ID)
}

// DeleteIdempotencyRecord removes one record of the shop's customer.
func (r repo) DeleteIdempotencyRecord(ctx context.Context, shopID, customerID, id string) error {
	return execOne(ctx, r.q, "delete idempotency record",
		`DELETE FROM idempotency_records WHERE shop_id = $1 AND customer_id = $2 AND id = $3`, shopID, customerID, id)
}

// PurgeIdempotencyRecords deletes up to limit expired records, oldest
// expiry first, through the expires_at index.
func (r repo) PurgeIdempotencyRecords(ctx context.Context, before time.Time, limit int) (int, error) {
	tag, err := r.q.Exec(ctx, `DELETE FROM idempotency_records WHERE id IN (
		SELECT id FROM idempotency_records WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)`, before, limit)
	if err != nil {
		return 0, fmt.Errorf("postgres: purge idempotency records: %w", translate(err))
	}
	return int(tag.RowsAffected()), nil
}

// nonNilBytes makes an empty body a non-nil slice, so what is read back
// equals what was written.
func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
