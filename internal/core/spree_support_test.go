package core

import (
	"errors"
	"testing"
)

func TestCompleteAddress(t *testing.T) {
	full := Address{FirstName: "J", LastName: "D", Address1: "1 Main", City: "NYC", PostalCode: "10001", CountryCode: "US", RegionCode: "NY"}
	tests := []struct {
		name   string
		edit   func(a *Address)
		fields []string
	}{
		{"complete", func(a *Address) {}, nil},
		{"state_by_name", func(a *Address) { a.RegionCode, a.RegionName = "", "new york" }, nil},
		{"unknown_state", func(a *Address) { a.RegionCode = "XX" }, []string{"region_code"}},
		{"no_state", func(a *Address) { a.RegionCode = "" }, []string{"region_code"}},
		{"blank", func(a *Address) { *a = Address{CountryCode: "US"} }, []string{"first_name", "last_name", "address1", "city", "postal_code", "region_code"}},
		{"unknown_country", func(a *Address) { a.CountryCode = "ZZ" }, []string{"country_code"}},
		{"no_postal_code_country", func(a *Address) { a.CountryCode, a.PostalCode, a.RegionCode = "AE", "", "DU" }, nil},
		{"germany_needs_no_state", func(a *Address) { a.CountryCode, a.RegionCode = "DE", "" }, nil},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			a := full
			tt.edit(&a)
			err := CompleteAddress(a)
			var got []string
			var ve *ValidationError
			if errors.As(err, &ve) {
				for _, f := range ve.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatalf("unexpected %v", err)
			}
			if len(got) != len(tt.fields) {
				t.Fatalf("fields %v, want %v", got, tt.fields)
			}
			for i := range got {
				if got[i] != tt.fields[i] {
					t.Fatalf("fields %v, want %v", got, tt.fields)
				}
			}
		})
	}
}

func TestAddressPatchMerged(t *testing.T) {
	city := " Berlin "
	got := AddressPatch{City: &city}.Merged(Address{City: "NYC", Address1: "1 Main"})
	if got.City != "Berlin" || got.Address1 != "1 Main" {
		t.Fatalf("merged = %+v", got)
	}
}
