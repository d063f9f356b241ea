-- Saved payment methods, the order index and e-mail tokens (verification,
-- e-mail change, order claims).
-- Same conventions as 00001 (see internal/store/sqlite/convert.go).

-- +goose Up
CREATE TABLE payment_methods (
    id                 TEXT    NOT NULL PRIMARY KEY,
    shop_id            TEXT    NOT NULL,
    customer_id        TEXT    NOT NULL,
    provider           TEXT    NOT NULL,
    -- The payment provider's token; never a card number (core refuses
    -- anything that looks like one before it gets here).
    provider_ref       TEXT    NOT NULL,
    type               TEXT    NOT NULL,
    brand              TEXT    NOT NULL DEFAULT '',
    last4              TEXT    NOT NULL DEFAULT '',
    -- 0 when the method has no expiry (a wallet, a bank mandate).
    exp_month          INTEGER NOT NULL DEFAULT 0,
    exp_year           INTEGER NOT NULL DEFAULT 0,
    holder_name        TEXT    NOT NULL DEFAULT '',
    -- Deleting the address clears it rather than leaving it dangling.
    billing_address_id TEXT    REFERENCES addresses (id) ON DELETE SET NULL,
    is_default         INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    metadata           TEXT    CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    -- A method belongs to a customer of its own shop, and goes with them.
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE,
    -- One provider token is one saved method: a double-clicked save is a
    -- conflict, not a duplicate card.
    UNIQUE (shop_id, provider, provider_ref)
) STRICT;

-- ListPaymentMethods pages one customer's methods by id; the cascade from
-- customers uses its prefix.
CREATE INDEX payment_methods_shop_customer_id ON payment_methods (shop_id, customer_id, id);
-- At most one default per customer, whatever a racing write does: core
-- clears the old default before it sets a new one.
CREATE UNIQUE INDEX payment_methods_one_default ON payment_methods (shop_id, customer_id) WHERE is_default = 1;
-- Child side of the address foreign key.
CREATE INDEX payment_methods_billing_address ON payment_methods (billing_address_id);

CREATE TABLE orders (
    id                 TEXT    NOT NULL PRIMARY KEY,
    shop_id            TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    -- The store's own order number; upserts are keyed by it.
    number             TEXT    NOT NULL,
    -- NULL for a guest order nobody has claimed. A single-column key so a
    -- deleted customer's orders stay (unlinked) for the store's books; the
    -- store checks that a customer is of the order's shop on every write.
    customer_id        TEXT    REFERENCES customers (id) ON DELETE SET NULL,
    email              TEXT    NOT NULL,
    email_normalized   TEXT    NOT NULL,
    state              TEXT    NOT NULL,
    payment_status     TEXT    NOT NULL DEFAULT '',
    fulfillment_status TEXT    NOT NULL DEFAULT '',
    currency           TEXT    NOT NULL,
    -- Minor units of currency.
    subtotal           INTEGER NOT NULL DEFAULT 0,
    shipping_total     INTEGER NOT NULL DEFAULT 0,
    tax_total          INTEGER NOT NULL DEFAULT 0,
    discount_total     INTEGER NOT NULL DEFAULT 0,
    total              INTEGER NOT NULL DEFAULT 0,
    item_count         INTEGER NOT NULL DEFAULT 0,
    line_items         TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(line_items)),
    billing_address    TEXT    CHECK (billing_address IS NULL OR json_valid(billing_address)),
    shipping_address   TEXT    CHECK (shipping_address IS NULL OR json_valid(shipping_address)),
    metadata           TEXT    CHECK (metadata IS NULL OR json_valid(metadata)),
    placed_at          INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (shop_id, number)
) STRICT;

-- ListOrders pages one customer's orders by id, newest first.
CREATE INDEX orders_shop_customer_id ON orders (shop_id, customer_id, id);
-- ClaimOrders finds a shop's orders placed with an address.
CREATE INDEX orders_shop_email ON orders (shop_id, email_normalized);
-- Child side of the customer foreign key (ON DELETE SET NULL).
CREATE INDEX orders_customer_id ON orders (customer_id);

CREATE TABLE email_tokens (
    id          TEXT    NOT NULL PRIMARY KEY,
    shop_id     TEXT    NOT NULL,
    customer_id TEXT    NOT NULL,
    purpose     TEXT    NOT NULL,
    -- The address the token was mailed to.
    email       TEXT    NOT NULL,
    subject     TEXT    NOT NULL DEFAULT '',
    -- SHA-256 of the token; the token itself is never stored.
    hash        BLOB    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT;

-- InvalidateEmailTokens and the cascade from customers.
CREATE INDEX email_tokens_shop_customer ON email_tokens (shop_id, customer_id, purpose);

-- +goose Down
DROP TABLE email_tokens;
DROP TABLE orders;
DROP TABLE payment_methods;
