-- Initial schema, the PostgreSQL twin of internal/store/sqlite's 00001:
-- same tables, columns, keys, cascades and indexes, so the two backends
-- refuse the same writes. Conventions:
--   * timestamps are timestamptz (microsecond precision, like the SQLite
--     backend's integers); NULL where the Go field is a pointer;
--   * durations are bigint milliseconds, as on SQLite, so a TTL reads the
--     same in either shell and no interval month/day arithmetic applies;
--   * ids, and the normalised e-mail the store only compares, use the "C"
--     collation: they are opaque byte strings, so ORDER BY id breaks ties in
--     byte order as SQLite does, whatever the database's locale;
--   * metadata is jsonb: it is validated on write, like SQLite's json_valid.

-- +goose Up
CREATE TABLE shops (
    id                   text COLLATE "C" NOT NULL PRIMARY KEY,
    name                 text    NOT NULL,
    allowed_origins      text[]  NOT NULL DEFAULT '{}',
    password_reset_url   text    NOT NULL DEFAULT '',
    access_token_ttl_ms  bigint  NOT NULL DEFAULT 0,
    refresh_token_ttl_ms bigint  NOT NULL DEFAULT 0,
    refresh_idle_ttl_ms  bigint  NOT NULL DEFAULT 0,
    reset_token_ttl_ms   bigint  NOT NULL DEFAULT 0,
    email_exists_check   boolean NOT NULL DEFAULT false,
    min_password_length  integer NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);

-- OldestShop picks the first shop created.
CREATE INDEX shops_created_at ON shops (created_at, id);

CREATE TABLE api_keys (
    id         text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id    text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    kind       text  NOT NULL,
    hash       bytea NOT NULL UNIQUE,
    hint       text  NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

-- Child side of the foreign key: PostgreSQL does not index it by itself,
-- and without it a cascade scans the table.
CREATE INDEX api_keys_shop_id ON api_keys (shop_id);

CREATE TABLE customers (
    id                      text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id                 text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    email                   text    NOT NULL,
    email_normalized        text COLLATE "C" NOT NULL,
    email_verified_at       timestamptz,
    password_hash           text    NOT NULL DEFAULT '',
    first_name              text    NOT NULL DEFAULT '',
    last_name               text    NOT NULL DEFAULT '',
    phone                   text    NOT NULL DEFAULT '',
    gender                  text    NOT NULL DEFAULT '',
    date_of_birth           text    NOT NULL DEFAULT '',
    accepts_email_marketing boolean NOT NULL DEFAULT false,
    status                  text    NOT NULL,
    metadata                jsonb,
    password_changed_at     timestamptz,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    -- The e-mail is unique per shop, not globally (DESIGN §2).
    UNIQUE (shop_id, email_normalized),
    -- Parent key for the (shop_id, customer_id) foreign keys below: they
    -- make the database refuse a session or reset that pairs one shop with
    -- another shop's customer.
    UNIQUE (shop_id, id)
);

CREATE TABLE sessions (
    id            text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id       text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    -- NULL for a guest session, which has no customer (DESIGN §3); MATCH
    -- SIMPLE (the default) skips the foreign key below for such rows.
    customer_id   text COLLATE "C",
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    revoke_reason text NOT NULL DEFAULT '',
    user_agent    text NOT NULL DEFAULT '',
    ip            text NOT NULL DEFAULT '',
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
);

-- ListSessions, RevokeCustomerSessions and the cascade from customers.
CREATE INDEX sessions_shop_customer ON sessions (shop_id, customer_id);
-- RevokedSince, polled by every node to refresh its deny-list.
CREATE INDEX sessions_revoked_at ON sessions (revoked_at);

CREATE TABLE refresh_tokens (
    id         text COLLATE "C" NOT NULL PRIMARY KEY,
    session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    hash       bytea NOT NULL UNIQUE,
    -- NULL for the first token of a session.
    parent_id  text COLLATE "C",
    created_at timestamptz NOT NULL,
    rotated_at timestamptz
);

-- GetRefreshTokenChild is an index lookup, and a token has at most one
-- child: a second rotation of the same parent is a conflict even if the
-- caller forgot MarkRefreshTokenRotated. NULLs (root tokens) do not collide.
CREATE UNIQUE INDEX refresh_tokens_parent_id ON refresh_tokens (parent_id);
-- Cascade from sessions.
CREATE INDEX refresh_tokens_session_id ON refresh_tokens (session_id);

CREATE TABLE password_resets (
    id          text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id     text COLLATE "C" NOT NULL,
    customer_id text COLLATE "C" NOT NULL,
    hash        bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
);

-- InvalidatePasswordResets and the cascade from customers.
CREATE INDEX password_resets_shop_customer ON password_resets (shop_id, customer_id);

CREATE TABLE signing_keys (
    id         text COLLATE "C" NOT NULL PRIMARY KEY,
    algorithm  text  NOT NULL,
    private    bytea NOT NULL,
    public     bytea NOT NULL,
    created_at timestamptz NOT NULL,
    retired_at timestamptz
);

CREATE TABLE secrets (
    name  text  NOT NULL PRIMARY KEY,
    value bytea NOT NULL
);

-- +goose Down
DROP TABLE secrets;
DROP TABLE signing_keys;
DROP TABLE password_resets;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE customers;
DROP TABLE api_keys;
DROP TABLE shops;
