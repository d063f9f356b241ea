-- Guest sessions and the admin customer search.
-- Same conventions as 00001 (see internal/store/sqlite/convert.go).

-- +goose Up
-- A guest session's guest id ("gst_" + ULID), kept by the customer session
-- a guest's sign-up or login starts, so a cart can follow the shopper
-- (DESIGN §3). NULL for a session that never was a guest's. Nothing looks a
-- session up by it, so it has no index.
ALTER TABLE sessions ADD COLUMN guest_id TEXT;

-- The admin search filtered by status (few customers are disabled, so
-- listing them must not walk every customer). The e-mail prefix search is
-- a range on the (shop_id, email_normalized) unique index of 00001; the
-- name search is a substring match, which no B-tree index can serve, so it
-- walks the (shop_id, id) unique index in page order and stops at the
-- page's size.
CREATE INDEX customers_shop_status_id ON customers (shop_id, status, id);

-- +goose Down
DROP INDEX customers_shop_status_id;
ALTER TABLE sessions DROP COLUMN guest_id;
