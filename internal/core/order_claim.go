package core

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
)

// EventOrderClaimRequested: a customer asked to claim guest orders by id;
// confirmation links went to the orders' addresses.
const EventOrderClaimRequested = "order.claim_requested"

// MaxClaimOrderIDs bounds the order ids of one claim request.
const MaxClaimOrderIDs = 20

// RequestOrderClaim is the Medusa-style claim of guest orders by id: for
// each distinct e-mail among the store's unowned orders with those ids, a
// single-use link goes to that address, and opening it (as the same
// customer) links the orders. Unknown ids and orders that already have an
// owner are skipped silently, and the answer is the same either way, so
// the call tells nothing about which ids exist. One request spends one
// unit of the customer's mail budget, however many mails it sends.
func (s *Service) RequestOrderClaim(ctx context.Context, sh *Shop, p *Principal, orderIDs []string, redirectURL string) error {
	ids, err := claimIDs(orderIDs)
	if err != nil {
		return err
	}
	base, err := s.emailLinkBase(sh, redirectURL, claimOrdersPage)
	if err != nil {
		return err
	}
	c, err := s.store.GetCustomer(ctx, p.ShopID, p.CustomerID)
	if err != nil {
		return err
	}
	if err := s.take(ctx, keyEmailTokenSend(sh.ID, c.ID), s.cfg.Limits.EmailTokenSends); err != nil {
		return err
	}
	// Group the claimable orders by the address they were placed with.
	type claim struct {
		email   string // as typed on the first order
		ids     []string
		numbers []string
	}
	var claims []*claim
	byEmail := map[string]*claim{}
	for _, id := range ids {
		o, err := s.store.GetOrder(ctx, sh.ID, "", id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if o.CustomerID != "" || o.EmailNormalized == "" {
			continue
		}
		cl := byEmail[o.EmailNormalized]
		if cl == nil {
			cl = &claim{email: o.Email}
			byEmail[o.EmailNormalized] = cl
			claims = append(claims, cl)
		}
		cl.ids, cl.numbers = append(cl.ids, o.ID), append(cl.numbers, o.Number)
	}
	if len(claims) == 0 {
		return nil
	}
	now := s.now()
	tokens := make([]string, len(claims))
	err = s.store.InTx(ctx, func(tx Store) error {
		for i, cl := range claims {
			var err error
			if tokens[i], err = s.issueEmailToken(ctx, tx, c, PurposeClaimOrders, cl.email, strings.Join(cl.ids, ","), now); err != nil {
				return err
			}
		}
		return s.emit(ctx, tx, sh.ID, EventOrderClaimRequested, c.ID, map[string]any{"mails": len(claims)})
	})
	if err != nil {
		return err
	}
	for i, cl := range claims {
		s.send(ctx, Message{
			To: cl.email, Kind: "order_claim", Subject: "Add your " + sh.Name + " orders to an account",
			ShopID: sh.ID, Vars: &MailVars{ShopName: sh.Name, Link: withQuery(base, "token", tokens[i]), ValidFor: s.cfg.EmailTokenTTL.String(), Orders: cl.numbers},
			Text: "Someone signed in to a " + sh.Name + " account asked to add these orders, placed with this address, to their account:\n\n" +
				"  " + strings.Join(cl.numbers, ", ") + "\n\n" +
				"If that was you, open this link within " + s.cfg.EmailTokenTTL.String() + " while signed in to that account:\n\n" +
				withQuery(base, "token", tokens[i]) + "\n\nIf it was not you, ignore this message: the orders stay as they are.\n",
		})
	}
	return nil
}

// ConfirmOrderClaim links the orders of a claim link to the customer who
// asked for it; the link does nothing for anyone else (not even another
// account of the same mailbox's owner), so a forwarded mail cannot move
// orders to a stranger. Orders that found an owner meanwhile are skipped.
// It returns the ids it linked.
func (s *Service) ConfirmOrderClaim(ctx context.Context, sh *Shop, p *Principal, token string, meta ClientMeta) ([]string, error) {
	t, err := s.emailTokenFor(ctx, sh, token, PurposeClaimOrders, meta)
	if err != nil {
		return nil, err
	}
	if t.CustomerID != p.CustomerID {
		return nil, emailTokenInvalid()
	}
	norm, err := NormalizeEmail(t.Email)
	if err != nil {
		return nil, emailTokenInvalid()
	}
	ids := strings.Split(t.Subject, ",")
	now := s.now()
	var linked []string
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := useEmailToken(ctx, tx, t, now); err != nil {
			return err
		}
		var err error
		if linked, err = tx.ClaimOrders(ctx, sh.ID, p.CustomerID, norm, ids); err != nil {
			return err
		}
		return s.emitClaimed(ctx, tx, sh.ID, p.CustomerID, "claim", linked)
	})
	if err != nil {
		return nil, err
	}
	if linked == nil {
		linked = []string{}
	}
	return linked, nil
}

// claimIDs checks and de-duplicates the ids of a claim request.
func claimIDs(in []string) ([]string, error) {
	var f fields
	switch {
	case len(in) == 0:
		f.add("order_ids", FieldRequired, "order_ids must list at least one order id")
	case len(in) > MaxClaimOrderIDs:
		f.add("order_ids", FieldTooLong, "order_ids may list at most "+strconv.Itoa(MaxClaimOrderIDs)+" orders")
	}
	var out []string
	for i, id := range in {
		id = strings.TrimSpace(id)
		if id == "" || len(id) > maxOrderRefLength || strings.Contains(id, ",") {
			f.add("order_ids["+strconv.Itoa(i)+"]", FieldInvalid, "not an order id")
			continue
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, f.err()
}
