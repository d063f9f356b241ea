package password

import (
	"strings"
	"testing"
)

// FuzzDecodePHC feeds arbitrary strings to the PHC parser, which reads hash
// strings from the database (and from imports of other systems' hashes):
// it must never panic, and what it accepts must be canonical, so that
// encoding the parsed value gives the input back byte for byte.
func FuzzDecodePHC(f *testing.F) {
	h := New(TestParams())
	valid, err := h.Hash("correct horse battery staple")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		valid, "", "$", "$$$$$", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
		"$argon2id$v=19$m=4294967296,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=064,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2i$v=19$m=64,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
		strings.Replace(valid, "m=64", "m=99999999999999999999999", 1),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := decodePHC(s)
		if err != nil {
			return
		}
		if got := encodePHC(p.params, p.salt, p.hash); got != s {
			t.Fatalf("accepted a non-canonical PHC string:\n in  %q\n out %q", s, got)
		}
		if err := p.params.Validate(); err != nil {
			t.Fatalf("accepted parameters that do not validate: %v", err)
		}
	})
}
