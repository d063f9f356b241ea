-- Address books, customer default addresses and customer groups: the
-- PostgreSQL twin of the SQLite 00003, with the same keys, cascades and
-- indexes.

-- +goose Up
CREATE TABLE addresses (
    id           text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id      text COLLATE "C" NOT NULL,
    customer_id  text COLLATE "C" NOT NULL,
    label        text NOT NULL DEFAULT '',
    first_name   text NOT NULL DEFAULT '',
    last_name    text NOT NULL DEFAULT '',
    company      text NOT NULL DEFAULT '',
    address1     text NOT NULL DEFAULT '',
    address2     text NOT NULL DEFAULT '',
    city         text NOT NULL DEFAULT '',
    region_code  text NOT NULL DEFAULT '',
    region_name  text NOT NULL DEFAULT '',
    postal_code  text NOT NULL DEFAULT '',
    -- ISO 3166-1 alpha-2; core validates it against the full list.
    country_code text NOT NULL,
    phone        text NOT NULL DEFAULT '',
    metadata     jsonb,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    -- An address belongs to a customer of its own shop, and goes with them.
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
);

-- ListAddresses pages one customer's book by id; CountAddresses and the
-- cascade from customers use its prefix.
CREATE INDEX addresses_shop_customer_id ON addresses (shop_id, customer_id, id);

-- The customer's defaults point into the address book. Deleting the address
-- clears them (core does so itself, in the same transaction; the foreign key
-- makes a dangling default impossible even for a write that forgot). Core
-- checks that a default is one of the customer's own addresses.
ALTER TABLE customers ADD COLUMN company_name text NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN default_billing_address_id text COLLATE "C" REFERENCES addresses (id) ON DELETE SET NULL;
ALTER TABLE customers ADD COLUMN default_shipping_address_id text COLLATE "C" REFERENCES addresses (id) ON DELETE SET NULL;

-- Child side of the two foreign keys, so deleting an address does not scan
-- the customers.
CREATE INDEX customers_default_billing ON customers (default_billing_address_id);
CREATE INDEX customers_default_shipping ON customers (default_shipping_address_id);

CREATE TABLE customer_groups (
    id          text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id     text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    -- Trimmed and NFC-normalised by core; unique per shop, byte for byte
    -- (the "C" collation compares bytes, as SQLite does).
    name        text COLLATE "C" NOT NULL,
    description text NOT NULL DEFAULT '',
    metadata    jsonb,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (shop_id, name),
    -- Parent key for the memberships' (shop_id, group_id) foreign key.
    UNIQUE (shop_id, id)
);

-- ListGroups pages a shop's groups by id.
CREATE INDEX customer_groups_shop_id ON customer_groups (shop_id, id);

-- Memberships. The composite foreign keys make the database refuse one that
-- pairs a customer with another shop's group; deleting either side removes it.
CREATE TABLE customer_group_members (
    shop_id     text COLLATE "C" NOT NULL,
    customer_id text COLLATE "C" NOT NULL,
    group_id    text COLLATE "C" NOT NULL,
    PRIMARY KEY (shop_id, customer_id, group_id),
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE,
    FOREIGN KEY (shop_id, group_id) REFERENCES customer_groups (shop_id, id) ON DELETE CASCADE
);

-- The cascade from customer_groups, and finding a group's customers.
CREATE INDEX customer_group_members_group ON customer_group_members (shop_id, group_id, customer_id);

-- +goose Down
DROP TABLE customer_group_members;
DROP TABLE customer_groups;
ALTER TABLE customers DROP COLUMN default_shipping_address_id;
ALTER TABLE customers DROP COLUMN default_billing_address_id;
ALTER TABLE customers DROP COLUMN company_name;
DROP TABLE addresses;
