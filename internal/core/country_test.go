package core_test

import (
	"testing"

	"github.com/clientele/clientele/internal/core"
)

func TestCountryName(t *testing.T) {
	tests := []struct {
		code, name string
		ok         bool
	}{
		{"US", "United States", true},
		{"GB", "United Kingdom", true},
		{"DE", "Germany", true},
		{"de", "Germany", true},
		{" fr ", "France", true},
		{"CI", "Côte d'Ivoire", true},
		{"AX", "Åland Islands", true},
		{"UK", "", false}, // reserved, not assigned: the UK is GB
		{"EU", "", false},
		{"XK", "", false},
		{"AN", "", false}, // withdrawn
		{"USA", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		name, ok := core.CountryName(tt.code)
		if name != tt.name || ok != tt.ok {
			t.Errorf("CountryName(%q) = %q, %v; want %q, %v", tt.code, name, ok, tt.name, tt.ok)
		}
	}
}

func TestCountriesIsTheFullList(t *testing.T) {
	all := core.Countries()
	if len(all) != 249 {
		t.Fatalf("%d countries, want the 249 ISO 3166-1 assignments", len(all))
	}
	for i, c := range all {
		if len(c.Code) != 2 || c.Name == "" || (i > 0 && all[i-1].Code >= c.Code) {
			t.Fatalf("entry %d = %+v: want upper-case codes in order, each with a name", i, c)
		}
		if name, ok := core.CountryName(c.Code); !ok || name != c.Name {
			t.Fatalf("CountryName(%q) = %q, %v", c.Code, name, ok)
		}
	}
}
