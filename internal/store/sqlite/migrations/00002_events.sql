-- The outbox: events written in the same transaction as the change they
-- describe, read by the admin API now and by the webhook relay later.

-- +goose Up
CREATE TABLE events (
    id         TEXT    NOT NULL PRIMARY KEY,
    shop_id    TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    type       TEXT    NOT NULL,
    subject_id TEXT    NOT NULL DEFAULT '',
    data       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    created_at INTEGER NOT NULL
) STRICT;

-- ListEvents pages a shop's events by id, optionally of one type.
CREATE INDEX events_shop_id ON events (shop_id, id);
CREATE INDEX events_shop_type_id ON events (shop_id, type, id);

-- +goose Down
DROP TABLE events;
