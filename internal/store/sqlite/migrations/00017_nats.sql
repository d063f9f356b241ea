-- NATS JetStream publishing of the outbox (--nats). Each event is
-- published once after commit: nats_published_at marks it done, and
-- nats_lease_until is a node's claim on it while it publishes, so nodes
-- share the work and a node that dies mid-publish only delays its claim
-- until the lease runs out. Per-row marks, not a cursor: ids are ULIDs
-- stamped before commit, so a cursor could pass an event that commits
-- late with a smaller id.

-- +goose Up
ALTER TABLE events ADD COLUMN nats_published_at INTEGER;
ALTER TABLE events ADD COLUMN nats_lease_until INTEGER;
CREATE INDEX events_nats_unpublished ON events (id) WHERE nats_published_at IS NULL;

-- +goose Down
DROP INDEX events_nats_unpublished;
ALTER TABLE events DROP COLUMN nats_lease_until;
ALTER TABLE events DROP COLUMN nats_published_at;
