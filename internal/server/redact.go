package server

import "strings"

// secretPathPrefixes are routes whose next path segment is a bearer secret
// (a share token, later a dialect's reset token): access logs must not
// record it.
var secretPathPrefixes = []string{
	"/v1/wishlists/shared/",
	"/medusa-v1/store/auth/", // GET /store/auth/{email}: an e-mail, not a secret, but not for logs either
	"/spree/api/v3/store/password_resets/",
}

// redactPath replaces the secret segment of such paths with ":redacted".
func redactPath(p string) string {
	for _, pre := range secretPathPrefixes {
		if strings.HasPrefix(p, pre) {
			rest := p[len(pre):]
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				return pre + ":redacted" + rest[i:]
			}
			return pre + ":redacted"
		}
	}
	return p
}
