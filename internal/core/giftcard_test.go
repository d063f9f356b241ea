package core_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

func TestNormalizeGiftCardCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ABCD-EFGH-JKMN-PQRS", "ABCDEFGHJKMNPQRS"},
		{"abcd efgh jkmn pqrs", "ABCDEFGHJKMNPQRS"},
		{"  aBcD-eFgH\tjkmn\npqrs ", "ABCDEFGHJKMNPQRS"},
		{"a-b-c-d", "ABCD"},
		{"spring-sale-2025", "SPRINGSALE2025"},
		{"", ""},
		{" - - ", ""},
	}
	for _, tt := range tests {
		if got := core.NormalizeGiftCardCode(tt.in); got != tt.want {
			t.Errorf("NormalizeGiftCardCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var generatedCode = regexp.MustCompile(`^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$`)

// Generated codes: 16 characters of the unambiguous alphabet in groups of
// four, all different, shown with the last four of the normalised code.
func TestIssueGiftCardCodes(t *testing.T) {
	k := testkit.New(t)
	svc, shop := k.App.Service, k.Shop.ID
	seen := map[string]bool{}
	for range 50 {
		g, err := svc.IssueGiftCard(t.Context(), shop, core.GiftCardInput{Currency: "USD", Amount: 500})
		if err != nil {
			t.Fatal(err)
		}
		if !generatedCode.MatchString(g.Code) || seen[g.Code] {
			t.Fatalf("code %q: malformed or repeated", g.Code)
		}
		seen[g.Code] = true
		if g.Card.Last4 != g.Code[len(g.Code)-4:] || g.Balance != 500 || g.Status != core.GiftCardActive {
			t.Fatalf("card = %+v", g.GiftCardView)
		}
	}
	// The outbox never carries a code.
	events, err := svc.Events(t.Context(), shop, core.EventGiftCardIssued, core.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events.Items {
		for code := range seen {
			for _, v := range e.Data {
				if s, ok := v.(string); ok && (strings.Contains(s, code) || strings.Contains(s, core.NormalizeGiftCardCode(code))) {
					t.Fatalf("event %s carries the code", e.ID)
				}
			}
		}
	}
}

func TestIssueGiftCardInput(t *testing.T) {
	k := testkit.New(t)
	svc, shop := k.App.Service, k.Shop.ID
	past, future := k.Clock.Now().Add(-time.Minute), k.Clock.Now().Add(time.Hour)
	tests := []struct {
		name  string
		in    core.GiftCardInput
		field string
	}{
		{"currency", core.GiftCardInput{Currency: "ABC", Amount: 1}, "currency"},
		{"zero", core.GiftCardInput{Currency: "USD"}, "amount"},
		{"negative", core.GiftCardInput{Currency: "USD", Amount: -1}, "amount"},
		{"expired", core.GiftCardInput{Currency: "USD", Amount: 1, ExpiresAt: &past}, "expires_at"},
		{"short_code", core.GiftCardInput{Currency: "USD", Amount: 1, Code: "abc-123"}, "code"},
		{"symbol_code", core.GiftCardInput{Currency: "USD", Amount: 1, Code: "GIFT$CARD2025"}, "code"},
		{"long_code", core.GiftCardInput{Currency: "USD", Amount: 1, Code: strings.Repeat("A", 65)}, "code"},
		{"unknown_customer", core.GiftCardInput{Currency: "USD", Amount: 1, CustomerID: "cus_nobody"}, "customer_id"},
		{"metadata", core.GiftCardInput{Currency: "USD", Amount: 1, Metadata: map[string]any{"": 1}}, "metadata"},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			_, err := svc.IssueGiftCard(t.Context(), shop, tt.in)
			var ve *core.ValidationError
			if !errors.As(err, &ve) || ve.Fields[0].Field != tt.field {
				t.Fatalf("err = %v, want a %s error", err, tt.field)
			}
		})
	}
	g, err := svc.IssueGiftCard(t.Context(), shop, core.GiftCardInput{Currency: "jpy", Amount: 3000, Code: "Spring Sale-2025", ExpiresAt: &future})
	if err != nil {
		t.Fatal(err)
	}
	if g.Code != "Spring Sale-2025" || g.Card.Last4 != "2025" || g.Card.Currency != "JPY" {
		t.Fatalf("card = %+v", g)
	}
	// The same code in another spelling is the same code.
	if _, err := svc.IssueGiftCard(t.Context(), shop, core.GiftCardInput{Currency: "JPY", Amount: 1, Code: "SPRINGSALE2025"}); !errors.Is(err, core.ErrConflict) {
		t.Fatalf("duplicate code: %v, want conflict", err)
	}
	// Another store may use it.
	other := k.NewShop("Other")
	if _, err := svc.IssueGiftCard(t.Context(), other.Shop.ID, core.GiftCardInput{Currency: "JPY", Amount: 1, Code: "springsale2025"}); err != nil {
		t.Fatal(err)
	}
}

func TestRedeemGiftCardIPLimit(t *testing.T) {
	limits := core.Limits{
		GiftCardRedeemPerCustomer: core.Rate{Limit: 100, Window: time.Hour},
		GiftCardRedeemPerIP:       core.Rate{Limit: 3, Window: time.Hour},
	}
	k := testkit.New(t, testkit.WithCore(core.Config{Limits: limits}))
	svc := k.App.Service
	g, err := svc.IssueGiftCard(t.Context(), k.Shop.ID, core.GiftCardInput{Currency: "USD", Amount: 1})
	if err != nil {
		t.Fatal(err)
	}
	meta := core.ClientMeta{IP: "203.0.113.9"}
	// Three customers behind one IP guess once each ...
	for i := range 3 {
		c := k.Register("guess" + string(rune('a'+i)) + "@example.com")
		p := &core.Principal{ShopID: k.Shop.ID, CustomerID: c.ID}
		if _, err := svc.RedeemGiftCard(t.Context(), p, "WRONG-CODE-0000", meta); core.CodeOf(err) != core.CodeGiftCardInvalid {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	// ... and a fourth is limited before the code is even looked up, even
	// with the right code; from another IP it goes through.
	c := k.Register("fourth@example.com")
	p := &core.Principal{ShopID: k.Shop.ID, CustomerID: c.ID}
	if _, err := svc.RedeemGiftCard(t.Context(), p, g.Code, meta); !errors.Is(err, core.ErrRateLimited) {
		t.Fatalf("fourth attempt from the IP: %v, want rate limited", err)
	}
	if _, err := svc.RedeemGiftCard(t.Context(), p, g.Code, core.ClientMeta{IP: "198.51.100.1"}); err != nil {
		t.Fatalf("from another IP: %v", err)
	}
}

// Two customers redeem one code at once: one gets it, the other the refusal.
func TestRedeemGiftCardRace(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run("db="+backend, func(t *testing.T) {
			var opts []testkit.Option
			if backend == "postgres" {
				opts = append(opts, testkit.WithPostgres(t))
			}
			k := testkit.New(t, opts...)
			svc := k.App.Service
			g, err := svc.IssueGiftCard(t.Context(), k.Shop.ID, core.GiftCardInput{Currency: "USD", Amount: 100})
			if err != nil {
				t.Fatal(err)
			}
			var ps []*core.Principal
			for _, e := range []string{"r1@example.com", "r2@example.com", "r3@example.com", "r4@example.com"} {
				ps = append(ps, &core.Principal{ShopID: k.Shop.ID, CustomerID: k.Register(e).ID})
			}
			errs := make(chan error, len(ps))
			start := make(chan struct{})
			for _, p := range ps {
				go func() {
					<-start
					_, err := svc.RedeemGiftCard(t.Context(), p, g.Code, core.ClientMeta{})
					errs <- err
				}()
			}
			close(start)
			won := 0
			for range ps {
				switch err := <-errs; {
				case err == nil:
					won++
				case core.CodeOf(err) != core.CodeGiftCardInvalid:
					t.Fatalf("redeem: %v", err)
				}
			}
			if won != 1 {
				t.Fatalf("%d customers redeemed one card", won)
			}
		})
	}
}
