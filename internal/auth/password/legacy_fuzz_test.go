package password

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzLegacyHash feeds arbitrary strings to the parsers of other
// platforms' hashes (bcrypt, Django and PHC PBKDF2, argon2i, scrypt-kdf),
// which read import files: they must never panic, and a string that
// CheckImportable accepts must be one the verifiers recognise within their
// bounds, so an imported customer can always log in.
func FuzzLegacyHash(f *testing.F) {
	raw, err := os.ReadFile("testdata/legacy_hashes.json")
	if err != nil {
		f.Fatal(err)
	}
	var fixtures []struct{ Hash string }
	if err := json.Unmarshal(raw, &fixtures); err != nil {
		f.Fatal(err)
	}
	// The fixtures' shapes with their costs cut, so the seed run (part of
	// every go test) stays cheap; the over-bound ones stay as they are.
	cheap := strings.NewReplacer("$2a$10$", "$2a$04$", "$2y$10$", "$2y$04$", "$600000$", "$1000$", "$29000$", "$1000$")
	for _, fx := range fixtures {
		f.Add(cheap.Replace(fx.Hash))
	}
	for _, s := range []string{"", "$2a$", "$2y$31$", "pbkdf2_sha256$0$$", "pbkdf2_sha256$-1$s$h", "$pbkdf2-sha512$i=99999999$$",
		"$argon2i$v=19$m=4294967295,t=1,p=1$AAAA$AAAA", "c2NyeXB0AA=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := decodePHC(s); err == nil {
			return // argon2id: FuzzDecodePHC's
		}
		if err := CheckImportable(s); err != nil {
			return
		}
		if _, err := verifyLegacy("not the password", s); errors.Is(err, ErrUnknownFormat) || errors.Is(err, ErrParamsOutOfBounds) {
			t.Fatalf("CheckImportable accepted %q, the verifier refuses it: %v", s, err)
		}
	})
}
