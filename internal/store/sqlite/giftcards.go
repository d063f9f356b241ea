package sqlite

import (
	"context"
	"database/sql"
	"fmt"

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
	_, err = r.w.ExecContext(ctx, `INSERT INTO gift_cards (`+giftCardColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g.ID, g.ShopID, g.CodeHash, g.Last4, g.Currency, g.Initial, nullString(g.CustomerID),
		nullMicros(g.ExpiresAt), nullMicros(g.DisabledAt), nullMicros(g.RedeemedAt), meta,
		micros(g.CreatedAt), micros(g.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create gift card: %w", translate(err))
	}
	return nil
}

// GetGiftCard returns the shop's card id.
func (r repo) GetGiftCard(ctx context.Context, shopID, id string) (*core.GiftCard, error) {
	g, err := scanGiftCard(r.r.QueryRowContext(ctx,
		`SELECT `+giftCardColumns+` FROM gift_cards WHERE shop_id = ? AND id = ?`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get gift card: %w", err)
	}
	return g, nil
}

// GetGiftCardByCodeHash finds the shop's card by the hash of its code.
// Inside InTx the single writer is the lock the port asks for.
func (r repo) GetGiftCardByCodeHash(ctx context.Context, shopID string, hash []byte) (*core.GiftCard, error) {
	g, err := scanGiftCard(r.r.QueryRowContext(ctx,
		`SELECT `+giftCardColumns+` FROM gift_cards WHERE shop_id = ? AND code_hash = ?`, shopID, hash))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get gift card by code: %w", err)
	}
	return g, nil
}

// ListGiftCards pages the cards assigned to the customer by id.
func (r repo) ListGiftCards(ctx context.Context, shopID, customerID, after string, limit int) ([]core.GiftCard, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT `+giftCardColumns+` FROM gift_cards
		WHERE shop_id = ? AND customer_id = ? AND id > ? ORDER BY id LIMIT ?`, shopID, customerID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list gift cards: %w", translate(err))
	}
	defer rows.Close()
	out := []core.GiftCard{}
	for rows.Next() {
		g, err := scanGiftCard(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list gift cards: %w", err)
		}
		out = append(out, *g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list gift cards: %w", translate(err))
	}
	return out, nil
}

// UpdateGiftCard writes the mutable fields of g: its owner, expiry,
// disabling, redemption, metadata and UpdatedAt. The code, currency and
// initial amount are fixed at issue.
func (r repo) UpdateGiftCard(ctx context.Context, g *core.GiftCard) error {
	meta, err := encodeMetadata(g.Metadata)
	if err != nil {
		return err
	}
	return execOne(ctx, r.w, "update gift card", `UPDATE gift_cards SET
		customer_id = ?, expires_at = ?, disabled_at = ?, redeemed_at = ?, metadata = ?, updated_at = ?
		WHERE shop_id = ? AND id = ?`,
		nullString(g.CustomerID), nullMicros(g.ExpiresAt), nullMicros(g.DisabledAt), nullMicros(g.RedeemedAt),
		meta, micros(g.UpdatedAt), g.ShopID, g.ID)
}

// AppendGiftCardEntry inserts one movement of a card; a card that is not
// the shop's is core.ErrNotFound through the composite foreign key.
func (r repo) AppendGiftCardEntry(ctx context.Context, e *core.GiftCardEntry) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO gift_card_entries (`+giftCardEntryColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.ShopID, e.GiftCardID, e.Amount, string(e.Kind), e.Reason, e.Author, e.Reference, micros(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: append gift card entry: %w", translate(err))
	}
	return nil
}

// GiftCardBalance sums the card's entries; a card that is not the shop's
// is core.ErrNotFound rather than a balance of 0.
func (r repo) GiftCardBalance(ctx context.Context, shopID, giftCardID string) (int64, error) {
	var bal int64
	err := r.r.QueryRowContext(ctx, `SELECT COALESCE((SELECT SUM(e.amount) FROM gift_card_entries e
		WHERE e.shop_id = g.shop_id AND e.gift_card_id = g.id), 0)
		FROM gift_cards g WHERE g.shop_id = ? AND g.id = ?`, shopID, giftCardID).Scan(&bal)
	if err != nil {
		return 0, fmt.Errorf("sqlite: gift card balance: %w", translate(err))
	}
	return bal, nil
}

// ListGiftCardEntries returns the card's entries oldest first (empty for
// a card that is not the shop's).
func (r repo) ListGiftCardEntries(ctx context.Context, shopID, giftCardID string) ([]core.GiftCardEntry, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT `+giftCardEntryColumns+` FROM gift_card_entries
		WHERE shop_id = ? AND gift_card_id = ? ORDER BY id`, shopID, giftCardID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list gift card entries: %w", translate(err))
	}
	defer rows.Close()
	out := []core.GiftCardEntry{}
	for rows.Next() {
		var (
			e       core.GiftCardEntry
			kind    string
			created int64
		)
		if err := rows.Scan(&e.ID, &e.ShopID, &e.GiftCardID, &e.Amount, &kind,
			&e.Reason, &e.Author, &e.Reference, &created); err != nil {
			return nil, fmt.Errorf("sqlite: list gift card entries: %w", translate(err))
		}
		e.Kind, e.CreatedAt = core.CreditKind(kind), fromMicros(created)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list gift card entries: %w", translate(err))
	}
	return out, nil
}

func scanGiftCard(sc scanner) (*core.GiftCard, error) {
	var (
		g                          core.GiftCard
		customer, meta             sql.NullString
		expires, disabled, redeemd sql.NullInt64
		created, updated           int64
	)
	err := sc.Scan(&g.ID, &g.ShopID, &g.CodeHash, &g.Last4, &g.Currency, &g.Initial, &customer,
		&expires, &disabled, &redeemd, &meta, &created, &updated)
	if err != nil {
		return nil, translate(err)
	}
	if g.Metadata, err = decodeMetadata(meta); err != nil {
		return nil, err
	}
	g.CustomerID = customer.String
	g.ExpiresAt, g.DisabledAt, g.RedeemedAt = fromNullMicros(expires), fromNullMicros(disabled), fromNullMicros(redeemd)
	g.CreatedAt, g.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &g, nil
}
