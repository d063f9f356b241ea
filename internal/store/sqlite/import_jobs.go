package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/store/storejson"
)

const importJobColumns = `id, shop_id, format, status, size_bytes, peppered, rows_read, created, updated, skipped, failed,
	errors, failure, created_at, started_at, finished_at, heartbeat_at`

// CreateImportJob inserts a job; the shop's foreign key makes a missing
// shop core.ErrNotFound.
func (r repo) CreateImportJob(ctx context.Context, j *core.ImportJob) error {
	errs, err := storejson.EncodeImportJobErrors(j.Errors)
	if err != nil {
		return err
	}
	_, err = r.w.ExecContext(ctx, `INSERT INTO import_jobs (`+importJobColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		j.ID, j.ShopID, j.Format, string(j.Status), j.SizeBytes, j.Peppered, j.Counts.Read, j.Counts.Created,
		j.Counts.Updated, j.Counts.Skipped, j.Counts.Failed, errs, j.Failure, micros(j.CreatedAt),
		nullMicros(j.StartedAt), nullMicros(j.FinishedAt), micros(j.HeartbeatAt))
	if err != nil {
		return fmt.Errorf("sqlite: create import job: %w", translate(err))
	}
	return nil
}

// UpdateImportJob writes the job's mutable fields.
func (r repo) UpdateImportJob(ctx context.Context, j *core.ImportJob) error {
	errs, err := storejson.EncodeImportJobErrors(j.Errors)
	if err != nil {
		return err
	}
	return execOne(ctx, r.w, "update import job", `UPDATE import_jobs SET status = ?, rows_read = ?, created = ?,
		updated = ?, skipped = ?, failed = ?, errors = ?, failure = ?, started_at = ?, finished_at = ?, heartbeat_at = ?
		WHERE shop_id = ? AND id = ?`,
		string(j.Status), j.Counts.Read, j.Counts.Created, j.Counts.Updated, j.Counts.Skipped, j.Counts.Failed, errs,
		j.Failure, nullMicros(j.StartedAt), nullMicros(j.FinishedAt), micros(j.HeartbeatAt), j.ShopID, j.ID)
}

// GetImportJob returns the shop's job.
func (r repo) GetImportJob(ctx context.Context, shopID, id string) (*core.ImportJob, error) {
	j, err := scanImportJob(r.r.QueryRowContext(ctx, `SELECT `+importJobColumns+`
		FROM import_jobs WHERE shop_id = ? AND id = ?`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get import job: %w", err)
	}
	return j, nil
}

// ListImportJobs pages the shop's jobs by id.
func (r repo) ListImportJobs(ctx context.Context, shopID, after string, limit int) ([]core.ImportJob, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT `+importJobColumns+`
		FROM import_jobs WHERE shop_id = ? AND id > ? ORDER BY id LIMIT ?`, shopID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list import jobs: %w", translate(err))
	}
	defer rows.Close()
	out := []core.ImportJob{}
	for rows.Next() {
		j, err := scanImportJob(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list import jobs: %w", err)
		}
		out = append(out, *j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list import jobs: %w", translate(err))
	}
	return out, nil
}

// FailStaleImportJobs fails every unfinished job with a stale heartbeat.
func (r repo) FailStaleImportJobs(ctx context.Context, staleBefore, now time.Time, failure string) (int, error) {
	res, err := r.w.ExecContext(ctx, `UPDATE import_jobs SET status = ?, failure = ?, finished_at = ?
		WHERE status IN (?, ?) AND heartbeat_at < ?`,
		string(core.ImportJobFailed), failure, micros(now), string(core.ImportJobQueued), string(core.ImportJobRunning), micros(staleBefore))
	if err != nil {
		return 0, fmt.Errorf("sqlite: fail stale import jobs: %w", translate(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: fail stale import jobs: %w", translate(err))
	}
	return int(n), nil
}

func scanImportJob(sc scanner) (*core.ImportJob, error) {
	var (
		j                 core.ImportJob
		status, errs      string
		created, beat     int64
		started, finished sql.NullInt64
	)
	if err := sc.Scan(&j.ID, &j.ShopID, &j.Format, &status, &j.SizeBytes, &j.Peppered, &j.Counts.Read, &j.Counts.Created,
		&j.Counts.Updated, &j.Counts.Skipped, &j.Counts.Failed, &errs, &j.Failure, &created, &started, &finished, &beat); err != nil {
		return nil, translate(err)
	}
	j.Status = core.ImportJobStatus(status)
	var err error
	if j.Errors, err = storejson.DecodeImportJobErrors([]byte(errs)); err != nil {
		return nil, err
	}
	j.CreatedAt, j.HeartbeatAt = fromMicros(created), fromMicros(beat)
	j.StartedAt, j.FinishedAt = fromNullMicros(started), fromNullMicros(finished)
	return &j, nil
}

// PutLegacyPepper inserts the shop's sealed pepper; a second one is
// core.ErrConflict (primary key), a missing shop core.ErrNotFound.
func (r repo) PutLegacyPepper(ctx context.Context, shopID string, sealed []byte, now time.Time) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO shop_legacy_peppers (shop_id, sealed, created_at) VALUES (?, ?, ?)`,
		shopID, sealed, micros(now))
	if err != nil {
		return fmt.Errorf("sqlite: put legacy pepper: %w", translate(err))
	}
	return nil
}

// GetLegacyPepper returns the shop's sealed pepper.
func (r repo) GetLegacyPepper(ctx context.Context, shopID string) ([]byte, error) {
	var sealed []byte
	err := r.r.QueryRowContext(ctx, `SELECT sealed FROM shop_legacy_peppers WHERE shop_id = ?`, shopID).Scan(&sealed)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get legacy pepper: %w", translate(err))
	}
	return sealed, nil
}
