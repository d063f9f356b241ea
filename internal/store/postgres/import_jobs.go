package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

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
	_, err = r.checkedExec(ctx, `INSERT INTO import_jobs (`+importJobColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		j.ID, j.ShopID, j.Format, string(j.Status), j.SizeBytes, j.Peppered, j.Counts.Read, j.Counts.Created,
		j.Counts.Updated, j.Counts.Skipped, j.Counts.Failed, errs, j.Failure, j.CreatedAt,
		j.StartedAt, j.FinishedAt, j.HeartbeatAt)
	if err != nil {
		return fmt.Errorf("postgres: create import job: %w", translate(err))
	}
	return nil
}

// UpdateImportJob writes the job's mutable fields.
func (r repo) UpdateImportJob(ctx context.Context, j *core.ImportJob) error {
	errs, err := storejson.EncodeImportJobErrors(j.Errors)
	if err != nil {
		return err
	}
	tag, err := r.checkedExec(ctx, `UPDATE import_jobs SET status = $1, rows_read = $2, created = $3,
		updated = $4, skipped = $5, failed = $6, errors = $7, failure = $8, started_at = $9, finished_at = $10,
		heartbeat_at = $11 WHERE shop_id = $12 AND id = $13`,
		string(j.Status), j.Counts.Read, j.Counts.Created, j.Counts.Updated, j.Counts.Skipped, j.Counts.Failed, errs,
		j.Failure, j.StartedAt, j.FinishedAt, j.HeartbeatAt, j.ShopID, j.ID)
	switch {
	case err != nil:
		return fmt.Errorf("postgres: update import job: %w", translate(err))
	case tag.RowsAffected() == 0:
		return fmt.Errorf("postgres: update import job: %w", core.ErrNotFound)
	}
	return nil
}

// GetImportJob returns the shop's job.
func (r repo) GetImportJob(ctx context.Context, shopID, id string) (*core.ImportJob, error) {
	j, err := scanImportJob(r.q.QueryRow(ctx, `SELECT `+importJobColumns+`
		FROM import_jobs WHERE shop_id = $1 AND id = $2`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get import job: %w", err)
	}
	return j, nil
}

// ListImportJobs pages the shop's jobs by id.
func (r repo) ListImportJobs(ctx context.Context, shopID, after string, limit int) ([]core.ImportJob, error) {
	rows, err := r.q.Query(ctx, `SELECT `+importJobColumns+`
		FROM import_jobs WHERE shop_id = $1 AND id > $2 ORDER BY id LIMIT $3`, shopID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list import jobs: %w", translate(err))
	}
	defer rows.Close()
	out := []core.ImportJob{}
	for rows.Next() {
		j, err := scanImportJob(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list import jobs: %w", err)
		}
		out = append(out, *j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list import jobs: %w", translate(err))
	}
	return out, nil
}

// FailStaleImportJobs fails every unfinished job with a stale heartbeat.
func (r repo) FailStaleImportJobs(ctx context.Context, staleBefore, now time.Time, failure string) (int, error) {
	tag, err := r.checkedExec(ctx, `UPDATE import_jobs SET status = $1, failure = $2, finished_at = $3
		WHERE status IN ($4, $5) AND heartbeat_at < $6`,
		string(core.ImportJobFailed), failure, now, string(core.ImportJobQueued), string(core.ImportJobRunning), staleBefore)
	if err != nil {
		return 0, fmt.Errorf("postgres: fail stale import jobs: %w", translate(err))
	}
	return int(tag.RowsAffected()), nil
}

func scanImportJob(row pgx.Row) (*core.ImportJob, error) {
	var (
		j      core.ImportJob
		status string
		errs   []byte
	)
	if err := row.Scan(&j.ID, &j.ShopID, &j.Format, &status, &j.SizeBytes, &j.Peppered, &j.Counts.Read, &j.Counts.Created,
		&j.Counts.Updated, &j.Counts.Skipped, &j.Counts.Failed, &errs, &j.Failure, &j.CreatedAt, &j.StartedAt,
		&j.FinishedAt, &j.HeartbeatAt); err != nil {
		return nil, translate(err)
	}
	j.Status = core.ImportJobStatus(status)
	var err error
	if j.Errors, err = storejson.DecodeImportJobErrors(errs); err != nil {
		return nil, err
	}
	j.CreatedAt, j.HeartbeatAt = utc(j.CreatedAt), utc(j.HeartbeatAt)
	j.StartedAt, j.FinishedAt = utcPtr(j.StartedAt), utcPtr(j.FinishedAt)
	return &j, nil
}

// PutLegacyPepper inserts the shop's sealed pepper; a second one is
// core.ErrConflict (primary key), a missing shop core.ErrNotFound.
func (r repo) PutLegacyPepper(ctx context.Context, shopID string, sealed []byte, now time.Time) error {
	_, err := r.checkedExec(ctx, `INSERT INTO shop_legacy_peppers (shop_id, sealed, created_at) VALUES ($1, $2, $3)`,
		shopID, sealed, now)
	if err != nil {
		return fmt.Errorf("postgres: put legacy pepper: %w", translate(err))
	}
	return nil
}

// GetLegacyPepper returns the shop's sealed pepper.
func (r repo) GetLegacyPepper(ctx context.Context, shopID string) ([]byte, error) {
	var sealed []byte
	err := r.q.QueryRow(ctx, `SELECT sealed FROM shop_legacy_peppers WHERE shop_id = $1`, shopID).Scan(&sealed)
	if err != nil {
		return nil, fmt.Errorf("postgres: get legacy pepper: %w", translate(err))
	}
	return sealed, nil
}
