package spree

import (
	"context"
	"net/http"
	"sort"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

// Spree's id prefixes differ from some of core's; ids are translated by
// swapping the prefix (the ULID is kept, so ids round-trip exactly).
const (
	corePrefixOrder  = "ord_"
	spreePrefixOrder = "or_"
	corePrefixItem   = "wli_"
	spreePrefixItem  = "wi_"
	corePrefixCard   = "pm_"
	spreePrefixCard  = "card_"
)

func outID(id, corePrefix, spreePrefix string) string {
	if rest, ok := strings.CutPrefix(id, corePrefix); ok {
		return spreePrefix + rest
	}
	return id
}

// inID maps a Spree id to core's; an id without Spree's prefix maps to
// one that cannot exist.
func inID(id, corePrefix, spreePrefix string) string {
	if rest, ok := strings.CutPrefix(id, spreePrefix); ok && rest != "" {
		return corePrefix + rest
	}
	return "-"
}

// all reads every page of a core cursor list.
func all[T any](ctx context.Context, list func(core.Page) (core.PageOf[T], error)) ([]T, error) {
	var out []T
	pg := core.Page{Limit: core.MaxPageLimit}
	for {
		res, err := list(pg)
		if err != nil {
			return nil, err
		}
		out = append(out, res.Items...)
		if res.Next == "" || ctx.Err() != nil {
			return out, ctx.Err()
		}
		pg.Cursor = res.Next
	}
}

// respondList pages items (already in order) and writes the list.
func respondList[T any](w http.ResponseWriter, r *http.Request, items []T) error {
	page, limit, err := pageParams(r)
	if err != nil {
		return err
	}
	if items == nil {
		items = []T{}
	}
	return writeJSON(w, http.StatusOK, paginate(items, page, limit))
}

// ---- wishlists ----

// Wishlist is Spree's wishlist; Items only with expand=items.
type Wishlist struct {
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Token     string          `json:"token"`
	IsDefault bool            `json:"is_default"`
	IsPrivate bool            `json:"is_private"`
	Items     *[]WishlistItem `json:"items,omitempty"`
}

// WishlistItem is Spree's wishlist item (without the catalogue variant,
// which Clientele cannot fill).
type WishlistItem struct {
	ID         string `json:"id"`
	VariantID  string `json:"variant_id"`
	ProductID  string `json:"product_id"`
	WishlistID string `json:"wishlist_id"`
	Quantity   int    `json:"quantity"`
	Variant    any    `json:"variant"`
}

func toWishlist(v core.WishlistView) Wishlist {
	tok := v.ShareToken
	if tok == "" {
		// Spree always has a token; a private list's is not a share link.
		tok = strings.TrimPrefix(v.ID, "wl_")
	}
	return Wishlist{ID: v.ID, Name: v.Name, Token: tok, IsDefault: v.IsDefault, IsPrivate: v.IsPrivate}
}

func expands(r *http.Request, what string) bool {
	for _, e := range strings.Split(r.URL.Query().Get("expand"), ",") {
		if strings.TrimSpace(e) == what {
			return true
		}
	}
	return false
}

func errWishlistNotFound() error { return errNotFound("Wishlist") }

func (a *API) withItems(r *http.Request, w *Wishlist) error {
	if !expands(r, "items") {
		return nil
	}
	p := principalOf(r)
	items, err := all(r.Context(), func(pg core.Page) (core.PageOf[core.WishlistItem], error) {
		return a.svc.WishlistItems(r.Context(), p, w.ID, pg)
	})
	if err != nil {
		return remap(err, errWishlistNotFound(), core.ErrNotFound)
	}
	out := []WishlistItem{}
	for i := range items {
		out = append(out, toWishlistItem(&items[i]))
	}
	w.Items = &out
	return nil
}

type wishlistRequest struct {
	Name      *string `json:"name"`
	IsPrivate *bool   `json:"is_private"`
	IsDefault *bool   `json:"is_default"`
}

func (a *API) listWishlists(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	ls, err := all(r.Context(), func(pg core.Page) (core.PageOf[core.WishlistView], error) {
		return a.svc.Wishlists(r.Context(), p, pg)
	})
	if err != nil {
		return err
	}
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].CreatedAt.Before(ls[j].CreatedAt) })
	out := make([]Wishlist, 0, len(ls))
	for _, v := range ls {
		out = append(out, toWishlist(v))
	}
	return respondList(w, r, out)
}

func (a *API) getWishlist(w http.ResponseWriter, r *http.Request) error {
	v, err := a.svc.Wishlist(r.Context(), principalOf(r), r.PathValue("id"))
	if err != nil {
		return remap(err, errWishlistNotFound(), core.ErrNotFound)
	}
	out := toWishlist(*v)
	if err := a.withItems(r, &out); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

var wishlistFields = fieldNames{}

func (a *API) createWishlist(w http.ResponseWriter, r *http.Request) error {
	var in wishlistRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	nw := core.NewWishlist{Name: str(in.Name), IsPrivate: in.IsPrivate}
	if in.IsDefault != nil {
		nw.IsDefault = *in.IsDefault
	}
	v, err := a.svc.CreateWishlist(r.Context(), principalOf(r), nw)
	if err != nil {
		return withFields(err, wishlistFields)
	}
	return writeJSON(w, http.StatusCreated, toWishlist(*v))
}

func (a *API) updateWishlist(w http.ResponseWriter, r *http.Request) error {
	var in wishlistRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	v, err := a.svc.UpdateWishlist(r.Context(), principalOf(r), r.PathValue("id"), core.WishlistPatch{
		Name: in.Name, IsPrivate: in.IsPrivate, IsDefault: onlyTrue(in.IsDefault),
	})
	if err != nil {
		return withFields(remap(err, errWishlistNotFound(), core.ErrNotFound), wishlistFields)
	}
	return writeJSON(w, http.StatusOK, toWishlist(*v))
}

func (a *API) deleteWishlist(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.DeleteWishlist(r.Context(), principalOf(r), r.PathValue("id")); err != nil {
		return remap(err, errWishlistNotFound(), core.ErrNotFound)
	}
	return noContent(w)
}

// createWishlistItem: a WishlistItem carries a full catalogue Variant that
// Clientele cannot fill without a catalogue adapter (contract §6.8).
func (a *API) createWishlistItem(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.svc.Wishlist(r.Context(), principalOf(r), r.PathValue("id")); err != nil {
		return remap(err, errWishlistNotFound(), core.ErrNotFound)
	}
	return newErr(http.StatusNotFound, codeVariantNotFound, "Variant not found")
}

// ---- credit cards ----

// CreditCard is Spree's saved card.
type CreditCard struct {
	ID                      string  `json:"id"`
	Brand                   string  `json:"brand"`
	Last4                   string  `json:"last4"`
	Month                   int     `json:"month"`
	Year                    int     `json:"year"`
	Name                    *string `json:"name"`
	Default                 bool    `json:"default"`
	GatewayPaymentProfileID *string `json:"gateway_payment_profile_id"`
}

var spreeBrands = map[string]string{"mastercard": "master", "amex": "american_express", "diners": "diners_club"}

func toCreditCard(m core.PaymentMethod) CreditCard {
	brand := strings.ToLower(m.Brand)
	if b, ok := spreeBrands[brand]; ok {
		brand = b
	}
	return CreditCard{ID: outID(m.ID, corePrefixCard, spreePrefixCard), Brand: brand, Last4: m.Last4,
		Month: m.ExpMonth, Year: m.ExpYear, Name: ptr(m.HolderName), Default: m.IsDefault,
		GatewayPaymentProfileID: ptr(m.ProviderRef)}
}

func errCardNotFound() error { return errNotFound("Credit card") }

func (a *API) cardByID(r *http.Request) (*core.PaymentMethod, error) {
	m, err := a.svc.PaymentMethod(r.Context(), principalOf(r), inID(r.PathValue("id"), corePrefixCard, spreePrefixCard))
	if err != nil {
		return nil, remap(err, errCardNotFound(), core.ErrNotFound)
	}
	if m.Type != "card" {
		return nil, errCardNotFound()
	}
	return m, nil
}

func (a *API) listCreditCards(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	ms, err := all(r.Context(), func(pg core.Page) (core.PageOf[core.PaymentMethod], error) {
		return a.svc.PaymentMethods(r.Context(), p, pg)
	})
	if err != nil {
		return err
	}
	out := []CreditCard{}
	for _, m := range ms {
		if m.Type == "card" {
			out = append(out, toCreditCard(m))
		}
	}
	return respondList(w, r, out)
}

func (a *API) getCreditCard(w http.ResponseWriter, r *http.Request) error {
	m, err := a.cardByID(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toCreditCard(*m))
}

func (a *API) deleteCreditCard(w http.ResponseWriter, r *http.Request) error {
	m, err := a.cardByID(r)
	if err != nil {
		return err
	}
	if err := a.svc.DeletePaymentMethod(r.Context(), principalOf(r), m.ID); err != nil {
		return remap(err, errCardNotFound(), core.ErrNotFound)
	}
	return noContent(w)
}

// ---- gift cards ----

// GiftCard is Spree's gift card.
type GiftCard struct {
	ID                     string  `json:"id"`
	Code                   string  `json:"code"`
	Status                 string  `json:"status"`
	Currency               string  `json:"currency"`
	Amount                 *string `json:"amount"`
	AmountUsed             *string `json:"amount_used"`
	AmountAuthorized       *string `json:"amount_authorized"`
	AmountRemaining        *string `json:"amount_remaining"`
	DisplayAmount          *string `json:"display_amount"`
	DisplayAmountUsed      *string `json:"display_amount_used"`
	DisplayAmountRemaining *string `json:"display_amount_remaining"`
	ExpiresAt              *string `json:"expires_at"`
	RedeemedAt             *string `json:"redeemed_at"`
	Expired                bool    `json:"expired"`
	Active                 bool    `json:"active"`
}

func moneyPtr(minor int64, cur string) *string   { s := money(minor, cur); return &s }
func displayPtr(minor int64, cur string) *string { s := displayMoney(minor, cur); return &s }

func toGiftCard(v core.GiftCardView) GiftCard {
	g := v.Card
	used := g.Initial - v.Balance
	if used < 0 {
		used = 0
	}
	status := "active"
	switch {
	case v.Status == core.GiftCardExpired:
		status = "expired"
	case v.Status == core.GiftCardDisabled:
		status = "canceled"
	case v.Balance <= 0:
		status = "redeemed"
	case used > 0:
		status = "partially_redeemed"
	}
	out := GiftCard{
		ID: g.ID, Code: "••••••••" + g.Last4, Status: status, Currency: g.Currency,
		Amount: moneyPtr(g.Initial, g.Currency), AmountUsed: moneyPtr(used, g.Currency),
		AmountAuthorized: moneyPtr(0, g.Currency), AmountRemaining: moneyPtr(max(v.Balance, 0), g.Currency),
		DisplayAmount: displayPtr(g.Initial, g.Currency), DisplayAmountUsed: displayPtr(used, g.Currency),
		DisplayAmountRemaining: displayPtr(max(v.Balance, 0), g.Currency),
		Expired:                status == "expired", Active: status == "active" || status == "partially_redeemed",
	}
	if g.ExpiresAt != nil {
		d := g.ExpiresAt.UTC().Format("2006-01-02")
		out.ExpiresAt = &d
	}
	if g.RedeemedAt != nil {
		t := isoTime(*g.RedeemedAt)
		out.RedeemedAt = &t
	}
	return out
}

func (a *API) listGiftCards(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	cs, err := all(r.Context(), func(pg core.Page) (core.PageOf[core.GiftCardView], error) {
		return a.svc.MyGiftCards(r.Context(), p, pg)
	})
	if err != nil {
		return err
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Card.CreatedAt.After(cs[j].Card.CreatedAt) })
	out := make([]GiftCard, 0, len(cs))
	for _, c := range cs {
		out = append(out, toGiftCard(c))
	}
	return respondList(w, r, out)
}

func (a *API) getGiftCard(w http.ResponseWriter, r *http.Request) error {
	v, _, err := a.svc.MyGiftCard(r.Context(), principalOf(r), r.PathValue("id"))
	if err != nil {
		return remap(err, errNotFound("Gift card"), core.ErrNotFound)
	}
	return writeJSON(w, http.StatusOK, toGiftCard(*v))
}

// ---- store credits ----

// StoreCredit is Spree's store credit: one per grant.
type StoreCredit struct {
	ID                     string `json:"id"`
	Amount                 string `json:"amount"`
	AmountUsed             string `json:"amount_used"`
	AmountRemaining        string `json:"amount_remaining"`
	DisplayAmount          string `json:"display_amount"`
	DisplayAmountUsed      string `json:"display_amount_used"`
	DisplayAmountRemaining string `json:"display_amount_remaining"`
	Currency               string `json:"currency"`
}

const (
	corePrefixCredit  = "scr_"
	spreePrefixCredit = "credit_"
)

func toStoreCredit(g core.StoreCreditGrant) StoreCredit {
	c := g.Entry.Currency
	return StoreCredit{
		ID:     outID(g.Entry.ID, corePrefixCredit, spreePrefixCredit),
		Amount: money(g.Entry.Amount, c), AmountUsed: money(g.Used, c), AmountRemaining: money(g.Remaining(), c),
		DisplayAmount: displayMoney(g.Entry.Amount, c), DisplayAmountUsed: displayMoney(g.Used, c),
		DisplayAmountRemaining: displayMoney(g.Remaining(), c), Currency: c,
	}
}

func (a *API) storeCredits(r *http.Request) ([]core.StoreCreditGrant, error) {
	p := principalOf(r)
	balances, err := a.svc.MyCreditBalances(r.Context(), p)
	if err != nil {
		return nil, err
	}
	grants, err := a.svc.MyCreditGrants(r.Context(), p, requestCurrency(r, balances))
	if err != nil {
		return nil, err
	}
	// Newest first, as Spree lists them.
	sort.SliceStable(grants, func(i, j int) bool { return grants[i].Entry.CreatedAt.After(grants[j].Entry.CreatedAt) })
	return grants, nil
}

func (a *API) listStoreCredits(w http.ResponseWriter, r *http.Request) error {
	grants, err := a.storeCredits(r)
	if err != nil {
		return err
	}
	out := make([]StoreCredit, 0, len(grants))
	for _, g := range grants {
		out = append(out, toStoreCredit(g))
	}
	return respondList(w, r, out)
}

func (a *API) getStoreCredit(w http.ResponseWriter, r *http.Request) error {
	grants, err := a.storeCredits(r)
	if err != nil {
		return err
	}
	id := inID(r.PathValue("id"), corePrefixCredit, spreePrefixCredit)
	for _, g := range grants {
		if g.Entry.ID == id {
			return writeJSON(w, http.StatusOK, toStoreCredit(g))
		}
	}
	return errNotFound("Store credit")
}
