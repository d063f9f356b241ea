-- What a password reset token is bound to (SLAS: the client and the PKCE
-- challenge or cross_device), so completing it needs the same client and
-- the code_verifier or the user_id. The defaults make every existing row,
-- and every reset of another surface, unbound: it completes as before.

-- +goose Up
ALTER TABLE password_resets ADD COLUMN binding_client_id TEXT NOT NULL DEFAULT '';
ALTER TABLE password_resets ADD COLUMN binding_challenge TEXT NOT NULL DEFAULT '';
ALTER TABLE password_resets ADD COLUMN binding_cross_device INTEGER NOT NULL DEFAULT 0 CHECK (binding_cross_device IN (0, 1));

-- +goose Down
ALTER TABLE password_resets DROP COLUMN binding_cross_device;
ALTER TABLE password_resets DROP COLUMN binding_challenge;
ALTER TABLE password_resets DROP COLUMN binding_client_id;
