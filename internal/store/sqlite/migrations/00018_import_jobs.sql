-- Import jobs (POST /admin/v1/imports, core/import_jobs.go): one row per
-- uploaded export file, so a job's status outlives the request and the
-- process. The file itself is spooled to the node's disk, not stored here.
-- heartbeat_at is bumped while a job runs; a queued or running job whose
-- heartbeat is stale was interrupted (its node stopped) and is marked
-- failed. errors holds the first rejections as a JSON array.
--
-- shop_legacy_peppers keeps a store's Devise pepper (config.pepper), once
-- per store and sealed (AES-256-GCM under a deployment secret, the shop id
-- as associated data), never beside the customers' hashes in plain text.

-- +goose Up
CREATE TABLE import_jobs (
    id           TEXT    NOT NULL PRIMARY KEY,
    shop_id      TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    format       TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL DEFAULT 0,
    peppered     INTEGER NOT NULL DEFAULT 0,
    rows_read    INTEGER NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    errors       TEXT    NOT NULL DEFAULT '[]',
    failure      TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    started_at   INTEGER,
    finished_at  INTEGER,
    heartbeat_at INTEGER NOT NULL
) STRICT;
CREATE INDEX import_jobs_shop ON import_jobs (shop_id, id);
CREATE INDEX import_jobs_unfinished ON import_jobs (status, heartbeat_at) WHERE status IN ('queued', 'running');

CREATE TABLE shop_legacy_peppers (
    shop_id    TEXT    NOT NULL PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
    sealed     BLOB    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- +goose Down
DROP TABLE shop_legacy_peppers;
DROP TABLE import_jobs;
