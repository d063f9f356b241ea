package spree

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// ptr is nil for "" and a pointer to s otherwise: Spree sends null for an
// optional string never given.
func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func fullName(first, last string) string {
	return strings.TrimSpace(first + " " + last)
}

func toAddress(a core.SavedAddress) Address {
	country, _ := core.CountryName(a.CountryCode)
	stateText := ptr(a.RegionCode)
	if stateText == nil {
		stateText = ptr(a.RegionName)
	}
	stateName := ptr(a.RegionName)
	if stateName == nil {
		if n, ok := core.SubdivisionName(a.CountryCode, a.RegionCode); ok {
			stateName = &n
		}
	}
	return Address{
		ID: a.ID, FirstName: ptr(a.FirstName), LastName: ptr(a.LastName), FullName: fullName(a.FirstName, a.LastName),
		Address1: ptr(a.Address1), Address2: ptr(a.Address2), PostalCode: ptr(a.PostalCode), City: ptr(a.City),
		Phone: ptr(a.Phone), Company: ptr(a.Company), CountryName: country, CountryISO: a.CountryCode,
		StateText: stateText, StateAbbr: ptr(a.RegionCode), StateName: stateName,
		IsDefaultBilling: a.IsDefaultBilling, IsDefaultShipping: a.IsDefaultShipping,
	}
}

// allAddresses reads the whole address book (it is capped) through core's
// cursor pages.
func (a *API) allAddresses(ctx context.Context, p *core.Principal) ([]core.SavedAddress, error) {
	var out []core.SavedAddress
	pg := core.Page{Limit: core.MaxPageLimit}
	for {
		res, err := a.svc.Addresses(ctx, p, pg)
		if err != nil {
			return nil, err
		}
		out = append(out, res.Items...)
		if res.Next == "" {
			return out, nil
		}
		pg.Cursor = res.Next
	}
}

// newestUpdatedFirst orders addresses as Spree lists them.
func newestUpdatedFirst(as []core.SavedAddress) {
	sort.SliceStable(as, func(i, j int) bool {
		if !as[i].UpdatedAt.Equal(as[j].UpdatedAt) {
			return as[i].UpdatedAt.After(as[j].UpdatedAt)
		}
		return as[i].ID > as[j].ID
	})
}

// customerView builds the full Spree customer for c.
func (a *API) customerView(ctx context.Context, r *http.Request, p *core.Principal, c *core.Customer) (Customer, error) {
	out := Customer{
		ID: c.ID, Email: c.Email, FirstName: ptr(c.FirstName), LastName: ptr(c.LastName), Phone: ptr(c.Phone),
		AcceptsEmailMarketing: c.AcceptsEmailMarketing, FullName: fullName(c.FirstName, c.LastName),
		Addresses: []Address{}, CustomerGroups: []CustomerGroup{},
	}
	if out.FullName == "" {
		out.FullName = c.Email
	}
	if p == nil {
		p = &core.Principal{ShopID: c.ShopID, CustomerID: c.ID}
	}
	addrs, err := a.allAddresses(ctx, p)
	if err != nil {
		return out, err
	}
	newestUpdatedFirst(addrs)
	for _, sa := range addrs {
		v := toAddress(sa)
		out.Addresses = append(out.Addresses, v)
		if sa.IsDefaultBilling {
			b := v
			out.DefaultBillingAddress = &b
		}
		if sa.IsDefaultShipping {
			s := v
			out.DefaultShippingAddress = &s
		}
	}
	balances, err := a.svc.MyCreditBalances(ctx, p)
	if err != nil {
		return out, err
	}
	cur := requestCurrency(r, balances)
	var amount int64
	for _, b := range balances {
		if b.Currency == cur {
			amount += b.Amount
		}
	}
	out.AvailableStoreCreditTotal = money(amount, cur)
	out.DisplayAvailableStoreCreditTotal = displayMoney(amount, cur)
	sub, err := a.svc.CustomerNewsletter(ctx, c.ShopID, c.ID)
	if err != nil {
		return out, err
	}
	out.NewsletterSubscriber = toNewsletter(sub)
	groups, err := a.svc.CustomerGroups(ctx, c.ShopID, c.ID)
	if err != nil {
		return out, err
	}
	for _, g := range groups {
		out.CustomerGroups = append(out.CustomerGroups, CustomerGroup{ID: g.ID, Name: g.Name})
	}
	return out, nil
}

// requestCurrency is x-spree-currency when given, else the currency the
// customer holds credit in, else USD.
func requestCurrency(r *http.Request, balances []core.Balance) string {
	if c, ok := core.NormalizeCurrency(r.Header.Get("X-Spree-Currency")); ok {
		return c
	}
	for _, b := range balances {
		if b.Amount != 0 {
			return b.Currency
		}
	}
	return "USD"
}

// money prints minor units as Ruby's BigDecimal would: "12.34", "100.0".
func money(minor int64, currency string) string {
	exp, ok := core.CurrencyExponent(currency)
	if !ok {
		exp = 2
	}
	neg := minor < 0
	if neg {
		minor = -minor
	}
	s := strconv.FormatInt(minor, 10)
	var whole, frac string
	if exp == 0 {
		whole, frac = s, "0"
	} else {
		for len(s) <= exp {
			s = "0" + s
		}
		whole, frac = s[:len(s)-exp], strings.TrimRight(s[len(s)-exp:], "0")
		if frac == "" {
			frac = "0"
		}
	}
	if neg {
		whole = "-" + whole
	}
	return whole + "." + frac
}

var symbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "$", "AUD": "$", "PLN": "zł", "CHF": "CHF "}

// displayMoney formats minor units for display: "$1,234.56".
func displayMoney(minor int64, currency string) string {
	exp, ok := core.CurrencyExponent(currency)
	if !ok {
		exp = 2
	}
	neg := minor < 0
	if neg {
		minor = -minor
	}
	s := strconv.FormatInt(minor, 10)
	for len(s) <= exp {
		s = "0" + s
	}
	whole, frac := s[:len(s)-exp], s[len(s)-exp:]
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	num := b.String()
	if exp > 0 {
		num += "." + frac
	}
	sym, ok := symbols[currency]
	if !ok {
		sym = currency + " "
	}
	if neg {
		return "-" + sym + num
	}
	return sym + num
}

// isoTime prints a date-time as Spree does.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// pageParams reads page and limit (pagy: page ≥ 1, limit 1..100 clamped).
func pageParams(r *http.Request) (page, limit int, err error) {
	page, limit = 1, 25
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 1 {
			return 0, 0, newErr(http.StatusBadRequest, codeInvalidRequest, "page must be a positive integer")
		}
		page = n
	}
	if v := q.Get("limit"); v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 1 {
			return 0, 0, newErr(http.StatusBadRequest, codeInvalidRequest, "limit must be a positive integer")
		}
		limit = min(n, 100)
	}
	return page, limit, nil
}

// paginate cuts all (already sorted) into Spree's page with its meta.
func paginate[T any](all []T, page, limit int) list[T] {
	count := len(all)
	pages := max(1, (count+limit-1)/limit)
	start := (page - 1) * limit
	data := []T{}
	if start < count {
		data = append(data, all[start:min(start+limit, count)]...)
	}
	m := listMeta{Page: page, Limit: limit, Count: count, Pages: pages, In: len(data)}
	if len(data) > 0 {
		m.From, m.To = start+1, start+len(data)
	}
	if page > 1 {
		prev := min(page-1, pages)
		m.Previous = &prev
	}
	if page < pages {
		next := page + 1
		m.Next = &next
	}
	return list[T]{Data: data, Meta: m}
}
