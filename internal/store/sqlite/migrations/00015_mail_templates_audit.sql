-- Stores' own mail templates, and the audit log of security events.

-- +goose Up
CREATE TABLE mail_templates (
    shop_id    TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    subject    TEXT    NOT NULL DEFAULT '',
    text_body  TEXT    NOT NULL DEFAULT '',
    html_body  TEXT    NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (shop_id, kind)
) STRICT;

-- customer_id is not a foreign key: the trail of a deleted account stays
-- until retention removes it. No column holds a secret or a full e-mail.
CREATE TABLE audit_log (
    id           TEXT    NOT NULL PRIMARY KEY,
    shop_id      TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    type         TEXT    NOT NULL,
    customer_id  TEXT    NOT NULL DEFAULT '',
    actor        TEXT    NOT NULL DEFAULT '',
    email_masked TEXT    NOT NULL DEFAULT '',
    ip           TEXT    NOT NULL DEFAULT '',
    user_agent   TEXT    NOT NULL DEFAULT '',
    request_id   TEXT    NOT NULL DEFAULT '',
    detail       TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_shop ON audit_log (shop_id, id);
CREATE INDEX audit_log_customer ON audit_log (shop_id, customer_id, id);
CREATE INDEX audit_log_created ON audit_log (created_at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE mail_templates;
