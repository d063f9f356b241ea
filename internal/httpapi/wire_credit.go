package httpapi

import (
	"time"

	"github.com/clientele/clientele/internal/core"
)

// Amounts on the wire are integers of minor units (cents, yen, fils) next
// to their ISO 4217 currency, never decimals: JSON numbers become floats in
// many clients, and a ledger must add exactly.

// balanceJSON is one currency's balance.
type balanceJSON struct {
	Currency string `json:"currency"`
	Amount   int64  `json:"amount"`
}

// creditEntryJSON is one movement of a store-credit ledger. Author is
// shown to the store's admin only: it names the store's own systems.
type creditEntryJSON struct {
	ID        string  `json:"id"`
	Currency  string  `json:"currency"`
	Amount    int64   `json:"amount"`
	Kind      string  `json:"kind"`
	Reason    *string `json:"reason"`
	Reference *string `json:"reference"`
	Author    string  `json:"author,omitempty"`
	CreatedAt string  `json:"created_at"`
}

// storeCreditsJSON answers GET …/store-credits: every balance, and one
// page of the ledger.
type storeCreditsJSON struct {
	Balances   []balanceJSON     `json:"balances"`
	Data       []creditEntryJSON `json:"data"`
	NextCursor *string           `json:"next_cursor"`
}

// creditRequest is the admin's store-credit movement. Amount is positive
// for grant, use, refund and expire (kind gives the direction) and signed
// for an adjustment.
type creditRequest struct {
	Currency  string `json:"currency"`
	Amount    int64  `json:"amount"`
	Kind      string `json:"kind"`
	Reason    string `json:"reason"`
	Reference string `json:"reference"`
}

// giftCardAdjustmentRequest is the admin's movement on a card; kind
// defaults to adjustment.
type giftCardAdjustmentRequest struct {
	Amount    int64  `json:"amount"`
	Kind      string `json:"kind"`
	Reason    string `json:"reason"`
	Reference string `json:"reference"`
}

// issueGiftCardRequest is the admin's new card. Code is optional: without
// it one is generated.
type issueGiftCardRequest struct {
	Currency   string         `json:"currency"`
	Amount     int64          `json:"amount"`
	ExpiresAt  *string        `json:"expires_at"`
	CustomerID string         `json:"customer_id"`
	Code       string         `json:"code"`
	Metadata   map[string]any `json:"metadata"`
}

// redeemGiftCardRequest is the customer's code.
type redeemGiftCardRequest struct {
	Code string `json:"code"`
}

// giftCardJSON is a card as its customer sees it.
type giftCardJSON struct {
	ID            string  `json:"id"`
	Last4         string  `json:"last4"`
	Currency      string  `json:"currency"`
	Balance       int64   `json:"balance"`
	InitialAmount int64   `json:"initial_amount"`
	Status        string  `json:"status"`
	ExpiresAt     *string `json:"expires_at"`
	RedeemedAt    *string `json:"redeemed_at"`
	CreatedAt     string  `json:"created_at"`
}

// giftCardDetailJSON is a customer's card with its ledger.
type giftCardDetailJSON struct {
	giftCardJSON
	Entries []giftCardEntryJSON `json:"entries"`
}

// adminGiftCardJSON is a card as the store's admin sees it.
type adminGiftCardJSON struct {
	giftCardJSON
	CustomerID *string             `json:"customer_id"`
	DisabledAt *string             `json:"disabled_at"`
	Metadata   map[string]any      `json:"metadata"`
	UpdatedAt  string              `json:"updated_at"`
	Entries    []giftCardEntryJSON `json:"entries,omitempty"`
	// Code is the plaintext, in the answer to the issue only.
	Code string `json:"code,omitempty"`
}

// giftCardEntryJSON is one movement of a card's balance.
type giftCardEntryJSON struct {
	ID        string  `json:"id"`
	Amount    int64   `json:"amount"`
	Kind      string  `json:"kind"`
	Reason    *string `json:"reason"`
	Reference *string `json:"reference"`
	Author    string  `json:"author,omitempty"`
	CreatedAt string  `json:"created_at"`
}

func toBalances(bs []core.Balance) []balanceJSON {
	out := make([]balanceJSON, 0, len(bs))
	for _, b := range bs {
		out = append(out, balanceJSON(b))
	}
	return out
}

// toCreditEntry renders an entry; withAuthor is set for the admin.
func toCreditEntry(e core.CreditEntry, withAuthor bool) creditEntryJSON {
	out := creditEntryJSON{
		ID: e.ID, Currency: e.Currency, Amount: e.Amount, Kind: string(e.Kind),
		Reason: nullable(e.Reason), Reference: nullable(e.Reference), CreatedAt: stamp(e.CreatedAt),
	}
	if withAuthor {
		out.Author = e.Author
	}
	return out
}

func toStoreCredits(bs []core.Balance, page core.PageOf[core.CreditEntry], withAuthor bool) storeCreditsJSON {
	list := listOf(page, func(e core.CreditEntry) creditEntryJSON { return toCreditEntry(e, withAuthor) })
	return storeCreditsJSON{Balances: toBalances(bs), Data: list.Data, NextCursor: list.NextCursor}
}

// giftCardTime renders an optional time as a date-time or null.
func giftCardTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := stamp(*t)
	return &s
}

func toGiftCard(v core.GiftCardView) giftCardJSON {
	g := v.Card
	return giftCardJSON{
		ID: g.ID, Last4: g.Last4, Currency: g.Currency, Balance: v.Balance, InitialAmount: g.Initial,
		Status: string(v.Status), ExpiresAt: giftCardTime(g.ExpiresAt), RedeemedAt: giftCardTime(g.RedeemedAt),
		CreatedAt: stamp(g.CreatedAt),
	}
}

func toAdminGiftCard(v core.GiftCardView) adminGiftCardJSON {
	md := v.Card.Metadata
	if md == nil {
		md = map[string]any{}
	}
	return adminGiftCardJSON{
		giftCardJSON: toGiftCard(v), CustomerID: nullable(v.Card.CustomerID),
		DisabledAt: giftCardTime(v.Card.DisabledAt), Metadata: md, UpdatedAt: stamp(v.Card.UpdatedAt),
	}
}

// toGiftCardEntries renders a card's ledger; withAuthor is set for the admin.
func toGiftCardEntries(es []core.GiftCardEntry, withAuthor bool) []giftCardEntryJSON {
	out := make([]giftCardEntryJSON, 0, len(es))
	for _, e := range es {
		out = append(out, toGiftCardEntry(e, withAuthor))
	}
	return out
}

func toGiftCardEntry(e core.GiftCardEntry, withAuthor bool) giftCardEntryJSON {
	out := giftCardEntryJSON{
		ID: e.ID, Amount: e.Amount, Kind: string(e.Kind), Reason: nullable(e.Reason),
		Reference: nullable(e.Reference), CreatedAt: stamp(e.CreatedAt),
	}
	if withAuthor {
		out.Author = e.Author
	}
	return out
}
