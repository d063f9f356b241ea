package sfcc

import (
	"errors"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// instrumentProvider names payment instruments created through SCAPI in
// core's payment methods.
const instrumentProvider = "sfcc"

func errUnsupported(detail string) *problem {
	return prob(http.StatusBadRequest, "unsupported-fields", "Unsupported Fields", detail)
}

func errInvalidInstrument(detail string) *problem {
	return prob(http.StatusBadRequest, "invalid-payment-instrument", "Invalid Payment Instrument", detail)
}

// instrumentDoc renders a CustomerPaymentInstrument (contract §5.8).
func instrumentDoc(m *core.PaymentMethod, now time.Time) map[string]any {
	method, _ := m.Metadata[metaPrefix+"paymentMethodId"].(string)
	if method == "" {
		method = "CREDIT_CARD"
	}
	card := map[string]any{"cardType": m.Brand, "creditCardExpired": expired(m.ExpMonth, m.ExpYear, now)}
	if m.HolderName != "" {
		card["holder"] = m.HolderName
	}
	if m.ExpMonth != 0 {
		card["expirationMonth"], card["expirationYear"] = m.ExpMonth, m.ExpYear
	}
	if m.Last4 != "" {
		card["numberLastDigits"], card["maskedNumber"] = m.Last4, "************"+m.Last4
	}
	return map[string]any{
		"paymentInstrumentId": wireID(m.ID), "paymentMethodId": method, "paymentCard": card, "default": m.IsDefault,
		"creationDate": ts(m.CreatedAt), "lastModified": ts(m.UpdatedAt),
	}
}

// expired: a card is valid through the end of its expiry month.
func expired(month, year int, now time.Time) bool {
	if month == 0 {
		return false
	}
	end := time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, time.UTC)
	return !now.Before(end)
}

// instruments lists the customer's saved instruments, oldest first.
func (a *API) instruments(r *http.Request, p *core.Principal) ([]map[string]any, error) {
	out := []map[string]any{}
	pg := core.Page{Limit: 100}
	now := time.Now()
	for {
		page, err := a.svc.PaymentMethods(r.Context(), p, pg)
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			out = append(out, instrumentDoc(&page.Items[i], now))
		}
		if page.Next == "" {
			return out, nil
		}
		pg.Cursor = page.Next
	}
}

func instrumentError(err error) error {
	var ve *core.ValidationError
	if errors.As(err, &ve) {
		msg := "The payment instrument is invalid."
		if len(ve.Fields) > 0 {
			msg = ve.Fields[0].Message
		}
		return errInvalidInstrument(msg)
	}
	if errors.Is(err, core.ErrNotFound) {
		return errNotFound("No payment instrument with this ID could be found.")
	}
	return err
}

// wholeNumber reads an integer field of o.
func wholeNumber(o object, key string) (int, bool, bool) {
	v, ok, bad := o.number(key)
	if bad || (ok && v != math.Trunc(v)) {
		return 0, true, true
	}
	return int(v), ok, false
}

// createInstrument is createCustomerPaymentInstrument: only the last four
// digits of a card number and the provider token are kept.
func (a *API) createInstrument(w http.ResponseWriter, r *http.Request) error {
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	for _, k := range []string{"bankRoutingNumber", "giftCertificateCode", "paymentBankAccount"} {
		if body.has(k) {
			return errUnsupported(k + " is not supported.")
		}
	}
	method, _, bad := body.str("paymentMethodId")
	if bad || tooLong(method, 256) {
		return errInvalidInstrument("paymentMethodId must be a string.")
	}
	if method == "" {
		method = "CREDIT_CARD"
	}
	card, ok := body.obj("paymentCard")
	if !ok {
		return errInvalidInstrument("paymentCard is required.")
	}
	cardType, _, bad1 := card.str("cardType")
	holder, _, bad2 := card.str("holder")
	number, _, bad3 := card.str("number")
	token, _, bad4 := card.str("creditCardToken")
	month, _, bad5 := wholeNumber(card, "expirationMonth")
	year, _, bad6 := wholeNumber(card, "expirationYear")
	if bad1 || bad2 || bad3 || bad4 || bad5 || bad6 || cardType == "" || month < 1 || month > 12 || year == 0 {
		return errInvalidInstrument("paymentCard needs cardType, expirationMonth (1-12) and expirationYear.")
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, number)
	if token == "" && len(digits) < 4 {
		return errInvalidInstrument("paymentCard needs number or creditCardToken.")
	}
	in := core.PaymentMethodInput{
		Provider: instrumentProvider, ProviderRef: token, Type: "card", Brand: strings.ToLower(cardType),
		ExpMonth: month, ExpYear: year, HolderName: holder,
		Metadata: map[string]any{metaPrefix + "paymentMethodId": method},
	}
	if len(digits) >= 4 {
		in.Last4 = digits[len(digits)-4:]
	}
	if in.ProviderRef == "" {
		in.ProviderRef = "last4-" + in.Last4 // no token: the card is only displayed
	}
	if def, ok, bad := body.boolean("default"); bad {
		return errInvalidInstrument("default must be a boolean.")
	} else if ok {
		in.IsDefault = def
	}
	m, err := a.svc.AddPaymentMethod(r.Context(), principalOf(r), in)
	if err != nil {
		return instrumentError(err)
	}
	return writeJSON(w, http.StatusOK, instrumentDoc(m, time.Now()))
}

// getInstrument is getCustomerPaymentInstrument.
func (a *API) getInstrument(w http.ResponseWriter, r *http.Request) error {
	m, err := a.svc.PaymentMethod(r.Context(), principalOf(r), "pm_"+r.PathValue("paymentInstrumentId"))
	if err != nil {
		return instrumentError(err)
	}
	return writeJSON(w, http.StatusOK, instrumentDoc(m, time.Now()))
}

// updateInstrument is updateCustomerPaymentInstrument: default and the
// expiry only.
func (a *API) updateInstrument(w http.ResponseWriter, r *http.Request) error {
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	var u core.PaymentMethodUpdate
	for k := range body {
		if k != "default" && k != "paymentCard" {
			return errUnsupported(k + " cannot be changed.")
		}
	}
	if def, ok, bad := body.boolean("default"); bad {
		return errInvalidInstrument("default must be a boolean.")
	} else if ok {
		u.IsDefault = &def
	}
	if card, ok := body.obj("paymentCard"); ok {
		for k := range card {
			if k != "expirationMonth" && k != "expirationYear" {
				return errUnsupported("paymentCard." + k + " cannot be changed.")
			}
		}
		if m, ok, bad := wholeNumber(card, "expirationMonth"); bad {
			return errInvalidInstrument("expirationMonth must be 1 to 12.")
		} else if ok {
			u.ExpMonth = &m
		}
		if y, ok, bad := wholeNumber(card, "expirationYear"); bad {
			return errInvalidInstrument("expirationYear must be a year.")
		} else if ok {
			u.ExpYear = &y
		}
	}
	m, err := a.svc.UpdatePaymentMethod(r.Context(), principalOf(r), "pm_"+r.PathValue("paymentInstrumentId"), u)
	if err != nil {
		return instrumentError(err)
	}
	return writeJSON(w, http.StatusOK, instrumentDoc(m, time.Now()))
}

// deleteInstrument is deleteCustomerPaymentInstrument: 204.
func (a *API) deleteInstrument(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.DeletePaymentMethod(r.Context(), principalOf(r), "pm_"+r.PathValue("paymentInstrumentId")); err != nil {
		return instrumentError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
