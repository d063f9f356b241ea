package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/core"
)

const giftCardColumns = `id, shop_id, code_hash, last4, currency, initial_amount, customer_id,
	expires_at, disabled_at, redeemed_at, metadata, created_at, updated_at`

const giftCardEntryColumns = `id, shop_id, gift_card_id, amount, kind, reason, author, reference, created_at`

// CreateGiftCard inserts g. A code hash the shop already has is
// core.ErrConflict; a customer that is not the shop's core.ErrNotFound.
func (r repo) CreateGiftCard(ctx context.Context, g *core.GiftCard) error {
	meta, err := encodeMetadata(g.Metadata)
	if err != nil {
		return err
	}
	_, err = r.checkedExec(ctx, `INSERT INTO gift_cards (`+giftCardColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		g.ID, g.ShopID, g.CodeHash, g.Last4, g.Currency, g.Initial, nullString(g.CustomerID),
		g.ExpiresAt, g.DisabledAt, g.RedeemedAt, meta, g.CreatedAt, g.UpdatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create gift card: %w", translate(err))
	}
	return nil
}

// GetGiftCard returns the shop's card id.
func (r repo) GetGiftCard(ctx context.Context, shopID, id string) (*core.GiftCard, error) {
	g, err := scanGiftCard(r.q.QueryRow(ctx,
		`SELECT `+giftCardColumns+` FROM gift_cards WHERE shop_id = $1 AND id = $2`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get gift card: %w", err)
	}
	return g, nil
}

// GetGiftCardByCodeHash finds the shop's card by the hash of its code and,
// inside InTx, locks its row until the transaction ends: two customers
// redeeming one code, or two movements on one card, take turns.
func (r repo) GetGiftCardByCodeHash(ctx context.Context, shopID string, hash []byte) (*core.GiftCard, error) {
	g, err := scanGiftCard(r.q.QueryRow(ctx,
		`SELECT `+giftCardColumns+` FROM gift_cards WHERE shop_id = $1 AND code_hash = $2`+r.forUpdate(), shopID, hash))
	if err != nil {
		return nil, fmt.Errorf("postgres: get gift card by code: %w", err)
	}
	return g, nil
}

// ListGiftCards pages the cards assigned to the customer by id.
func (r repo) ListGiftCards(ctx context.Context, shopID, customerID, after string, limit int) ([]core.GiftCard, error) {
	rows, err := r.q.Query(ctx, `SELECT `+giftCardColumns+` FROM gift_cards
		WHERE shop_id = $1 AND customer_id = $2 AND id > $3 ORDER BY id LIMIT $4`, shopID, customerID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list gift cards: %w", translate(err))
	}
	defer rows.Close()
	out := []core.GiftCard{}
	for rows.Next() {
		g, err := scanGiftCard(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list gift cards: %w", err)
		}
		out = append(out, *g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list gift cards: %w", translate(err))
	}
	return out, nil
}

// UpdateGiftCard writes the mutable fields of g: its owner, expiry,
// disabling, redemption, metadata and UpdatedAt. The code, currency and
// initial amount are fixed at issue. A new owner that is not the shop's
// customer is core.ErrNotFound (the foreign key may refuse it, hence the
// checked write).
func (r repo) UpdateGiftCard(ctx context.Context, g *core.GiftCard) error {
	meta, err := encodeMetadata(g.Metadata)
	if err != nil {
		return err
	}
	tag, err := r.checkedExec(ctx, `UPDATE gift_cards SET
		customer_id = $1, expires_at = $2, disabled_at = $3, redeemed_at = $4, metadata = $5, updated_at = $6
		WHERE shop_id = $7 AND id = $8`,
		nullString(g.CustomerID), g.ExpiresAt, g.DisabledAt, g.RedeemedAt, meta, g.UpdatedAt, g.ShopID, g.ID)
	if err != nil {
		return fmt.Errorf("postgres: update gift card: %w", translate(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: update gift card: %w", core.ErrNotFound)
	}
	return nil
}

// AppendGiftCardEntry inserts one movement of a card; a card that is not
// the shop's is core.ErrNotFound through the composite foreign key.
func (r repo) AppendGiftCardEntry(ctx context.Context, e *core.GiftCardEntry) error {
	_, err := r.checkedExec(ctx, `INSERT INTO gift_card_entries (`+giftCardEntryColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		e.ID, e.ShopID, e.GiftCardID, e.Amount, string(e.Kind), e.Reason, e.Author, e.Reference, e.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: append gift card entry: %w", translate(err))
	}
	return nil
}

// GiftCardBalance sums the card's entries; a card that is not the shop's
// is core.ErrNotFound rather than a balance of 0.
func (r repo) GiftCardBalance(ctx context.Context, shopID, giftCardID string) (int64, error) {
	var bal int64
	err := r.q.QueryRow(ctx, `SELECT COALESCE((SELECT SUM(e.amount) FROM gift_card_entries e
		WHERE e.shop_id = g.shop_id AND e.gift_card_id = g.id), 0)::bigint
		FROM gift_cards g WHERE g.shop_id = $1 AND g.id = $2`, shopID, giftCardID).Scan(&bal)
	if err != nil {
		return 0, fmt.Errorf("postgres: gift card balance: %w", translate(err))
	}
	return bal, nil
}

// ListGiftCardEntries returns the card's entries oldest first (empty for
// a card that is not the shop's).
func (r repo) ListGiftCardEntries(ctx context.Context, shopID, giftCardID string) ([]core.GiftCardEntry, error) {
	rows, err := r.q.Query(ctx, `SELECT `+giftCardEntryColumns+` FROM gift_card_entries
		WHERE shop_id = $1 AND gift_card_id = $2 ORDER BY id`, shopID, giftCardID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list gift card entries: %w", translate(err))
	}
	defer rows.Close()
	out := []core.GiftCardEntry{}
	for rows.Next() {
		var (
			e    core.GiftCardEntry
			kind string
		)
		if err := rows.Scan(&e.ID, &e.ShopID, &e.GiftCardID, &e.Amount, &kind,
			&e.Reason, &e.Author, &e.Reference, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: list gift card entries: %w", translate(err))
		}
		e.Kind, e.CreatedAt = core.CreditKind(kind), utc(e.CreatedAt)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list gift card entries: %w", translate(err))
	}
	return out, nil
}

// scanGiftCard reads one card from a row (pgx.Rows is a pgx.Row too).
func scanGiftCard(sc pgx.Row) (*core.GiftCard, error) {
	var (
		g        core.GiftCard
		customer *string
		meta     []byte
	)
	err := sc.Scan(&g.ID, &g.ShopID, &g.CodeHash, &g.Last4, &g.Currency, &g.Initial, &customer,
		&g.ExpiresAt, &g.DisabledAt, &g.RedeemedAt, &meta, &g.CreatedAt, &g.UpdatedAt)
	if err != nil {
		return nil, translate(err)
	}
	if g.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	if customer != nil {
		g.CustomerID = *customer
	}
	g.ExpiresAt, g.DisabledAt, g.RedeemedAt = utcPtr(g.ExpiresAt), utcPtr(g.DisabledAt), utcPtr(g.RedeemedAt)
	g.CreatedAt, g.UpdatedAt = utc(g.CreatedAt), utc(g.UpdatedAt)
	return &g, nil
}
