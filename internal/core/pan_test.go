package core_test

import (
	"testing"

	"github.com/clientele/clientele/internal/core"
)

func TestLooksLikePAN(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"visa_plain", "4242424242424242", true},
		{"visa_spaces", "4242 4242 4242 4242", true},
		{"visa_dashes", "4242-4242-4242-4242", true},
		{"amex_15", "3782 822463 10005", true},
		{"discover", "6011111111111117", true},
		{"maestro_12", "500000000009", true},
		{"nineteen_digits", "1234567890123456785", true},
		{"inside_text", "card: 4242424242424242, exp 12/30", true},
		{"run_on_with_more_digits", "4242 4242 4242 4242 12", false}, // documented limit: judged whole
		{"full_width_digits", "４２４２４２４２４２４２４２４２", true},
		{"luhn_invalid", "4242 4242 4242 4241", false},
		{"eleven_digits_luhn_valid", "12345678903", false},
		{"long_single_group", "42424242424242420000", false},
		{"too_many_separators", "4242 - 4242 - 4242 - 4242", false},
		{"provider_token", "pm_1N4HTz2eZvKYlo2CqzQ8lO5X", false},
		{"phone", "+44 20 7946 0000", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			if got := core.LooksLikePAN(tt.in); got != tt.want {
				t.Fatalf("LooksLikePAN(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
