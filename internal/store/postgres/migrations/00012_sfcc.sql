-- Salesforce Commerce Cloud dialect, the PostgreSQL twin of the SQLite
-- 00012: store bindings, SLAS clients, shoppers (usid -> guest id),
-- authorization codes and session bindings.

-- +goose Up
CREATE TABLE sfcc_bindings (
    shop_id         text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
    organization_id text COLLATE "C" NOT NULL UNIQUE,
    site_ids        jsonb       NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- client_id is unique in the deployment; position keeps the order given.
CREATE TABLE sfcc_clients (
    client_id     text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id       text COLLATE "C" NOT NULL REFERENCES sfcc_bindings (shop_id) ON DELETE CASCADE,
    position      integer NOT NULL,
    redirect_uris jsonb   NOT NULL,
    callback_uris jsonb   NOT NULL
);

CREATE INDEX sfcc_clients_shop_id ON sfcc_clients (shop_id, position);

CREATE TABLE sfcc_shoppers (
    usid       text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id    text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    guest_id   text COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE INDEX sfcc_shoppers_shop_id ON sfcc_shoppers (shop_id);

-- Codes live 60 s; customer_id has no foreign key because a code of a
-- deleted customer simply fails when its session is started.
CREATE TABLE sfcc_auth_codes (
    id           text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id      text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    hash         bytea       NOT NULL UNIQUE,
    client_id    text        NOT NULL,
    redirect_uri text        NOT NULL,
    channel_id   text        NOT NULL,
    usid         text        NOT NULL,
    customer_id  text COLLATE "C" NOT NULL DEFAULT '',
    challenge    text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    session_id   text COLLATE "C" NOT NULL DEFAULT ''
);

CREATE INDEX sfcc_auth_codes_shop_id ON sfcc_auth_codes (shop_id);

CREATE TABLE sfcc_sessions (
    session_id text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    shop_id    text COLLATE "C" NOT NULL,
    client_id  text        NOT NULL,
    channel_id text        NOT NULL,
    usid       text        NOT NULL,
    dnt        text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE sfcc_sessions;
DROP TABLE sfcc_auth_codes;
DROP TABLE sfcc_shoppers;
DROP TABLE sfcc_clients;
DROP TABLE sfcc_bindings;
