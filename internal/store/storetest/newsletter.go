package storetest

import (
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// newsletterFixture is an unverified subscription without an account,
// with an outstanding verification token.
func newsletterFixture(shopID string) *core.NewsletterSubscriber {
	typed, norm := newEmail()
	return &core.NewsletterSubscriber{
		ID:              newID("sub_"),
		ShopID:          shopID,
		Email:           typed,
		EmailNormalized: norm,
		TokenHash:       newHash(),
		TokenPurpose:    core.NewsletterTokenVerify,
		TokenExpiresAt:  ptr(at(24 * time.Hour)),
		CreatedAt:       at(0),
		UpdatedAt:       at(time.Minute),
	}
}

func newNewsletter(t *testing.T, s core.Store, shopID string, mod func(*core.NewsletterSubscriber)) *core.NewsletterSubscriber {
	t.Helper()
	n := newsletterFixture(shopID)
	if mod != nil {
		mod(n)
	}
	must(t, s.CreateNewsletterSubscriber(t.Context(), n))
	return n
}

// wantNewsletter fails unless the stored subscription equals want.
func wantNewsletter(t *testing.T, s core.Store, want *core.NewsletterSubscriber) {
	t.Helper()
	got, err := s.GetNewsletterSubscriber(t.Context(), want.ShopID, want.ID)
	must(t, err)
	wantEqual(t, got, want)
}

// newsletterWorld is a shop with a customer whose verified subscription
// is linked, an unverified one without account, and another shop.
type newsletterWorld struct {
	shop, otherShop *core.Shop
	cust            *core.Customer
	linked, loose   *core.NewsletterSubscriber
}

func newNewsletterWorld(t *testing.T, s core.Store) newsletterWorld {
	t.Helper()
	var w newsletterWorld
	w.shop, w.cust = newShopCustomer(t, s)
	w.otherShop = newShop(t, s)
	w.linked = newNewsletter(t, s, w.shop.ID, func(n *core.NewsletterSubscriber) {
		n.Email, n.EmailNormalized, n.CustomerID = w.cust.Email, w.cust.EmailNormalized, w.cust.ID
		n.VerifiedAt, n.TokenHash, n.TokenPurpose, n.TokenExpiresAt = ptr(at(time.Hour)), nil, core.NewsletterTokenNone, nil
	})
	w.loose = newNewsletter(t, s, w.shop.ID, nil)
	return w
}

// newsletterCases returns the cases of newsletter subscriptions.
func newsletterCases() []methodCases {
	return []methodCases{
		{"CreateNewsletterSubscriber", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				wantNewsletter(t, s, w.linked)
				wantNewsletter(t, s, w.loose)
			}},
			{"duplicate_email", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				dup := newsletterFixture(w.shop.ID)
				dup.EmailNormalized = w.loose.EmailNormalized
				wantErr(t, s.CreateNewsletterSubscriber(t.Context(), dup), core.ErrConflict)
			}},
			{"second_for_a_customer", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				dup := newsletterFixture(w.shop.ID)
				dup.CustomerID = w.cust.ID
				wantErr(t, s.CreateNewsletterSubscriber(t.Context(), dup), core.ErrConflict)
			}},
			{"same_email_in_another_store", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				n := newNewsletter(t, s, w.otherShop.ID, func(n *core.NewsletterSubscriber) {
					n.Email, n.EmailNormalized = w.loose.Email, w.loose.EmailNormalized
				})
				wantNewsletter(t, s, n)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				// The customer is not the other shop's.
				w := newNewsletterWorld(t, s)
				n := newsletterFixture(w.otherShop.ID)
				n.CustomerID = w.cust.ID
				wantErr(t, s.CreateNewsletterSubscriber(t.Context(), n), core.ErrNotFound)
			}},
			{"cascades_with_customer", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				must(t, s.DeleteCustomer(t.Context(), w.shop.ID, w.cust.ID))
				_, err := s.GetNewsletterSubscriber(t.Context(), w.shop.ID, w.linked.ID)
				wantErr(t, err, core.ErrNotFound)
				wantNewsletter(t, s, w.loose)
			}},
		}},
		{"GetNewsletterSubscriber", []testCase{
			{"unknown", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				_, err := s.GetNewsletterSubscriber(t.Context(), w.shop.ID, newID("sub_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				_, err := s.GetNewsletterSubscriber(t.Context(), w.otherShop.ID, w.loose.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetNewsletterSubscriberByEmail", []testCase{
			{"finds", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				got, err := s.GetNewsletterSubscriberByEmail(t.Context(), w.shop.ID, w.loose.EmailNormalized)
				must(t, err)
				wantEqual(t, got, w.loose)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				_, err := s.GetNewsletterSubscriberByEmail(t.Context(), w.otherShop.ID, w.loose.EmailNormalized)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetNewsletterSubscriberByCustomer", []testCase{
			{"finds", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				got, err := s.GetNewsletterSubscriberByCustomer(t.Context(), w.shop.ID, w.cust.ID)
				must(t, err)
				wantEqual(t, got, w.linked)
			}},
			{"of_another_customer", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				typed, _ := newEmail()
				other := newCustomer(t, s, w.shop.ID, typed)
				_, err := s.GetNewsletterSubscriberByCustomer(t.Context(), w.shop.ID, other.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				_, err := s.GetNewsletterSubscriberByCustomer(t.Context(), w.otherShop.ID, w.cust.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetNewsletterSubscriberByTokenHash", []testCase{
			{"finds", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				got, err := s.GetNewsletterSubscriberByTokenHash(t.Context(), w.shop.ID, w.loose.TokenHash)
				must(t, err)
				wantEqual(t, got, w.loose)
			}},
			{"unknown", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				_, err := s.GetNewsletterSubscriberByTokenHash(t.Context(), w.shop.ID, newHash())
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				_, err := s.GetNewsletterSubscriberByTokenHash(t.Context(), w.otherShop.ID, w.loose.TokenHash)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"UpdateNewsletterSubscriber", []testCase{
			{"writes_every_mutable_field", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				typed, _ := newEmail()
				other := newCustomer(t, s, w.shop.ID, typed)
				n := *w.loose
				n.Email, n.EmailNormalized, n.CustomerID = other.Email, other.EmailNormalized, other.ID
				n.VerifiedAt, n.TokenHash, n.TokenPurpose, n.TokenExpiresAt = ptr(at(2*time.Hour)), newHash(), core.NewsletterTokenUnsubscribe, ptr(at(3*time.Hour))
				n.UpdatedAt = at(2 * time.Hour)
				must(t, s.UpdateNewsletterSubscriber(t.Context(), &n))
				wantNewsletter(t, s, &n)
				// And back to no account, no token.
				n.CustomerID, n.TokenHash, n.TokenPurpose, n.TokenExpiresAt = "", nil, core.NewsletterTokenNone, nil
				must(t, s.UpdateNewsletterSubscriber(t.Context(), &n))
				wantNewsletter(t, s, &n)
			}},
			{"email_taken", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				n := *w.loose
				n.EmailNormalized = w.linked.EmailNormalized
				wantErr(t, s.UpdateNewsletterSubscriber(t.Context(), &n), core.ErrConflict)
				wantNewsletter(t, s, w.loose)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				n := *w.loose
				n.ShopID, n.Email = w.otherShop.ID, "changed@example.com"
				wantErr(t, s.UpdateNewsletterSubscriber(t.Context(), &n), core.ErrNotFound)
				wantNewsletter(t, s, w.loose)
			}},
		}},
		{"DeleteNewsletterSubscriber", []testCase{
			{"deletes", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				must(t, s.DeleteNewsletterSubscriber(t.Context(), w.shop.ID, w.loose.ID))
				_, err := s.GetNewsletterSubscriber(t.Context(), w.shop.ID, w.loose.ID)
				wantErr(t, err, core.ErrNotFound)
				wantErr(t, s.DeleteNewsletterSubscriber(t.Context(), w.shop.ID, w.loose.ID), core.ErrNotFound)
				wantNewsletter(t, s, w.linked)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				w := newNewsletterWorld(t, s)
				wantErr(t, s.DeleteNewsletterSubscriber(t.Context(), w.otherShop.ID, w.loose.ID), core.ErrNotFound)
				wantNewsletter(t, s, w.loose)
			}},
		}},
	}
}
