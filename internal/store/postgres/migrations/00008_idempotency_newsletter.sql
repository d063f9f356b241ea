-- Idempotency keys of mutating requests, and newsletter subscriptions, the
-- PostgreSQL twin of the SQLite 00008: same columns, keys, cascades and
-- indexes.

-- +goose Up
-- One row per (shop, customer, Idempotency-Key): the first request's
-- fingerprint and, once it has finished, its response. status is 0 while
-- the first request runs; expires_at is then the end of its lease (so a
-- crashed request frees the key), and afterwards the end of the replay
-- window. Rows go with their customer.
CREATE TABLE idempotency_records (
    id           text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id      text COLLATE "C" NOT NULL,
    customer_id  text COLLATE "C" NOT NULL,
    key          text COLLATE "C" NOT NULL,
    -- SHA-256 of method, path and body.
    fingerprint  bytea   NOT NULL,
    status       integer NOT NULL DEFAULT 0,
    content_type text    NOT NULL DEFAULT '',
    body         bytea   NOT NULL DEFAULT '\x',
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE,
    -- The lookup of every keyed request; two concurrent first uses of a
    -- key collide here and exactly one runs.
    UNIQUE (shop_id, customer_id, key)
);

-- The purge of expired rows walks this index.
CREATE INDEX idempotency_records_expires_at ON idempotency_records (expires_at);

-- A store's newsletter subscriptions, one per e-mail. customer_id links the
-- subscription to the account it belongs to (at most one per customer);
-- verified_at is set by a verified opt-in. token_hash is the SHA-256 of the
-- one outstanding mailed token (verification or unsubscribe, as
-- token_purpose says), NULL when none is.
CREATE TABLE newsletter_subscribers (
    id               text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id          text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    email            text NOT NULL,
    email_normalized text COLLATE "C" NOT NULL,
    customer_id      text COLLATE "C",
    verified_at      timestamptz,
    token_hash       bytea UNIQUE,
    token_purpose    text NOT NULL DEFAULT '',
    token_expires_at timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    -- Deleting the account deletes its subscription (erasure).
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE,
    UNIQUE (shop_id, email_normalized)
);

-- GetNewsletterSubscriberByCustomer and the cascade from customers; NULLs
-- (subscribers without an account) never collide.
CREATE UNIQUE INDEX newsletter_subscribers_customer ON newsletter_subscribers (shop_id, customer_id);

-- +goose Down
DROP TABLE newsletter_subscribers;
DROP TABLE idempotency_records;
