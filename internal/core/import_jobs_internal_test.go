package core

import (
	"bytes"
	"crypto/rand"
	"testing"
)

// A sealed pepper opens under its key for its store only: a row copied to
// another store's id, or read with another deployment's key, does not
// open, and the plaintext is not in the sealed bytes.
func TestPepperSeal(t *testing.T) {
	key, other := make([]byte, 32), make([]byte, 32)
	rand.Read(key)
	rand.Read(other)
	sealed, err := sealPepper(key, "sto_A", "the-pepper", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("the-pepper")) {
		t.Fatal("sealed pepper holds the plaintext")
	}
	if got, err := openPepper(key, "sto_A", sealed); err != nil || got != "the-pepper" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := openPepper(key, "sto_B", sealed); err == nil {
		t.Fatal("opened under another store's id")
	}
	if _, err := openPepper(other, "sto_A", sealed); err == nil {
		t.Fatal("opened under another key")
	}
	if _, err := openPepper(key, "sto_A", sealed[:5]); err == nil {
		t.Fatal("opened a truncated seal")
	}
}

// Only bcrypt hashes of a peppered import are marked: Devise's pepper is
// bcrypt's, and the other formats never had one.
func TestPepperedHash(t *testing.T) {
	const bc = "$2a$10$waX2h0Te0AHp17Kc.ra4gOK7VCEIKofp0R2Issz1oP9JWTzChAIL6"
	for _, c := range []struct {
		in       string
		peppered bool
		want     string
	}{
		{bc, true, pepperedPrefix + bc},
		{bc, false, bc},
		{"", true, ""},
		{"pbkdf2_sha256$870000$salt$aGFzaA==", true, "pbkdf2_sha256$870000$salt$aGFzaA=="},
	} {
		if got := pepperedHash(c.in, c.peppered); got != c.want {
			t.Errorf("pepperedHash(%q, %v) = %q, want %q", c.in, c.peppered, got, c.want)
		}
	}
}
