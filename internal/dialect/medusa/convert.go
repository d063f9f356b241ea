package medusa

import (
	"errors"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
)

func reflectType(v any) reflect.Type {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func sortStrings(s []string) { sort.Strings(s) }

// ts renders a time as JavaScript's Date.toJSON does.
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// opt renders "" as null.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func meta(m map[string]any) map[string]any {
	if len(m) == 0 {
		return nil
	}
	return m
}

// addrID maps the core's addr_<ULID> to v2's cuaddr_<ULID>.
func addrID(id string) string {
	if rest, ok := strings.CutPrefix(id, "addr_"); ok {
		return "cuaddr_" + rest
	}
	return id
}

// coreAddrID accepts cuaddr_ or addr_ and returns the core's id.
func coreAddrID(id string) string {
	if rest, ok := strings.CutPrefix(id, "cuaddr_"); ok {
		return "addr_" + rest
	}
	return id
}

// authID is the stable auth identity id of a customer.
func authID(customerID string) string {
	return "authid_" + strings.TrimPrefix(customerID, "cus_")
}

type storeAddress struct {
	ID                string         `json:"id"`
	CustomerID        string         `json:"customer_id"`
	AddressName       *string        `json:"address_name"`
	IsDefaultShipping bool           `json:"is_default_shipping"`
	IsDefaultBilling  bool           `json:"is_default_billing"`
	Company           *string        `json:"company"`
	FirstName         *string        `json:"first_name"`
	LastName          *string        `json:"last_name"`
	Address1          *string        `json:"address_1"`
	Address2          *string        `json:"address_2"`
	City              *string        `json:"city"`
	CountryCode       *string        `json:"country_code"`
	Province          *string        `json:"province"`
	PostalCode        *string        `json:"postal_code"`
	Phone             *string        `json:"phone"`
	Metadata          map[string]any `json:"metadata"`
	CreatedAt         string         `json:"created_at"`
	UpdatedAt         string         `json:"updated_at"`
}

func toAddress(a core.SavedAddress) storeAddress {
	prov := a.RegionName
	if prov == "" {
		prov = a.RegionCode
	}
	return storeAddress{
		ID: addrID(a.ID), CustomerID: a.CustomerID, AddressName: opt(a.Label),
		IsDefaultShipping: a.IsDefaultShipping, IsDefaultBilling: a.IsDefaultBilling,
		Company: opt(a.Company), FirstName: opt(a.FirstName), LastName: opt(a.LastName),
		Address1: opt(a.Address1), Address2: opt(a.Address2), City: opt(a.City),
		CountryCode: opt(strings.ToLower(a.CountryCode)), Province: opt(prov), PostalCode: opt(a.PostalCode),
		Phone: opt(a.Phone), Metadata: meta(a.Metadata), CreatedAt: ts(a.CreatedAt), UpdatedAt: ts(a.UpdatedAt),
	}
}

type storeCustomer struct {
	ID                       string         `json:"id"`
	Email                    string         `json:"email"`
	FirstName                *string        `json:"first_name"`
	LastName                 *string        `json:"last_name"`
	Phone                    *string        `json:"phone"`
	CompanyName              *string        `json:"company_name"`
	Metadata                 map[string]any `json:"metadata"`
	HasAccount               bool           `json:"has_account"`
	DefaultBillingAddressID  *string        `json:"default_billing_address_id"`
	DefaultShippingAddressID *string        `json:"default_shipping_address_id"`
	Addresses                []storeAddress `json:"addresses"`
	CreatedAt                string         `json:"created_at"`
	UpdatedAt                string         `json:"updated_at"`
	DeletedAt                *string        `json:"deleted_at"`
}

func toCustomer(c *core.Customer, addrs []core.SavedAddress) storeCustomer {
	out := storeCustomer{
		ID: c.ID, Email: c.Email, FirstName: opt(c.FirstName), LastName: opt(c.LastName),
		Phone: opt(c.Phone), CompanyName: opt(c.CompanyName), Metadata: meta(c.Metadata),
		HasAccount: c.PasswordHash != "", Addresses: []storeAddress{},
		CreatedAt: ts(c.CreatedAt), UpdatedAt: ts(c.UpdatedAt),
	}
	if c.DefaultBillingAddressID != "" {
		out.DefaultBillingAddressID = opt(addrID(c.DefaultBillingAddressID))
	}
	if c.DefaultShippingAddressID != "" {
		out.DefaultShippingAddressID = opt(addrID(c.DefaultShippingAddressID))
	}
	for _, a := range addrs {
		out.Addresses = append(out.Addresses, toAddress(a))
	}
	return out
}

func errorsIsUnauth(err error) bool { return errors.Is(err, core.ErrUnauthenticated) }

func errorsIsAny(err error, kinds ...error) bool {
	for _, k := range kinds {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

func asValidation(err error, ve **core.ValidationError) bool { return errors.As(err, ve) }
