-- The PostgreSQL twin of the SQLite 00013: the id a customer had on the
-- platform it was imported from (core/import.go), unique per store, and the
-- digest of the record last imported, so a re-run changes nothing, and the run that wrote it (run_id).

-- +goose Up
CREATE TABLE customer_import_refs (
    shop_id     text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    customer_id text COLLATE "C" NOT NULL,
    external_id text COLLATE "C" NOT NULL,
    source      text NOT NULL DEFAULT '',
    digest      text NOT NULL DEFAULT '',
    run_id      text NOT NULL DEFAULT '',
    imported_at timestamptz NOT NULL,
    PRIMARY KEY (shop_id, customer_id),
    -- One old id names one customer of a store; two stores may share ids.
    UNIQUE (shop_id, external_id),
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE customer_import_refs;
