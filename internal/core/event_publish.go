package core

import (
	"context"
	"errors"
	"time"
)

// EventPublisher puts one outbox event on an event stream (internal/natspub
// implements it with NATS JetStream). Publish returns nil only once the
// stream has stored the message; a publisher must let the stream drop a
// second copy of the same EventMessage.ID, since a retry after a lost
// acknowledgement sends one.
type EventPublisher interface {
	Publish(ctx context.Context, m EventMessage) error
}

// EventMessage is one event as published.
type EventMessage struct {
	ID     string // the event id ("evt_..."): the deduplication key
	ShopID string
	Type   string // e.g. customer.created
	Body   []byte // the webhook body: type, timestamp, data
}

// publishBatch is how many events one publishing round claims.
const publishBatch = 100

// publishLease is how long a claim keeps other nodes off an event. A round
// stops publishing at half of it (publishBudget), so the lease cannot run
// out, and another node publish the same events, while this one is still
// on them.
const (
	publishLease  = time.Minute
	publishBudget = publishLease / 2
)

// recordTimeout bounds writing a round's outcome, which still runs when the
// round's context was cancelled by shutdown: an event that was published
// but not recorded is published again by the next round.
const recordTimeout = 5 * time.Second

// PublishEvents does one publishing round: it claims up to a batch of
// events not yet published, publishes them oldest first, records those the
// stream acknowledged, and releases the rest. It returns how many it
// published and the first publish error, after which the round stops, so
// a stream outage costs one failed attempt per round, not one per event.
// App.Background calls it on every node; the claims are leased, so nodes
// share the work, and events stay in the outbox until acknowledged, so a
// stream outage or a crash loses none.
func (s *Service) PublishEvents(ctx context.Context) (int, error) {
	if s.publisher == nil {
		return 0, errors.New("core: no event publisher configured")
	}
	now := s.now()
	leaseUntil := now.Add(publishLease)
	evs, err := s.store.ClaimUnpublishedEvents(ctx, now, leaseUntil, publishBatch)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	pubCtx, cancel := context.WithTimeout(ctx, publishBudget)
	defer cancel()
	done := make([]string, 0, len(evs))
	var pubErr error
	for i := range evs {
		ev := &evs[i]
		body, err := eventBody(ev)
		if err == nil {
			err = s.publisher.Publish(pubCtx, EventMessage{ID: ev.ID, ShopID: ev.ShopID, Type: ev.Type, Body: body})
		}
		if err != nil {
			s.publishFailures.Add(1)
			pubErr = err
			break
		}
		s.published.Add(1)
		done = append(done, ev.ID)
	}
	rest := make([]string, 0, len(evs)-len(done))
	for _, ev := range evs[len(done):] {
		rest = append(rest, ev.ID)
	}
	recCtx, cancelRec := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancelRec()
	markErr := s.store.MarkEventsPublished(recCtx, done, s.now())
	if markErr != nil {
		// Not recorded: they are published again once the lease runs out,
		// and the stream drops the copies it still remembers.
		return 0, errors.Join(pubErr, markErr)
	}
	if len(rest) > 0 {
		if err := s.store.ReleaseEventClaims(recCtx, rest, leaseUntil); err != nil {
			pubErr = errors.Join(pubErr, err)
		}
	}
	return len(done), pubErr
}

// PublishStats reports, for metrics, how many events this node published
// (the stream acknowledged them) and how many publish attempts failed.
func (s *Service) PublishStats() (published, failures int64) {
	return s.published.Load(), s.publishFailures.Load()
}
