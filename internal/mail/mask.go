package mail

import (
	"strings"
	"unicode/utf8"
)

// mask hides most of an address for logs ("jane@example.com" becomes
// "j***@example.com"): operators can still tell which domain bounces
// without the log holding a full e-mail, which DESIGN.md forbids at info
// level.
func mask(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return "***"
	}
	local, domain := addr[:at], addr[at:]
	if local == "" {
		return "***" + domain
	}
	r, size := utf8.DecodeRuneInString(local)
	if r == utf8.RuneError && size <= 1 {
		return "***" + domain
	}
	return local[:size] + "***" + domain
}
