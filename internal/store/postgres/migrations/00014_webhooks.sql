-- Webhooks, the PostgreSQL twin of the SQLite 00014.

-- +goose Up
ALTER TABLE events ADD COLUMN dispatched_at timestamptz;
CREATE INDEX events_undispatched ON events (id) WHERE dispatched_at IS NULL;

CREATE TABLE webhook_endpoints (
    id              text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id         text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    url             text    NOT NULL,
    secret          text    NOT NULL,
    event_types     jsonb   NOT NULL DEFAULT '[]',
    disabled        boolean NOT NULL DEFAULT false,
    disabled_reason text    NOT NULL DEFAULT '',
    failing_since   timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_shop ON webhook_endpoints (shop_id, id);

CREATE TABLE webhook_deliveries (
    id              text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id         text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    endpoint_id     text COLLATE "C" NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id        text COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    status          text    NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    last_status     integer NOT NULL DEFAULT 0,
    last_error      text    NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
DROP INDEX events_undispatched;
ALTER TABLE events DROP COLUMN dispatched_at;
