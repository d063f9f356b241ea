package bagisto

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

// Metadata keys of the address fields core has no column for.
const (
	metaVATID = "vat_id"
	metaEmail = "email"
)

// addressFields maps core's address field names to the wire's.
func addressFields(street string) map[string]string {
	return map[string]string{
		"address1": street, "address2": street, "company": "company_name", "region_code": "state",
		"region_name": "state", "postal_code": "postcode", "country_code": "country", "addresses": "address",
		"label": "address", "metadata": "vat_id",
	}
}

// streetField is the family's name of the street lines.
func streetField(v1 bool) string {
	if v1 {
		return "address"
	}
	return "address1"
}

// addressInput is a checked address write.
type addressInput struct {
	patch      core.AddressPatch
	vatID      *string
	email      *string
	setDefault *bool
}

// readAddress checks an address body (contract §6.9). Bagisto requires
// the whole address on create and update alike.
func readAddress(in input, v1 bool) (*addressInput, error) {
	l := &laravel{v1: v1}
	out := &addressInput{}
	p := &out.patch
	str := func(field string, req bool, max int) *string {
		v, set := l.text(in, field, req, max)
		if !set && !in.has(field) {
			return nil
		}
		return &v
	}
	p.FirstName = str("first_name", v1, 255)
	p.LastName = str("last_name", v1, 255)
	company := "company_name"
	if !v1 && !in.has(company) && in.has("company") {
		company = "company"
	}
	p.Company = str(company, false, 255)
	out.vatID = str("vat_id", false, 64)
	street, other := streetField(v1), streetField(!v1)
	key := street
	if !in.has(street) && in.has(other) {
		key = other
	}
	switch lines, isArray := in.lines(key); {
	case !in.has(key) || in[key] == nil:
		l.required(street)
	case !isArray:
		if v1 {
			l.add(street, "The address field must be an array.")
		} else {
			l.add(street, "The address1 must be an array.")
		}
	default:
		var kept []string
		for _, s := range lines {
			if s != "" {
				kept = append(kept, s)
			}
		}
		if len(kept) == 0 {
			l.required(street)
			break
		}
		// Core keeps two street lines; the third and later join the second.
		a1, a2 := kept[0], strings.Join(kept[1:], ", ")
		p.Address1, p.Address2 = &a1, &a2
	}
	if c, set := l.text(in, "country", true, 2); set && !l.errs.has("country") {
		code := strings.ToUpper(c)
		if _, known := core.CountryName(code); !known {
			l.notIn("country")
		}
		p.CountryCode = &code
	}
	if st := str("state", v1, 255); st != nil {
		code, name := "", *st
		if len(name) <= 3 && name != "" && strings.Trim(strings.ToUpper(name), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == "" {
			code, name = strings.ToUpper(name), ""
		}
		p.RegionCode, p.RegionName = &code, &name
	}
	p.City = str("city", true, 255)
	if pc := str("postcode", true, 32); pc != nil && v1 {
		l.postcode("postcode", *pc)
		p.PostalCode = pc
	} else {
		p.PostalCode = pc
	}
	if ph := str("phone", true, 32); ph != nil {
		if v1 {
			l.phone("phone", *ph)
		}
		p.Phone = ph
	}
	if email, set := l.email(in, "email", v1); set {
		out.email = &email
	} else if in.has("email") {
		out.email = new(string)
	}
	if in.has("default_address") {
		d := in.boolean("default_address")
		out.setDefault = &d
	}
	return out, l.err()
}

// metadata returns m with the dialect's extra fields applied.
func (ai *addressInput) metadata(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	set := func(k string, v *string) {
		switch {
		case v == nil:
		case *v == "":
			delete(out, k)
		default:
			out[k] = *v
		}
	}
	set(metaVATID, ai.vatID)
	set(metaEmail, ai.email)
	return out
}

// allAddresses lists the caller's whole address book (at most the cap,
// 100), oldest first, with the customer for the default flags.
func (a *API) allAddresses(r *http.Request) ([]core.SavedAddress, *core.Customer, error) {
	c, err := a.me(r)
	if err != nil {
		return nil, nil, err
	}
	var all []core.SavedAddress
	pg := core.Page{Limit: core.MaxPageLimit}
	for {
		res, err := a.svc.Addresses(r.Context(), principalOf(r), pg)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, res.Items...)
		if res.Next == "" {
			return all, c, nil
		}
		pg.Cursor = res.Next
	}
}

// addressRows renders addresses as sortable rows.
func (a *API) addressRows(r *http.Request, as []core.SavedAddress, c *core.Customer) ([]row, error) {
	ids := make([]string, len(as))
	for i := range as {
		ids[i] = as[i].ID
	}
	nums, err := a.svc.Aliases(r.Context(), shopOf(r).ID, core.AliasAddress, ids...)
	if err != nil {
		return nil, err
	}
	rows := make([]row, len(as))
	for i := range as {
		x := &as[i].Address
		rows[i] = row{num: nums[x.ID], created: x.CreatedAt, updated: x.UpdatedAt, view: addressView(nums[x.ID], x, isDefault(c, x.ID), isV1(r))}
	}
	return rows, nil
}

func (a *API) listAddresses(w http.ResponseWriter, r *http.Request) error {
	as, c, err := a.allAddresses(r)
	if err != nil {
		return err
	}
	rows, err := a.addressRows(r, as, c)
	if err != nil {
		return err
	}
	if !isV1(r) {
		// Legacy: not paginated, ascending by id.
		slices.SortFunc(rows, func(x, y row) int { return cmp.Compare(x.num, y.num) })
		return ok(w, obj{{"data", views(rows)}})
	}
	sortRows(r, rows, false)
	return ok(w, paginate(r, rows))
}

// ownAddress resolves the path id to one of the caller's addresses.
func (a *API) ownAddress(r *http.Request) (*core.SavedAddress, int64, error) {
	num, valid := pathNum(r.PathValue("id"))
	if !valid {
		return nil, 0, errNotFound()
	}
	id, err := a.svc.ResolveMine(r.Context(), principalOf(r), core.AliasAddress, num)
	if err != nil {
		return nil, 0, err
	}
	sa, err := a.svc.Address(r.Context(), principalOf(r), id)
	return sa, num, err
}

// respondAddress answers one address with a message (or none).
func (a *API) respondAddress(w http.ResponseWriter, r *http.Request, sa *core.SavedAddress, num int64, msg string) error {
	c, err := a.me(r)
	if err != nil {
		return err
	}
	v1 := isV1(r)
	if num == 0 {
		nums, err := a.svc.Aliases(r.Context(), shopOf(r).ID, core.AliasAddress, sa.ID)
		if err != nil {
			return err
		}
		num = nums[sa.ID]
	}
	data := addressView(num, &sa.Address, isDefault(c, sa.ID), v1)
	switch {
	case msg == "":
		return ok(w, obj{{"data", data}})
	case v1:
		return ok(w, obj{{"data", data}, {"message", msg}})
	}
	return ok(w, obj{{"message", msg}, {"data", data}})
}

func (a *API) getAddress(w http.ResponseWriter, r *http.Request) error {
	sa, num, err := a.ownAddress(r)
	if err != nil {
		return err
	}
	return a.respondAddress(w, r, sa, num, "")
}

func (a *API) createAddress(w http.ResponseWriter, r *http.Request) error {
	in, err := body(r)
	if err != nil {
		return err
	}
	v1 := isV1(r)
	ai, err := readAddress(in, v1)
	if err != nil {
		return err
	}
	p := ai.patch
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	ci := core.AddressInput{
		FirstName: deref(p.FirstName), LastName: deref(p.LastName), Company: deref(p.Company),
		Address1: deref(p.Address1), Address2: deref(p.Address2), City: deref(p.City),
		RegionCode: deref(p.RegionCode), RegionName: deref(p.RegionName), PostalCode: deref(p.PostalCode),
		CountryCode: deref(p.CountryCode), Phone: deref(p.Phone), Metadata: ai.metadata(nil),
	}
	if len(ci.Metadata) == 0 {
		ci.Metadata = nil
	}
	if ai.setDefault != nil && *ai.setDefault {
		ci.IsDefaultBilling, ci.IsDefaultShipping = ai.setDefault, ai.setDefault
	}
	sa, err := a.svc.CreateAddress(r.Context(), principalOf(r), ci)
	if err != nil {
		return (&laravel{v1: v1}).coreFields(err, addressFields(streetField(v1)))
	}
	return a.respondAddress(w, r, sa, 0, "Your address has been created successfully.")
}

func (a *API) updateAddress(w http.ResponseWriter, r *http.Request) error {
	in, err := body(r)
	if err != nil {
		return err
	}
	cur, num, err := a.ownAddress(r)
	if err != nil {
		return err
	}
	v1 := isV1(r)
	ai, err := readAddress(in, v1)
	if err != nil {
		return err
	}
	p := ai.patch
	if ai.vatID != nil || ai.email != nil {
		m := ai.metadata(cur.Metadata)
		p.Metadata = &m
	}
	// default_address true makes it both defaults; false on the current
	// default clears what points at it; absent leaves the defaults alone.
	p.IsDefaultBilling, p.IsDefaultShipping = ai.setDefault, ai.setDefault
	sa, err := a.svc.UpdateAddress(r.Context(), principalOf(r), cur.ID, p)
	if err != nil {
		return (&laravel{v1: v1}).coreFields(err, addressFields(streetField(v1)))
	}
	return a.respondAddress(w, r, sa, num, "Your address has been updated successfully.")
}

func (a *API) makeDefault(w http.ResponseWriter, r *http.Request) error {
	cur, _, err := a.ownAddress(r)
	if err != nil {
		return err
	}
	yes := true
	if _, err := a.svc.UpdateAddress(r.Context(), principalOf(r), cur.ID, core.AddressPatch{IsDefaultBilling: &yes, IsDefaultShipping: &yes}); err != nil {
		return err
	}
	return ok(w, obj{{"message", "successfully marked as your default address"}})
}

func (a *API) deleteAddress(w http.ResponseWriter, r *http.Request) error {
	cur, _, err := a.ownAddress(r)
	if err != nil {
		return err
	}
	if err := a.svc.DeleteAddress(r.Context(), principalOf(r), cur.ID); err != nil {
		return err
	}
	if isV1(r) {
		return ok(w, obj{{"message", "Your address has been deleted successfully."}})
	}
	return ok(w, obj{{"message", "Item removed successfully."}})
}
