package core

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Idempotency keys (the Idempotency-Key header of the IETF draft, which the
// Spree and Medusa SDKs send on their writes) let a client retry a mutation
// whose response it lost without doing it twice. Any surface may use them:
// it calls BeginIdempotent before running a write, and Finish with what it
// answered.

// IdempotencyRecord is the stored outcome of one keyed request.
type IdempotencyRecord struct {
	ID         string // "idem_" + ULID
	ShopID     string
	CustomerID string // the caller: keys are scoped per store and per customer
	Key        string // the client's key, as sent
	// Fingerprint is the SHA-256 of the first request's method, path and body.
	Fingerprint []byte
	// Status is 0 while the first request runs, then its HTTP status.
	Status      int
	ContentType string
	Body        []byte
	CreatedAt   time.Time
	// ExpiresAt ends the lease of a running request (so a crashed request
	// frees its key), and afterwards the replay window.
	ExpiresAt time.Time
}

// IdempotencyStore keeps idempotency records.
type IdempotencyStore interface {
	// CreateIdempotencyRecord inserts r; ErrConflict when the shop's
	// customer already has a record with r.Key.
	CreateIdempotencyRecord(ctx context.Context, r *IdempotencyRecord) error
	GetIdempotencyRecord(ctx context.Context, shopID, customerID, key string) (*IdempotencyRecord, error)
	// CompleteIdempotencyRecord stores the response (Status, ContentType,
	// Body, ExpiresAt) of the running record r.ID of r's shop and customer;
	// ErrNotFound when there is no such running record.
	CompleteIdempotencyRecord(ctx context.Context, r *IdempotencyRecord) error
	// DeleteIdempotencyRecord removes one record of the shop's customer.
	DeleteIdempotencyRecord(ctx context.Context, shopID, customerID, id string) error
	// PurgeIdempotencyRecords deletes up to limit records of any shop that
	// expired at or before before, and returns how many it deleted.
	PurgeIdempotencyRecords(ctx context.Context, before time.Time, limit int) (int, error)
}

// Idempotency rules.
const (
	// MaxIdempotencyKeyLength bounds a client's key (the SDKs send 36 to
	// 52 characters).
	MaxIdempotencyKeyLength = 255
	// IdempotencyReplayWindow is how long a finished response is replayed.
	IdempotencyReplayWindow = 24 * time.Hour
	// idempotencyLease is how long a running request holds its key before
	// a retry may take it over (the request crashed or its node died).
	idempotencyLease = time.Minute
	// idempotencyPurgeEvery spaces the purges of expired records.
	idempotencyPurgeEvery = time.Minute
	idempotencyPurgeBatch = 1000
)

// Idempotency error codes.
const (
	// CodeIdempotencyKeyReused: the key was used with a different request
	// (another method, path or body).
	CodeIdempotencyKeyReused = "idempotency_key_reused"
	// CodeIdempotencyKeyInUse: the first request with the key is still
	// running; retry shortly.
	CodeIdempotencyKeyInUse = "idempotency_key_in_use"
)

// CheckIdempotencyKey validates a key a client sent; "" (no key) is valid.
func CheckIdempotencyKey(key string) error {
	if len(key) > MaxIdempotencyKeyLength {
		return newErr(ErrInvalid, CodeInvalidRequest, "Idempotency-Key must be at most 255 characters")
	}
	return nil
}

// IdempotentRequest names a keyed write: who sent it, the key, and what
// makes two requests the same (method, path with query, body).
type IdempotentRequest struct {
	ShopID     string
	CustomerID string
	Key        string
	Method     string
	Path       string
	Body       []byte
}

func (r IdempotentRequest) fingerprint() []byte {
	h := sha256.New()
	h.Write([]byte(strings.ToUpper(r.Method) + "\n" + r.Path + "\n"))
	h.Write(r.Body)
	return h.Sum(nil)
}

// IdempotentResponse is a response as a surface wrote it.
type IdempotentResponse struct {
	Status      int
	ContentType string
	Body        []byte
}

// IdempotentCall is a keyed write in progress. When Replay is set the
// request was answered before: write Replay and do nothing else. Otherwise
// run the write and call Finish with the answer.
type IdempotentCall struct {
	Replay *IdempotentResponse
	s      *Service
	rec    *IdempotencyRecord
}

// BeginIdempotent claims req's key for its caller. A finished record with
// the same fingerprint within the replay window is replayed; a different
// fingerprint is CodeIdempotencyKeyReused (ErrInvalid); a record still
// running is CodeIdempotencyKeyInUse (ErrConflict). Keys never cross
// stores or customers: another customer's identical key is a fresh key.
func (s *Service) BeginIdempotent(ctx context.Context, req IdempotentRequest) (*IdempotentCall, error) {
	if err := CheckIdempotencyKey(req.Key); err != nil {
		return nil, err
	}
	if req.Key == "" || req.ShopID == "" || req.CustomerID == "" {
		return nil, newErr(ErrInvalid, CodeInvalidRequest, "an idempotent request needs a key and a customer")
	}
	s.purgeIdempotencyMaybe(ctx)
	fp := req.fingerprint()
	// Two rounds: an expired record found in the first is removed and the
	// key claimed afresh in the second.
	for range 2 {
		now := s.now()
		rec := &IdempotencyRecord{
			ID: s.newID("idem"), ShopID: req.ShopID, CustomerID: req.CustomerID, Key: req.Key,
			Fingerprint: fp, Body: []byte{}, CreatedAt: now, ExpiresAt: now.Add(idempotencyLease),
		}
		err := s.store.CreateIdempotencyRecord(ctx, rec)
		if err == nil {
			return &IdempotentCall{s: s, rec: rec}, nil
		}
		if !errors.Is(err, ErrConflict) {
			return nil, err
		}
		old, err := s.store.GetIdempotencyRecord(ctx, req.ShopID, req.CustomerID, req.Key)
		if errors.Is(err, ErrNotFound) {
			continue // purged or released in between
		}
		if err != nil {
			return nil, err
		}
		if !now.Before(old.ExpiresAt) {
			if err := s.store.DeleteIdempotencyRecord(ctx, req.ShopID, req.CustomerID, old.ID); ignoreNotFound(err) != nil {
				return nil, err
			}
			continue
		}
		if !bytes.Equal(old.Fingerprint, fp) {
			return nil, newErr(ErrInvalid, CodeIdempotencyKeyReused,
				"this Idempotency-Key was already used with a different request")
		}
		if old.Status == 0 {
			return nil, idempotencyInUse()
		}
		return &IdempotentCall{Replay: &IdempotentResponse{Status: old.Status, ContentType: old.ContentType, Body: old.Body}}, nil
	}
	return nil, idempotencyInUse()
}

func idempotencyInUse() error {
	return newErr(ErrConflict, CodeIdempotencyKeyInUse, "a request with this Idempotency-Key is still being processed")
}

// Replayable reports whether a response may be replayed for a retry. Server
// failures (5xx) and throttling (429, 408) are not: the retry must run
// again, or it would get the same transient failure for a day.
func Replayable(status int) bool {
	return status >= 200 && status < 500 && status != 429 && status != 408
}

// Finish stores the answer for replay, or frees the key when the answer is
// not replayable. It runs even when ctx was cancelled (the client went
// away, which is exactly when it will retry).
func (c *IdempotentCall) Finish(ctx context.Context, res IdempotentResponse) error {
	if c == nil || c.rec == nil {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	if !Replayable(res.Status) {
		return c.Abandon(ctx)
	}
	r := *c.rec
	r.Status, r.ContentType, r.Body = res.Status, res.ContentType, res.Body
	if r.Body == nil {
		r.Body = []byte{}
	}
	r.ExpiresAt = c.s.now().Add(IdempotencyReplayWindow)
	// A record purged because the request outran its lease has nothing
	// left to complete; the write itself happened, so that is no error.
	return ignoreNotFound(c.s.store.CompleteIdempotencyRecord(ctx, &r))
}

// Abandon frees the key without storing an answer (the write failed or
// panicked), so a retry runs the write again.
func (c *IdempotentCall) Abandon(ctx context.Context) error {
	if c == nil || c.rec == nil {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	return ignoreNotFound(c.s.store.DeleteIdempotencyRecord(ctx, c.rec.ShopID, c.rec.CustomerID, c.rec.ID))
}

// PurgeIdempotencyRecords deletes expired records, a batch at a time, and
// returns how many it deleted. BeginIdempotent calls it at most once a
// minute per node, so no scheduler is needed.
func (s *Service) PurgeIdempotencyRecords(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.store.PurgeIdempotencyRecords(ctx, s.now(), idempotencyPurgeBatch)
		total += n
		if err != nil || n < idempotencyPurgeBatch {
			return total, err
		}
	}
}

// idempotencyPurges remembers, per Service, when the last purge started.
var idempotencyPurges sync.Map // *Service → *atomic.Int64 (unix nanoseconds)

func (s *Service) purgeIdempotencyMaybe(ctx context.Context) {
	v, _ := idempotencyPurges.LoadOrStore(s, new(atomic.Int64))
	last := v.(*atomic.Int64)
	now := s.now().UnixNano()
	prev := last.Load()
	if prev != 0 && now-prev < int64(idempotencyPurgeEvery) {
		return
	}
	if !last.CompareAndSwap(prev, now) {
		return // another request is purging
	}
	if _, err := s.PurgeIdempotencyRecords(ctx); err != nil {
		s.log.WarnContext(ctx, "idempotency purge failed", "err", err)
	}
}
