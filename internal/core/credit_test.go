package core_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

func TestCurrencyExponent(t *testing.T) {
	tests := []struct {
		code string
		exp  int
		ok   bool
	}{
		{"USD", 2, true}, {"EUR", 2, true}, {"JPY", 0, true}, {"KRW", 0, true}, {"KWD", 3, true},
		{"BHD", 3, true}, {"CLF", 4, true}, {"UYW", 4, true}, {"ISK", 0, true}, {"XCG", 2, true},
		{"usd", 0, false}, // callers normalise first (NormalizeCurrency)
		{"XAU", 0, false}, // no minor unit: not a currency a shop credits
		{"XXX", 0, false}, {"HRK", 0, false}, {"DEM", 0, false}, {"", 0, false}, {"US", 0, false},
	}
	for _, tt := range tests {
		t.Run("case="+tt.code, func(t *testing.T) {
			exp, ok := core.CurrencyExponent(tt.code)
			if exp != tt.exp || ok != tt.ok {
				t.Fatalf("CurrencyExponent(%q) = %d, %v; want %d, %v", tt.code, exp, ok, tt.exp, tt.ok)
			}
		})
	}
}

func TestNormalizeCurrency(t *testing.T) {
	for in, want := range map[string]string{"usd": "USD", " Eur ": "EUR", "JPY": "JPY"} {
		if got, ok := core.NormalizeCurrency(in); got != want || !ok {
			t.Errorf("NormalizeCurrency(%q) = %q, %v; want %q, true", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "US D", "usdollar", "€", "XTS"} {
		if _, ok := core.NormalizeCurrency(in); ok {
			t.Errorf("NormalizeCurrency(%q) accepted", in)
		}
	}
}

// Kinds and signs: what each kind writes to the ledger, and what it refuses.
func TestAddCreditKindsAndSigns(t *testing.T) {
	k := testkit.New(t)
	c := k.Register("kinds@example.com")
	svc, shop := k.App.Service, k.Shop.ID
	ctx := t.Context()
	if _, err := svc.AddCredit(ctx, shop, c.ID, core.CreditInput{Currency: "USD", Amount: 1000, Kind: core.CreditGrant}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		in      core.CreditInput
		written int64  // the ledger amount, when accepted
		field   string // the refused field, when not
		code    string
	}{
		{"grant", core.CreditInput{Amount: 10, Kind: core.CreditGrant}, 10, "", ""},
		{"refund", core.CreditInput{Amount: 5, Kind: core.CreditRefund, Reference: "R1"}, 5, "", ""},
		{"use_is_negative", core.CreditInput{Amount: 3, Kind: core.CreditUse}, -3, "", ""},
		{"expire_is_negative", core.CreditInput{Amount: 2, Kind: core.CreditExpire}, -2, "", ""},
		{"adjustment_down", core.CreditInput{Amount: -4, Kind: core.CreditAdjustment, Reason: "typo"}, -4, "", ""},
		{"adjustment_up", core.CreditInput{Amount: 4, Kind: core.CreditAdjustment, Reason: "typo"}, 4, "", ""},
		{"grant_zero", core.CreditInput{Amount: 0, Kind: core.CreditGrant}, 0, "amount", core.FieldInvalid},
		{"grant_negative", core.CreditInput{Amount: -1, Kind: core.CreditGrant}, 0, "amount", core.FieldInvalid},
		{"use_negative", core.CreditInput{Amount: -1, Kind: core.CreditUse}, 0, "amount", core.FieldInvalid},
		{"expire_zero", core.CreditInput{Amount: 0, Kind: core.CreditExpire}, 0, "amount", core.FieldInvalid},
		{"grant_too_large", core.CreditInput{Amount: core.MaxCreditAmount + 1, Kind: core.CreditGrant}, 0, "amount", core.FieldInvalid},
		{"adjustment_too_small", core.CreditInput{Amount: -core.MaxCreditAmount - 1, Kind: core.CreditAdjustment, Reason: "x"}, 0, "amount", core.FieldInvalid},
		{"adjustment_zero", core.CreditInput{Amount: 0, Kind: core.CreditAdjustment, Reason: "x"}, 0, "amount", core.FieldInvalid},
		{"adjustment_without_reason", core.CreditInput{Amount: 1, Kind: core.CreditAdjustment, Reason: "  "}, 0, "reason", core.FieldRequired},
		{"unknown_kind", core.CreditInput{Amount: 1, Kind: "bonus"}, 0, "kind", core.FieldInvalid},
		{"no_kind", core.CreditInput{Amount: 1}, 0, "kind", core.FieldRequired},
		{"use_overdraws", core.CreditInput{Amount: 100_000, Kind: core.CreditUse}, 0, "amount", core.CodeInsufficientBalance},
		{"adjustment_overdraws", core.CreditInput{Amount: -100_000, Kind: core.CreditAdjustment, Reason: "x"}, 0, "amount", core.CodeInsufficientBalance},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			tt.in.Currency = "usd"
			e, err := svc.AddCredit(ctx, shop, c.ID, tt.in)
			if tt.field != "" {
				var ve *core.ValidationError
				if !errors.As(err, &ve) || ve.Fields[0].Field != tt.field || ve.Fields[0].Code != tt.code {
					t.Fatalf("err = %v, want %s %s", err, tt.field, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e.Amount != tt.written || e.Currency != "USD" || e.Kind != tt.in.Kind || e.Author != "system" {
				t.Fatalf("entry = %+v, want amount %d in USD by system", e, tt.written)
			}
		})
	}
	bs, err := svc.CreditBalances(ctx, shop, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1 || bs[0].Amount != 1000+10+5-3-2-4+4 {
		t.Fatalf("balances = %v", bs)
	}
}

func TestCreditForUnknownCustomer(t *testing.T) {
	k := testkit.New(t)
	other := k.NewShop("Other")
	c := k.Register("owner@example.com")
	ctx, svc := t.Context(), k.App.Service
	for _, shop := range []string{other.Shop.ID, k.Shop.ID} {
		id := c.ID
		if shop == k.Shop.ID {
			id = "cus_nobody"
		}
		if _, err := svc.AddCredit(ctx, shop, id, core.CreditInput{Currency: "USD", Amount: 1, Kind: core.CreditGrant}); !errors.Is(err, core.ErrNotFound) {
			t.Fatalf("AddCredit: %v, want not found", err)
		}
		if _, err := svc.CreditBalances(ctx, shop, id); !errors.Is(err, core.ErrNotFound) {
			t.Fatalf("CreditBalances: %v, want not found", err)
		}
		if _, err := svc.CreditHistory(ctx, shop, id, core.Page{}); !errors.Is(err, core.ErrNotFound) {
			t.Fatalf("CreditHistory: %v, want not found", err)
		}
	}
	if _, err := svc.MyCreditBalances(ctx, &core.Principal{ShopID: k.Shop.ID}); !errors.Is(err, core.ErrUnauthenticated) {
		t.Fatalf("a principal without a customer: %v", err)
	}
}

// Parallel uses through core, on both stores: the customer lock makes
// exactly as many succeed as the balance covers.
func TestAddCreditParallelUses(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run("db="+backend, func(t *testing.T) {
			var opts []testkit.Option
			if backend == "postgres" {
				opts = append(opts, testkit.WithPostgres(t))
			}
			k := testkit.New(t, opts...)
			c := k.Register("race@example.com")
			svc, shop := k.App.Service, k.Shop.ID
			if _, err := svc.AddCredit(t.Context(), shop, c.ID, core.CreditInput{Currency: "EUR", Amount: 100, Kind: core.CreditGrant}); err != nil {
				t.Fatal(err)
			}
			const n = 20
			errs := make([]error, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					<-start
					_, errs[i] = svc.AddCredit(t.Context(), shop, c.ID, core.CreditInput{Currency: "EUR", Amount: 10, Kind: core.CreditUse})
				})
			}
			close(start)
			wg.Wait()
			ok := 0
			for i, err := range errs {
				switch {
				case err == nil:
					ok++
				case core.CodeOf(err) != core.CodeInsufficientBalance:
					t.Fatalf("use %d: %v", i, err)
				}
			}
			bs, err := svc.CreditBalances(t.Context(), shop, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ok != 10 || len(bs) != 1 || bs[0].Amount != 0 {
				t.Fatalf("%d uses succeeded, balances %v; want 10 and EUR 0", ok, bs)
			}
		})
	}
}
