package core

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Behaviours for platforms whose clients have no refresh step and no
// store key (Bagisto first); none of them is specific to one platform.

// Bounds of a single-token session's lifetime (LoginSingleToken).
const (
	MinSingleTokenTTL = 5 * time.Minute
	MaxSingleTokenTTL = 24 * time.Hour
)

// DefaultGroupName is the group sign-ups join on platforms that put every
// customer in one ("General" in Bagisto).
const DefaultGroupName = "General"

// reasonNoSession is the revoke reason of the session a sign-up or reset
// starts when the platform logs nobody in.
const reasonNoSession = "no_session"

// DefaultShop returns the store a dialect request that names none uses:
// Config.DefaultStore (a store id or a publishable key) when set, else the
// deployment's only store. Anything else (an unknown or revoked key, a
// secret key, several stores and no default) is ErrNotFound.
func (s *Service) DefaultShop(ctx context.Context) (*Shop, error) {
	notFound := newErr(ErrNotFound, CodeNotFound, "store not found")
	ref := strings.TrimSpace(s.cfg.DefaultStore)
	switch {
	case ref == "":
		n, err := s.store.CountShops(ctx)
		if err != nil {
			return nil, err
		}
		if n != 1 {
			return nil, notFound
		}
		sh, err := s.store.OldestShop(ctx)
		return sh, notFoundAs(err, notFound)
	case strings.HasPrefix(ref, "sto_"):
		sh, err := s.Shop(ctx, ref)
		return sh, notFoundAs(err, notFound)
	default:
		sh, err := s.ShopByKey(ctx, ref, KeyPublishable)
		if err != nil {
			if errors.Is(err, ErrUnavailable) {
				return nil, err
			}
			return nil, notFound
		}
		return sh, nil
	}
}

// SingleTokenTTL bounds a requested single-token lifetime to
// MinSingleTokenTTL..MaxSingleTokenTTL and the deployment's
// MaxAccessTokenTTL.
func (s *Service) SingleTokenTTL(ttl time.Duration) time.Duration {
	ttl = max(ttl, MinSingleTokenTTL)
	ttl = min(ttl, MaxSingleTokenTTL, s.cfg.MaxAccessTokenTTL)
	return ttl
}

// LoginSingleToken is Login for platforms that have no refresh step: the
// session lives exactly as long as its one access token (ttl, bounded by
// SingleTokenTTL), so the token dies with the session and logout,
// password changes and disabling the customer still revoke it at once.
// The session's refresh token is never returned (Tokens.RefreshToken is
// empty). Rate limits and timing are Login's.
func (s *Service) LoginSingleToken(ctx context.Context, sh *Shop, email, password string, ttl time.Duration, meta ClientMeta) (*AuthResult, error) {
	res, err := s.Login(ctx, sh, email, password, meta)
	if err != nil {
		return nil, err
	}
	now := s.now()
	ttl = s.SingleTokenTTL(ttl)
	exp := now.Add(ttl)
	if err := s.store.SetSessionExpiry(ctx, sh.ID, res.Tokens.SessionID, exp); err != nil {
		return nil, err
	}
	tok, err := s.signer.Sign(AccessClaims{
		Issuer: s.cfg.Issuer, Subject: res.Customer.ID, Audience: sh.ID, SessionID: res.Tokens.SessionID,
		ID: s.newID("jti"), Scope: ScopeCustomer, IssuedAt: now, ExpiresAt: exp,
	})
	if err != nil {
		return nil, err
	}
	res.Tokens = Tokens{AccessToken: tok, ExpiresIn: ttl, SessionID: res.Tokens.SessionID}
	return res, nil
}

// RegisterWithoutSession is Register for platforms whose sign-up logs
// nobody in (the client logs in next): the customer is created, joins the
// store's DefaultGroupName group, and no session stays open.
func (s *Service) RegisterWithoutSession(ctx context.Context, sh *Shop, in Registration, meta ClientMeta) (*Customer, error) {
	res, err := s.Register(ctx, sh, in, meta)
	if err != nil {
		return nil, err
	}
	if err := s.endSession(ctx, sh.ID, res.Tokens.SessionID); err != nil {
		return nil, err
	}
	if err := s.JoinDefaultGroup(ctx, sh.ID, res.Customer.ID); err != nil {
		// The account exists and works without the group; a retry of the
		// sign-up would only meet "email taken".
		s.log.Warn("default group not joined", "customer", res.Customer.ID, "err", err)
	}
	return res.Customer, nil
}

// CompletePasswordResetWithoutSession is CompletePasswordReset for
// platforms whose reset logs nobody in: every session of the customer
// ends, the new one included.
func (s *Service) CompletePasswordResetWithoutSession(ctx context.Context, sh *Shop, token, password string, meta ClientMeta) error {
	res, err := s.CompletePasswordReset(ctx, sh, token, password, meta)
	if err != nil {
		return err
	}
	return s.endSession(ctx, sh.ID, res.Tokens.SessionID)
}

// endSession revokes a session nobody holds a token of.
func (s *Service) endSession(ctx context.Context, shopID, sid string) error {
	now := s.now()
	if err := s.store.RevokeSession(ctx, shopID, sid, now, reasonNoSession); err != nil {
		return err
	}
	s.revokeLocal(now, sid)
	return nil
}

// JoinDefaultGroup adds the customer to the store's DefaultGroupName
// group, creating the group on first use; the customer's other groups
// stay.
func (s *Service) JoinDefaultGroup(ctx context.Context, shopID, customerID string) error {
	g, err := s.defaultGroup(ctx, shopID)
	if errors.Is(err, ErrNotFound) {
		g, err = s.CreateGroup(ctx, shopID, GroupInput{Name: DefaultGroupName, Description: "Every new customer"})
		if errors.Is(err, ErrConflict) {
			g, err = s.defaultGroup(ctx, shopID) // a concurrent sign-up created it
		}
	}
	if err != nil {
		return err
	}
	cur, err := s.store.CustomerGroups(ctx, shopID, customerID)
	if err != nil {
		return err
	}
	ids := []string{g.ID}
	for _, c := range cur {
		if c.ID == g.ID {
			return nil
		}
		ids = append(ids, c.ID)
	}
	_, err = s.SetCustomerGroups(ctx, shopID, customerID, ids)
	return err
}

// defaultGroup finds the store's DefaultGroupName group.
func (s *Service) defaultGroup(ctx context.Context, shopID string) (*CustomerGroup, error) {
	after := ""
	for {
		gs, err := s.store.ListGroups(ctx, shopID, after, MaxPageLimit)
		if err != nil {
			return nil, err
		}
		for i := range gs {
			if gs[i].Name == DefaultGroupName {
				return &gs[i], nil
			}
		}
		if len(gs) < MaxPageLimit {
			return nil, newErr(ErrNotFound, CodeNotFound, "no default group")
		}
		after = gs[len(gs)-1].ID
	}
}

// ToggleWishlistProduct adds a product to the customer's default wishlist
// (created on first use), or removes it when it is already there, for
// platforms whose "add to wishlist" is a toggle (Bagisto). It returns the
// added item, or the removed one with added false.
func (s *Service) ToggleWishlistProduct(ctx context.Context, p *Principal, productID string) (it *WishlistItem, added bool, err error) {
	w, err := s.DefaultWishlist(ctx, p, true)
	if err != nil {
		return nil, false, err
	}
	var found *WishlistItem
	err = s.store.InTx(ctx, func(tx Store) error {
		var err error
		found, err = s.findWishlistItem(ctx, tx, &w.Wishlist, strings.TrimSpace(productID), "")
		return ignoreNotFound(err)
	})
	if err != nil {
		return nil, false, err
	}
	if found != nil {
		if err := s.DeleteWishlistItem(ctx, p, w.ID, found.ID); err != nil {
			return nil, false, err
		}
		return found, false, nil
	}
	it, _, err = s.AddWishlistItem(ctx, p, w.ID, NewWishlistItem{ProductID: productID})
	return it, err == nil, err
}

// AllDefaultWishlistItems returns every item of the customer's default
// wishlist, oldest first; none when the customer has no default list.
func (s *Service) AllDefaultWishlistItems(ctx context.Context, p *Principal) (*WishlistView, []WishlistItem, error) {
	w, err := s.DefaultWishlist(ctx, p, false)
	if errors.Is(err, ErrNotFound) {
		return nil, []WishlistItem{}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	items := []WishlistItem{}
	pg := Page{Limit: MaxPageLimit}
	for {
		res, err := s.pageWishlistItems(ctx, &w.Wishlist, pg)
		if err != nil {
			return nil, nil, err
		}
		items = append(items, res.Items...)
		if res.Next == "" {
			return w, items, nil
		}
		pg.Cursor = res.Next
	}
}

// ClearDefaultWishlist removes every item of the customer's default
// wishlist (the list itself stays).
func (s *Service) ClearDefaultWishlist(ctx context.Context, p *Principal) error {
	w, items, err := s.AllDefaultWishlistItems(ctx, p)
	if err != nil || w == nil {
		return err
	}
	for _, it := range items {
		if err := s.DeleteWishlistItem(ctx, p, w.ID, it.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return nil
}

// CheckPasswordPolicy applies the store's password policy to a password
// about to be set (for the e-mail given, which may be empty), without
// hashing anything, so a surface can report a policy failure together
// with its other field errors. field names the field in the error.
func (s *Service) CheckPasswordPolicy(sh *Shop, field, password, email string) error {
	norm, err := NormalizeEmail(email)
	if err != nil {
		norm = ""
	}
	return s.checkPassword(field, normalizePassword(password), norm, s.settings(sh))
}
