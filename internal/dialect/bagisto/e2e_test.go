package bagisto_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// TestEndToEnd runs e2e/bagisto (Node's test runner with plain fetch: no
// Bagisto SDK exists) against the whole stack. The suite reads reset mails
// through a small test-only endpoint over the kit's recording mailer, and
// has orders reported for a customer through another, standing in for the
// store's back end.
func TestEndToEnd(t *testing.T) {
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
	seed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		numbers, err := seedOrders(k, r.URL.Query().Get("email"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(numbers)
	}))
	t.Cleanup(seed.Close)
	testkit.NodeE2E(t, "../../../e2e/bagisto", map[string]string{
		"CLIENTELE_URL": k.Server.URL, "CLIENTELE_PK": k.PK, "CLIENTELE_SK": k.SK,
		"CLIENTELE_MAIL_URL": mail.URL, "CLIENTELE_SEED_URL": seed.URL,
	})
}

// seedOrders reports two orders of the customer with the e-mail: a
// completed one with two lines and addresses, then a pending one.
func seedOrders(k *testkit.Kit, email string) ([]string, error) {
	ctx, svc, shop := context.Background(), k.App.Service, k.Shop.ID
	page, err := svc.AdminSearchCustomers(ctx, shop, core.CustomerQuery{EmailPrefix: strings.ToLower(email)}, core.Page{})
	if err != nil {
		return nil, err
	}
	if len(page.Items) != 1 {
		return nil, errors.New("no single customer with that e-mail")
	}
	c := page.Items[0]
	tag := c.ID[len(c.ID)-8:]
	addr := &core.Address{FirstName: "Ada", LastName: "Lovelace", Address1: "1 Main St", Address2: "Apt 2", City: "New York", PostalCode: "10001", CountryCode: "US", RegionCode: "NY", Phone: "5551234"}
	first, _, err := svc.UpsertOrder(ctx, shop, "B"+tag+"1", core.OrderInput{
		Email: email, CustomerID: c.ID, State: "completed", Currency: "USD",
		Subtotal: 10000, ShippingTotal: 500, TaxTotal: 825, DiscountTotal: 0, Total: 11325, ItemCount: 2,
		LineItems: []core.LineItem{
			{ID: "li_1", ProductID: "7", SKU: "MUG-1", Name: "Mug", Quantity: 2, UnitPrice: 2500, Total: 5000},
			{ID: "li_2", ProductID: "9", SKU: "TEE-1", Name: "Tee", Quantity: 1, UnitPrice: 5000, Total: 5000},
		},
		BillingAddress: addr, ShippingAddress: addr,
		Metadata: map[string]any{"shipping_method": "flatrate_flatrate", "shipping_title": "Flat Rate", "payment_title": "Cash On Delivery"},
		PlacedAt: "2026-07-28T10:36:30Z",
	})
	if err != nil {
		return nil, err
	}
	k.Clock.Advance(time.Millisecond)
	second, _, err := svc.UpsertOrder(ctx, shop, "B"+tag+"2", core.OrderInput{
		Email: email, CustomerID: c.ID, State: "pending", Currency: "USD", Subtotal: 1999, Total: 1999, ItemCount: 1,
		LineItems: []core.LineItem{{ID: "li_3", ProductID: "11", SKU: "PEN-1", Name: "Pen", Quantity: 1, UnitPrice: 1999, Total: 1999}},
		PlacedAt:  "2026-07-29T10:00:00Z",
	})
	if err != nil {
		return nil, err
	}
	return []string{first.Number, second.Number}, nil
}
