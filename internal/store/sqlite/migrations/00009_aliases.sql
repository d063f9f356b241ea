-- Integer aliases (contract bagisto.md §7): platforms whose clients put
-- auto-increment integers in paths and compare them as numbers get a
-- stable number for each customer, address, order, wishlist item and
-- customer group. Conventions as in 00001.

-- +goose Up
-- num is drawn from AUTOINCREMENT, so a number is never handed out twice,
-- even after its row is deleted. kind names the table; target_id is the
-- row's id there. The triggers below number every new row in the
-- transaction that inserts it, so no store code has to know about aliases.
CREATE TABLE aliases (
    num       INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind      TEXT    NOT NULL,
    shop_id   TEXT    NOT NULL,
    target_id TEXT    NOT NULL,
    UNIQUE (kind, target_id)
) STRICT;

-- Rows that exist before this migration, in creation (id) order.
INSERT INTO aliases (kind, shop_id, target_id) SELECT 'customer', shop_id, id FROM customers ORDER BY id;
INSERT INTO aliases (kind, shop_id, target_id) SELECT 'address', shop_id, id FROM addresses ORDER BY id;
INSERT INTO aliases (kind, shop_id, target_id) SELECT 'order', shop_id, id FROM orders ORDER BY id;
INSERT INTO aliases (kind, shop_id, target_id) SELECT 'wishlist_item', shop_id, id FROM wishlist_items ORDER BY id;
INSERT INTO aliases (kind, shop_id, target_id) SELECT 'group', shop_id, id FROM customer_groups ORDER BY id;

-- +goose StatementBegin
CREATE TRIGGER aliases_customers_insert AFTER INSERT ON customers BEGIN
    INSERT OR IGNORE INTO aliases (kind, shop_id, target_id) VALUES ('customer', NEW.shop_id, NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aliases_addresses_insert AFTER INSERT ON addresses BEGIN
    INSERT OR IGNORE INTO aliases (kind, shop_id, target_id) VALUES ('address', NEW.shop_id, NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aliases_orders_insert AFTER INSERT ON orders BEGIN
    INSERT OR IGNORE INTO aliases (kind, shop_id, target_id) VALUES ('order', NEW.shop_id, NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aliases_wishlist_items_insert AFTER INSERT ON wishlist_items BEGIN
    INSERT OR IGNORE INTO aliases (kind, shop_id, target_id) VALUES ('wishlist_item', NEW.shop_id, NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aliases_customer_groups_insert AFTER INSERT ON customer_groups BEGIN
    INSERT OR IGNORE INTO aliases (kind, shop_id, target_id) VALUES ('group', NEW.shop_id, NEW.id);
END;
-- +goose StatementEnd

-- Deleting a row drops its alias (the number stays used: AUTOINCREMENT
-- never goes back). Cascaded deletes fire these too.
-- +goose StatementBegin
CREATE TRIGGER aliases_customers_delete AFTER DELETE ON customers BEGIN
    DELETE FROM aliases WHERE kind = 'customer' AND target_id = OLD.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aliases_addresses_delete AFTER DELETE ON addresses BEGIN
    DELETE FROM aliases WHERE kind = 'address' AND target_id = OLD.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aliases_orders_delete AFTER DELETE ON orders BEGIN
    DELETE FROM aliases WHERE kind = 'order' AND target_id = OLD.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aliases_wishlist_items_delete AFTER DELETE ON wishlist_items BEGIN
    DELETE FROM aliases WHERE kind = 'wishlist_item' AND target_id = OLD.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aliases_customer_groups_delete AFTER DELETE ON customer_groups BEGIN
    DELETE FROM aliases WHERE kind = 'group' AND target_id = OLD.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER aliases_customer_groups_delete;
DROP TRIGGER aliases_wishlist_items_delete;
DROP TRIGGER aliases_orders_delete;
DROP TRIGGER aliases_addresses_delete;
DROP TRIGGER aliases_customers_delete;
DROP TRIGGER aliases_customer_groups_insert;
DROP TRIGGER aliases_wishlist_items_insert;
DROP TRIGGER aliases_orders_insert;
DROP TRIGGER aliases_addresses_insert;
DROP TRIGGER aliases_customers_insert;
DROP TABLE aliases;
