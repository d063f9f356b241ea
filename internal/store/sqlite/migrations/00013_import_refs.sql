-- Customers imported from another platform (core/import.go) keep that
-- platform's id here, so dialects can answer with the old id, orders can be
-- linked, and a re-run of the same import file matches what it wrote. The
-- digest is the SHA-256 of the record last imported: equal means the re-run
-- has nothing to change. run_id names the run that wrote the row, so a
-- second row of the same file for the same customer is told apart from a
-- customer an earlier run imported.

-- +goose Up
CREATE TABLE customer_import_refs (
    shop_id     TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    customer_id TEXT    NOT NULL,
    external_id TEXT    NOT NULL,
    source      TEXT    NOT NULL DEFAULT '',
    digest      TEXT    NOT NULL DEFAULT '',
    run_id      TEXT    NOT NULL DEFAULT '',
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (shop_id, customer_id),
    -- One old id names one customer of a store; two stores may share ids.
    UNIQUE (shop_id, external_id),
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT;

-- +goose Down
DROP TABLE customer_import_refs;
