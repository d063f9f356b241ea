-- Pending identities (two-step sign-up), session cookies and the per-store
-- Medusa token lifetime: the PostgreSQL twin of the SQLite 00011, with the
-- same keys, cascades and indexes.

-- +goose Up
CREATE TABLE pending_identities (
    id               text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id          text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    email            text NOT NULL,
    email_normalized text COLLATE "C" NOT NULL,
    password_hash    text NOT NULL,
    -- NULL until the sign-up is completed.
    customer_id      text COLLATE "C",
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
);

-- The e-mail-squat rule: one identity without a customer per (store,
-- e-mail), whatever two racing sign-ups do.
CREATE UNIQUE INDEX pending_identities_one_open ON pending_identities (shop_id, email_normalized) WHERE customer_id IS NULL;
CREATE INDEX pending_identities_shop_expires ON pending_identities (shop_id, expires_at);
CREATE INDEX pending_identities_shop_customer ON pending_identities (shop_id, customer_id);

CREATE TABLE session_cookies (
    -- SHA-256 of the cookie value; the value itself is never stored.
    hash       bytea NOT NULL PRIMARY KEY,
    shop_id    text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX session_cookies_shop_expires ON session_cookies (shop_id, expires_at);
CREATE INDEX session_cookies_session_id ON session_cookies (session_id);

-- 0 means the default (24 h).
ALTER TABLE shops ADD COLUMN medusa_token_ttl_ms bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE shops DROP COLUMN medusa_token_ttl_ms;
DROP TABLE session_cookies;
DROP TABLE pending_identities;
