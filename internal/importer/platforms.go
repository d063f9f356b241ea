package importer

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// The JSON Lines formats below are the rows of docs/migrate.md's queries:
// the keys are the query's column aliases.

// mapSpree reads a row of the Spree query (spree_users with its
// spree_addresses, spree_store_credits and tags).
func mapSpree(line []byte) (core.ImportRecord, error) {
	o, err := decodeObject(line)
	if err != nil {
		return core.ImportRecord{}, err
	}
	rec := core.ImportRecord{
		ExternalID: o.str("id"), Email: o.str("email"), PasswordHash: o.str("encrypted_password"),
		FirstName: o.str("first_name"), LastName: o.str("last_name"), Phone: o.str("phone"),
		AcceptsEmailMarketing: o.flag("accepts_email_marketing"),
	}
	if rec.CreatedAt, err = parseTime(o.str("created_at")); err != nil {
		return rec, fmt.Errorf("created_at: %v", err)
	}
	if confirmed := o.str("confirmed_at"); confirmed != "" {
		rec.EmailVerified = true
		if rec.EmailVerifiedAt, err = parseTime(confirmed); err != nil {
			return rec, fmt.Errorf("confirmed_at: %v", err)
		}
	}
	bill, ship := o.str("bill_address_id"), o.str("ship_address_id")
	addrs, err := o.list("addresses")
	if err != nil {
		return rec, err
	}
	for _, a := range addrs {
		id := a.str("id")
		rec.Addresses = append(rec.Addresses, core.ImportAddress{
			Label: a.str("label"), FirstName: a.str("firstname"), LastName: a.str("lastname"), Company: a.str("company"),
			Address1: a.str("address1"), Address2: a.str("address2"), City: a.str("city"), PostalCode: a.str("zipcode"),
			Phone: a.str("phone"), RegionCode: a.str("state_abbr"), RegionName: a.str("state_name"),
			CountryCode: a.str("country_iso"), DefaultBilling: id != "" && id == bill, DefaultShipping: id != "" && id == ship,
			Metadata: a.rest(map[string]any{"spree_address_id": id}, "spree_"),
		})
	}
	if rec.Credit, err = credits(o, "store_credits", "spree_store_credits"); err != nil {
		return rec, err
	}
	if rec.Groups, err = o.strings("tags"); err != nil {
		return rec, err
	}
	meta := map[string]any{}
	for _, k := range []string{"public_metadata", "private_metadata"} {
		m, err := o.meta(k)
		if err != nil {
			return rec, err
		}
		if len(m) > 0 {
			meta["spree_"+k] = m
		}
	}
	rec.Metadata = o.rest(emptyNil(meta), "spree_")
	return rec, nil
}

// mapMedusa reads a row of the Medusa query (v2: customer with its
// customer_address, groups and the emailpass provider_identity's hash;
// v1: customer.password_hash and address).
func mapMedusa(line []byte) (core.ImportRecord, error) {
	o, err := decodeObject(line)
	if err != nil {
		return core.ImportRecord{}, err
	}
	rec := core.ImportRecord{
		ExternalID: o.str("id"), Email: o.str("email"), PasswordHash: o.str("password_hash"),
		FirstName: o.str("first_name"), LastName: o.str("last_name"), Phone: o.str("phone"),
		CompanyName: o.str("company_name"),
	}
	if rec.CreatedAt, err = parseTime(o.str("created_at")); err != nil {
		return rec, fmt.Errorf("created_at: %v", err)
	}
	addrs, err := o.list("addresses")
	if err != nil {
		return rec, err
	}
	for _, a := range addrs {
		am, err := a.meta("metadata")
		if err != nil {
			return rec, err
		}
		rec.Addresses = append(rec.Addresses, core.ImportAddress{
			Label: a.str("address_name"), FirstName: a.str("first_name"), LastName: a.str("last_name"),
			Company: a.str("company"), Address1: a.str("address_1"), Address2: a.str("address_2"), City: a.str("city"),
			RegionName: a.str("province"), PostalCode: a.str("postal_code"), CountryCode: a.str("country_code"),
			Phone: a.str("phone"), DefaultBilling: a.flag("is_default_billing"), DefaultShipping: a.flag("is_default_shipping"),
			Metadata: a.rest(withKey(am, "medusa_address_id", a.str("id")), "medusa_"),
		})
	}
	if rec.Groups, err = o.strings("groups"); err != nil {
		return rec, err
	}
	meta, err := o.meta("metadata")
	if err != nil {
		return rec, err
	}
	rec.Metadata = o.rest(meta, "medusa_")
	return rec, nil
}

// mapBagisto reads a row of the Bagisto query (customers with their
// addresses and customer group).
func mapBagisto(line []byte) (core.ImportRecord, error) {
	o, err := decodeObject(line)
	if err != nil {
		return core.ImportRecord{}, err
	}
	rec := core.ImportRecord{
		ExternalID: o.str("id"), Email: o.str("email"), PasswordHash: o.str("password"),
		FirstName: o.str("first_name"), LastName: o.str("last_name"), Phone: o.str("phone"),
		Gender: o.str("gender"), DateOfBirth: o.str("date_of_birth"),
		AcceptsEmailMarketing: o.flag("subscribed_to_news_letter"), EmailVerified: o.flag("is_verified"),
	}
	if status := o.str("status"); status != "" && status != "1" {
		rec.Disabled = true
	}
	if rec.CreatedAt, err = parseTime(o.str("created_at")); err != nil {
		return rec, fmt.Errorf("created_at: %v", err)
	}
	if g := strings.TrimSpace(o.str("group")); g != "" {
		rec.Groups = []string{g}
	}
	addrs, err := o.list("addresses")
	if err != nil {
		return rec, err
	}
	for _, a := range addrs {
		lines := a.str("address")
		if lines == "" {
			lines = a.str("address1")
		}
		first, second, _ := strings.Cut(strings.ReplaceAll(lines, "\r\n", "\n"), "\n")
		region := core.ImportAddress{RegionName: a.str("state")}
		if len(region.RegionName) <= 3 {
			region.RegionCode, region.RegionName = region.RegionName, ""
		}
		def := a.flag("default_address")
		rec.Addresses = append(rec.Addresses, core.ImportAddress{
			FirstName: a.str("first_name"), LastName: a.str("last_name"), Company: a.str("company_name"),
			Address1: first, Address2: strings.ReplaceAll(second, "\n", ", "), City: a.str("city"),
			RegionCode: region.RegionCode, RegionName: region.RegionName, PostalCode: a.str("postcode"),
			CountryCode: a.str("country"), Phone: a.str("phone"), DefaultBilling: def, DefaultShipping: def,
			Metadata: a.rest(map[string]any{"bagisto_address_id": a.str("id")}, "bagisto_"),
		})
	}
	if rec.Credit, err = credits(o, "store_credits", "bagisto"); err != nil {
		return rec, err
	}
	rec.Metadata = o.rest(nil, "bagisto_")
	return rec, nil
}

// credits takes a list of {currency, amount} opening balances, amounts in
// major units as the platforms keep them ("12.50").
func credits(o object, key, source string) ([]core.ImportCredit, error) {
	list, err := o.list(key)
	if err != nil {
		return nil, err
	}
	var out []core.ImportCredit
	for _, c := range list {
		cur, _ := core.NormalizeCurrency(c.str("currency"))
		amount, err := minorUnits(c.str("amount"), cur)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", key, err)
		}
		out = append(out, core.ImportCredit{Currency: cur, Amount: amount, Source: source})
	}
	return out, nil
}

// minorUnits converts a decimal amount in major units to minor units of
// currency, refusing fractions finer than the currency has.
func minorUnits(s, currency string) (int64, error) {
	exp, ok := core.CurrencyExponent(currency)
	if !ok {
		return 0, fmt.Errorf("%q is not an ISO 4217 currency", currency)
	}
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok {
		return 0, fmt.Errorf("amount %q is not a number", s)
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)))
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, fmt.Errorf("amount %q does not fit %s minor units", s, currency)
	}
	return r.Num().Int64(), nil
}

// timeLayouts are the forms psql's JSON, MySQL's JSON_OBJECT and SFCC's
// XML give timestamps in; a time without a zone is UTC.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", time.DateOnly}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a timestamp", s)
}

func withKey(m map[string]any, k string, v any) map[string]any {
	if v == "" || v == nil {
		return m
	}
	if m == nil {
		m = map[string]any{}
	}
	m[k] = v
	return m
}

func emptyNil(m map[string]any) map[string]any {
	if len(m) == 0 {
		return nil
	}
	return m
}
