-- Pending identities (two-step sign-up) and session cookies of the
-- dialects that need them (Medusa), and the per-store Medusa token
-- lifetime. Kept in the database rather than in a node's memory, so nodes
-- behind a load balancer share them: a registration token minted on one
-- node completes on another, a cookie set by one works on all.
-- Same conventions as 00001 (see internal/store/sqlite/convert.go).

-- +goose Up
CREATE TABLE pending_identities (
    id               TEXT    NOT NULL PRIMARY KEY,
    shop_id          TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    email            TEXT    NOT NULL,
    email_normalized TEXT    NOT NULL,
    password_hash    TEXT    NOT NULL,
    -- NULL until the sign-up is completed.
    customer_id      TEXT,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT;

-- The e-mail-squat rule: one identity without a customer per (store,
-- e-mail), whatever two racing sign-ups do. An expired one is deleted by
-- the next sign-up of that e-mail before its insert.
CREATE UNIQUE INDEX pending_identities_one_open ON pending_identities (shop_id, email_normalized) WHERE customer_id IS NULL;
-- Purges by expiry.
CREATE INDEX pending_identities_shop_expires ON pending_identities (shop_id, expires_at);
-- Child side of the customer foreign key.
CREATE INDEX pending_identities_shop_customer ON pending_identities (shop_id, customer_id);

CREATE TABLE session_cookies (
    -- SHA-256 of the cookie value; the value itself is never stored.
    hash       BLOB    NOT NULL PRIMARY KEY,
    shop_id    TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    session_id TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

-- Purges by expiry.
CREATE INDEX session_cookies_shop_expires ON session_cookies (shop_id, expires_at);
-- Child side of the session foreign key.
CREATE INDEX session_cookies_session_id ON session_cookies (session_id);

-- 0 means the default (24 h).
ALTER TABLE shops ADD COLUMN medusa_token_ttl_ms INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE shops DROP COLUMN medusa_token_ttl_ms;
DROP TABLE session_cookies;
DROP TABLE pending_identities;
