-- Wishlists (SFCC product lists) and their items. Conventions as in 00001.

-- +goose Up
CREATE TABLE wishlists (
    id          TEXT    NOT NULL PRIMARY KEY,
    shop_id     TEXT    NOT NULL,
    customer_id TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    is_private  INTEGER NOT NULL DEFAULT 1 CHECK (is_private IN (0, 1)),
    -- NULL while the list is private: unique indexes skip NULLs, and an
    -- unshared list has no link that could still work.
    share_token TEXT    UNIQUE,
    metadata    TEXT    CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    -- The composite key refuses a list that pairs one shop with another
    -- shop's customer, and deleting the customer deletes their lists.
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE,
    -- Parent key for wishlist_items' (shop_id, wishlist_id) foreign key.
    UNIQUE (shop_id, id)
) STRICT;

-- ListWishlists, CountWishlists and the cascade from customers.
CREATE INDEX wishlists_shop_customer_id ON wishlists (shop_id, customer_id, id);
-- At most one default list per customer. Core keeps the rule inside its
-- transaction; this index makes a concurrent second default a conflict.
CREATE UNIQUE INDEX wishlists_one_default ON wishlists (shop_id, customer_id) WHERE is_default = 1;

CREATE TABLE wishlist_items (
    id          TEXT    NOT NULL PRIMARY KEY,
    shop_id     TEXT    NOT NULL,
    wishlist_id TEXT    NOT NULL,
    product_id  TEXT    NOT NULL,
    -- '' for an item that names no variant, so the unique key below also
    -- covers product-level items (NULLs would never collide).
    variant_id  TEXT    NOT NULL DEFAULT '',
    quantity    INTEGER NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    priority    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    FOREIGN KEY (shop_id, wishlist_id) REFERENCES wishlists (shop_id, id) ON DELETE CASCADE,
    -- One row per product and variant in a list: core adds to the quantity
    -- of the existing row instead; a concurrent duplicate is a conflict.
    -- Its leading column also serves the cascade from wishlists.
    UNIQUE (wishlist_id, product_id, variant_id)
) STRICT;

-- ListWishlistItems and CountWishlistItems.
CREATE INDEX wishlist_items_wishlist_id ON wishlist_items (wishlist_id, id);

-- +goose Down
DROP TABLE wishlist_items;
DROP TABLE wishlists;
