-- The per-store switch of the welcome mail. Stored as "off" so every
-- existing store, and a new one, keeps sending it (welcome_mail on).

-- +goose Up
ALTER TABLE shops ADD COLUMN welcome_mail_off INTEGER NOT NULL DEFAULT 0 CHECK (welcome_mail_off IN (0, 1));

-- +goose Down
ALTER TABLE shops DROP COLUMN welcome_mail_off;
