package core

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Password length bounds (NIST SP 800-63B rev 4). The maximum keeps hashing
// cost bounded; argon2id never truncates, so no 72-byte bcrypt surprise.
const (
	MinPasswordLengthFloor   = 8
	MinPasswordLengthCeiling = 15
	MaxPasswordLength        = 256
)

// normalizePassword applies NFKC, so the same password typed on keyboards
// that compose characters differently (NFC vs NFD) hashes the same
// (SECURITY.md case 10).
func normalizePassword(p string) string { return norm.NFKC.String(p) }

// checkPassword applies the password policy: length in characters, not on
// the common-passwords list, not the e-mail (or its local part). No
// composition rules. field names the request field for the error.
func (s *Service) checkPassword(field, password, emailNormalized string, st ShopSettings) error {
	if password == "" {
		return fieldErr(field, FieldRequired, "password is required")
	}
	n := utf8.RuneCountInString(password)
	min := st.MinPasswordLength
	if min < MinPasswordLengthFloor {
		min = MinPasswordLengthFloor
	}
	if min > MinPasswordLengthCeiling {
		min = MinPasswordLengthCeiling
	}
	if n < min {
		return fieldErr(field, FieldTooShort, "password must be at least "+strconv.Itoa(min)+" characters")
	}
	if n > MaxPasswordLength {
		return fieldErr(field, FieldTooLong, "password must be at most 256 characters")
	}
	lower := strings.ToLower(password)
	if s.isCommon(lower) {
		return fieldErr(field, FieldCommonPassword, "password is too common; choose another")
	}
	if emailNormalized != "" {
		local := emailNormalized
		if at := strings.LastIndexByte(local, '@'); at > 0 {
			local = local[:at]
		}
		if lower == emailNormalized || (len(local) >= MinPasswordLengthFloor && lower == local) {
			return fieldErr(field, FieldSameAsEmail, "password must not be your e-mail address")
		}
	}
	return nil
}
