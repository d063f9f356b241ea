-- The per-store switch of the welcome mail, the PostgreSQL twin of the
-- SQLite 00016. Stored as "off" so every existing store, and a new one,
-- keeps sending it (welcome_mail on).

-- +goose Up
ALTER TABLE shops ADD COLUMN welcome_mail_off boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE shops DROP COLUMN welcome_mail_off;
