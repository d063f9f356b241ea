package core

import (
	"context"
	"time"
)

// ImportJobStatus is where an import job is.
type ImportJobStatus string

// Import job statuses. A job goes queued → running → succeeded or failed;
// they are part of the admin API's contract: never rename one.
const (
	ImportJobQueued    ImportJobStatus = "queued"
	ImportJobRunning   ImportJobStatus = "running"
	ImportJobSucceeded ImportJobStatus = "succeeded"
	ImportJobFailed    ImportJobStatus = "failed"
)

// ImportJob is one uploaded export file being imported in the background
// (POST /admin/v1/imports). Its row is what outlives the request and the
// process: the file itself is spooled to the node's disk by the runner
// (internal/importer.Jobs).
type ImportJob struct {
	ID     string
	ShopID string
	// Format is the importer's format name (spree, medusa, …).
	Format string
	Status ImportJobStatus
	// SizeBytes is the uploaded file's size.
	SizeBytes int64
	// Peppered tells the spree hashes were imported with the store's
	// legacy pepper; the pepper itself is never part of a job.
	Peppered bool
	Counts   ImportJobCounts
	// Errors are the first MaxImportJobErrors rejected records.
	Errors []ImportJobError
	// Failure says why a failed job failed as a whole (empty otherwise).
	Failure    string
	CreatedAt  time.Time
	StartedAt  *time.Time
	FinishedAt *time.Time
	// HeartbeatAt is bumped while the job runs; a queued or running job
	// whose heartbeat is older than ImportJobStaleAfter was interrupted.
	HeartbeatAt time.Time
}

// ImportJobCounts are a job's record outcomes so far.
type ImportJobCounts struct {
	Read    int `json:"read"`
	Created int `json:"created"`
	Updated int `json:"updated"`
	Skipped int `json:"skipped"`
	Failed  int `json:"failed"`
}

// ImportJobError is one rejected record of a job. It names the record by
// line and external id, never by e-mail: job status is shown to anyone
// holding the store's secret key and kept after the import.
type ImportJobError struct {
	Line       int    `json:"line"`
	ExternalID string `json:"external_id,omitempty"`
	Reason     string `json:"reason"`
	Message    string `json:"message"`
}

// ImportJobStore keeps import jobs and stores' sealed legacy peppers.
type ImportJobStore interface {
	// CreateImportJob inserts a job; ErrNotFound when the shop does not
	// exist.
	CreateImportJob(ctx context.Context, j *ImportJob) error
	// UpdateImportJob writes the job's status, counts, errors, failure,
	// times and heartbeat (matched by ShopID+ID), or ErrNotFound.
	UpdateImportJob(ctx context.Context, j *ImportJob) error
	// GetImportJob returns the shop's job, or ErrNotFound (also for
	// another shop's job).
	GetImportJob(ctx context.Context, shopID, id string) (*ImportJob, error)
	// ListImportJobs returns up to limit of the shop's jobs with id > after,
	// in id order.
	ListImportJobs(ctx context.Context, shopID, after string, limit int) ([]ImportJob, error)
	// FailStaleImportJobs marks failed, with failure as the reason and now
	// as finish time, every queued or running job (of any shop) whose
	// heartbeat is before staleBefore, and returns how many.
	FailStaleImportJobs(ctx context.Context, staleBefore, now time.Time, failure string) (int, error)

	// PutLegacyPepper stores the shop's sealed legacy pepper if it has
	// none; ErrConflict when it has one already, ErrNotFound when the shop
	// does not exist.
	PutLegacyPepper(ctx context.Context, shopID string, sealed []byte, now time.Time) error
	// GetLegacyPepper returns the shop's sealed legacy pepper, or
	// ErrNotFound.
	GetLegacyPepper(ctx context.Context, shopID string) ([]byte, error)
}
