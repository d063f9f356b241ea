-- NATS JetStream publishing of the outbox, the PostgreSQL twin of the
-- SQLite 00017: nats_published_at marks an event published, and
-- nats_lease_until is a node's claim on it while it publishes.

-- +goose Up
ALTER TABLE events ADD COLUMN nats_published_at timestamptz;
ALTER TABLE events ADD COLUMN nats_lease_until timestamptz;
CREATE INDEX events_nats_unpublished ON events (id) WHERE nats_published_at IS NULL;

-- +goose Down
DROP INDEX events_nats_unpublished;
ALTER TABLE events DROP COLUMN nats_lease_until;
ALTER TABLE events DROP COLUMN nats_published_at;
