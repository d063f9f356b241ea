package password

import (
	_ "embed"
	"strings"
	"sync"
)

// commonPasswords is zxcvbn 4.4.2's "passwords" frequency list: the 30,000
// most frequent passwords of Mark Burnett's 10M set, lower-case, one a line
// (provenance and licence in COMMON_PASSWORDS_LICENSE.txt). NIST SP 800-63B
// requires rejecting passwords found in such lists (DESIGN.md §3).
//
//go:embed common_passwords.txt
var commonPasswords string

// commonSet builds the lookup set once, on first use, so that binaries and
// tests that never check a password do not pay for it.
var commonSet = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 30000)
	for line := range strings.Lines(commonPasswords) {
		if line = strings.TrimSuffix(line, "\n"); line != "" {
			set[line] = struct{}{}
		}
	}
	return set
})

// IsCommon reports whether password, ignoring case, is on the common-password
// list. Case is ignored because "Password" and "PASSWORD" are guessed as early
// as "password"; the list itself is all lower-case. It does not normalise
// Unicode: callers pass the password exactly as it will be hashed. It is safe
// for concurrent use.
func IsCommon(password string) bool {
	_, ok := commonSet()[strings.ToLower(password)]
	return ok
}

// CommonCount returns the number of distinct passwords on the list, so that
// tests and documentation can state its size without hard-coding it.
func CommonCount() int { return len(commonSet()) }
