-- Integer aliases, the PostgreSQL twin of the SQLite 00009 (contract
-- bagisto.md §7): a stable number for each customer, address, order,
-- wishlist item and customer group.

-- +goose Up
-- One sequence for every kind; a sequence never hands a number out twice
-- (not even after a rollback or a delete). It stops at 2^31-1: clients
-- keep these ids in 32-bit integers, so running out must be a loud error,
-- not a silent overflow on their side.
CREATE SEQUENCE aliases_num_seq AS bigint MINVALUE 1 MAXVALUE 2147483647 NO CYCLE;

CREATE TABLE aliases (
    num       bigint NOT NULL PRIMARY KEY DEFAULT nextval('aliases_num_seq'),
    kind      text COLLATE "C" NOT NULL,
    shop_id   text COLLATE "C" NOT NULL,
    target_id text COLLATE "C" NOT NULL,
    UNIQUE (kind, target_id)
);
ALTER SEQUENCE aliases_num_seq OWNED BY aliases.num;

-- Rows that exist before this migration, in creation (id) order.
INSERT INTO aliases (kind, shop_id, target_id) SELECT 'customer', shop_id, id FROM customers ORDER BY id;
INSERT INTO aliases (kind, shop_id, target_id) SELECT 'address', shop_id, id FROM addresses ORDER BY id;
INSERT INTO aliases (kind, shop_id, target_id) SELECT 'order', shop_id, id FROM orders ORDER BY id;
INSERT INTO aliases (kind, shop_id, target_id) SELECT 'wishlist_item', shop_id, id FROM wishlist_items ORDER BY id;
INSERT INTO aliases (kind, shop_id, target_id) SELECT 'group', shop_id, id FROM customer_groups ORDER BY id;

-- Number every new row in the transaction that inserts it, and drop the
-- alias with its row; TG_ARGV[0] is the kind.
-- +goose StatementBegin
CREATE FUNCTION aliases_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO aliases (kind, shop_id, target_id) VALUES (TG_ARGV[0], NEW.shop_id, NEW.id)
    ON CONFLICT (kind, target_id) DO NOTHING;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION aliases_drop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM aliases WHERE kind = TG_ARGV[0] AND target_id = OLD.id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER aliases_customers_insert AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION aliases_number('customer');
CREATE TRIGGER aliases_addresses_insert AFTER INSERT ON addresses FOR EACH ROW EXECUTE FUNCTION aliases_number('address');
CREATE TRIGGER aliases_orders_insert AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION aliases_number('order');
CREATE TRIGGER aliases_wishlist_items_insert AFTER INSERT ON wishlist_items FOR EACH ROW EXECUTE FUNCTION aliases_number('wishlist_item');
CREATE TRIGGER aliases_customer_groups_insert AFTER INSERT ON customer_groups FOR EACH ROW EXECUTE FUNCTION aliases_number('group');
CREATE TRIGGER aliases_customers_delete AFTER DELETE ON customers FOR EACH ROW EXECUTE FUNCTION aliases_drop('customer');
CREATE TRIGGER aliases_addresses_delete AFTER DELETE ON addresses FOR EACH ROW EXECUTE FUNCTION aliases_drop('address');
CREATE TRIGGER aliases_orders_delete AFTER DELETE ON orders FOR EACH ROW EXECUTE FUNCTION aliases_drop('order');
CREATE TRIGGER aliases_wishlist_items_delete AFTER DELETE ON wishlist_items FOR EACH ROW EXECUTE FUNCTION aliases_drop('wishlist_item');
CREATE TRIGGER aliases_customer_groups_delete AFTER DELETE ON customer_groups FOR EACH ROW EXECUTE FUNCTION aliases_drop('group');

-- +goose Down
DROP TRIGGER aliases_customer_groups_delete ON customer_groups;
DROP TRIGGER aliases_wishlist_items_delete ON wishlist_items;
DROP TRIGGER aliases_orders_delete ON orders;
DROP TRIGGER aliases_addresses_delete ON addresses;
DROP TRIGGER aliases_customers_delete ON customers;
DROP TRIGGER aliases_customer_groups_insert ON customer_groups;
DROP TRIGGER aliases_wishlist_items_insert ON wishlist_items;
DROP TRIGGER aliases_orders_insert ON orders;
DROP TRIGGER aliases_addresses_insert ON addresses;
DROP TRIGGER aliases_customers_insert ON customers;
DROP FUNCTION aliases_drop();
DROP FUNCTION aliases_number();
DROP TABLE aliases;
