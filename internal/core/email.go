package core

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxEmailLength is RFC 5321's path limit less the angle brackets.
const MaxEmailLength = 254

// NormalizeEmail returns the form used to compare addresses: trimmed,
// Unicode NFKC, lower-cased. NFKC rather than NFC so full-width and other
// compatibility forms of one address ("Ｊａｎｅ＠example.com") resolve to the
// same account (SECURITY.md case 5). It rejects what cannot be an address.
func NormalizeEmail(raw string) (string, error) {
	e := norm.NFKC.String(strings.TrimSpace(raw))
	e = strings.ToLower(e)
	if e == "" {
		return "", fieldErr("email", FieldRequired, "email is required")
	}
	if err := checkEmail(e); err != nil {
		return "", err
	}
	return e, nil
}

func checkEmail(e string) error {
	bad := func() error { return fieldErr("email", FieldInvalid, "email is not a valid address") }
	if !utf8.ValidString(e) {
		return bad()
	}
	if len(e) > MaxEmailLength {
		return fieldErr("email", FieldTooLong, "email is longer than 254 characters")
	}
	at := strings.LastIndexByte(e, '@')
	if at <= 0 || at == len(e)-1 || strings.Count(e, "@") != 1 {
		return bad()
	}
	local, domain := e[:at], e[at+1:]
	if len(local) > 64 {
		return bad()
	}
	for _, r := range e {
		if r == '"' || r == '\\' || r == ',' || r == ';' || r == '<' || r == '>' || r == '(' || r == ')' || r == '[' || r == ']' || r == ':' {
			// Quoted local parts, comments and address lists are legal in RFC 5322
			// but no storefront needs them, and they are how parsers disagree.
			return bad()
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) || isInvisible(r) {
			return bad()
		}
	}
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return bad()
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return bad()
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return bad()
		}
		for _, r := range l {
			// Letters in any script allow IDN domains in their Unicode form.
			if !(r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
				return bad()
			}
		}
	}
	return nil
}

// isInvisible reports zero-width and bidirectional control characters, which
// make two addresses look alike while comparing different.
func isInvisible(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E,
		r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069, r == 0xFEFF, r == 0x00AD:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// MaskEmail returns a form safe for logs: "j***@example.com".
func MaskEmail(e string) string {
	at := strings.LastIndexByte(e, '@')
	if at < 1 {
		return "***"
	}
	r, _ := utf8.DecodeRuneInString(e)
	return string(r) + "***" + e[at:]
}
