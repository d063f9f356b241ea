-- Store credit and gift cards, the PostgreSQL twin of the SQLite 00005:
-- append-only ledgers whose balances are sums (DESIGN §5). Amounts are
-- bigint minor units of an ISO 4217 currency; the rules on kinds, signs and
-- non-negative balances are core's, enforced under Store.LockCustomer
-- (SELECT ... FOR UPDATE on the customer's row).

-- +goose Up
CREATE TABLE store_credit_entries (
    id          text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id     text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    customer_id text COLLATE "C" NOT NULL,
    currency    text COLLATE "C" NOT NULL,
    amount      bigint NOT NULL,
    kind        text   NOT NULL,
    reason      text   NOT NULL DEFAULT '',
    author      text   NOT NULL DEFAULT '',
    reference   text   NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    -- The ledger goes with the account when the customer is deleted.
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
);

-- ListCredit pages by id; CreditBalances sums per currency; both serve the
-- cascade from customers.
CREATE INDEX store_credit_entries_customer ON store_credit_entries (shop_id, customer_id, id);
CREATE INDEX store_credit_entries_currency ON store_credit_entries (shop_id, customer_id, currency);

CREATE TABLE gift_cards (
    id             text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id        text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    -- SHA-256 of the normalised code; the plaintext is never stored.
    code_hash      bytea  NOT NULL,
    last4          text   NOT NULL,
    currency       text COLLATE "C" NOT NULL,
    initial_amount bigint NOT NULL,
    -- NULL until the card is assigned or redeemed.
    customer_id    text COLLATE "C",
    expires_at     timestamptz,
    disabled_at    timestamptz,
    redeemed_at    timestamptz,
    metadata       jsonb,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    -- A code is a card of one shop; two shops may issue the same code.
    UNIQUE (shop_id, code_hash),
    -- Parent key of gift_card_entries' (shop_id, gift_card_id).
    UNIQUE (shop_id, id),
    -- Cards assigned to a customer go with the account, like its credit.
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id) ON DELETE CASCADE
);

-- ListGiftCards and the cascade from customers.
CREATE INDEX gift_cards_customer ON gift_cards (shop_id, customer_id, id);

CREATE TABLE gift_card_entries (
    id           text COLLATE "C" NOT NULL PRIMARY KEY,
    shop_id      text COLLATE "C" NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    gift_card_id text COLLATE "C" NOT NULL,
    amount       bigint NOT NULL,
    kind         text   NOT NULL,
    reason       text   NOT NULL DEFAULT '',
    author       text   NOT NULL DEFAULT '',
    reference    text   NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    FOREIGN KEY (shop_id, gift_card_id) REFERENCES gift_cards (shop_id, id) ON DELETE CASCADE
);

-- GiftCardBalance, ListGiftCardEntries and the cascade from gift_cards.
CREATE INDEX gift_card_entries_card ON gift_card_entries (shop_id, gift_card_id, id);

-- +goose Down
DROP TABLE gift_card_entries;
DROP TABLE gift_cards;
DROP TABLE store_credit_entries;
