package storetest

import (
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// importJobFixture is a running job with every field set.
func importJobFixture(shopID string) *core.ImportJob {
	return &core.ImportJob{
		ID:          newID("imp_"),
		ShopID:      shopID,
		Format:      "spree",
		Status:      core.ImportJobRunning,
		SizeBytes:   123456,
		Peppered:    true,
		Counts:      core.ImportJobCounts{Read: 10, Created: 6, Updated: 1, Skipped: 1, Failed: 2},
		Errors:      []core.ImportJobError{{Line: 3, ExternalID: "7", Reason: "invalid_email", Message: "not an e-mail"}, {Line: 9, Reason: "malformed_row", Message: "bad JSON"}},
		CreatedAt:   at(time.Minute),
		StartedAt:   ptr(at(2 * time.Minute)),
		HeartbeatAt: at(3 * time.Minute),
	}
}

func newImportJob(t *testing.T, s core.Store) (*core.Shop, *core.ImportJob) {
	t.Helper()
	sh := newShop(t, s)
	j := importJobFixture(sh.ID)
	must(t, s.CreateImportJob(t.Context(), j))
	return sh, j
}

// importJobCases returns the cases of import jobs and legacy peppers.
func importJobCases() []methodCases {
	return []methodCases{
		{"CreateImportJob", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh, want := newImportJob(t, s)
				got, err := s.GetImportJob(t.Context(), sh.ID, want.ID)
				must(t, err)
				wantEqual(t, got, want)
			}},
			{"queued_without_errors", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				j := &core.ImportJob{ID: newID("imp_"), ShopID: sh.ID, Format: "sfcc", Status: core.ImportJobQueued,
					CreatedAt: at(0), HeartbeatAt: at(0)}
				must(t, s.CreateImportJob(t.Context(), j))
				got, err := s.GetImportJob(t.Context(), sh.ID, j.ID)
				must(t, err)
				j.Errors = []core.ImportJobError{} // never null when read
				wantEqual(t, got, j)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh, j := newImportJob(t, s)
				dup := importJobFixture(sh.ID)
				dup.ID = j.ID
				wantErr(t, s.CreateImportJob(t.Context(), dup), core.ErrConflict)
			}},
			{"unknown_shop", func(t *testing.T, s core.Store) {
				wantErr(t, s.CreateImportJob(t.Context(), importJobFixture(newID("sto_"))), core.ErrNotFound)
			}},
		}},
		{"UpdateImportJob", []testCase{
			{"writes_progress_and_finish", func(t *testing.T, s core.Store) {
				sh, j := newImportJob(t, s)
				next := *j
				next.Status, next.Failure = core.ImportJobFailed, "file: unexpected EOF"
				next.Counts = core.ImportJobCounts{Read: 500, Created: 400, Updated: 50, Skipped: 40, Failed: 10}
				next.Errors = []core.ImportJobError{{Line: 1, Reason: "email_taken", Message: "held by cus_1"}}
				next.FinishedAt, next.HeartbeatAt = ptr(at(time.Hour)), at(time.Hour)
				must(t, s.UpdateImportJob(t.Context(), &next))
				got, err := s.GetImportJob(t.Context(), sh.ID, j.ID)
				must(t, err)
				wantEqual(t, got, &next)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				_, j := newImportJob(t, s)
				other := newShop(t, s)
				next := *j
				next.ShopID, next.Status = other.ID, core.ImportJobSucceeded
				wantErr(t, s.UpdateImportJob(t.Context(), &next), core.ErrNotFound)
			}},
		}},
		{"GetImportJob", []testCase{
			{"unknown", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				_, err := s.GetImportJob(t.Context(), sh.ID, newID("imp_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				_, j := newImportJob(t, s)
				other := newShop(t, s)
				_, err := s.GetImportJob(t.Context(), other.ID, j.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"ListImportJobs", []testCase{
			{"pages_by_id_within_the_shop", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				var ids []string
				for range 3 {
					j := importJobFixture(sh.ID)
					must(t, s.CreateImportJob(t.Context(), j))
					ids = append(ids, j.ID)
				}
				must(t, s.CreateImportJob(t.Context(), importJobFixture(newShop(t, s).ID)))
				first, err := s.ListImportJobs(t.Context(), sh.ID, "", 2)
				must(t, err)
				rest, err := s.ListImportJobs(t.Context(), sh.ID, ids[1], 2)
				must(t, err)
				got := []string{}
				for _, j := range append(first, rest...) {
					got = append(got, j.ID)
				}
				wantEqual(t, got, ids)
			}},
			{"none", func(t *testing.T, s core.Store) {
				got, err := s.ListImportJobs(t.Context(), newShop(t, s).ID, "", 10)
				must(t, err)
				wantEqual(t, got, []core.ImportJob{})
			}},
		}},
		{"FailStaleImportJobs", []testCase{
			{"fails_only_unfinished_stale_jobs", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				mk := func(status core.ImportJobStatus, beat time.Duration) *core.ImportJob {
					j := importJobFixture(sh.ID)
					j.Status, j.HeartbeatAt = status, at(beat)
					must(t, s.CreateImportJob(t.Context(), j))
					return j
				}
				staleRunning := mk(core.ImportJobRunning, time.Minute)
				staleQueued := mk(core.ImportJobQueued, time.Minute)
				fresh := mk(core.ImportJobRunning, time.Hour)
				done := mk(core.ImportJobSucceeded, time.Minute)
				n, err := s.FailStaleImportJobs(t.Context(), at(30*time.Minute), at(2*time.Hour), "interrupted")
				must(t, err)
				wantEqual(t, n, 2)
				for _, c := range []struct {
					j       *core.ImportJob
					status  core.ImportJobStatus
					failure string
				}{{staleRunning, core.ImportJobFailed, "interrupted"}, {staleQueued, core.ImportJobFailed, "interrupted"},
					{fresh, core.ImportJobRunning, ""}, {done, core.ImportJobSucceeded, ""}} {
					got, err := s.GetImportJob(t.Context(), sh.ID, c.j.ID)
					must(t, err)
					if got.Status != c.status || got.Failure != c.failure {
						t.Fatalf("job %s: status %q failure %q, want %q %q", c.j.ID, got.Status, got.Failure, c.status, c.failure)
					}
					if c.status == core.ImportJobFailed && (got.FinishedAt == nil || !got.FinishedAt.Equal(at(2*time.Hour))) {
						t.Fatalf("job %s finished at %v, want %v", c.j.ID, got.FinishedAt, at(2*time.Hour))
					}
				}
			}},
		}},
		{"PutLegacyPepper", []testCase{
			{"round_trip_once", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				sealed := []byte{0, 1, 2, 0xff, 'x'}
				must(t, s.PutLegacyPepper(t.Context(), sh.ID, sealed, at(0)))
				got, err := s.GetLegacyPepper(t.Context(), sh.ID)
				must(t, err)
				wantEqual(t, got, sealed)
				wantErr(t, s.PutLegacyPepper(t.Context(), sh.ID, []byte("other"), at(time.Hour)), core.ErrConflict)
				got, err = s.GetLegacyPepper(t.Context(), sh.ID)
				must(t, err)
				wantEqual(t, got, sealed)
			}},
			{"unknown_shop", func(t *testing.T, s core.Store) {
				wantErr(t, s.PutLegacyPepper(t.Context(), newID("sto_"), []byte("x"), at(0)), core.ErrNotFound)
			}},
		}},
		{"GetLegacyPepper", []testCase{
			{"none_and_not_another_stores", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				must(t, s.PutLegacyPepper(t.Context(), sh.ID, []byte("sealed"), at(0)))
				_, err := s.GetLegacyPepper(t.Context(), newShop(t, s).ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
	}
}
