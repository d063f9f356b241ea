package core

import (
	"context"
	"errors"
	"sort"
	"strings"
)

// This file holds behaviours that platform dialects (first Spree) need and
// the native API does not expose; any dialect may use them.

// LogoutRefreshToken ends the session a refresh token belongs to, for
// platforms whose logout names the session by its refresh token instead
// of an access token. An unknown, malformed, rotated-out or other store's
// token is ignored (logout always succeeds), so the call reveals nothing.
func (s *Service) LogoutRefreshToken(ctx context.Context, sh *Shop, token string) error {
	if len(token) <= len(refreshPrefix) || len(token) > 100 || token[:len(refreshPrefix)] != refreshPrefix {
		return nil
	}
	rt, err := s.store.GetRefreshTokenByHash(ctx, hashToken(token))
	if err != nil {
		return ignoreNotFound(err)
	}
	sess, err := s.store.GetSession(ctx, sh.ID, rt.SessionID)
	if err != nil {
		return ignoreNotFound(err)
	}
	now := s.now()
	if err := s.store.RevokeSession(ctx, sh.ID, sess.ID, now, "logout"); err != nil {
		return ignoreNotFound(err)
	}
	s.revokeLocal(now, sess.ID)
	return nil
}

// RequestPasswordResetQuiet is RequestPasswordReset for platforms whose
// reset request answers the same whatever it is given: a malformed e-mail
// is treated like an unknown one and a redirect_url outside the store's
// allowed origins is ignored (the store's password_reset_url is used), so
// the answer never probes the allow-list. Rate limits, overload and
// outages still fail.
func (s *Service) RequestPasswordResetQuiet(ctx context.Context, sh *Shop, email, redirectURL string, meta ClientMeta) error {
	if _, err := s.resetBase(sh, redirectURL); err != nil {
		redirectURL = ""
	}
	err := s.RequestPasswordReset(ctx, sh, email, redirectURL, meta)
	var ve *ValidationError
	if errors.As(err, &ve) {
		return nil
	}
	return err
}

func ignoreNotFound(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// StoreCreditGrant is one positive movement of a customer's store credit (a
// grant, refund or upward adjustment) with how much of it has been used.
type StoreCreditGrant struct {
	Entry CreditEntry
	Used  int64 // uses and expiries attributed to it, oldest grant first
}

// Remaining is what is left of the grant.
func (g StoreCreditGrant) Remaining() int64 { return g.Entry.Amount - g.Used }

// MyCreditGrants lists the authenticated customer's store-credit grants in
// one currency, oldest first, for platforms (Spree) that show credit as
// one record per grant: every debit is attributed to the oldest grant
// with something left.
func (s *Service) MyCreditGrants(ctx context.Context, p *Principal, currency string) ([]StoreCreditGrant, error) {
	var entries []CreditEntry
	pg := Page{Limit: MaxPageLimit}
	for {
		res, err := s.MyCreditHistory(ctx, p, pg)
		if err != nil {
			return nil, err
		}
		entries = append(entries, res.Items...)
		if res.Next == "" {
			break
		}
		pg.Cursor = res.Next
	}
	sort.SliceStable(entries, func(i, j int) bool {
		if !entries[i].CreatedAt.Equal(entries[j].CreatedAt) {
			return entries[i].CreatedAt.Before(entries[j].CreatedAt)
		}
		return entries[i].ID < entries[j].ID
	})
	grants := []StoreCreditGrant{}
	for _, e := range entries {
		if e.Currency != currency {
			continue
		}
		if e.Amount > 0 {
			grants = append(grants, StoreCreditGrant{Entry: e})
			continue
		}
		debit := -e.Amount
		for i := range grants {
			if debit == 0 {
				break
			}
			take := min(debit, grants[i].Remaining())
			grants[i].Used += take
			debit -= take
		}
	}
	return grants, nil
}

// stateRequired are the countries whose addresses need a state or
// province (Spree's list).
var stateRequired = map[string]bool{
	"AU": true, "AE": true, "BR": true, "CA": true, "CN": true, "ES": true, "HK": true, "IE": true, "IN": true,
	"IT": true, "MY": true, "MX": true, "NZ": true, "PT": true, "RO": true, "TH": true, "US": true, "ZA": true,
}

// noPostalCode are countries without postal codes.
var noPostalCode = map[string]bool{"AE": true, "HK": true, "IE": true, "QA": true, "BS": true, "AG": true, "JM": true}

// usStates are the ISO 3166-2:US subdivision codes and names.
var usStates = map[string]string{
	"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
	"CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
	"HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
	"KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
	"MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
	"NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
	"NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
	"OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
	"TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
	"WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "AS": "American Samoa", "GU": "Guam",
	"MP": "Northern Mariana Islands", "PR": "Puerto Rico", "UM": "United States Minor Outlying Islands",
	"VI": "Virgin Islands, U.S.", "AA": "Armed Forces Americas", "AE": "Armed Forces Europe", "AP": "Armed Forces Pacific",
}

// SubdivisionName returns the name of a known subdivision (country and
// code upper case), for surfaces that show it.
func SubdivisionName(country, code string) (string, bool) {
	if country != "US" {
		return "", false
	}
	n, ok := usStates[code]
	return n, ok
}

// Merged returns a with the patch's fields applied, as an update would
// store it, so a surface can validate the result before sending the
// update.
func (p AddressPatch) Merged(a Address) Address {
	p.apply(&a)
	return a
}

// CompleteAddress checks that a is a full postal address, for platforms
// (Spree) that refuse partial ones: names, first line, city, a known
// country, a postal code where the country uses them, and a state where
// the country needs one (for the US, a known state code or name). Field
// names are core's (first_name, postal_code, country_code, region_code).
func CompleteAddress(a Address) error {
	var f fields
	req := func(field, v string) {
		if strings.TrimSpace(v) == "" {
			f.add(field, FieldRequired, field+" is required")
		}
	}
	req("first_name", a.FirstName)
	req("last_name", a.LastName)
	req("address1", a.Address1)
	req("city", a.City)
	country := addressCode(a.CountryCode)
	if _, ok := CountryName(country); !ok {
		if country == "" {
			f.add("country_code", FieldRequired, "country_code is required")
		} else {
			f.add("country_code", FieldInvalid, "country_code is not a known country")
		}
		return f.err()
	}
	if !noPostalCode[country] {
		req("postal_code", a.PostalCode)
	}
	if stateRequired[country] {
		code, name := addressCode(a.RegionCode), strings.TrimSpace(a.RegionName)
		switch {
		case code == "" && name == "":
			f.add("region_code", FieldRequired, "a state is required for this country")
		case country == "US" && code != "":
			if _, ok := usStates[code]; !ok {
				f.add("region_code", FieldInvalid, "region_code is not a state of this country")
			}
		case country == "US":
			found := false
			for _, n := range usStates {
				if strings.EqualFold(n, name) {
					found = true
				}
			}
			if !found {
				f.add("region_code", FieldInvalid, "region_name is not a state of this country")
			}
		}
	}
	return f.err()
}
