package core

import (
	"context"
	"time"
)

// WebhookStore keeps webhook endpoints and their deliveries. Deliveries are
// made from the outbox (EventStore): each event is fanned out once, in a
// transaction, into one delivery per matching endpoint; deliveries are then
// claimed with a lease, so several nodes never send the same attempt and a
// node that dies mid-delivery only delays it until its lease runs out.
type WebhookStore interface {
	CreateWebhookEndpoint(ctx context.Context, e *WebhookEndpoint) error
	GetWebhookEndpoint(ctx context.Context, shopID, id string) (*WebhookEndpoint, error)
	// ListWebhookEndpoints returns the shop's endpoints, oldest first.
	ListWebhookEndpoints(ctx context.Context, shopID string) ([]WebhookEndpoint, error)
	// UpdateWebhookEndpoint writes URL, EventTypes, Disabled,
	// DisabledReason, FailingSince and UpdatedAt.
	UpdateWebhookEndpoint(ctx context.Context, e *WebhookEndpoint) error
	// DeleteWebhookEndpoint deletes an endpoint and its deliveries.
	DeleteWebhookEndpoint(ctx context.Context, shopID, id string) error

	// UndispatchedEvents returns up to limit events (of every shop) not yet
	// fanned out, oldest first. Inside InTx the rows are locked, and rows
	// another transaction holds are skipped, so two nodes never fan out
	// the same event.
	UndispatchedEvents(ctx context.Context, limit int) ([]Event, error)
	// MarkEventsDispatched records that the events were fanned out.
	MarkEventsDispatched(ctx context.Context, ids []string, at time.Time) error
	// CreateWebhookDelivery adds a pending delivery; one that already exists
	// for the same endpoint and event is left alone (no error).
	CreateWebhookDelivery(ctx context.Context, d *WebhookDelivery) error
	// ClaimWebhookDeliveries leases up to limit pending deliveries whose
	// next attempt is due at now and whose lease (if any) has run out,
	// setting LeaseUntil, and returns them with their event and endpoint.
	ClaimWebhookDeliveries(ctx context.Context, now, leaseUntil time.Time, limit int) ([]WebhookDelivery, error)
	// FinishWebhookAttempt writes the outcome of an attempt (Status,
	// Attempts, NextAttemptAt, LastStatus, LastError, UpdatedAt) and
	// clears the lease.
	FinishWebhookAttempt(ctx context.Context, d *WebhookDelivery) error
	// ListWebhookDeliveries pages an endpoint's deliveries, newest event
	// first is not needed: oldest first by id, after the cursor.
	ListWebhookDeliveries(ctx context.Context, shopID, endpointID, after string, limit int) ([]WebhookDelivery, error)
	// RequeueWebhookDeliveries makes the endpoint's deliveries of events
	// created in [since, until) pending again, due at now, and creates the
	// missing ones for those events; eventID, when set, narrows it to one
	// event. It returns how many deliveries are now pending.
	RequeueWebhookDeliveries(ctx context.Context, shopID, endpointID, eventID string, since, until, now time.Time) (int, error)
}

// WebhookEndpoint is a URL a store's back end receives events at.
type WebhookEndpoint struct {
	ID     string // "whe_" + ULID
	ShopID string
	URL    string
	// Secret signs deliveries (Standard Webhooks: "whsec_" + base64 of 24
	// random bytes). It is shown once, at creation.
	Secret string
	// EventTypes filters: an empty list means every event.
	EventTypes     []string
	Disabled       bool
	DisabledReason string
	// FailingSince is when the current run of failed attempts began (nil
	// after a success).
	FailingSince *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Webhook delivery states.
const (
	DeliveryPending   = "pending"
	DeliverySucceeded = "succeeded"
	DeliveryFailed    = "failed" // gave up after the last retry
)

// WebhookDelivery is one event on its way to one endpoint.
type WebhookDelivery struct {
	ID            string // "whd_" + ULID; the webhook-id header
	ShopID        string
	EndpointID    string
	EventID       string
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LeaseUntil    *time.Time
	LastStatus    int // HTTP status of the last attempt, 0 if none answered
	LastError     string
	CreatedAt     time.Time
	UpdatedAt     time.Time

	// Filled by ClaimWebhookDeliveries.
	Event    *Event
	Endpoint *WebhookEndpoint
}
