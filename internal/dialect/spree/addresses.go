package spree

import (
	"net/http"
	"sort"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

func errAddressNotFound() error { return errNotFound("Address") }

func (a *API) listAddresses(w http.ResponseWriter, r *http.Request) error {
	page, limit, err := pageParams(r)
	if err != nil {
		return err
	}
	all, err := a.allAddresses(r.Context(), principalOf(r))
	if err != nil {
		return err
	}
	newestUpdatedFirst(all)
	sortAddresses(all, r.URL.Query().Get("sort"))
	out := make([]Address, 0, len(all))
	for _, sa := range all {
		out = append(out, toAddress(sa))
	}
	return writeJSON(w, http.StatusOK, paginate(out, page, limit))
}

// sortAddresses applies the first known field of a Spree sort parameter
// ("-created_at", "updated_at", "created_at desc"); unknown fields are
// ignored.
func sortAddresses(as []core.SavedAddress, param string) {
	for _, f := range strings.Split(param, ",") {
		f = strings.TrimSpace(f)
		desc := strings.HasPrefix(f, "-")
		f = strings.TrimPrefix(f, "-")
		if name, dir, ok := strings.Cut(f, " "); ok {
			f, desc = name, strings.EqualFold(strings.TrimSpace(dir), "desc")
		}
		var key func(core.SavedAddress) int64
		switch f {
		case "created_at":
			key = func(x core.SavedAddress) int64 { return x.CreatedAt.UnixNano() }
		case "updated_at":
			key = func(x core.SavedAddress) int64 { return x.UpdatedAt.UnixNano() }
		default:
			continue
		}
		sort.SliceStable(as, func(i, j int) bool {
			if desc {
				return key(as[i]) > key(as[j])
			}
			return key(as[i]) < key(as[j])
		})
		return
	}
}

func (a *API) getAddress(w http.ResponseWriter, r *http.Request) error {
	sa, err := a.svc.Address(r.Context(), principalOf(r), r.PathValue("id"))
	if err != nil {
		return remap(err, errAddressNotFound(), core.ErrNotFound)
	}
	return writeJSON(w, http.StatusOK, toAddress(*sa))
}

// onlyTrue keeps a true default flag: in Spree false changes nothing (a
// default cannot be unset with false).
func onlyTrue(b *bool) *bool {
	if b != nil && *b {
		return b
	}
	return nil
}

func isTrue(b *bool) bool { return b != nil && *b }

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (a *API) createAddress(w http.ResponseWriter, r *http.Request) error {
	var in addressRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if !isTrue(in.QuickCheckout) {
		full := core.AddressPatch{FirstName: in.FirstName, LastName: in.LastName, Address1: in.Address1, City: in.City,
			RegionCode: in.StateAbbr, RegionName: in.StateName, PostalCode: in.PostalCode, CountryCode: in.CountryISO}
		if err := core.CompleteAddress(full.Merged(core.Address{})); err != nil {
			return withFields(err, addressFields)
		}
	}
	sa, err := a.svc.CreateAddress(r.Context(), principalOf(r), core.AddressInput{
		FirstName: str(in.FirstName), LastName: str(in.LastName), Company: str(in.Company),
		Address1: str(in.Address1), Address2: str(in.Address2), City: str(in.City),
		RegionCode: str(in.StateAbbr), RegionName: str(in.StateName), PostalCode: str(in.PostalCode),
		CountryCode: str(in.CountryISO), Phone: str(in.Phone),
		IsDefaultBilling: onlyTrue(in.IsDefaultBilling), IsDefaultShipping: onlyTrue(in.IsDefaultShipping),
		DefaultIfFirst: true,
	})
	if err != nil {
		return withFields(err, addressFields)
	}
	return writeJSON(w, http.StatusCreated, toAddress(*sa))
}

func (a *API) updateAddress(w http.ResponseWriter, r *http.Request) error {
	var in addressRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	patch := core.AddressPatch{
		FirstName: in.FirstName, LastName: in.LastName, Company: in.Company,
		Address1: in.Address1, Address2: in.Address2, City: in.City,
		RegionCode: in.StateAbbr, RegionName: in.StateName, PostalCode: in.PostalCode,
		CountryCode: in.CountryISO, Phone: in.Phone,
		IsDefaultBilling: onlyTrue(in.IsDefaultBilling), IsDefaultShipping: onlyTrue(in.IsDefaultShipping),
	}
	if !isTrue(in.QuickCheckout) {
		cur, err := a.svc.Address(r.Context(), principalOf(r), r.PathValue("id"))
		if err != nil {
			return remap(err, errAddressNotFound(), core.ErrNotFound)
		}
		// A country change without a new state drops the old one.
		if in.CountryISO != nil && !strings.EqualFold(*in.CountryISO, cur.CountryCode) && in.StateAbbr == nil && in.StateName == nil {
			empty := ""
			patch.RegionCode, patch.RegionName = &empty, &empty
		}
		if err := core.CompleteAddress(patch.Merged(cur.Address)); err != nil {
			return withFields(err, addressFields)
		}
	}
	sa, err := a.svc.UpdateAddress(r.Context(), principalOf(r), r.PathValue("id"), patch)
	if err != nil {
		return withFields(remap(err, errAddressNotFound(), core.ErrNotFound), addressFields)
	}
	return writeJSON(w, http.StatusOK, toAddress(*sa))
}

func (a *API) deleteAddress(w http.ResponseWriter, r *http.Request) error {
	if err := a.svc.DeleteAddress(r.Context(), principalOf(r), r.PathValue("id")); err != nil {
		return remap(err, errAddressNotFound(), core.ErrNotFound)
	}
	return noContent(w)
}
