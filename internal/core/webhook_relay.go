package core

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"sync"
	"time"
)

// WebhookSender posts one signed delivery (internal/webhook implements it
// with Standard Webhooks signatures). status is the HTTP status, 0 when no
// response came; err explains a failure for the delivery log.
type WebhookSender interface {
	Send(ctx context.Context, m WebhookMessage) (status int, err error)
}

// WebhookMessage is one attempt's request.
type WebhookMessage struct {
	URL       string
	Secret    string // whsec_...
	ID        string // webhook-id: the delivery id, the same on every retry
	Timestamp time.Time
	Body      []byte
}

// webhookPayload is the Standard Webhooks body: type, timestamp, data.
type webhookPayload struct {
	Type      string         `json:"type"`
	Timestamp string         `json:"timestamp"`
	Data      map[string]any `json:"data"`
}

// eventBody is the JSON body an event is sent with, to webhooks and to the
// event stream alike: the event's data plus its ids, under its type and
// creation time.
func eventBody(ev *Event) ([]byte, error) {
	data := make(map[string]any, len(ev.Data)+3)
	for k, v := range ev.Data {
		data[k] = v
	}
	data["event_id"], data["store_id"], data["subject_id"] = ev.ID, ev.ShopID, ev.SubjectID
	return json.Marshal(webhookPayload{Type: ev.Type, Timestamp: ev.CreatedAt.UTC().Format(time.RFC3339Nano), Data: data})
}

// RunWebhooks does one relay round: it fans out events not yet fanned out
// into deliveries, then claims the due deliveries and attempts them (each
// endpoint at most Webhooks.PerEndpoint at once), and returns how many
// attempts it made. App.Background calls it every second on every node;
// claims are leased, so nodes share the work without sending one attempt
// twice, and a node that dies mid-round only delays its claims by a lease.
func (s *Service) RunWebhooks(ctx context.Context) (int, error) {
	if s.webhooks == nil {
		return 0, errors.New("core: no webhook sender configured")
	}
	for {
		n, err := s.dispatchEvents(ctx)
		if err != nil {
			return 0, err
		}
		if n < dispatchBatch {
			break
		}
	}
	now := s.now()
	cfg := s.cfg.Webhooks
	claimed, err := s.store.ClaimWebhookDeliveries(ctx, now, now.Add(cfg.Lease), cfg.Batch)
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	sems := map[string]chan struct{}{}
	var wg sync.WaitGroup
	for i := range claimed {
		d := &claimed[i]
		sem := sems[d.EndpointID]
		if sem == nil {
			sem = make(chan struct{}, max(cfg.PerEndpoint, 1))
			sems[d.EndpointID] = sem
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			s.attemptDelivery(ctx, d)
		}()
	}
	wg.Wait()
	return len(claimed), nil
}

// WebhookFailures reports how many webhook delivery attempts have failed
// (an error, a timeout or a non-2xx answer) since start.
func (s *Service) WebhookFailures() int64 { return s.webhookFailures.Load() }

// OutboxLag is how long the oldest event not yet fanned out to webhooks
// has waited, or 0 when none waits: a relay that stopped, or one that falls
// behind, shows here before any receiver notices.
func (s *Service) OutboxLag(ctx context.Context) (time.Duration, error) {
	evs, err := s.store.UndispatchedEvents(ctx, 1)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	return max(s.now().Sub(evs[0].CreatedAt), 0), nil
}

// dispatchBatch is how many events one fan-out transaction takes.
const dispatchBatch = 200

// dispatchEvents fans out one batch of events into deliveries, in one
// transaction, and returns how many events it took.
func (s *Service) dispatchEvents(ctx context.Context) (int, error) {
	n := 0
	err := s.store.InTx(ctx, func(tx Store) error {
		evs, err := tx.UndispatchedEvents(ctx, dispatchBatch)
		if err != nil || len(evs) == 0 {
			return err
		}
		n = len(evs)
		now := s.now()
		endpoints := map[string][]WebhookEndpoint{}
		ids := make([]string, 0, len(evs))
		for _, ev := range evs {
			ids = append(ids, ev.ID)
			eps, ok := endpoints[ev.ShopID]
			if !ok {
				if eps, err = tx.ListWebhookEndpoints(ctx, ev.ShopID); err != nil {
					return err
				}
				endpoints[ev.ShopID] = eps
			}
			for _, ep := range eps {
				if ep.Disabled || !ep.wants(ev.Type) {
					continue
				}
				d := &WebhookDelivery{
					ID: s.newID("whd"), ShopID: ev.ShopID, EndpointID: ep.ID, EventID: ev.ID, Status: DeliveryPending,
					NextAttemptAt: now, CreatedAt: now, UpdatedAt: now,
				}
				if err := tx.CreateWebhookDelivery(ctx, d); err != nil {
					return err
				}
			}
		}
		return tx.MarkEventsDispatched(ctx, ids, now)
	})
	return n, err
}

// wants reports whether the endpoint's filter takes events of typ.
func (e *WebhookEndpoint) wants(typ string) bool {
	if len(e.EventTypes) == 0 {
		return true
	}
	for _, t := range e.EventTypes {
		if t == typ {
			return true
		}
	}
	return false
}

// attemptDelivery sends one claimed delivery and records the outcome.
func (s *Service) attemptDelivery(ctx context.Context, d *WebhookDelivery) {
	body, err := eventBody(d.Event)
	if err != nil {
		s.log.Error("webhook payload", "err", err, "delivery", d.ID)
		return
	}
	sendCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	status, sendErr := s.webhooks.Send(sendCtx, WebhookMessage{URL: d.Endpoint.URL, Secret: d.Endpoint.Secret, ID: d.ID, Timestamp: s.now(), Body: body})
	cancel()
	if ctx.Err() != nil {
		return // shutting down: the lease runs out and another round retries
	}
	now := s.now()
	d.Attempts++
	d.LastStatus, d.LastError, d.UpdatedAt = status, "", now
	ok := sendErr == nil && status >= 200 && status < 300
	if !ok {
		s.webhookFailures.Add(1)
	}
	switch {
	case ok:
		d.Status = DeliverySucceeded
	case sendErr != nil:
		d.LastError = truncate(sendErr.Error(), 300)
		fallthrough
	default:
		if d.LastError == "" {
			d.LastError = "endpoint answered " + statusText(status)
		}
		d.Status, d.NextAttemptAt = DeliveryPending, now.Add(s.backoff(d.Attempts))
		if d.Attempts >= s.cfg.Webhooks.MaxAttempts {
			d.Status = DeliveryFailed
		}
	}
	if err := s.store.FinishWebhookAttempt(ctx, d); err != nil {
		s.log.Warn("webhook attempt not recorded", "err", err, "delivery", d.ID)
		return
	}
	s.noteEndpointHealth(ctx, d.Endpoint, ok, now)
}

// noteEndpointHealth tracks an endpoint's run of failures and disables it
// once the run is older than Webhooks.DisableAfter.
func (s *Service) noteEndpointHealth(ctx context.Context, ep *WebhookEndpoint, ok bool, now time.Time) {
	switch {
	case ok && ep.FailingSince == nil, !ok && ep.FailingSince != nil && now.Sub(*ep.FailingSince) < s.cfg.Webhooks.DisableAfter:
		return
	}
	err := s.store.InTx(ctx, func(tx Store) error {
		cur, err := tx.GetWebhookEndpoint(ctx, ep.ShopID, ep.ID)
		if err != nil {
			return err
		}
		switch {
		case ok:
			cur.FailingSince = nil
		case cur.FailingSince == nil:
			cur.FailingSince = &now
		case !cur.Disabled && now.Sub(*cur.FailingSince) >= s.cfg.Webhooks.DisableAfter:
			cur.Disabled = true
			cur.DisabledReason = "every attempt failed since " + cur.FailingSince.UTC().Format(time.RFC3339)
			if err := s.emit(ctx, tx, cur.ShopID, EventWebhookEndpointDisabled, cur.ID, map[string]any{
				"endpoint_id": cur.ID, "url": cur.URL, "failing_since": cur.FailingSince.UTC().Format(time.RFC3339),
			}); err != nil {
				return err
			}
		default:
			return nil
		}
		cur.UpdatedAt = now
		return tx.UpdateWebhookEndpoint(ctx, cur)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		s.log.Warn("webhook endpoint health not recorded", "err", err, "endpoint", ep.ID)
	}
}

// backoff is the wait after the n-th failed attempt: 5 s · 4^(n-1), at
// most 10 h, with ±20 % jitter so retries from many deliveries spread out.
func (s *Service) backoff(n int) time.Duration {
	d := 5 * time.Second
	for i := 1; i < n && d < 10*time.Hour; i++ {
		d *= 4
	}
	d = min(d, 10*time.Hour)
	jitter := time.Duration(rand.Int64N(int64(d)/5*2+1)) - d/5
	return d + jitter
}

func statusText(code int) string {
	if code == 0 {
		return "nothing"
	}
	b, _ := json.Marshal(code)
	return string(b)
}
