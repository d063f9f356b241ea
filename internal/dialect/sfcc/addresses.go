package sfcc

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

// addressExtras are the CustomerAddress fields without a core column,
// kept in the address's metadata.
var addressExtras = []struct {
	name string
	max  int
}{
	{"secondName", 256}, {"salutation", 256}, {"title", 256}, {"suffix", 256}, {"fullName", 256},
	{"jobTitle", 256}, {"suite", 32}, {"postBox", 256},
}

// addressColumns map wire fields to core address fields.
var addressColumns = []struct {
	name string
	max  int
	get  func(a *core.Address) string
	set  func(p *core.AddressPatch, v *string)
}{
	{"firstName", 256, func(a *core.Address) string { return a.FirstName }, func(p *core.AddressPatch, v *string) { p.FirstName = v }},
	{"lastName", 256, func(a *core.Address) string { return a.LastName }, func(p *core.AddressPatch, v *string) { p.LastName = v }},
	{"companyName", 256, func(a *core.Address) string { return a.Company }, func(p *core.AddressPatch, v *string) { p.Company = v }},
	{"address1", 256, func(a *core.Address) string { return a.Address1 }, func(p *core.AddressPatch, v *string) { p.Address1 = v }},
	{"address2", 256, func(a *core.Address) string { return a.Address2 }, func(p *core.AddressPatch, v *string) { p.Address2 = v }},
	{"city", 256, func(a *core.Address) string { return a.City }, func(p *core.AddressPatch, v *string) { p.City = v }},
	{"stateCode", 256, func(a *core.Address) string { return a.RegionCode }, func(p *core.AddressPatch, v *string) { p.RegionCode = v }},
	{"postalCode", 256, func(a *core.Address) string { return a.PostalCode }, func(p *core.AddressPatch, v *string) { p.PostalCode = v }},
	{"countryCode", 2, func(a *core.Address) string { return a.CountryCode }, func(p *core.AddressPatch, v *string) { p.CountryCode = v }},
	{"phone", 32, func(a *core.Address) string { return a.Phone }, func(p *core.AddressPatch, v *string) { p.Phone = v }},
}

func itoa(n int) string { return strconv.Itoa(n) }

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func errInvalidAddress(detail string) *problem {
	return prob(http.StatusBadRequest, "invalid-address", "Invalid Address", detail)
}

func errAddressExists() *problem {
	return prob(http.StatusBadRequest, "address-already-exists", "Address Already Exists", "The customer already has an address with this addressId.")
}

// addresses returns the customer's whole address book, oldest first.
func (a *API) addresses(r *http.Request, p *core.Principal) ([]core.SavedAddress, error) {
	var out []core.SavedAddress
	pg := core.Page{Limit: 100}
	for {
		page, err := a.svc.Addresses(r.Context(), p, pg)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			return out, nil
		}
		pg.Cursor = page.Next
	}
}

// addressByName finds the address whose addressId (core label) is name.
func (a *API) addressByName(r *http.Request, name string) (*core.SavedAddress, error) {
	list, err := a.addresses(r, principalOf(r))
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Label == name {
			return &list[i], nil
		}
	}
	return nil, errNotFound("No address with ID '" + name + "' could be found.")
}

// addressDoc renders a CustomerAddress (contract §5.7).
func addressDoc(s *core.SavedAddress) map[string]any {
	d := map[string]any{
		"addressId": s.Label, "preferred": s.IsDefaultShipping,
		"creationDate": ts(s.CreatedAt), "lastModified": ts(s.UpdatedAt),
	}
	for _, c := range addressColumns {
		if v := c.get(&s.Address); v != "" {
			d[c.name] = v
		}
	}
	for _, x := range addressExtras {
		if v, ok := s.Metadata[metaPrefix+x.name].(string); ok && v != "" {
			d[x.name] = v
		}
	}
	if _, ok := d["fullName"]; !ok {
		var parts []string
		for _, v := range []string{s.FirstName, stringOf(s.Metadata[metaPrefix+"secondName"]), s.LastName} {
			if v != "" {
				parts = append(parts, v)
			}
		}
		if len(parts) > 0 {
			d["fullName"] = strings.Join(parts, " ")
		}
	}
	return d
}

func stringOf(v any) string { s, _ := v.(string); return s }

// addressPatch reads the writable address fields of body into a core
// patch; extras go into a copy of current metadata.
func addressPatch(body object, current map[string]any) (core.AddressPatch, error) {
	var p core.AddressPatch
	for _, c := range addressColumns {
		v, ok, bad := body.str(c.name)
		if !ok {
			continue
		}
		if bad || tooLong(v, c.max) {
			return p, errInvalidAddress(c.name + " must be a string of at most " + itoa(c.max) + " characters.")
		}
		c.set(&p, &v)
	}
	md := map[string]any{}
	for k, v := range current {
		md[k] = v
	}
	changed := false
	for _, x := range addressExtras {
		v, ok, bad := body.str(x.name)
		if !ok {
			continue
		}
		if bad || tooLong(v, x.max) {
			return p, errInvalidAddress(x.name + " must be a string of at most " + itoa(x.max) + " characters.")
		}
		changed = true
		if trimmed(v) == "" {
			delete(md, metaPrefix+x.name)
		} else {
			md[metaPrefix+x.name] = trimmed(v)
		}
	}
	if changed {
		p.Metadata = &md
	}
	if pref, ok, bad := body.boolean("preferred"); bad {
		return p, errInvalidAddress("preferred must be a boolean.")
	} else if ok {
		p.IsDefaultShipping, p.IsDefaultBilling = &pref, &pref
	}
	return p, nil
}

// addressError maps core failures of an address write.
func addressError(err error) error {
	var ve *core.ValidationError
	if errors.As(err, &ve) {
		msg := "The address is invalid."
		if len(ve.Fields) > 0 {
			msg = ve.Fields[0].Message
		}
		return errInvalidAddress(msg)
	}
	return err
}

// createAddress is createCustomerAddress: 200 with the address.
func (a *API) createAddress(w http.ResponseWriter, r *http.Request) error {
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	name, _, bad := body.str("addressId")
	if bad || name == "" || tooLong(name, 256) {
		return errInvalidAddress("addressId is required (1 to 256 characters).")
	}
	for _, req := range []string{"lastName", "countryCode"} {
		if v, _, _ := body.str(req); trimmed(v) == "" {
			return errInvalidAddress(req + " is required.")
		}
	}
	if _, err := a.addressByName(r, name); err == nil {
		return errAddressExists()
	} else if !isNotFound(err) {
		return err
	}
	p, err := addressPatch(body, nil)
	if err != nil {
		return err
	}
	in := core.AddressInput{Label: name, IsDefaultBilling: p.IsDefaultBilling, IsDefaultShipping: p.IsDefaultShipping}
	for _, f := range []struct {
		dst *string
		src *string
	}{
		{&in.FirstName, p.FirstName}, {&in.LastName, p.LastName}, {&in.Company, p.Company}, {&in.Address1, p.Address1},
		{&in.Address2, p.Address2}, {&in.City, p.City}, {&in.RegionCode, p.RegionCode}, {&in.PostalCode, p.PostalCode},
		{&in.CountryCode, p.CountryCode}, {&in.Phone, p.Phone},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if p.Metadata != nil {
		in.Metadata = *p.Metadata
	}
	s, err := a.svc.CreateAddress(r.Context(), principalOf(r), in)
	if err != nil {
		return addressError(err)
	}
	return writeJSON(w, http.StatusOK, addressDoc(s))
}

func isNotFound(err error) bool {
	var p *problem
	return (errors.As(err, &p) && p.Status == http.StatusNotFound) || errors.Is(err, core.ErrNotFound)
}

// getAddress is getCustomerAddress.
func (a *API) getAddress(w http.ResponseWriter, r *http.Request) error {
	s, err := a.addressByName(r, r.PathValue("addressName"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, addressDoc(s))
}

// updateAddress is updateCustomerAddress: a partial update; addressId
// renames.
func (a *API) updateAddress(w http.ResponseWriter, r *http.Request) error {
	body, err := readObject(w, r)
	if err != nil {
		return err
	}
	name := r.PathValue("addressName")
	s, err := a.addressByName(r, name)
	if err != nil {
		return err
	}
	p, err := addressPatch(body, s.Metadata)
	if err != nil {
		return err
	}
	for _, req := range []*string{p.LastName, p.CountryCode} {
		if req != nil && trimmed(*req) == "" {
			return errInvalidAddress("lastName and countryCode cannot be cleared.")
		}
	}
	if v, ok, bad := body.str("addressId"); bad || (ok && (v == "" || tooLong(v, 256))) {
		return errInvalidAddress("addressId must be 1 to 256 characters.")
	} else if ok && v != name {
		if _, err := a.addressByName(r, v); err == nil {
			return errAddressExists()
		} else if !isNotFound(err) {
			return err
		}
		p.Label = &v
	}
	out, err := a.svc.UpdateAddress(r.Context(), principalOf(r), s.ID, p)
	if err != nil {
		return addressError(err)
	}
	return writeJSON(w, http.StatusOK, addressDoc(out))
}

// deleteAddress is removeCustomerAddress: 204.
func (a *API) deleteAddress(w http.ResponseWriter, r *http.Request) error {
	s, err := a.addressByName(r, r.PathValue("addressName"))
	if err != nil {
		return err
	}
	if err := a.svc.DeleteAddress(r.Context(), principalOf(r), s.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
