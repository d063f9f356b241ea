package core

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// MaxImportJobErrors bounds the rejected records a job keeps: the first
// ones tell what is wrong with a file, and a file of a million bad rows
// must not make a million-element row. The counts have the full tally.
const MaxImportJobErrors = 100

// ImportJobHeartbeat is how often a running job's runner bumps its
// heartbeat, even between batches.
const ImportJobHeartbeat = 15 * time.Second

// ImportJobStaleAfter is how old a queued or running job's heartbeat may
// be before the job counts as interrupted: four missed heartbeats, so a
// job another node is running is never taken for dead, while one whose
// node stopped is failed within a minute of being looked at.
const ImportJobStaleAfter = 4 * ImportJobHeartbeat

// importJobInterrupted is the failure of a job whose node stopped. The
// spooled file was on that node's disk, so the job cannot be resumed
// elsewhere; uploading the file again is safe, since an import re-run
// skips what it already wrote.
const importJobInterrupted = "interrupted: the server running this import stopped before it finished; " +
	"batches already written stay, and uploading the same file again resumes (imported rows come back skipped)"

// CreateImportJob records a queued job of the shop for a file of format
// and size. The caller (the runner) validates the format.
func (s *Service) CreateImportJob(ctx context.Context, shopID, format string, size int64, peppered bool) (*ImportJob, error) {
	if format == "" {
		return nil, fieldErr("format", FieldRequired, "format is required")
	}
	now := s.now()
	j := &ImportJob{ID: s.newID("imp"), ShopID: shopID, Format: format, Status: ImportJobQueued, SizeBytes: size,
		Peppered: peppered, Errors: []ImportJobError{}, CreatedAt: now, HeartbeatAt: now}
	if err := s.store.CreateImportJob(ctx, j); err != nil {
		return nil, err
	}
	return j, nil
}

// SaveImportJob writes a job's progress and bumps its heartbeat. Errors
// past MaxImportJobErrors are dropped.
func (s *Service) SaveImportJob(ctx context.Context, j *ImportJob) error {
	if len(j.Errors) > MaxImportJobErrors {
		j.Errors = j.Errors[:MaxImportJobErrors]
	}
	j.HeartbeatAt = s.now()
	return s.store.UpdateImportJob(ctx, j)
}

// StartImportJob marks a queued job running, now, and saves it.
func (s *Service) StartImportJob(ctx context.Context, j *ImportJob) error {
	now := s.now()
	j.Status, j.StartedAt = ImportJobRunning, &now
	return s.SaveImportJob(ctx, j)
}

// FinishImportJob marks the job finished, now: succeeded, or failed for
// failure when that is not empty; and saves it.
func (s *Service) FinishImportJob(ctx context.Context, j *ImportJob, failure string) error {
	now := s.now()
	j.FinishedAt, j.Status, j.Failure = &now, ImportJobSucceeded, failure
	if failure != "" {
		j.Status = ImportJobFailed
	}
	return s.SaveImportJob(ctx, j)
}

// ImportJob returns the shop's job. A queued or running job whose runner
// stopped is marked failed first, so nobody waits on it forever.
func (s *Service) ImportJob(ctx context.Context, shopID, id string) (*ImportJob, error) {
	j, err := s.store.GetImportJob(ctx, shopID, id)
	if err != nil {
		return nil, err
	}
	if s.importJobStale(j) {
		if _, err := s.FailInterruptedImportJobs(ctx); err != nil {
			return nil, err
		}
		return s.store.GetImportJob(ctx, shopID, id)
	}
	return j, nil
}

// ImportJobs lists the shop's jobs, oldest first, marking interrupted ones
// failed first.
func (s *Service) ImportJobs(ctx context.Context, shopID string, p Page) (PageOf[ImportJob], error) {
	if _, err := s.FailInterruptedImportJobs(ctx); err != nil {
		return PageOf[ImportJob]{}, err
	}
	return listPage(p, func(j ImportJob) string { return j.ID }, func(after string, limit int) ([]ImportJob, error) {
		return s.store.ListImportJobs(ctx, shopID, after, limit)
	})
}

// FailInterruptedImportJobs marks failed every queued or running job whose
// heartbeat is stale: its node stopped. The server calls it at start;
// reads call it too, so a job of a node that never comes back is not left
// running either.
func (s *Service) FailInterruptedImportJobs(ctx context.Context) (int, error) {
	now := s.now()
	return s.store.FailStaleImportJobs(ctx, now.Add(-ImportJobStaleAfter), now, importJobInterrupted)
}

func (s *Service) importJobStale(j *ImportJob) bool {
	return (j.Status == ImportJobQueued || j.Status == ImportJobRunning) && j.HeartbeatAt.Before(s.now().Add(-ImportJobStaleAfter))
}

// --- legacy peppers ---

// pepperedPrefix marks a stored password hash made over password+pepper
// with the store's legacy pepper (Devise's config.pepper). The hash after
// it is the platform's bcrypt as it was exported. No hasher knows the
// prefix, so a marked hash can never verify without its pepper.
const pepperedPrefix = "$clientele-peppered$"

// maxPepperLen bounds a pepper: Devise's generator makes 128 hex digits.
const maxPepperLen = 1024

// legacyPepperSecret names the deployment secret peppers are sealed with.
const legacyPepperSecret = "legacy_pepper_seal"

// SetLegacyPepper records the store's legacy pepper, sealed, once: an
// import of Devise hashes made with it marks them (ImportOptions.Peppered)
// and login appends it to the password. A store has one pepper; a
// different one is refused (ErrInvalid), since the customers imported with
// the first would stop verifying. dryRun only checks.
func (s *Service) SetLegacyPepper(ctx context.Context, shopID, pepper string, dryRun bool) error {
	if pepper == "" || len(pepper) > maxPepperLen {
		return fieldErr("pepper", FieldInvalid, "the pepper must be 1 to 1024 bytes")
	}
	have, err := s.legacyPepper(ctx, shopID)
	switch {
	case err == nil && have == pepper:
		return nil
	case err == nil:
		return fieldErr("pepper", FieldInvalid, "the store already has a different legacy pepper; customers imported with it would stop verifying")
	case !errors.Is(err, ErrNotFound):
		return err
	case dryRun:
		return nil
	}
	key, err := s.pepperKey(ctx)
	if err != nil {
		return err
	}
	sealed, err := sealPepper(key, shopID, pepper, s.random)
	if err != nil {
		return err
	}
	err = s.store.PutLegacyPepper(ctx, shopID, sealed, s.now())
	if errors.Is(err, ErrConflict) {
		// Another import set one meanwhile: fine if it is the same.
		return s.SetLegacyPepper(ctx, shopID, pepper, true)
	}
	return err
}

// legacyPepper returns the store's pepper, or ErrNotFound.
func (s *Service) legacyPepper(ctx context.Context, shopID string) (string, error) {
	sealed, err := s.store.GetLegacyPepper(ctx, shopID)
	if err != nil {
		return "", err
	}
	key, err := s.pepperKey(ctx)
	if err != nil {
		return "", err
	}
	return openPepper(key, shopID, sealed)
}

func (s *Service) pepperKey(ctx context.Context) ([]byte, error) {
	return s.store.Secret(ctx, legacyPepperSecret, func() ([]byte, error) {
		b := make([]byte, 32)
		_, err := io.ReadFull(s.random, b)
		return b, err
	})
}

// pepperedHash is the hash to store for an imported hash: bcrypt hashes
// of a peppered import are marked; anything else is stored as it is.
func pepperedHash(encoded string, peppered bool) string {
	if !peppered || encoded == "" || !isBcrypt(encoded) {
		return encoded
	}
	return pepperedPrefix + encoded
}

func isBcrypt(encoded string) bool {
	return strings.HasPrefix(encoded, "$2a$") || strings.HasPrefix(encoded, "$2b$") || strings.HasPrefix(encoded, "$2y$")
}

// unpepper turns a marked hash into the bcrypt hash and the password to
// verify against it (password + pepper). Unmarked hashes pass through.
func (s *Service) unpepper(ctx context.Context, shopID, password, encoded string) (string, string, error) {
	inner, ok := strings.CutPrefix(encoded, pepperedPrefix)
	if !ok {
		return password, encoded, nil
	}
	pepper, err := s.legacyPepper(ctx, shopID)
	if err != nil {
		return "", "", err
	}
	return password + pepper, inner, nil
}

// sealPepper encrypts pepper with AES-256-GCM under key, binding it to the
// shop (associated data) so a sealed pepper copied to another store's row
// does not open. Output: nonce · ciphertext.
func sealPepper(key []byte, shopID, pepper string, random io.Reader) ([]byte, error) {
	aead, err := pepperAEAD(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := io.ReadFull(random, nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, []byte(pepper), []byte(shopID)), nil
}

// openPepper reverses sealPepper.
func openPepper(key []byte, shopID string, sealed []byte) (string, error) {
	aead, err := pepperAEAD(key)
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize() {
		return "", errors.New("core: sealed pepper too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(shopID))
	if err != nil {
		return "", fmt.Errorf("core: legacy pepper does not open: %w", err)
	}
	return string(plain), nil
}

func pepperAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("core: legacy pepper key: %w", err)
	}
	return cipher.NewGCM(block)
}
