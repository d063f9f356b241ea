-- The outbox, the PostgreSQL twin of the SQLite 00002.

-- +goose Up
CREATE TABLE events (
    id         text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id    text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    type       text  NOT NULL,
    subject_id text  NOT NULL DEFAULT '',
    data       jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL
);

CREATE INDEX events_shop_id ON events (shop_id, id);
CREATE INDEX events_shop_type_id ON events (shop_id, type, id);

-- +goose Down
DROP TABLE events;
