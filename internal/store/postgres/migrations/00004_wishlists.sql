-- Wishlists (SFCC product lists) and their items, the PostgreSQL twin of the
-- SQLite 00004: same columns, keys, cascades and indexes.

-- +goose Up
CREATE TABLE wishlists (
    id          text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id     text COLLATE "C" NOT NULL,
    customer_id text COLLATE "C" NOT NULL,
    name        text    NOT NULL,
    is_default  boolean NOT NULL DEFAULT false,
    is_private  boolean NOT NULL DEFAULT true,
    -- NULL while the list is private: unique indexes skip NULLs, and an
    -- unshared list has no link that could still work.
    share_token text COLLATE "C" UNIQUE,
    metadata    jsonb,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    -- The composite key refuses a list that pairs one shop with another
    -- shop's customer, and deleting the customer deletes their lists.
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE,
    -- Parent key for wishlist_items' (shop_id, wishlist_id) foreign key.
    UNIQUE (shop_id, id)
);

-- ListWishlists, CountWishlists and the cascade from customers.
CREATE INDEX wishlists_shop_customer_id ON wishlists (shop_id, customer_id, id);
-- At most one default list per customer. Core keeps the rule inside its
-- transaction; this index makes a concurrent second default a conflict.
CREATE UNIQUE INDEX wishlists_one_default ON wishlists (shop_id, customer_id) WHERE is_default;

CREATE TABLE wishlist_items (
    id          text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id     text COLLATE "C" NOT NULL,
    wishlist_id text COLLATE "C" NOT NULL,
    product_id  text COLLATE "C" NOT NULL,
    -- '' for an item that names no variant, so the unique key below also
    -- covers product-level items (NULLs would never collide).
    variant_id  text COLLATE "C" NOT NULL DEFAULT '',
    quantity    integer NOT NULL,
    note        text    NOT NULL DEFAULT '',
    priority    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    FOREIGN KEY (shop_id, wishlist_id) REFERENCES wishlists (shop_id, id) ON DELETE CASCADE,
    -- One row per product and variant in a list: core adds to the quantity
    -- of the existing row instead; a concurrent duplicate is a conflict.
    -- Its leading column also serves the cascade from wishlists.
    UNIQUE (wishlist_id, product_id, variant_id)
);

-- ListWishlistItems and CountWishlistItems.
CREATE INDEX wishlist_items_wishlist_id ON wishlist_items (wishlist_id, id);

-- +goose Down
DROP TABLE wishlist_items;
DROP TABLE wishlists;
