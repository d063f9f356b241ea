-- Initial schema. Conventions (see internal/store/sqlite/convert.go):
--   * timestamps are INTEGER unix microseconds, UTC; NULL where the Go field
--     is a pointer ("not happened yet");
--   * durations are INTEGER milliseconds;
--   * booleans are INTEGER 0/1;
--   * JSON is TEXT, checked with json_valid so a bad write fails here rather
--     than on every later read.
-- Tables are STRICT so a value of the wrong type is an error, not a silent
-- conversion that the PostgreSQL backend would reject.

-- +goose Up
CREATE TABLE shops (
    id                   TEXT    NOT NULL PRIMARY KEY,
    name                 TEXT    NOT NULL,
    allowed_origins      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(allowed_origins)),
    password_reset_url   TEXT    NOT NULL DEFAULT '',
    access_token_ttl_ms  INTEGER NOT NULL DEFAULT 0,
    refresh_token_ttl_ms INTEGER NOT NULL DEFAULT 0,
    refresh_idle_ttl_ms  INTEGER NOT NULL DEFAULT 0,
    reset_token_ttl_ms   INTEGER NOT NULL DEFAULT 0,
    email_exists_check   INTEGER NOT NULL DEFAULT 0 CHECK (email_exists_check IN (0, 1)),
    min_password_length  INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
) STRICT;

-- OldestShop picks the first shop created.
CREATE INDEX shops_created_at ON shops (created_at, id);

CREATE TABLE api_keys (
    id         TEXT    NOT NULL PRIMARY KEY,
    shop_id    TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    hash       BLOB    NOT NULL UNIQUE,
    hint       TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;

-- Child side of the foreign key, so a cascade does not scan the table.
CREATE INDEX api_keys_shop_id ON api_keys (shop_id);

CREATE TABLE customers (
    id                      TEXT    NOT NULL PRIMARY KEY,
    shop_id                 TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    email                   TEXT    NOT NULL,
    email_normalized        TEXT    NOT NULL,
    email_verified_at       INTEGER,
    password_hash           TEXT    NOT NULL DEFAULT '',
    first_name              TEXT    NOT NULL DEFAULT '',
    last_name               TEXT    NOT NULL DEFAULT '',
    phone                   TEXT    NOT NULL DEFAULT '',
    gender                  TEXT    NOT NULL DEFAULT '',
    date_of_birth           TEXT    NOT NULL DEFAULT '',
    accepts_email_marketing INTEGER NOT NULL DEFAULT 0 CHECK (accepts_email_marketing IN (0, 1)),
    status                  TEXT    NOT NULL,
    metadata                TEXT    CHECK (metadata IS NULL OR json_valid(metadata)),
    password_changed_at     INTEGER,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL,
    -- The e-mail is unique per shop, not globally (DESIGN §2).
    UNIQUE (shop_id, email_normalized),
    -- Parent key for the (shop_id, customer_id) foreign keys below: they
    -- make the database refuse a session or reset that pairs one shop with
    -- another shop's customer.
    UNIQUE (shop_id, id)
) STRICT;

CREATE TABLE sessions (
    id            TEXT    NOT NULL PRIMARY KEY,
    shop_id       TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    -- NULL for a guest session, which has no customer (DESIGN §3).
    customer_id   TEXT,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    revoke_reason TEXT    NOT NULL DEFAULT '',
    user_agent    TEXT    NOT NULL DEFAULT '',
    ip            TEXT    NOT NULL DEFAULT '',
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT;

-- ListSessions, RevokeCustomerSessions and the cascade from customers.
CREATE INDEX sessions_shop_customer ON sessions (shop_id, customer_id);
-- RevokedSince, polled by every node to refresh its deny-list.
CREATE INDEX sessions_revoked_at ON sessions (revoked_at);

CREATE TABLE refresh_tokens (
    id         TEXT    NOT NULL PRIMARY KEY,
    session_id TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    hash       BLOB    NOT NULL UNIQUE,
    -- NULL for the first token of a session.
    parent_id  TEXT,
    created_at INTEGER NOT NULL,
    rotated_at INTEGER
) STRICT;

-- GetRefreshTokenChild is an index lookup, and a token has at most one
-- child: a second rotation of the same parent is a conflict even if the
-- caller forgot MarkRefreshTokenRotated. NULLs (root tokens) do not collide.
CREATE UNIQUE INDEX refresh_tokens_parent_id ON refresh_tokens (parent_id);
-- Cascade from sessions.
CREATE INDEX refresh_tokens_session_id ON refresh_tokens (session_id);

CREATE TABLE password_resets (
    id          TEXT    NOT NULL PRIMARY KEY,
    shop_id     TEXT    NOT NULL,
    customer_id TEXT    NOT NULL,
    hash        BLOB    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT;

-- InvalidatePasswordResets and the cascade from customers.
CREATE INDEX password_resets_shop_customer ON password_resets (shop_id, customer_id);

CREATE TABLE signing_keys (
    id         TEXT    NOT NULL PRIMARY KEY,
    algorithm  TEXT    NOT NULL,
    private    BLOB    NOT NULL,
    public     BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    retired_at INTEGER
) STRICT;

CREATE TABLE secrets (
    name  TEXT NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

-- +goose Down
DROP TABLE secrets;
DROP TABLE signing_keys;
DROP TABLE password_resets;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE customers;
DROP TABLE api_keys;
DROP TABLE shops;
