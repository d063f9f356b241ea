package password

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

// legacyFixture is one hash made by another ecosystem's own library (see
// each entry's source), committed so the test proves we verify what those
// platforms really wrote.
type legacyFixture struct {
	Format, Source, Password, Hash string
}

func loadLegacyFixtures(t *testing.T) []legacyFixture {
	t.Helper()
	b, err := os.ReadFile("testdata/legacy_hashes.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx []legacyFixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	return fx
}

// Every legacy fixture verifies with its password, fails with another one,
// and asks for a rehash; over-bound ones are refused before any work.
func TestLegacyFixtures(t *testing.T) {
	h := New(TestParams())
	for _, fx := range loadLegacyFixtures(t) {
		t.Run(fx.Format+"/"+fx.Password, func(t *testing.T) {
			if strings.HasSuffix(fx.Format, "-over-bound") {
				if err := CheckImportable(fx.Hash); !errors.Is(err, ErrParamsOutOfBounds) {
					t.Fatalf("CheckImportable = %v, want ErrParamsOutOfBounds", err)
				}
				if ok, _, err := h.Verify(fx.Password, fx.Hash); ok || !errors.Is(err, ErrParamsOutOfBounds) {
					t.Fatalf("Verify = %v, %v; want refused", ok, err)
				}
				return
			}
			if err := CheckImportable(fx.Hash); err != nil {
				t.Fatalf("CheckImportable: %v", err)
			}
			ok, rehash, err := h.Verify(fx.Password, fx.Hash)
			if err != nil || !ok || !rehash {
				t.Fatalf("Verify(right) = ok %v rehash %v err %v (%s)", ok, rehash, err, fx.Source)
			}
			ok, rehash, err = h.Verify("x"+fx.Password, fx.Hash)
			if err != nil || ok || rehash {
				t.Fatalf("Verify(wrong) = ok %v rehash %v err %v", ok, rehash, err)
			}
		})
	}
}

// scryptHeader builds a scrypt-kdf header with a valid checksum and the
// given costs, so out-of-bound costs can be tested without the work.
func scryptHeader(logN byte, r, p uint32) string {
	raw := make([]byte, 96)
	copy(raw, "scrypt\x00")
	raw[7] = logN
	raw[8], raw[9], raw[10], raw[11] = byte(r>>24), byte(r>>16), byte(r>>8), byte(r)
	raw[12], raw[13], raw[14], raw[15] = byte(p>>24), byte(p>>16), byte(p>>8), byte(p)
	sum := sha256.Sum256(raw[:48])
	copy(raw[48:64], sum[:16])
	return base64.StdEncoding.EncodeToString(raw)
}

// Malformed and hostile legacy strings are refused with the right error
// and never verified.
func TestLegacyRefusals(t *testing.T) {
	tests := []struct {
		name, hash string
		want       error
	}{
		{"empty", "", ErrUnknownFormat},
		{"md5 crypt", "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/", ErrUnknownFormat},
		{"bcrypt truncated", "$2a$10$waX2h0Te0AHp17Kc", ErrUnknownFormat},
		{"bcrypt cost 31", "$2b$31$waX2h0Te0AHp17Kc.ra4gOK7VCEIKofp0R2Issz1oPtkbL1m/.Kv2", ErrParamsOutOfBounds},
		{"scrypt logN 20", scryptHeader(20, 8, 1), ErrParamsOutOfBounds},
		{"scrypt r 64", scryptHeader(10, 64, 1), ErrParamsOutOfBounds},
		{"scrypt p 0", scryptHeader(10, 8, 0), ErrParamsOutOfBounds},
		{"scrypt bad checksum", strings.Replace(scryptHeader(10, 8, 1), "A", "B", 1), ErrUnknownFormat},
		{"django rounds 0", "pbkdf2_sha256$0$salt$" + base64.StdEncoding.EncodeToString(make([]byte, 32)), ErrParamsOutOfBounds},
		{"django rounds leading zero", "pbkdf2_sha256$0100$salt$" + base64.StdEncoding.EncodeToString(make([]byte, 32)), ErrUnknownFormat},
		{"django rounds huge", "pbkdf2_sha256$999999999$salt$" + base64.StdEncoding.EncodeToString(make([]byte, 32)), ErrParamsOutOfBounds},
		{"django short hash", "pbkdf2_sha256$1000$salt$" + base64.StdEncoding.EncodeToString(make([]byte, 4)), ErrUnknownFormat},
		{"django sha512 unknown", "pbkdf2_sha512$1000$salt$" + base64.StdEncoding.EncodeToString(make([]byte, 32)), ErrUnknownFormat},
		{"phc pbkdf2 bad b64", "$pbkdf2-sha256$1000$!!$!!", ErrUnknownFormat},
		{"argon2i huge memory", "$argon2i$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + base64.RawStdEncoding.EncodeToString(make([]byte, 32)), ErrParamsOutOfBounds},
		{"argon2d", "$argon2d$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + base64.RawStdEncoding.EncodeToString(make([]byte, 32)), ErrUnknownFormat},
	}
	h := New(TestParams())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckImportable(tt.hash); !errors.Is(err, tt.want) {
				t.Fatalf("CheckImportable = %v, want %v", err, tt.want)
			}
			if ok, rehash, err := h.Verify("password", tt.hash); ok || rehash || !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v %v %v, want %v", ok, rehash, err, tt.want)
			}
		})
	}
}

// CheckImportable accepts the hasher's own argon2id output.
func TestCheckImportableOwnHash(t *testing.T) {
	h := New(TestParams())
	enc, err := h.Hash("mine")
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckImportable(enc); err != nil {
		t.Fatal(err)
	}
}
