-- Saved payment methods, the order index and e-mail tokens: the PostgreSQL
-- twin of the SQLite 00006, with the same keys, cascades and indexes.

-- +goose Up
CREATE TABLE payment_methods (
    id                 text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id            text COLLATE "C" NOT NULL,
    customer_id        text COLLATE "C" NOT NULL,
    provider           text    NOT NULL,
    -- The payment provider's token; never a card number (core refuses
    -- anything that looks like one before it gets here).
    provider_ref       text    NOT NULL,
    type               text    NOT NULL,
    brand              text    NOT NULL DEFAULT '',
    last4              text    NOT NULL DEFAULT '',
    -- 0 when the method has no expiry (a wallet, a bank mandate).
    exp_month          integer NOT NULL DEFAULT 0,
    exp_year           integer NOT NULL DEFAULT 0,
    holder_name        text    NOT NULL DEFAULT '',
    -- Deleting the address clears it rather than leaving it dangling.
    billing_address_id text COLLATE "C" REFERENCES addresses (id) ON DELETE SET NULL,
    is_default         boolean NOT NULL DEFAULT false,
    metadata           jsonb,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    -- A method belongs to a customer of its own shop, and goes with them.
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE,
    -- One provider token is one saved method.
    UNIQUE (shop_id, provider, provider_ref)
);

-- ListPaymentMethods pages one customer's methods by id; the cascade from
-- customers uses its prefix.
CREATE INDEX payment_methods_shop_customer_id ON payment_methods (shop_id, customer_id, id);
-- At most one default per customer, whatever a racing write does.
CREATE UNIQUE INDEX payment_methods_one_default ON payment_methods (shop_id, customer_id) WHERE is_default;
-- Child side of the address foreign key.
CREATE INDEX payment_methods_billing_address ON payment_methods (billing_address_id);

CREATE TABLE orders (
    id                 text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id            text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    -- The store's own order number; upserts are keyed by it.
    number             text COLLATE "C" NOT NULL,
    -- NULL for a guest order nobody has claimed. A single-column key, as
    -- on SQLite (which cannot set only one column of a composite key to
    -- NULL), so a deleted customer's orders stay, unlinked, for the
    -- store's books; the store checks the customer's shop on every write.
    customer_id        text COLLATE "C" REFERENCES customers (id) ON DELETE SET NULL,
    email              text    NOT NULL,
    email_normalized   text COLLATE "C" NOT NULL,
    state              text    NOT NULL,
    payment_status     text    NOT NULL DEFAULT '',
    fulfillment_status text    NOT NULL DEFAULT '',
    currency           text COLLATE "C" NOT NULL,
    -- Minor units of currency.
    subtotal           bigint  NOT NULL DEFAULT 0,
    shipping_total     bigint  NOT NULL DEFAULT 0,
    tax_total          bigint  NOT NULL DEFAULT 0,
    discount_total     bigint  NOT NULL DEFAULT 0,
    total              bigint  NOT NULL DEFAULT 0,
    item_count         integer NOT NULL DEFAULT 0,
    line_items         jsonb   NOT NULL DEFAULT '[]',
    billing_address    jsonb,
    shipping_address   jsonb,
    metadata           jsonb,
    placed_at          timestamptz NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    UNIQUE (shop_id, number)
);

-- ListOrders pages one customer's orders by id, newest first.
CREATE INDEX orders_shop_customer_id ON orders (shop_id, customer_id, id);
-- ClaimOrders finds a shop's orders placed with an address.
CREATE INDEX orders_shop_email ON orders (shop_id, email_normalized);
-- Child side of the customer foreign key (ON DELETE SET NULL).
CREATE INDEX orders_customer_id ON orders (customer_id);

CREATE TABLE email_tokens (
    id          text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id     text COLLATE "C" NOT NULL,
    customer_id text COLLATE "C" NOT NULL,
    purpose     text  NOT NULL,
    -- The address the token was mailed to.
    email       text  NOT NULL,
    subject     text  NOT NULL DEFAULT '',
    -- SHA-256 of the token; the token itself is never stored.
    hash        bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
);

-- InvalidateEmailTokens and the cascade from customers.
CREATE INDEX email_tokens_shop_customer ON email_tokens (shop_id, customer_id, purpose);

-- +goose Down
DROP TABLE email_tokens;
DROP TABLE orders;
DROP TABLE payment_methods;
