-- Store credit and gift cards: append-only ledgers whose balances are sums
-- (DESIGN §5), never stored numbers two writers could both overwrite.
-- Amounts are INTEGER minor units of an ISO 4217 currency; the rules on
-- kinds, signs and non-negative balances are core's (internal/core/credit.go),
-- enforced under Store.LockCustomer.

-- +goose Up
CREATE TABLE store_credit_entries (
    id          TEXT    NOT NULL PRIMARY KEY,
    shop_id     TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    customer_id TEXT    NOT NULL,
    currency    TEXT    NOT NULL,
    amount      INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    author      TEXT    NOT NULL DEFAULT '',
    reference   TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    -- The ledger goes with the account when the customer is deleted.
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT;

-- ListCredit pages by id; CreditBalances sums per currency; both serve the
-- cascade from customers.
CREATE INDEX store_credit_entries_customer ON store_credit_entries (shop_id, customer_id, id);
CREATE INDEX store_credit_entries_currency ON store_credit_entries (shop_id, customer_id, currency);

CREATE TABLE gift_cards (
    id             TEXT    NOT NULL PRIMARY KEY,
    shop_id        TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    -- SHA-256 of the normalised code; the plaintext is never stored.
    code_hash      BLOB    NOT NULL,
    last4          TEXT    NOT NULL,
    currency       TEXT    NOT NULL,
    initial_amount INTEGER NOT NULL,
    -- NULL until the card is assigned or redeemed.
    customer_id    TEXT,
    expires_at     INTEGER,
    disabled_at    INTEGER,
    redeemed_at    INTEGER,
    metadata       TEXT    CHECK (metadata IS NULL OR json_valid(metadata)),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    -- A code is a card of one shop; two shops may issue the same code.
    UNIQUE (shop_id, code_hash),
    -- Parent key of gift_card_entries' (shop_id, gift_card_id).
    UNIQUE (shop_id, id),
    -- Cards assigned to a customer go with the account, like its credit.
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
) STRICT;

-- ListGiftCards and the cascade from customers.
CREATE INDEX gift_cards_customer ON gift_cards (shop_id, customer_id, id);

CREATE TABLE gift_card_entries (
    id           TEXT    NOT NULL PRIMARY KEY,
    shop_id      TEXT    NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    gift_card_id TEXT    NOT NULL,
    amount       INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    reason       TEXT    NOT NULL DEFAULT '',
    author       TEXT    NOT NULL DEFAULT '',
    reference    TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    FOREIGN KEY (shop_id, gift_card_id) REFERENCES gift_cards (shop_id, id) ON DELETE CASCADE
) STRICT;

-- GiftCardBalance, ListGiftCardEntries and the cascade from gift_cards.
CREATE INDEX gift_card_entries_card ON gift_card_entries (shop_id, gift_card_id, id);

-- +goose Down
DROP TABLE gift_card_entries;
DROP TABLE gift_cards;
DROP TABLE store_credit_entries;
