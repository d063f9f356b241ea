package core_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/clientele/clientele/internal/core"
)

// FuzzNormalizeEmail feeds arbitrary strings to e-mail normalisation, which
// every login, sign-up and reset of every surface goes through. It must not
// panic, and what it accepts must be a fixed point (normalising the result
// again gives it back, so two spellings of one address meet on one key),
// valid UTF-8, lower-case, at most 254 bytes, with exactly one @.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{
		"jane@example.com", "Jane@EXAMPLE.com", "  jane@example.com ", "ｊａｎｅ＠ｅｘａｍｐｌｅ.ｃｏｍ",
		"jane\u0301@example.com", "user@münchen.de", "zero\u200bwidth@example.com", "rtl\u202e@example.com",
		"nul\x00@example.com", `"quoted"@example.com`, "a@b", "@", "", "\xff@example.com",
		strings.Repeat("a", 64) + "@" + strings.Repeat("b", 189) + ".com", "İ@example.com", "ß@example.com", "ﬀ@example.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		norm, err := core.NormalizeEmail(s)
		if err != nil {
			return
		}
		again, err := core.NormalizeEmail(norm)
		if err != nil || again != norm {
			t.Fatalf("%q normalises to %q, which normalises to %q (%v)", s, norm, again, err)
		}
		if !utf8.ValidString(norm) || len(norm) > core.MaxEmailLength || strings.Count(norm, "@") != 1 || strings.ToLower(norm) != norm {
			t.Fatalf("%q normalised to an invalid key %q", s, norm)
		}
	})
}
