package bagisto

import (
	"context"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

// ucfirst is PHP's ucfirst: an ASCII a–z first byte upper-cased.
func ucfirst(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// fullName is Bagisto's name accessor: both names, ucfirst, one space.
func fullName(first, last string) string {
	parts := []string{}
	for _, p := range []string{first, last} {
		if p != "" {
			parts = append(parts, ucfirst(p))
		}
	}
	return strings.Join(parts, " ")
}

// genders are the values Bagisto knows, by lower-case form.
var genders = map[string]string{"male": "Male", "female": "Female", "other": "Other"}

// genderOut renders a stored gender as Bagisto's, or null.
func genderOut(g string) any {
	if v, ok := genders[strings.ToLower(strings.TrimSpace(g))]; ok {
		return v
	}
	return nil
}

// customerView renders the customer resource (contract §5.1); v1 puts
// name after email and adds notes (always empty: staff notes are never
// shown).
func (a *API) customerView(ctx context.Context, sh *core.Shop, c *core.Customer, v1 bool) (obj, error) {
	nums, err := a.svc.Aliases(ctx, sh.ID, core.AliasCustomer, c.ID)
	if err != nil {
		return nil, err
	}
	groups, err := a.svc.CustomerGroups(ctx, sh.ID, c.ID)
	if err != nil {
		return nil, err
	}
	name := fullName(c.FirstName, c.LastName)
	o := obj{{"id", nums[c.ID]}, {"email", c.Email}}
	if v1 {
		o = o.with("name", name)
	}
	o = o.with("first_name", orNull(c.FirstName)).with("last_name", orNull(c.LastName))
	if !v1 {
		o = o.with("name", name)
	}
	o = o.with("gender", genderOut(c.Gender)).
		with("date_of_birth", orNull(c.DateOfBirth)).
		with("phone", orNull(c.Phone)).
		with("status", 1)
	if len(groups) > 0 {
		g := groups[0]
		gn, err := a.svc.Aliases(ctx, sh.ID, core.AliasGroup, g.ID)
		if err != nil {
			return nil, err
		}
		o = o.with("group", obj{{"id", gn[g.ID]}, {"name", g.Name}, {"created_at", ts(g.CreatedAt)}, {"updated_at", ts(g.UpdatedAt)}})
	}
	if v1 {
		o = o.with("notes", []any{})
	}
	return o.with("created_at", ts(c.CreatedAt)).with("updated_at", ts(c.UpdatedAt)), nil
}

// addressLines splits our two street lines back into Bagisto's array,
// without empty lines.
func addressLines(a *core.Address) []string {
	out := []string{}
	for _, l := range append([]string{a.Address1}, strings.Split(a.Address2, "\n")...) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// metaString reads a string the dialect keeps in an address's metadata.
func metaString(m map[string]any, k string) any {
	if s, ok := m[k].(string); ok && s != "" {
		return s
	}
	return nil
}

// countryOut renders the country code and its English name.
func countryOut(code string) (any, any) {
	if code == "" {
		return nil, nil
	}
	name, ok := core.CountryName(code)
	if !ok {
		return code, nil
	}
	return code, name
}

// stateOut is the region code, else its name, else null.
func stateOut(a *core.Address) any {
	if a.RegionCode != "" {
		return a.RegionCode
	}
	return orNull(a.RegionName)
}

// addressView renders an address (contract §5.2, §5.3). isDefault is
// §5.4's reading of the customer's two defaults.
func addressView(num int64, a *core.Address, isDefault, v1 bool) obj {
	country, countryName := countryOut(a.CountryCode)
	lines := addressLines(a)
	o := obj{{"id", num}, {"first_name", orNull(a.FirstName)}, {"last_name", orNull(a.LastName)},
		{"company_name", orNull(a.Company)}, {"vat_id", metaString(a.Metadata, metaVATID)}}
	if v1 {
		o = o.with("address", lines)
	} else {
		o = o.with("address1", lines)
	}
	o = o.with("country", country).with("country_name", countryName).with("state", stateOut(a)).
		with("city", orNull(a.City)).with("postcode", orNull(a.PostalCode)).with("phone", orNull(a.Phone))
	if v1 {
		o = o.with("email", metaString(a.Metadata, metaEmail))
	}
	o = o.with("is_default", isDefault).with("created_at", ts(a.CreatedAt)).with("updated_at", ts(a.UpdatedAt))
	if v1 {
		o = o.with("address1", lines) // rest-api 1.x clients read address1
	}
	return o
}

// isDefault reads Bagisto's one default flag from our two (§5.4): the
// default shipping address, or, without one, the default billing one.
func isDefault(c *core.Customer, id string) bool {
	if c.DefaultShippingAddressID != "" {
		return c.DefaultShippingAddressID == id
	}
	return c.DefaultBillingAddressID == id
}
