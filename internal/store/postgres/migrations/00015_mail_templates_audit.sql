-- Mail templates and the audit log, the PostgreSQL twin of the SQLite 00015.

-- +goose Up
CREATE TABLE mail_templates (
    shop_id    text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    kind       text COLLATE "C" NOT NULL,
    subject    text NOT NULL DEFAULT '',
    text_body  text NOT NULL DEFAULT '',
    html_body  text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (shop_id, kind)
);

-- customer_id is not a foreign key: the trail of a deleted account stays
-- until retention removes it. No column holds a secret or a full e-mail.
CREATE TABLE audit_log (
    id           text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id      text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    type         text COLLATE "C" NOT NULL,
    customer_id  text COLLATE "C" NOT NULL DEFAULT '',
    actor        text NOT NULL DEFAULT '',
    email_masked text NOT NULL DEFAULT '',
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT '',
    request_id   text NOT NULL DEFAULT '',
    detail       text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL
);
CREATE INDEX audit_log_shop ON audit_log (shop_id, id);
CREATE INDEX audit_log_customer ON audit_log (shop_id, customer_id, id);
CREATE INDEX audit_log_created ON audit_log (created_at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE mail_templates;
