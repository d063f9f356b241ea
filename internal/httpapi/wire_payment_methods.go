package httpapi

import "github.com/clientele/clientele/internal/core"

// paymentMethodJSON is the /v1 saved payment method. provider_ref is shown
// in full: it is the payment provider's token (pm_…, a PayPal billing
// agreement), which the storefront's server needs to charge the method and
// which is useless without the store's secret provider key; a card number
// never gets this far. Optional fields are null when unset.
type paymentMethodJSON struct {
	ID               string         `json:"id"`
	Provider         string         `json:"provider"`
	ProviderRef      string         `json:"provider_ref"`
	Type             string         `json:"type"`
	Brand            *string        `json:"brand"`
	Last4            *string        `json:"last4"`
	ExpMonth         *int           `json:"exp_month"`
	ExpYear          *int           `json:"exp_year"`
	HolderName       *string        `json:"holder_name"`
	BillingAddressID *string        `json:"billing_address_id"`
	IsDefault        bool           `json:"is_default"`
	Metadata         map[string]any `json:"metadata"`
	CreatedAt        string         `json:"created_at"`
	UpdatedAt        string         `json:"updated_at"`
}

func nullableInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func toPaymentMethod(m core.PaymentMethod) paymentMethodJSON {
	md := m.Metadata
	if md == nil {
		md = map[string]any{}
	}
	return paymentMethodJSON{
		ID: m.ID, Provider: m.Provider, ProviderRef: m.ProviderRef, Type: m.Type,
		Brand: nullable(m.Brand), Last4: nullable(m.Last4), ExpMonth: nullableInt(m.ExpMonth), ExpYear: nullableInt(m.ExpYear),
		HolderName: nullable(m.HolderName), BillingAddressID: nullable(m.BillingAddressID), IsDefault: m.IsDefault,
		Metadata: md, CreatedAt: stamp(m.CreatedAt), UpdatedAt: stamp(m.UpdatedAt),
	}
}

// createPaymentMethodRequest is the body of POST /v1/customer/payment-methods
// and of the admin attach: what the payment provider's SDK returned.
type createPaymentMethodRequest struct {
	Provider         string         `json:"provider"`
	ProviderRef      string         `json:"provider_ref"`
	Type             string         `json:"type"`
	Brand            string         `json:"brand"`
	Last4            string         `json:"last4"`
	ExpMonth         int            `json:"exp_month"`
	ExpYear          int            `json:"exp_year"`
	HolderName       string         `json:"holder_name"`
	BillingAddressID string         `json:"billing_address_id"`
	IsDefault        bool           `json:"is_default"`
	Metadata         map[string]any `json:"metadata"`
}

func (in createPaymentMethodRequest) input() core.PaymentMethodInput {
	return core.PaymentMethodInput{
		Provider: in.Provider, ProviderRef: in.ProviderRef, Type: in.Type, Brand: in.Brand, Last4: in.Last4,
		ExpMonth: in.ExpMonth, ExpYear: in.ExpYear, HolderName: in.HolderName, BillingAddressID: in.BillingAddressID,
		IsDefault: in.IsDefault, Metadata: in.Metadata,
	}
}

// patchPaymentMethodRequest is the body of PATCH: the provider, its
// reference and the type are not here, so sending them is a 400
// unknown_field (a new token is a new method).
type patchPaymentMethodRequest struct {
	IsDefault        *bool           `json:"is_default"`
	BillingAddressID *string         `json:"billing_address_id"`
	ExpMonth         *int            `json:"exp_month"`
	ExpYear          *int            `json:"exp_year"`
	HolderName       *string         `json:"holder_name"`
	Metadata         *map[string]any `json:"metadata"`
}

func (in patchPaymentMethodRequest) update() core.PaymentMethodUpdate {
	return core.PaymentMethodUpdate{
		IsDefault: in.IsDefault, BillingAddressID: in.BillingAddressID, ExpMonth: in.ExpMonth, ExpYear: in.ExpYear,
		HolderName: in.HolderName, Metadata: in.Metadata,
	}
}
