package core

import (
	"golang.org/x/text/unicode/norm"
)

// CodeCardNumberRejected is the code of a payment-method request with a
// field that looks like a card number (PAN). Clientele keeps the payment
// provider's token, never a card number: storing one would put the whole
// database in PCI DSS scope.
const CodeCardNumberRejected = "card_number_rejected"

// PAN lengths per ISO/IEC 7812: 12 (some Maestro) to 19 digits.
const (
	minPANDigits = 12
	maxPANDigits = 19
)

// LooksLikePAN reports whether s holds a run of 12–19 digits that passes
// the Luhn check. Digit groups in a run may be separated by up to two
// spaces or dashes, as people write card numbers ("4242 4242 4242 4242",
// "4242-4242-…"); any other character ends the run. Each run is judged
// whole, never split into windows: "4242 4242 4242 4241" is not a card
// number even though its first twelve digits pass Luhn, and trying every
// window of a long number would refuse most of them by chance. The price
// is that a card number run together with more digits ("4242424242424242
// 12" with no other separator) is not caught. Full-width and other
// compatibility digits count (NFKC folds them).
func LooksLikePAN(s string) bool {
	s = norm.NFKC.String(s)
	digits := make([]byte, 0, maxPANDigits+1)
	seps := 0 // separators since the last digit of the run
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			digits, seps = append(digits, s[i]), 0
			continue
		}
		if i < len(s) && (s[i] == ' ' || s[i] == '-') && len(digits) > 0 && seps < 2 {
			seps++
			continue
		}
		if len(digits) >= minPANDigits && len(digits) <= maxPANDigits && luhnValid(string(digits)) {
			return true
		}
		digits, seps = digits[:0], 0
	}
	return false
}

// luhnValid runs the Luhn (mod 10) check on a string of ASCII digits.
func luhnValid(digits string) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// anyLooksLikePAN walks strings, maps (keys and values) and slices, as JSON
// decodes them, and reports the first string that looks like a PAN.
func anyLooksLikePAN(v any) bool {
	switch x := v.(type) {
	case string:
		return LooksLikePAN(x)
	case map[string]any:
		for k, e := range x {
			if LooksLikePAN(k) || anyLooksLikePAN(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if anyLooksLikePAN(e) {
				return true
			}
		}
	}
	return false
}

// errCardNumber is the 400 for a request carrying a card number. It names
// no field and echoes nothing, so the number does not travel further
// (logs, error trackers) than it already has.
func errCardNumber() error {
	return newErr(ErrInvalid, CodeCardNumberRejected,
		"a field looks like a card number; save the payment provider's token instead, never the card number or CVC")
}
