package httpapi

import (
	"net/http"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// exportJSON is GET /v1/customer/export: everything held about the
// customer, in the same representations the other routes use.
type exportJSON struct {
	ExportedAt     string               `json:"exported_at"`
	Customer       customerJSON         `json:"customer"`
	Addresses      []addressJSON        `json:"addresses"`
	Wishlists      []exportWishlistJSON `json:"wishlists"`
	StoreCredit    exportCreditJSON     `json:"store_credit"`
	GiftCards      []giftCardJSON       `json:"gift_cards"`
	PaymentMethods []paymentMethodJSON  `json:"payment_methods"`
	Orders         []orderJSON          `json:"orders"`
	Sessions       []sessionJSON        `json:"sessions"`
}

type exportWishlistJSON struct {
	wishlistJSON
	Items []wishlistItemJSON `json:"items"`
}

type exportCreditJSON struct {
	Balances []balanceJSON     `json:"balances"`
	Ledger   []creditEntryJSON `json:"ledger"`
}

func mapOf[T, W any](in []T, conv func(T) W) []W {
	out := make([]W, 0, len(in))
	for _, v := range in {
		out = append(out, conv(v))
	}
	return out
}

func toSession(s core.Session, current string) sessionJSON {
	return sessionJSON{
		ID: s.ID, Current: s.ID == current, CreatedAt: stamp(s.CreatedAt), LastUsedAt: stamp(s.LastUsedAt),
		ExpiresAt: stamp(s.ExpiresAt), UserAgent: nullable(s.UserAgent), IP: nullable(s.IP),
	}
}

func (a *API) exportCustomer(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	x, err := a.svc.ExportCustomer(r.Context(), p)
	if err != nil {
		return notFoundAsUnauthenticated(err)
	}
	cust, err := a.customerView(r.Context(), x.Customer)
	if err != nil {
		return err
	}
	out := exportJSON{
		ExportedAt: stamp(time.Now()),
		Customer:   cust,
		Addresses:  mapOf(x.Addresses, toAddress),
		Wishlists: mapOf(x.Wishlists, func(e core.WishlistExport) exportWishlistJSON {
			return exportWishlistJSON{wishlistJSON: toWishlist(e.Wishlist), Items: mapOf(e.Items, toWishlistItem)}
		}),
		StoreCredit: exportCreditJSON{
			Balances: toBalances(x.CreditBalances),
			Ledger:   mapOf(x.CreditLedger, func(e core.CreditEntry) creditEntryJSON { return toCreditEntry(e, false) }),
		},
		GiftCards:      mapOf(x.GiftCards, toGiftCard),
		PaymentMethods: mapOf(x.PaymentMethods, toPaymentMethod),
		Orders:         mapOf(x.Orders, toOrder),
		Sessions:       mapOf(x.Sessions, func(s core.Session) sessionJSON { return toSession(s, p.SessionID) }),
	}
	w.Header().Set("Content-Disposition", `attachment; filename="customer-export.json"`)
	return httpx.WriteJSON(w, http.StatusOK, out)
}
