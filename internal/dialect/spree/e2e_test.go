package spree_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// TestSDK drives the real @spree/sdk (e2e/spree) against the whole stack.
// The suite reads reset mails through a small test-only endpoint over the
// kit's recording mailer.
func TestSDK(t *testing.T) {
	k := testkit.New(t)
	mail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out := []map[string]string{}
		for _, m := range k.Mail.Messages() {
			if (r.URL.Query().Get("to") == "" || m.To == r.URL.Query().Get("to")) &&
				(r.URL.Query().Get("kind") == "" || m.Kind == r.URL.Query().Get("kind")) {
				out = append(out, map[string]string{"to": m.To, "kind": m.Kind, "subject": m.Subject, "text": m.Text})
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(mail.Close)
	// seed stands in for the store's back end, which reports orders, saved
	// cards and gift cards through the admin API.
	seed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ids, err := seedCustomer(k, r.URL.Query().Get("customer"), r.URL.Query().Get("email"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(ids)
	}))
	t.Cleanup(seed.Close)
	testkit.NodeE2E(t, "../../../e2e/spree", map[string]string{
		"CLIENTELE_SEED_URL": seed.URL,
		"CLIENTELE_URL":      k.Server.URL, "CLIENTELE_PK": k.PK, "CLIENTELE_SK": k.SK,
		"CLIENTELE_MAIL_URL": mail.URL,
	})
}

// seedCustomer gives a customer one completed order, one saved card, one
// PayPal method (not a card), one gift card and a default wishlist with
// one item, as the store's back end (or another surface) would.
func seedCustomer(k *testkit.Kit, customerID, email string) (map[string]string, error) {
	ctx, svc, shop := context.Background(), k.App.Service, k.Shop.ID
	o, _, err := svc.UpsertOrder(ctx, shop, "R"+customerID[len(customerID)-8:], core.OrderInput{
		Email: email, CustomerID: customerID, State: "completed", PaymentStatus: "paid", FulfillmentStatus: "shipped",
		Currency: "USD", Subtotal: 123456, ShippingTotal: 500, TaxTotal: 100, Total: 124056, ItemCount: 2,
		LineItems:       []core.LineItem{{ID: "li_1", ProductID: "prod_1", VariantID: "var_1", Name: "Mug", Quantity: 2, UnitPrice: 61728, Total: 123456}},
		ShippingAddress: &core.Address{FirstName: "Jane", LastName: "Doe", Address1: "1 Main St", City: "New York", PostalCode: "10001", CountryCode: "US", RegionCode: "NY"},
		PlacedAt:        "2026-07-28T10:36:30Z",
	})
	if err != nil {
		return nil, err
	}
	card, err := svc.AttachPaymentMethod(ctx, shop, customerID, core.PaymentMethodInput{
		Provider: "stripe", ProviderRef: "pm_" + customerID, Type: "card", Brand: "visa", Last4: "4242", ExpMonth: 12, ExpYear: 2030, HolderName: "Jane Doe", IsDefault: true,
	})
	if err != nil {
		return nil, err
	}
	if _, err := svc.AttachPaymentMethod(ctx, shop, customerID, core.PaymentMethodInput{Provider: "paypal", ProviderRef: "BA-" + customerID, Type: "paypal"}); err != nil {
		return nil, err
	}
	gc, err := svc.IssueGiftCard(ctx, shop, core.GiftCardInput{Currency: "USD", Amount: 5000, CustomerID: customerID, Author: "test"})
	if err != nil {
		return nil, err
	}
	grant, err := svc.AddCredit(ctx, shop, customerID, core.CreditInput{Currency: "USD", Amount: 2000, Kind: core.CreditGrant, Author: "test"})
	if err != nil {
		return nil, err
	}
	if _, err := svc.AddCredit(ctx, shop, customerID, core.CreditInput{Currency: "USD", Amount: 500, Kind: core.CreditUse, Reference: o.Number, Author: "test"}); err != nil {
		return nil, err
	}
	p := &core.Principal{ShopID: shop, CustomerID: customerID, Scope: core.ScopeCustomer}
	wl, err := svc.DefaultWishlist(ctx, p, true)
	if err != nil {
		return nil, err
	}
	item, _, err := svc.AddWishlistItem(ctx, p, wl.ID, core.NewWishlistItem{ProductID: "prod_1", VariantID: "var_1"})
	if err != nil {
		return nil, err
	}
	return map[string]string{"credit": grant.ID, "order": o.ID, "number": o.Number, "card": card.ID, "gift_card": gc.Card.ID,
		"wishlist": wl.ID, "wishlist_item": "wi_" + strings.TrimPrefix(item.ID, "wli_")}, nil
}
