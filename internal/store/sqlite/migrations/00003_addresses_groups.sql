-- Address books, customer default addresses and customer groups.
-- Same conventions as 00001 (see internal/store/sqlite/convert.go).

-- +goose Up
CREATE TABLE addresses (
    id           TEXT    NOT NULL PRIMARY KEY,
    shop_id      TEXT    NOT NULL,
    customer_id  TEXT    NOT NULL,
    label        TEXT    NOT NULL DEFAULT '',
    first_name   TEXT    NOT NULL DEFAULT '',
    last_name    TEXT    NOT NULL DEFAULT '',
    company      TEXT    NOT NULL DEFAULT '',
    address1     TEXT    NOT NULL DEFAULT '',
    address2     TEXT    NOT NULL DEFAULT '',
    city         TEXT    NOT NULL DEFAULT '',
    region_code  TEXT    NOT NULL DEFAULT '',
    region_name  TEXT    NOT NULL DEFAULT '',
    postal_code  TEXT    NOT NULL DEFAULT '',
    -- ISO 3166-1 alpha-2; core validates it against the full list.
    country_code TEXT    NOT NULL,
    phone        TEXT    NOT NULL DEFAULT '',
    metadata     TEXT    CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    -- An address belongs to a customer of its own shop, and goes with them.
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT;

-- ListAddresses pages one customer's book by id; CountAddresses and the
-- cascade from customers use its prefix.
CREATE INDEX addresses_shop_customer_id ON addresses (shop_id, customer_id, id);

-- The customer's defaults point into the address book. Deleting the address
-- clears them (core does so itself, in the same transaction; the foreign key
-- makes a dangling default impossible even for a write that forgot). Core
-- checks that a default is one of the customer's own addresses.
ALTER TABLE customers ADD COLUMN company_name TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN default_billing_address_id TEXT REFERENCES addresses (id) ON DELETE SET NULL;
ALTER TABLE customers ADD COLUMN default_shipping_address_id TEXT REFERENCES addresses (id) ON DELETE SET NULL;

-- Child side of the two foreign keys, so deleting an address does not scan
-- the customers.
CREATE INDEX customers_default_billing ON customers (default_billing_address_id);
CREATE INDEX customers_default_shipping ON customers (default_shipping_address_id);

CREATE TABLE customer_groups (
    id          TEXT    NOT NULL PRIMARY KEY,
    shop_id     TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    -- Trimmed and NFC-normalised by core; unique per shop, byte for byte.
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    metadata    TEXT    CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (shop_id, name),
    -- Parent key for the memberships' (shop_id, group_id) foreign key.
    UNIQUE (shop_id, id)
) STRICT;

-- ListGroups pages a shop's groups by id.
CREATE INDEX customer_groups_shop_id ON customer_groups (shop_id, id);

-- Memberships. The composite foreign keys make the database refuse one that
-- pairs a customer with another shop's group; deleting either side removes it.
CREATE TABLE customer_group_members (
    shop_id     TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    group_id    TEXT NOT NULL,
    PRIMARY KEY (shop_id, customer_id, group_id),
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE,
    FOREIGN KEY (shop_id, group_id) REFERENCES customer_groups (shop_id, id) ON DELETE CASCADE
) STRICT;

-- The cascade from customer_groups, and finding a group's customers.
CREATE INDEX customer_group_members_group ON customer_group_members (shop_id, group_id, customer_id);

-- +goose Down
DROP TABLE customer_group_members;
DROP TABLE customer_groups;
DROP INDEX customers_default_shipping;
DROP INDEX customers_default_billing;
ALTER TABLE customers DROP COLUMN default_shipping_address_id;
ALTER TABLE customers DROP COLUMN default_billing_address_id;
ALTER TABLE customers DROP COLUMN company_name;
DROP TABLE addresses;
