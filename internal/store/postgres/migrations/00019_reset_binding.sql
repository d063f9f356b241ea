-- What a password reset token is bound to, the PostgreSQL twin of the
-- SQLite 00019: the client and the PKCE challenge or cross_device. The
-- defaults make existing rows, and other surfaces' resets, unbound.

-- +goose Up
ALTER TABLE password_resets ADD COLUMN binding_client_id text NOT NULL DEFAULT '';
ALTER TABLE password_resets ADD COLUMN binding_challenge text NOT NULL DEFAULT '';
ALTER TABLE password_resets ADD COLUMN binding_cross_device boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE password_resets DROP COLUMN binding_cross_device;
ALTER TABLE password_resets DROP COLUMN binding_challenge;
ALTER TABLE password_resets DROP COLUMN binding_client_id;
