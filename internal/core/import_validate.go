package core

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Import bounds beyond the ones every write has.
const (
	maxImportExternalID = 255 // bytes
	maxImportCredit     = 20  // opening balances (currencies) per customer
	maxImportGroups     = maxCustomerGroups
)

// validate checks a record without touching the store and returns its
// normalised e-mail, or the reason and message of its rejection.
func (r *ImportRun) validate(rec *ImportRecord) (email, reason, msg string) {
	rec.ExternalID = strings.TrimSpace(rec.ExternalID)
	switch {
	case rec.ExternalID == "":
		return "", ReasonMissingExternalID, "the row has no customer id"
	case len(rec.ExternalID) > maxImportExternalID:
		return "", ReasonInvalidField, "external id is longer than 255 bytes"
	}
	email, err := NormalizeEmail(rec.Email)
	if err != nil {
		return "", ReasonInvalidEmail, fieldMessages(err)
	}
	if rec.PasswordHash != "" {
		if reason, msg := r.checkHash(rec.PasswordHash); reason != "" {
			return "", reason, msg
		}
	}
	p := ProfileUpdate{FirstName: &rec.FirstName, LastName: &rec.LastName, Phone: &rec.Phone,
		Gender: &rec.Gender, DateOfBirth: &rec.DateOfBirth, CompanyName: &rec.CompanyName}
	if rec.Metadata != nil {
		p.Metadata = &rec.Metadata
	}
	if fs := p.validate(); len(fs) > 0 {
		return "", ReasonInvalidField, fieldMessages(&ValidationError{Fields: fs})
	}
	if !rec.CreatedAt.IsZero() && (rec.CreatedAt.Year() < 1990 || rec.CreatedAt.After(r.s.now().Add(24*time.Hour))) {
		return "", ReasonInvalidField, "created_at is not a plausible sign-up time"
	}
	if n := len(rec.Addresses); n > r.s.addressCap() {
		return "", ReasonTooManyAddresses, fmt.Sprintf("%d addresses, more than the %d a customer may keep", n, r.s.addressCap())
	}
	for i, a := range rec.Addresses {
		err := importAddressInput(a).patch().validate()
		if err == nil {
			continue
		}
		var ve *ValidationError
		if errors.As(err, &ve) {
			for _, f := range ve.Fields {
				if f.Field == "country_code" {
					return "", ReasonInvalidCountry, fmt.Sprintf("address %d: country %q is not an ISO 3166-1 alpha-2 code", i+1, a.CountryCode)
				}
			}
		}
		return "", ReasonInvalidField, fmt.Sprintf("address %d: %s", i+1, fieldMessages(err))
	}
	if len(rec.Groups) > maxImportGroups {
		return "", ReasonInvalidField, "more than 100 groups"
	}
	for _, g := range rec.Groups {
		name := groupName(g)
		if err := (GroupPatch{Name: &name}).validate(); err != nil {
			return "", ReasonInvalidField, "group: " + fieldMessages(err)
		}
	}
	if len(rec.Credit) > maxImportCredit {
		return "", ReasonInvalidField, "more than 20 store-credit balances"
	}
	seen := map[string]bool{}
	for _, cr := range rec.Credit {
		cur, ok := NormalizeCurrency(cr.Currency)
		switch {
		case !ok:
			return "", ReasonInvalidField, fmt.Sprintf("store credit: %q is not an ISO 4217 currency", cr.Currency)
		case cr.Amount < 0:
			return "", ReasonInvalidField, "store credit: an opening balance cannot be negative"
		case seen[cur]:
			return "", ReasonInvalidField, "store credit: two balances in " + cur
		}
		seen[cur] = true
	}
	return email, "", ""
}

// checkHash asks the Hasher whether it can verify an imported hash
// within its cost bounds; a Hasher that cannot tell refuses every hash.
func (r *ImportRun) checkHash(encoded string) (reason, msg string) {
	hc, ok := r.s.hasher.(HashChecker)
	if !ok {
		return ReasonUnknownHash, "this deployment's hasher cannot check imported hashes"
	}
	outOfBounds, err := hc.ImportableHash(encoded)
	switch {
	case err == nil:
		return "", ""
	case outOfBounds:
		return ReasonHashCostTooHigh, err.Error()
	}
	return ReasonUnknownHash, err.Error()
}

// fieldMessages joins a validation error's messages for a report line.
func fieldMessages(err error) string {
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) == 0 {
		return err.Error()
	}
	msgs := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		msgs[i] = f.Message
	}
	return strings.Join(msgs, "; ")
}
