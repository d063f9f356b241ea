package core

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"strings"
	"time"
	"unicode"
)

// Gift cards: prepaid cards identified by a code. Only the SHA-256 of the
// normalised code is stored (with its last four characters for display),
// so a database dump yields no spendable code; the plaintext is shown once,
// when the card is issued. Each card has a balance ledger like store
// credit, in the card's one currency.

// Gift-card events. Their data never holds the code or its hash.
const (
	EventGiftCardIssued   = "gift_card.issued"
	EventGiftCardRedeemed = "gift_card.redeemed"
	EventGiftCardAdjusted = "gift_card.adjusted"
)

// CodeGiftCardInvalid is the one answer (422, field "code") to a
// redemption of a code that is unknown, assigned to another customer,
// expired or disabled. The four are deliberately indistinguishable, so a
// guesser learns nothing about which codes exist or whose they are.
const CodeGiftCardInvalid = "gift_card_invalid"

// GiftCardStatus is a card's state as customers see it.
type GiftCardStatus string

// Gift-card statuses, derived from the card and the clock.
const (
	GiftCardActive   GiftCardStatus = "active"
	GiftCardDisabled GiftCardStatus = "disabled"
	GiftCardExpired  GiftCardStatus = "expired"
)

// Gift-card code shape.
const (
	// giftCardAlphabet has 32 symbols and leaves out 0, O, 1 and I, which
	// people misread for each other: each character carries exactly 5
	// bits, so 16 carry 80.
	giftCardAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	giftCardCodeLen  = 16
	// Codes an admin chooses are 8 to 64 characters of A–Z and 0–9 once
	// normalised; shorter ones would be guessable despite the rate limit.
	minGiftCardCode = 8
	maxGiftCardCode = 64
)

// GiftCardView is a card with what a reader needs beside it: its balance
// and status.
type GiftCardView struct {
	Card    GiftCard
	Balance int64
	Status  GiftCardStatus
}

// IssuedGiftCard is a new card and its plaintext code, which is never
// shown again.
type IssuedGiftCard struct {
	GiftCardView
	Code string
}

// GiftCardInput describes a card to issue.
type GiftCardInput struct {
	Currency   string
	Amount     int64      // initial balance in minor units, > 0
	ExpiresAt  *time.Time // nil: never expires
	CustomerID string     // optional: assign to this customer of the shop
	Code       string     // optional: the admin's own code; empty generates one
	Metadata   map[string]any
	Author     string // recorded on the initial ledger entry
}

// NormalizeGiftCardCode is the form a code is hashed in: upper case, with
// spaces and dashes (and any other white space) removed, so "abcd-efgh"
// and "ABCD EFGH" are one code. Every surface that takes a code calls it.
func NormalizeGiftCardCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, code)
}

// validGiftCardCode reports whether a normalised code is one a card may
// have: 8 to 64 characters of A–Z and 0–9.
func validGiftCardCode(norm string) bool {
	if len(norm) < minGiftCardCode || len(norm) > maxGiftCardCode {
		return false
	}
	for _, r := range norm {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// hashGiftCardCode is what the store keeps of a (normalised) code.
func hashGiftCardCode(norm string) []byte {
	h := sha256.Sum256([]byte(norm))
	return h[:]
}

// newGiftCardCode draws 16 characters (80 bits) from giftCardAlphabet and
// shows them in groups of four: XXXX-XXXX-XXXX-XXXX.
func newGiftCardCode(random io.Reader) string {
	var b [giftCardCodeLen]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		panic("core: random source failed: " + err.Error())
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		// 256 is a multiple of 32, so the low five bits are uniform.
		sb.WriteByte(giftCardAlphabet[c&31])
	}
	return sb.String()
}

// giftCardStatus derives a card's status at now.
func giftCardStatus(g *GiftCard, now time.Time) GiftCardStatus {
	switch {
	case g.DisabledAt != nil:
		return GiftCardDisabled
	case g.ExpiresAt != nil && !now.Before(*g.ExpiresAt):
		return GiftCardExpired
	}
	return GiftCardActive
}

// view reads a card's balance and derives its status.
func (s *Service) giftCardView(ctx context.Context, st Store, g *GiftCard) (GiftCardView, error) {
	bal, err := st.GiftCardBalance(ctx, g.ShopID, g.ID)
	if err != nil {
		return GiftCardView{}, err
	}
	return GiftCardView{Card: *g, Balance: bal, Status: giftCardStatus(g, s.now())}, nil
}

// IssueGiftCard creates a card with its initial balance as a grant entry
// and returns it with its plaintext code, the only time the code is shown.
func (s *Service) IssueGiftCard(ctx context.Context, shopID string, in GiftCardInput) (*IssuedGiftCard, error) {
	now := s.now()
	var f fields
	currency := f.currency("currency", in.Currency)
	if in.Amount <= 0 || in.Amount > MaxCreditAmount {
		f.add("amount", FieldInvalid, "amount must be a positive number of minor units, at most 10^12")
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(now) {
		f.add("expires_at", FieldInvalid, "expires_at must be in the future")
	}
	f.text("customer_id", in.CustomerID, maxCreditReference)
	f.text("author", in.Author, maxCreditAuthor)
	f.metadata("metadata", in.Metadata)
	code := in.Code
	if code == "" {
		code = newGiftCardCode(s.random)
	} else if !validGiftCardCode(NormalizeGiftCardCode(code)) {
		f.add("code", FieldInvalid, "code must be 8 to 64 letters and digits (spaces and dashes are ignored)")
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	norm := NormalizeGiftCardCode(code)
	g := &GiftCard{
		ID: s.newID("gc"), ShopID: shopID, CodeHash: hashGiftCardCode(norm), Last4: norm[len(norm)-4:],
		Currency: currency, Initial: in.Amount, CustomerID: in.CustomerID, ExpiresAt: giftCardTime(in.ExpiresAt),
		Metadata: in.Metadata, CreatedAt: now, UpdatedAt: now,
	}
	err := s.store.InTx(ctx, func(tx Store) error {
		if g.CustomerID != "" {
			if err := tx.LockCustomer(ctx, shopID, g.CustomerID); errors.Is(err, ErrNotFound) {
				return fieldErr("customer_id", FieldInvalid, "no such customer in this store")
			} else if err != nil {
				return err
			}
		}
		if err := tx.CreateGiftCard(ctx, g); errors.Is(err, ErrConflict) {
			return newErr(ErrConflict, CodeConflict, "a gift card with this code exists")
		} else if err != nil {
			return err
		}
		if err := tx.AppendGiftCardEntry(ctx, &GiftCardEntry{
			ID: s.newID("gce"), ShopID: shopID, GiftCardID: g.ID, Amount: in.Amount, Kind: CreditGrant,
			Reason: "issued", Author: ledgerAuthor(in.Author), CreatedAt: now,
		}); err != nil {
			return err
		}
		return s.emit(ctx, tx, shopID, EventGiftCardIssued, g.ID, map[string]any{
			"currency": currency, "amount": in.Amount, "last4": g.Last4, "customer_id": g.CustomerID,
		})
	})
	if err != nil {
		return nil, err
	}
	return &IssuedGiftCard{
		GiftCardView: GiftCardView{Card: *g, Balance: in.Amount, Status: giftCardStatus(g, now)},
		Code:         code,
	}, nil
}

// GiftCard returns any card of the shop with its balance (admin API).
func (s *Service) GiftCard(ctx context.Context, shopID, id string) (*GiftCardView, []GiftCardEntry, error) {
	g, err := s.store.GetGiftCard(ctx, shopID, id)
	if err != nil {
		return nil, nil, err
	}
	return s.giftCardDetail(ctx, g)
}

func (s *Service) giftCardDetail(ctx context.Context, g *GiftCard) (*GiftCardView, []GiftCardEntry, error) {
	v, err := s.giftCardView(ctx, s.store, g)
	if err != nil {
		return nil, nil, err
	}
	entries, err := s.store.ListGiftCardEntries(ctx, g.ShopID, g.ID)
	if err != nil {
		return nil, nil, err
	}
	return &v, entries, nil
}

// AdjustGiftCard writes one movement to a card's ledger (admin API). The
// kind defaults to adjustment, which needs a reason; the balance never
// goes below zero (422 insufficient_balance). The card's row is locked
// while its balance is re-read, so concurrent movements cannot overdraw it.
func (s *Service) AdjustGiftCard(ctx context.Context, shopID, id string, in CreditInput) (*GiftCardEntry, error) {
	if in.Kind == "" {
		in.Kind = CreditAdjustment
	}
	var f fields
	amount := in.signedAmount(&f)
	if err := f.err(); err != nil {
		return nil, err
	}
	e := &GiftCardEntry{
		ID: s.newID("gce"), ShopID: shopID, GiftCardID: id, Amount: amount, Kind: in.Kind,
		Reason: strings.TrimSpace(in.Reason), Author: ledgerAuthor(in.Author), Reference: strings.TrimSpace(in.Reference),
		CreatedAt: s.now(),
	}
	err := s.store.InTx(ctx, func(tx Store) error {
		g, err := tx.GetGiftCard(ctx, shopID, id)
		if err != nil {
			return err
		}
		// The lookup by hash is the port's locking read of a card.
		if g, err = tx.GetGiftCardByCodeHash(ctx, shopID, g.CodeHash); err != nil {
			return err
		}
		balance, err := tx.GiftCardBalance(ctx, shopID, g.ID)
		if err != nil {
			return err
		}
		if err := checkLedgerBalance(balance, amount); err != nil {
			return err
		}
		if err := tx.AppendGiftCardEntry(ctx, e); err != nil {
			return err
		}
		return s.emit(ctx, tx, shopID, EventGiftCardAdjusted, g.ID, map[string]any{
			"entry_id": e.ID, "currency": g.Currency, "amount": amount, "balance": balance + amount,
			"kind": string(e.Kind), "reference": e.Reference,
		})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// giftCardRefused is the single refusal of a code that cannot be redeemed.
func giftCardRefused() error {
	return &ValidationError{Code: CodeGiftCardInvalid, Fields: []FieldError{{
		Field: "code", Code: CodeGiftCardInvalid, Message: "this code cannot be redeemed",
	}}}
}

// Rate-limit keys of gift-card redemption.
func keyGiftCardCustomer(shopID, customerID string) string {
	return "giftcard:cus:" + shopID + ":" + customerID
}
func keyGiftCardIP(shopID, ip string) string { return "giftcard:ip:" + shopID + ":" + ip }

// RedeemGiftCard assigns the card with code to the authenticated customer.
//
// Every attempt, right or wrong, spends one unit of the customer's and the
// client IP's budgets before the code is looked up, so guessing is limited
// (429) whatever the guesses find. An unknown code, a card assigned to
// someone else, an expired or a disabled card all get the one answer of
// giftCardRefused; a card already the customer's is an idempotent success.
func (s *Service) RedeemGiftCard(ctx context.Context, p *Principal, code string, meta ClientMeta) (*GiftCardView, error) {
	customerID, err := ledgerCustomer(p)
	if err != nil {
		return nil, err
	}
	norm := NormalizeGiftCardCode(code)
	if norm == "" {
		return nil, fieldErr("code", FieldRequired, "code is required")
	}
	if err := s.take(ctx, keyGiftCardCustomer(p.ShopID, customerID), s.cfg.Limits.GiftCardRedeemPerCustomer); err != nil {
		return nil, err
	}
	if meta.IP != "" {
		if err := s.take(ctx, keyGiftCardIP(p.ShopID, meta.IP), s.cfg.Limits.GiftCardRedeemPerIP); err != nil {
			return nil, err
		}
	}
	if !validGiftCardCode(norm) {
		return nil, giftCardRefused()
	}
	var out GiftCardView
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.LockCustomer(ctx, p.ShopID, customerID); err != nil {
			return err
		}
		g, err := tx.GetGiftCardByCodeHash(ctx, p.ShopID, hashGiftCardCode(norm))
		if errors.Is(err, ErrNotFound) {
			return giftCardRefused()
		} else if err != nil {
			return err
		}
		now := s.now()
		switch {
		case g.CustomerID == customerID:
			// Already theirs (a retry, or assigned at issue): nothing to do.
		case g.CustomerID != "" || giftCardStatus(g, now) != GiftCardActive:
			return giftCardRefused()
		default:
			g.CustomerID, g.RedeemedAt, g.UpdatedAt = customerID, &now, now
			if err := tx.UpdateGiftCard(ctx, g); err != nil {
				return err
			}
			if err := s.emit(ctx, tx, p.ShopID, EventGiftCardRedeemed, g.ID, map[string]any{
				"customer_id": customerID, "currency": g.Currency, "last4": g.Last4,
			}); err != nil {
				return err
			}
		}
		out, err = s.giftCardView(ctx, tx, g)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// MyGiftCards pages the cards assigned to the authenticated customer,
// oldest first, with their balances.
func (s *Service) MyGiftCards(ctx context.Context, p *Principal, page Page) (PageOf[GiftCardView], error) {
	customerID, err := ledgerCustomer(p)
	if err != nil {
		return PageOf[GiftCardView]{}, err
	}
	cards, err := listPage(page, func(g GiftCard) string { return g.ID }, func(after string, limit int) ([]GiftCard, error) {
		return s.store.ListGiftCards(ctx, p.ShopID, customerID, after, limit)
	})
	if err != nil {
		return PageOf[GiftCardView]{}, err
	}
	out := PageOf[GiftCardView]{Items: make([]GiftCardView, 0, len(cards.Items)), Next: cards.Next}
	for i := range cards.Items {
		v, err := s.giftCardView(ctx, s.store, &cards.Items[i])
		if err != nil {
			return PageOf[GiftCardView]{}, err
		}
		out.Items = append(out.Items, v)
	}
	return out, nil
}

// MyGiftCard returns one of the authenticated customer's cards with its
// ledger; another customer's card, assigned or not, is ErrNotFound.
func (s *Service) MyGiftCard(ctx context.Context, p *Principal, id string) (*GiftCardView, []GiftCardEntry, error) {
	customerID, err := ledgerCustomer(p)
	if err != nil {
		return nil, nil, err
	}
	g, err := s.store.GetGiftCard(ctx, p.ShopID, id)
	if err != nil {
		return nil, nil, err
	}
	if g.CustomerID != customerID {
		return nil, nil, ErrNotFound
	}
	return s.giftCardDetail(ctx, g)
}

// giftCardTime copies an optional time in UTC at the stores' precision.
func giftCardTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}
