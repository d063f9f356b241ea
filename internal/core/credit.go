package core

import (
	"context"
	"strings"
)

// Store credit: an append-only ledger per customer and currency. The
// balance is the sum of the entries, never a stored number that two
// writers could both read and overwrite; every write that changes it runs
// under the customer's lock (Store.LockCustomer) and re-reads the sum
// inside it, so concurrent uses that together would overdraw are refused
// one by one instead of double-spent.

// Store-credit events.
const (
	EventStoreCreditGranted  = "store_credit.granted"
	EventStoreCreditUsed     = "store_credit.used"
	EventStoreCreditRefunded = "store_credit.refunded"
	EventStoreCreditExpired  = "store_credit.expired"
	EventStoreCreditAdjusted = "store_credit.adjusted"
)

// CodeInsufficientBalance is the stable code (both the problem's and the
// "amount" field's) of a ledger write refused because it would take a
// store-credit or gift-card balance below zero. It is a 422: the request
// is well formed, the balance just does not cover it.
const CodeInsufficientBalance = "insufficient_balance"

// Ledger text bounds.
const (
	maxCreditReason    = 500
	maxCreditReference = 255
	maxCreditAuthor    = 255
)

// creditEvents names the event of each kind.
var creditEvents = map[CreditKind]string{
	CreditGrant:      EventStoreCreditGranted,
	CreditUse:        EventStoreCreditUsed,
	CreditRefund:     EventStoreCreditRefunded,
	CreditExpire:     EventStoreCreditExpired,
	CreditAdjustment: EventStoreCreditAdjusted,
}

// CreditInput is one movement to write to a ledger.
//
// Amount is in minor units. For grant, refund, use and expire it is the
// positive size of the movement and Kind gives the direction: uses and
// expiries are written to the ledger as negative amounts. An adjustment
// carries its own sign (non-zero) and needs a Reason.
type CreditInput struct {
	Currency  string // ISO 4217; ignored for gift cards, which have one
	Amount    int64
	Kind      CreditKind
	Reason    string // at most 500 characters; required for adjustments
	Reference string // e.g. an order number
	// Author is who caused the movement, recorded as given: the admin
	// surface passes its actor ("admin:sto_…"), a dialect or checkout its
	// own ("order:R123"). Empty records "system".
	Author string
}

// signedAmount validates the kind, amount and texts of in and returns the
// amount as the ledger stores it (negative for use and expire).
func (in CreditInput) signedAmount(f *fields) int64 {
	f.text("reason", in.Reason, maxCreditReason)
	f.text("reference", in.Reference, maxCreditReference)
	f.text("author", in.Author, maxCreditAuthor)
	amount := in.Amount
	switch in.Kind {
	case CreditGrant, CreditRefund:
	case CreditUse, CreditExpire:
		amount = -amount
	case CreditAdjustment:
		if strings.TrimSpace(in.Reason) == "" {
			f.add("reason", FieldRequired, "reason is required for an adjustment")
		}
		if in.Amount == 0 {
			f.add("amount", FieldInvalid, "an adjustment must not be zero")
		} else if in.Amount < -MaxCreditAmount || in.Amount > MaxCreditAmount {
			f.add("amount", FieldInvalid, "amount must be at most 10^12 minor units either way")
		}
		return amount
	case "":
		f.add("kind", FieldRequired, "kind is required: grant, use, refund, expire or adjustment")
		return 0
	default:
		f.add("kind", FieldInvalid, "kind must be grant, use, refund, expire or adjustment")
		return 0
	}
	if in.Amount <= 0 || in.Amount > MaxCreditAmount {
		f.add("amount", FieldInvalid, "amount must be a positive number of minor units, at most 10^12; kind gives the direction")
	}
	return amount
}

// ledgerAuthor is the author recorded for a movement: the caller's, or
// "system" when it named none.
func ledgerAuthor(author string) string {
	if a := strings.TrimSpace(author); a != "" {
		return a
	}
	return "system"
}

// insufficientBalance is the refusal of a movement that would overdraw.
func insufficientBalance() error {
	return &ValidationError{Code: CodeInsufficientBalance, Fields: []FieldError{{
		Field: "amount", Code: CodeInsufficientBalance, Message: "the balance does not cover this amount",
	}}}
}

// checkLedgerBalance refuses a movement that would take balance below zero or
// above MaxCreditBalance.
func checkLedgerBalance(balance, amount int64) error {
	next := balance + amount
	switch {
	case next < 0:
		return insufficientBalance()
	case next > MaxCreditBalance:
		return fieldErr("amount", FieldInvalid, "the balance would exceed 10^15 minor units")
	}
	return nil
}

// ledgerBalanceIn picks one currency's balance from a list (0 if absent).
func ledgerBalanceIn(bs []Balance, currency string) int64 {
	for _, b := range bs {
		if b.Currency == currency {
			return b.Amount
		}
	}
	return 0
}

// CreditBalances returns the customer's store-credit balance per currency,
// by currency; ErrNotFound if the customer is not the shop's.
func (s *Service) CreditBalances(ctx context.Context, shopID, customerID string) ([]Balance, error) {
	if _, err := s.store.GetCustomer(ctx, shopID, customerID); err != nil {
		return nil, err
	}
	return s.store.CreditBalances(ctx, shopID, customerID)
}

// CreditHistory pages the customer's ledger, oldest first; ErrNotFound if
// the customer is not the shop's.
func (s *Service) CreditHistory(ctx context.Context, shopID, customerID string, p Page) (PageOf[CreditEntry], error) {
	if _, err := s.store.GetCustomer(ctx, shopID, customerID); err != nil {
		return PageOf[CreditEntry]{}, err
	}
	return listPage(p, func(e CreditEntry) string { return e.ID }, func(after string, limit int) ([]CreditEntry, error) {
		return s.store.ListCredit(ctx, shopID, customerID, after, limit)
	})
}

// AddCredit writes one movement to the customer's store-credit ledger:
// the admin API's grants and adjustments, and later a dialect's or
// checkout's uses and refunds (a use is just Kind CreditUse).
//
// It locks the customer, re-reads the balance of the currency inside the
// lock and refuses (422 insufficient_balance) anything that would take it
// below zero, so parallel uses are serialised: PostgreSQL holds the
// customer's row FOR UPDATE, SQLite has a single writer.
func (s *Service) AddCredit(ctx context.Context, shopID, customerID string, in CreditInput) (*CreditEntry, error) {
	var f fields
	currency := f.currency("currency", in.Currency)
	amount := in.signedAmount(&f)
	if err := f.err(); err != nil {
		return nil, err
	}
	e := &CreditEntry{
		ID: s.newID("scr"), ShopID: shopID, CustomerID: customerID, Currency: currency, Amount: amount,
		Kind: in.Kind, Reason: strings.TrimSpace(in.Reason), Author: ledgerAuthor(in.Author),
		Reference: strings.TrimSpace(in.Reference), CreatedAt: s.now(),
	}
	err := s.store.InTx(ctx, func(tx Store) error {
		if err := tx.LockCustomer(ctx, shopID, customerID); err != nil {
			return err
		}
		balances, err := tx.CreditBalances(ctx, shopID, customerID)
		if err != nil {
			return err
		}
		balance := ledgerBalanceIn(balances, currency)
		if err := checkLedgerBalance(balance, amount); err != nil {
			return err
		}
		if err := tx.AppendCredit(ctx, e); err != nil {
			return err
		}
		return s.emit(ctx, tx, shopID, creditEvents[e.Kind], e.ID, map[string]any{
			"customer_id": customerID, "currency": currency, "amount": amount,
			"balance": balance + amount, "kind": string(e.Kind), "reference": e.Reference,
		})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// ledgerCustomer returns the principal's customer id, refusing a guest (or
// missing) principal: guests have no ledger.
func ledgerCustomer(p *Principal) (string, error) {
	if p == nil || p.CustomerID == "" {
		return "", Unauthenticated()
	}
	return p.CustomerID, nil
}

// MyCreditBalances is CreditBalances for the authenticated customer.
func (s *Service) MyCreditBalances(ctx context.Context, p *Principal) ([]Balance, error) {
	id, err := ledgerCustomer(p)
	if err != nil {
		return nil, err
	}
	return s.CreditBalances(ctx, p.ShopID, id)
}

// MyCreditHistory is CreditHistory for the authenticated customer.
func (s *Service) MyCreditHistory(ctx context.Context, p *Principal, page Page) (PageOf[CreditEntry], error) {
	id, err := ledgerCustomer(p)
	if err != nil {
		return PageOf[CreditEntry]{}, err
	}
	return s.CreditHistory(ctx, p.ShopID, id, page)
}
