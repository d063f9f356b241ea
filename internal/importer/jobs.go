package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// DefaultMaxUpload is the largest file the admin API takes as one job:
// a few hundred thousand customers of any format fit, and the spool file
// it costs on the node's disk stays bounded.
const DefaultMaxUpload = 256 << 20

// jobSaveEvery bounds how often progress is written between batches: a
// fast import must not turn every 500-row batch into a status write too.
const jobSaveEvery = time.Second

// JobsConfig configures a Jobs runner.
type JobsConfig struct {
	// Dir is where uploads are spooled; empty means os.TempDir().
	Dir string
	// MaxUpload is the largest upload in bytes (DefaultMaxUpload if 0).
	MaxUpload int64
	// Concurrency is how many jobs one node runs at once (1 if 0); the
	// others wait queued. An import is database-bound: two at once on one
	// node only halve each other's speed.
	Concurrency int
	Logger      *slog.Logger
}

// Jobs runs uploaded export files as background import jobs, on the same
// Import the CLI runs. The file is spooled to disk, not kept in memory or
// in the database: an upload may be hundreds of megabytes, which neither a
// heap nor a database row should hold, and it is read once, by this node.
// The job's row (core.ImportJob) is what others see. A job whose node stops
// is failed by core (stale heartbeat), never resumed: its spool file was on
// that node, and a re-upload resumes the import anyway (rows already
// imported come back skipped).
type Jobs struct {
	svc    *core.Service
	cfg    JobsConfig
	slots  chan struct{}
	ctx    context.Context // jobs run under it; Close cancels it
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewJobs returns a runner over svc.
func NewJobs(svc *core.Service, cfg JobsConfig) *Jobs {
	if cfg.Dir == "" {
		cfg.Dir = os.TempDir()
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 1
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Jobs{svc: svc, cfg: cfg, slots: make(chan struct{}, cfg.Concurrency), ctx: ctx, cancel: cancel}
}

// MaxUpload is the largest upload Submit takes, in bytes.
func (j *Jobs) MaxUpload() int64 { return j.cfg.MaxUpload }

// TooLargeError is an upload over the limit.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the file is larger than the %d MiB an import job takes; split it (JSON Lines split on any line) or use `clientele customers import`", e.Limit>>20)
}

// Submit spools body to disk, records a queued job of the shop and starts
// it in the background. pepper is the Devise pepper of a spree file ("" for
// none); it is recorded for the store before the job exists (a conflict
// with the store's pepper refuses the upload) and never kept with the job.
func (j *Jobs) Submit(ctx context.Context, sh *core.Shop, format, pepper string, body io.Reader) (*core.ImportJob, error) {
	switch {
	case !ValidFormat(format):
		return nil, invalid("format", fmt.Sprintf("format must be one of %s", strings.Join(Formats, ", ")))
	case pepper != "" && !slices.Contains(PepperFormats, format):
		return nil, invalid("pepper", fmt.Sprintf("a pepper applies to the %s format only", strings.Join(PepperFormats, ", ")))
	}
	path, size, err := j.spool(body)
	if err != nil {
		return nil, err
	}
	keep := false
	defer func() {
		if !keep {
			_ = os.Remove(path)
		}
	}()
	if pepper != "" {
		if err := j.svc.SetLegacyPepper(ctx, sh.ID, pepper, false); err != nil {
			return nil, err
		}
	}
	job, err := j.svc.CreateImportJob(ctx, sh.ID, format, size, pepper != "")
	if err != nil {
		return nil, err
	}
	keep = true
	// The runner gets its own copy: the caller renders the queued job
	// while the runner is already changing it.
	running := *job
	running.Errors = slices.Clone(job.Errors)
	j.wg.Add(1)
	go j.run(&running, sh, path, pepper)
	return job, nil
}

// spool copies body to a new file in Dir, refusing empty and oversize
// bodies.
func (j *Jobs) spool(body io.Reader) (string, int64, error) {
	f, err := os.CreateTemp(j.cfg.Dir, "clientele-import-*")
	if err != nil {
		return "", 0, fmt.Errorf("import spool: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(body, j.cfg.MaxUpload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
	case n > j.cfg.MaxUpload:
		err = &TooLargeError{Limit: j.cfg.MaxUpload}
	case n == 0:
		err = invalid("body", "the request body is empty: send the export file as the body")
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return "", 0, err
	}
	return f.Name(), n, nil
}

func invalid(field, msg string) error {
	return &core.ValidationError{Code: core.CodeValidationFailed, Fields: []core.FieldError{{Field: field, Code: core.FieldInvalid, Message: msg}}}
}

// run waits for a slot, imports the spooled file and records the outcome.
func (j *Jobs) run(job *core.ImportJob, sh *core.Shop, path, pepper string) {
	defer j.wg.Done()
	defer os.Remove(path)
	st := &jobState{svc: j.svc, job: job, log: j.cfg.Logger}
	stop := st.heartbeat(j.ctx)
	defer stop()
	select {
	case j.slots <- struct{}{}:
		defer func() { <-j.slots }()
	case <-j.ctx.Done():
		st.finish(Summary{}, j.ctx.Err(), path)
		return
	}
	st.start()
	opt := Options{Format: job.Format, Pepper: pepper,
		Progress: func(p Progress) {
			st.update(func(job *core.ImportJob) { job.Counts = counts(p.Summary) }, false)
		},
		OnReject: func(r core.ImportResult) {
			st.update(func(job *core.ImportJob) {
				if len(job.Errors) < core.MaxImportJobErrors {
					job.Errors = append(job.Errors, core.ImportJobError{Line: r.Line, ExternalID: r.ExternalID, Reason: r.Reason, Message: r.Message})
				}
			}, false)
		},
	}
	// The pepper was recorded at Submit; Import checks it again, which
	// also catches a store whose pepper was replaced meanwhile.
	sum, err := Import(j.ctx, j.svc, sh, opt, path)
	st.finish(sum, err, path)
}

// Close stops running jobs (they are marked failed) and waits for them,
// bounded by ctx.
func (j *Jobs) Close(ctx context.Context) error {
	j.cancel()
	done := make(chan struct{})
	go func() { j.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func counts(s Summary) core.ImportJobCounts {
	return core.ImportJobCounts{Read: s.Rows, Created: s.Created, Updated: s.Updated, Skipped: s.Skipped, Failed: s.Rejected}
}

// jobState is a running job's row, shared by the import (progress,
// rejections) and the heartbeat; mu guards job and saved.
type jobState struct {
	svc   *core.Service
	log   *slog.Logger
	mu    sync.Mutex
	job   *core.ImportJob
	saved time.Time
}

// update applies fn to the job and saves it when force is set or the last
// save is jobSaveEvery old.
func (st *jobState) update(fn func(*core.ImportJob), force bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	fn(st.job)
	if !force && time.Since(st.saved) < jobSaveEvery {
		return
	}
	st.saveLocked(st.svc.SaveImportJob)
}

// saveLocked writes the job with save. A failed save is logged: the next
// one carries the same state, and the heartbeat keeps trying.
func (st *jobState) saveLocked(save func(context.Context, *core.ImportJob) error) {
	// Saved under its own context: a job stopped by Close must still
	// record that it stopped.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := save(ctx, st.job); err != nil {
		st.log.Warn("import job status not saved", "job_id", st.job.ID, "err", err)
		return
	}
	st.saved = time.Now()
}

// start marks the job running.
func (st *jobState) start() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.saveLocked(st.svc.StartImportJob)
}

// heartbeat saves the job every core.ImportJobHeartbeat until stopped, so
// a long batch or a long wait for a slot never looks like a dead node.
func (st *jobState) heartbeat(ctx context.Context) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(core.ImportJobHeartbeat)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				st.update(func(*core.ImportJob) {}, true)
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// finish records the job's end. It failed when the import stopped (err),
// when the file held no record, or when every record was rejected: a file
// of the wrong format or a broken export, whose errors say which.
func (st *jobState) finish(sum Summary, err error, path string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.job.Counts = counts(sum)
	failure := ""
	switch {
	case errors.Is(err, context.Canceled):
		failure = "interrupted: the server shut down; batches already written stay, and uploading the same file again resumes"
	case err != nil:
		// The spool path means nothing to the caller: name the upload.
		failure = strings.ReplaceAll(err.Error(), path, "upload")
	case sum.Rows == 0:
		failure = "the file holds no " + st.job.Format + " records: is it the right format?"
	case sum.Rejected == sum.Rows:
		failure = "every record was rejected: see errors"
	}
	st.saveLocked(func(ctx context.Context, job *core.ImportJob) error {
		return st.svc.FinishImportJob(ctx, job, failure)
	})
}
