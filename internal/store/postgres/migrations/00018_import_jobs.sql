-- Import jobs and stores' sealed legacy peppers, the PostgreSQL twin of the
-- SQLite 00018 (see there for why each column exists).

-- +goose Up
CREATE TABLE import_jobs (
    id           text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id      text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    format       text NOT NULL,
    status       text NOT NULL,
    size_bytes   bigint NOT NULL DEFAULT 0,
    peppered     boolean NOT NULL DEFAULT false,
    rows_read    bigint NOT NULL DEFAULT 0,
    created      bigint NOT NULL DEFAULT 0,
    updated      bigint NOT NULL DEFAULT 0,
    skipped      bigint NOT NULL DEFAULT 0,
    failed       bigint NOT NULL DEFAULT 0,
    errors       jsonb NOT NULL DEFAULT '[]',
    failure      text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    started_at   timestamptz,
    finished_at  timestamptz,
    heartbeat_at timestamptz NOT NULL
);
CREATE INDEX import_jobs_shop ON import_jobs (shop_id, id);
CREATE INDEX import_jobs_unfinished ON import_jobs (status, heartbeat_at) WHERE status IN ('queued', 'running');

CREATE TABLE shop_legacy_peppers (
    shop_id    text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
    sealed     bytea NOT NULL,
    created_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE shop_legacy_peppers;
DROP TABLE import_jobs;
