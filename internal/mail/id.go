package mail

import (
	"crypto/rand"
	"strings"
)

// messageID returns a globally unique Message-ID under the sender's domain,
// as RFC 5322 §3.6.4 recommends, so replies and bounces thread correctly.
func messageID(from string) string {
	domain := "localhost"
	if at := strings.LastIndexByte(from, '@'); at >= 0 && at+1 < len(from) {
		domain = from[at+1:]
	}
	return "<" + rand.Text() + "@" + domain + ">"
}
