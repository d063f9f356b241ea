package sqlite

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
	_, err := r.w.ExecContext(ctx, `INSERT INTO idempotency_records (`+idempotencyColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rec.ID, rec.ShopID, rec.CustomerID, rec.Key, rec.Fingerprint, rec.Status, rec.ContentType, nonNilBytes(rec.Body),
		micros(rec.CreatedAt), micros(rec.ExpiresAt))
	if err != nil {
		return fmt.Errorf("sqlite: create idempotency record: %w", translate(err))
	}
	return nil
}

// GetIdempotencyRecord finds the shop's customer's record of a key,
// expired or not (expiry is core's to judge).
func (r repo) GetIdempotencyRecord(ctx context.Context, shopID, customerID, key string) (*core.IdempotencyRecord, error) {
	var (
		rec              core.IdempotencyRecord
		created, expires int64
	)
	err := r.r.QueryRowContext(ctx, `SELECT `+idempotencyColumns+` FROM idempotency_records
		WHERE shop_id = ? AND customer_id = ? AND key = ?`, shopID, customerID, key).
		Scan(&rec.ID, &rec.ShopID, &rec.CustomerID, &rec.Key, &rec.Fingerprint, &rec.Status, &rec.ContentType,
			&rec.Body, &created, &expires)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get idempotency record: %w", translate(err))
	}
	rec.CreatedAt, rec.ExpiresAt = fromMicros(created), fromMicros(expires)
	rec.Body = nonNilBytes(rec.Body)
	return &rec, nil
}

// CompleteIdempotencyRecord stores the response of a running record; a
// finished, missing or other customer's record is core.ErrNotFound.
func (r repo) CompleteIdempotencyRecord(ctx context.Context, rec *core.IdempotencyRecord) error {
	return execOne(ctx, r.w, "complete idempotency record", `UPDATE idempotency_records
		SET status = ?, content_type = ?, body = ?, expires_at = ?
		WHERE shop_id = ? AND customer_id = ? AND id = ? AND status = 0`,
		rec.Status, rec.ContentType, nonNilBytes(rec.Body), micros(rec.ExpiresAt), rec.ShopID, rec.CustomerID, rec.ID)
}

// DeleteIdempotencyRecord removes one record of the shop's customer.
func (r repo) DeleteIdempotencyRecord(ctx context.Context, shopID, customerID, id string) error {
	return execOne(ctx, r.w, "delete idempotency record",
		`DELETE FROM idempotency_records WHERE shop_id = ? AND customer_id = ? AND id = ?`, shopID, customerID, id)
}

// PurgeIdempotencyRecords deletes up to limit expired records, oldest
// expiry first, through the expires_at index.
func (r repo) PurgeIdempotencyRecords(ctx context.Context, before time.Time, limit int) (int, error) {
	res, err := r.w.ExecContext(ctx, `DELETE FROM idempotency_records WHERE id IN (
		SELECT id FROM idempotency_records WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`, micros(before), limit)
	if err != nil {
		return 0, fmt.Errorf("sqlite: purge idempotency records: %w", translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: purge idempotency records: %w", translate(err))
	}
	return int(n), nil
}

// nonNilBytes makes an empty body a non-nil slice, so what is read back
// equals what was written.
func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
