-- Salesforce Commerce Cloud dialect: store bindings, SLAS clients,
-- shoppers (usid -> guest id), authorization codes and session bindings.
-- Same conventions as 00001 (see internal/store/sqlite/convert.go).

-- +goose Up
CREATE TABLE sfcc_bindings (
    shop_id         TEXT    NOT NULL PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
    organization_id TEXT    NOT NULL UNIQUE,
    site_ids        TEXT    NOT NULL CHECK (json_valid(site_ids)),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

-- client_id is unique in the deployment; position keeps the order given.
CREATE TABLE sfcc_clients (
    client_id     TEXT    NOT NULL PRIMARY KEY,
    shop_id       TEXT    NOT NULL REFERENCES sfcc_bindings (shop_id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    redirect_uris TEXT    NOT NULL CHECK (json_valid(redirect_uris)),
    callback_uris TEXT    NOT NULL CHECK (json_valid(callback_uris))
) STRICT;

CREATE INDEX sfcc_clients_shop_id ON sfcc_clients (shop_id, position);

CREATE TABLE sfcc_shoppers (
    usid       TEXT    NOT NULL PRIMARY KEY,
    shop_id    TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    guest_id   TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX sfcc_shoppers_shop_id ON sfcc_shoppers (shop_id);

-- Codes live 60 s; customer_id has no foreign key because a code of a
-- deleted customer simply fails when its session is started.
CREATE TABLE sfcc_auth_codes (
    id           TEXT    NOT NULL PRIMARY KEY,
    shop_id      TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    hash         BLOB    NOT NULL UNIQUE,
    client_id    TEXT    NOT NULL,
    redirect_uri TEXT    NOT NULL,
    channel_id   TEXT    NOT NULL,
    usid         TEXT    NOT NULL,
    customer_id  TEXT    NOT NULL DEFAULT '',
    challenge    TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER,
    session_id   TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX sfcc_auth_codes_shop_id ON sfcc_auth_codes (shop_id);

CREATE TABLE sfcc_sessions (
    session_id TEXT    NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    shop_id    TEXT    NOT NULL,
    client_id  TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    usid       TEXT    NOT NULL,
    dnt        TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
) STRICT;

-- +goose Down
DROP TABLE sfcc_sessions;
DROP TABLE sfcc_auth_codes;
DROP TABLE sfcc_shoppers;
DROP TABLE sfcc_clients;
DROP TABLE sfcc_bindings;
