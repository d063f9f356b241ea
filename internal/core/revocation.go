package core

import (
	"context"
	"sync"
	"time"
)

// revocationList is the in-memory deny-list of revoked sessions whose access
// tokens may not have expired yet. Access tokens are verified without a
// database read; this list is what makes logout reach them immediately.
type revocationList struct {
	mu       sync.RWMutex
	until    map[string]time.Time // session id → when its last token expires
	lastSync time.Time
}

func newRevocationList() *revocationList {
	return &revocationList{until: make(map[string]time.Time)}
}

func (l *revocationList) add(sessionID string, until time.Time) {
	l.mu.Lock()
	if cur, ok := l.until[sessionID]; !ok || until.After(cur) {
		l.until[sessionID] = until
	}
	l.mu.Unlock()
}

func (l *revocationList) has(sessionID string) bool {
	l.mu.RLock()
	_, ok := l.until[sessionID]
	l.mu.RUnlock()
	return ok
}

func (l *revocationList) sweep(now time.Time) {
	l.mu.Lock()
	for id, u := range l.until {
		if now.After(u) {
			delete(l.until, id)
		}
	}
	l.mu.Unlock()
}

// revokeLocal records revoked sessions on this node at once and publishes
// them to the other nodes.
func (s *Service) revokeLocal(at time.Time, ids ...string) {
	s.remember(at, ids...)
	if s.bus == nil {
		return
	}
	for _, id := range ids {
		// The request's context may be ending; publishing must not.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		if err := s.bus.Publish(ctx, Revocation{SessionID: id, RevokedAt: at}); err != nil {
			s.log.Warn("revocation not published; other nodes learn it from the database poll", "err", err)
		}
		cancel()
	}
}

// remember adds revocations to this node's deny-list.
func (s *Service) remember(at time.Time, ids ...string) {
	until := at.Add(s.cfg.MaxAccessTokenTTL)
	for _, id := range ids {
		s.revoked.add(id, until)
	}
}

// SessionRevoked reports whether this node knows sid as revoked.
func (s *Service) SessionRevoked(sid string) bool { return s.revoked.has(sid) }

// NoteRevoked records a revocation learnt from another node (fan-out).
func (s *Service) NoteRevoked(sid string, at time.Time) { s.remember(at, sid) }

// SyncRevocations loads revocations written by any node since the last sync
// (on the first call, since the longest access-token lifetime). Called at
// start and then periodically, it makes logout reach every node even without
// a pub/sub fan-out; the overlap of one second covers clock skew between
// a commit and its timestamp.
func (s *Service) SyncRevocations(ctx context.Context) error {
	now := s.now()
	s.revoked.mu.RLock()
	since := s.revoked.lastSync
	s.revoked.mu.RUnlock()
	if since.IsZero() {
		since = now.Add(-s.cfg.MaxAccessTokenTTL)
	} else {
		since = since.Add(-time.Second)
	}
	revs, err := s.store.RevokedSince(ctx, since)
	if err != nil {
		return err
	}
	for _, r := range revs {
		s.remember(r.RevokedAt, r.SessionID)
	}
	s.revoked.sweep(now)
	s.revoked.mu.Lock()
	s.revoked.lastSync = now
	s.revoked.mu.Unlock()
	return nil
}
