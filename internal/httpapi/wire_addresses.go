package httpapi

import "github.com/clientele/clientele/internal/core"

// addressJSON is the /v1 address resource. Optional text is null when
// empty, never omitted; the default flags come from the customer.
type addressJSON struct {
	ID                string         `json:"id"`
	Label             *string        `json:"label"`
	FirstName         *string        `json:"first_name"`
	LastName          *string        `json:"last_name"`
	Company           *string        `json:"company"`
	Address1          *string        `json:"address1"`
	Address2          *string        `json:"address2"`
	City              *string        `json:"city"`
	RegionCode        *string        `json:"region_code"`
	RegionName        *string        `json:"region_name"`
	PostalCode        *string        `json:"postal_code"`
	CountryCode       string         `json:"country_code"`
	CountryName       string         `json:"country_name"`
	Phone             *string        `json:"phone"`
	IsDefaultBilling  bool           `json:"is_default_billing"`
	IsDefaultShipping bool           `json:"is_default_shipping"`
	Metadata          map[string]any `json:"metadata"`
	CreatedAt         string         `json:"created_at"`
	UpdatedAt         string         `json:"updated_at"`
}

func toAddress(a core.SavedAddress) addressJSON {
	md := a.Metadata
	if md == nil {
		md = map[string]any{}
	}
	country, _ := core.CountryName(a.CountryCode)
	return addressJSON{
		ID: a.ID, Label: nullable(a.Label), FirstName: nullable(a.FirstName), LastName: nullable(a.LastName),
		Company: nullable(a.Company), Address1: nullable(a.Address1), Address2: nullable(a.Address2),
		City: nullable(a.City), RegionCode: nullable(a.RegionCode), RegionName: nullable(a.RegionName),
		PostalCode: nullable(a.PostalCode), CountryCode: a.CountryCode, CountryName: country, Phone: nullable(a.Phone),
		IsDefaultBilling: a.IsDefaultBilling, IsDefaultShipping: a.IsDefaultShipping, Metadata: md,
		CreatedAt: stamp(a.CreatedAt), UpdatedAt: stamp(a.UpdatedAt),
	}
}

// addressRequest is the POST /v1/customer/addresses body; any other field
// (id, customer_id, created_at…) is an unknown field and a 400.
type addressRequest struct {
	Label             string         `json:"label"`
	FirstName         string         `json:"first_name"`
	LastName          string         `json:"last_name"`
	Company           string         `json:"company"`
	Address1          string         `json:"address1"`
	Address2          string         `json:"address2"`
	City              string         `json:"city"`
	RegionCode        string         `json:"region_code"`
	RegionName        string         `json:"region_name"`
	PostalCode        string         `json:"postal_code"`
	CountryCode       string         `json:"country_code"`
	Phone             string         `json:"phone"`
	Metadata          map[string]any `json:"metadata"`
	IsDefaultBilling  *bool          `json:"is_default_billing"`
	IsDefaultShipping *bool          `json:"is_default_shipping"`
}

func (r addressRequest) input() core.AddressInput {
	return core.AddressInput{
		Label: r.Label, FirstName: r.FirstName, LastName: r.LastName, Company: r.Company,
		Address1: r.Address1, Address2: r.Address2, City: r.City, RegionCode: r.RegionCode,
		RegionName: r.RegionName, PostalCode: r.PostalCode, CountryCode: r.CountryCode, Phone: r.Phone,
		Metadata: r.Metadata, IsDefaultBilling: r.IsDefaultBilling, IsDefaultShipping: r.IsDefaultShipping,
	}
}

// addressPatchRequest is the PATCH body: absent (or null) fields stay as
// they are, "" clears an optional one.
type addressPatchRequest struct {
	Label             *string         `json:"label"`
	FirstName         *string         `json:"first_name"`
	LastName          *string         `json:"last_name"`
	Company           *string         `json:"company"`
	Address1          *string         `json:"address1"`
	Address2          *string         `json:"address2"`
	City              *string         `json:"city"`
	RegionCode        *string         `json:"region_code"`
	RegionName        *string         `json:"region_name"`
	PostalCode        *string         `json:"postal_code"`
	CountryCode       *string         `json:"country_code"`
	Phone             *string         `json:"phone"`
	Metadata          *map[string]any `json:"metadata"`
	IsDefaultBilling  *bool           `json:"is_default_billing"`
	IsDefaultShipping *bool           `json:"is_default_shipping"`
}

func (r addressPatchRequest) patch() core.AddressPatch {
	return core.AddressPatch{
		Label: r.Label, FirstName: r.FirstName, LastName: r.LastName, Company: r.Company,
		Address1: r.Address1, Address2: r.Address2, City: r.City, RegionCode: r.RegionCode,
		RegionName: r.RegionName, PostalCode: r.PostalCode, CountryCode: r.CountryCode, Phone: r.Phone,
		Metadata: r.Metadata, IsDefaultBilling: r.IsDefaultBilling, IsDefaultShipping: r.IsDefaultShipping,
	}
}
