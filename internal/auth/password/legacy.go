package password

import (
	"bytes"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/scrypt"
)

// Legacy hashes are the ones other platforms wrote, imported with their
// customers so nobody has to reset a password because the back end changed
// (docs/migrate.md). They are verified natively, then re-hashed to argon2id
// on the first successful login ([Argon2id.Verify] reports needsRehash).
//
// Each format has upper bounds on its cost, checked before any work, for
// the same reason as argon2id's (limits.go): a hostile import file must not
// make one login cost seconds. [CheckImportable] applies them at import.
const (
	maxBcryptCost     = 12        // ≈ 250 ms; Devise and Laravel default to 10–12
	maxScryptLogN     = 17        // with r=8: 128 MiB
	maxScryptR        = 16        //
	maxScryptP        = 4         //
	maxScryptMemory   = 128 << 20 // bytes: 128·r·N
	maxPBKDF2Rounds   = 1_200_000 // Django 5.x uses 870 000–1 000 000
	minPBKDF2Rounds   = 1
	maxLegacySaltLen  = 256
	bcryptMaxPassword = 72 // bcrypt only ever reads this many bytes
)

// legacyVerifier checks a password against one legacy format. It returns
// ErrUnknownFormat (wrapped) when encoded is not of its format.
type legacyVerifier func(password, encoded string) (bool, error)

// legacyVerifiers are tried in order; each recognises its own prefix.
var legacyVerifiers = []legacyVerifier{verifyBcrypt, verifyDjangoPBKDF2, verifyPHCPBKDF2, verifyArgon2i, verifyScryptKDF}

// verifyLegacy verifies password against a legacy hash, or reports
// ErrUnknownFormat when no legacy format matches.
func verifyLegacy(password, encoded string) (bool, error) {
	for _, v := range legacyVerifiers {
		ok, err := v(password, encoded)
		if errors.Is(err, ErrUnknownFormat) {
			continue
		}
		return ok, err
	}
	return false, fmt.Errorf("%w: no verifier for this hash", ErrUnknownFormat)
}

// CheckImportable reports whether encoded is a hash this package can verify
// within its cost bounds: the argon2id it writes itself or a legacy format.
// It does no hashing work. Import refuses rows for which it returns an
// error (ErrUnknownFormat or ErrParamsOutOfBounds, wrapped).
func CheckImportable(encoded string) error {
	if _, err := decodePHC(encoded); !errors.Is(err, ErrUnknownFormat) {
		return err
	}
	// Verifying against the empty password with a zero-cost check is not
	// possible for these formats, so each has a parse-only twin.
	for _, check := range []func(string) error{checkBcrypt, checkDjangoPBKDF2, checkPHCPBKDF2, checkArgon2i, checkScryptKDF} {
		err := check(encoded)
		if errors.Is(err, ErrUnknownFormat) {
			continue
		}
		return err
	}
	return fmt.Errorf("%w: no verifier for this hash", ErrUnknownFormat)
}

// --- bcrypt: $2a$, $2b$, $2y$ (Devise, Laravel, most PHP and Ruby apps) ---

func checkBcrypt(encoded string) error {
	if !strings.HasPrefix(encoded, "$2a$") && !strings.HasPrefix(encoded, "$2b$") && !strings.HasPrefix(encoded, "$2y$") {
		return fmt.Errorf("%w: not bcrypt", ErrUnknownFormat)
	}
	// bcrypt.Cost reads only the prefix; the rest must have the shape the
	// compare accepts, or an import would take a hash nobody can log in with.
	cost, err := bcrypt.Cost([]byte(encoded))
	if err != nil || len(encoded) != 60 || encoded[6] != '$' || !bcryptBase64(encoded[7:]) {
		return fmt.Errorf("%w: malformed bcrypt hash", ErrUnknownFormat)
	}
	if cost > maxBcryptCost {
		return fmt.Errorf("%w: bcrypt cost %d over %d", ErrParamsOutOfBounds, cost, maxBcryptCost)
	}
	return nil
}

// bcryptBase64 reports whether s is in bcrypt's base64 alphabet.
func bcryptBase64(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '.' || c == '/' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

func verifyBcrypt(password, encoded string) (bool, error) {
	if err := checkBcrypt(encoded); err != nil {
		return false, err
	}
	// Ruby's and PHP's bcrypt silently use only the first 72 bytes; Go's
	// refuses longer input. Truncate so those passwords keep working.
	p := []byte(password)
	if len(p) > bcryptMaxPassword {
		p = p[:bcryptMaxPassword]
	}
	// $2y$ (PHP) and $2b$ are the same algorithm as $2a$ for every password
	// Go's implementation accepts.
	switch err := bcrypt.CompareHashAndPassword([]byte(encoded), p); {
	case err == nil:
		return true, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	default:
		return false, fmt.Errorf("%w: malformed bcrypt hash", ErrUnknownFormat)
	}
}

// --- PBKDF2, Django style: pbkdf2_sha256$<rounds>$<salt>$<b64 hash> ---

func parseDjangoPBKDF2(encoded string) (h func() hash.Hash, rounds int, salt string, want []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 4 {
		return nil, 0, "", nil, fmt.Errorf("%w: not Django PBKDF2", ErrUnknownFormat)
	}
	switch parts[0] {
	case "pbkdf2_sha256":
		h = sha256.New
	case "pbkdf2_sha1":
		h = sha1.New
	default:
		return nil, 0, "", nil, fmt.Errorf("%w: not Django PBKDF2", ErrUnknownFormat)
	}
	rounds, salt, err = parseRounds(parts[1]), parts[2], nil
	want, derr := base64.StdEncoding.DecodeString(parts[3])
	if derr != nil || len(want) < minKeyLen || len(want) > maxKeyLen || salt == "" || strings.ContainsAny(salt, "$") {
		return nil, 0, "", nil, fmt.Errorf("%w: malformed Django PBKDF2 hash", ErrUnknownFormat)
	}
	if err := checkPBKDF2(rounds, len(salt)); err != nil {
		return nil, 0, "", nil, err
	}
	return h, rounds, salt, want, nil
}

func checkDjangoPBKDF2(encoded string) error {
	_, _, _, _, err := parseDjangoPBKDF2(encoded)
	return err
}

func verifyDjangoPBKDF2(password, encoded string) (bool, error) {
	h, rounds, salt, want, err := parseDjangoPBKDF2(encoded)
	if err != nil {
		return false, err
	}
	return pbkdf2Equal(h, password, []byte(salt), rounds, want)
}

// --- PBKDF2, PHC style (passlib): $pbkdf2-sha256$<rounds>$<ab64 salt>$<ab64 hash> ---

// ab64 is passlib's "adapted base64": standard alphabet with '.' for '+',
// no padding.
func ab64Decode(s string) ([]byte, error) {
	return base64.RawStdEncoding.DecodeString(strings.ReplaceAll(s, ".", "+"))
}

func parsePHCPBKDF2(encoded string) (h func() hash.Hash, rounds int, salt, want []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 5 || parts[0] != "" {
		return nil, 0, nil, nil, fmt.Errorf("%w: not PHC PBKDF2", ErrUnknownFormat)
	}
	switch parts[1] {
	case "pbkdf2-sha256":
		h = sha256.New
	case "pbkdf2-sha512":
		h = sha512.New
	case "pbkdf2":
		h = sha1.New
	default:
		return nil, 0, nil, nil, fmt.Errorf("%w: not PHC PBKDF2", ErrUnknownFormat)
	}
	rounds = parseRounds(parts[2])
	salt, serr := ab64Decode(parts[3])
	want, werr := ab64Decode(parts[4])
	if serr != nil || werr != nil || len(salt) == 0 || len(want) < minKeyLen || len(want) > maxKeyLen {
		return nil, 0, nil, nil, fmt.Errorf("%w: malformed PHC PBKDF2 hash", ErrUnknownFormat)
	}
	if err := checkPBKDF2(rounds, len(salt)); err != nil {
		return nil, 0, nil, nil, err
	}
	return h, rounds, salt, want, nil
}

func checkPHCPBKDF2(encoded string) error {
	_, _, _, _, err := parsePHCPBKDF2(encoded)
	return err
}

func verifyPHCPBKDF2(password, encoded string) (bool, error) {
	h, rounds, salt, want, err := parsePHCPBKDF2(encoded)
	if err != nil {
		return false, err
	}
	return pbkdf2Equal(h, password, salt, rounds, want)
}

// parseRounds reads a decimal round count without sign or leading zeros;
// anything else is -1, which checkPBKDF2 refuses.
func parseRounds(s string) int {
	if s == "" || len(s) > 9 || (len(s) > 1 && s[0] == '0') {
		return -1
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func checkPBKDF2(rounds, saltLen int) error {
	switch {
	case rounds < 0:
		return fmt.Errorf("%w: malformed PBKDF2 round count", ErrUnknownFormat)
	case rounds < minPBKDF2Rounds || rounds > maxPBKDF2Rounds:
		return fmt.Errorf("%w: PBKDF2 rounds %d not in [%d, %d]", ErrParamsOutOfBounds, rounds, minPBKDF2Rounds, maxPBKDF2Rounds)
	case saltLen > maxLegacySaltLen:
		return fmt.Errorf("%w: salt of %d bytes", ErrParamsOutOfBounds, saltLen)
	}
	return nil
}

func pbkdf2Equal(h func() hash.Hash, password string, salt []byte, rounds int, want []byte) (bool, error) {
	got, err := pbkdf2.Key(h, password, salt, rounds, len(want))
	if err != nil {
		return false, fmt.Errorf("%w: PBKDF2: %v", ErrUnknownFormat, err)
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// --- argon2i: $argon2i$v=19$m=..,t=..,p=..$salt$hash (argon2id is ours) ---

func parseArgon2i(encoded string) (phc, error) {
	if !strings.HasPrefix(encoded, "$argon2i$") {
		return phc{}, fmt.Errorf("%w: not argon2i", ErrUnknownFormat)
	}
	// Same PHC layout as argon2id: reuse the strict parser on the id name.
	return decodePHC("$" + phcAlgorithm + strings.TrimPrefix(encoded, "$argon2i"))
}

func checkArgon2i(encoded string) error {
	_, err := parseArgon2i(encoded)
	return err
}

func verifyArgon2i(password, encoded string) (bool, error) {
	stored, err := parseArgon2i(encoded)
	if err != nil {
		return false, err
	}
	p := stored.params
	key := argon2.Key([]byte(password), stored.salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(key, stored.hash) == 1, nil
}

// --- scrypt-kdf (Medusa v1 password_hash, Medusa v2 emailpass identities) ---
//
// The npm package scrypt-kdf stores Colin Percival's scrypt header, base64:
// "scrypt" · version 0 · logN · r (u32 BE) · p (u32 BE) · salt (32) ·
// SHA-256(bytes 0–47)[:16] · HMAC-SHA-256(key[32:64], bytes 0–63), where key
// = scrypt(password, salt, 2^logN, r, p, 64). 96 bytes in all.

type scryptKDF struct {
	header []byte // bytes 0–63
	logN   uint8
	r, p   uint32
	salt   []byte
	mac    []byte
}

func parseScryptKDF(encoded string) (scryptKDF, error) {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil || len(raw) != 96 || !bytes.HasPrefix(raw, []byte("scrypt\x00")) {
		return scryptKDF{}, fmt.Errorf("%w: not scrypt-kdf", ErrUnknownFormat)
	}
	sum := sha256.Sum256(raw[:48])
	if !bytes.Equal(sum[:16], raw[48:64]) {
		return scryptKDF{}, fmt.Errorf("%w: scrypt-kdf header checksum", ErrUnknownFormat)
	}
	k := scryptKDF{header: raw[:64], logN: raw[7], r: binary.BigEndian.Uint32(raw[8:12]), p: binary.BigEndian.Uint32(raw[12:16]), salt: raw[16:48], mac: raw[64:96]}
	switch {
	case k.logN < 1 || k.logN > maxScryptLogN || k.r < 1 || k.r > maxScryptR || k.p < 1 || k.p > maxScryptP:
		return scryptKDF{}, fmt.Errorf("%w: scrypt logN=%d r=%d p=%d", ErrParamsOutOfBounds, k.logN, k.r, k.p)
	case 128*uint64(k.r)<<k.logN > maxScryptMemory:
		return scryptKDF{}, fmt.Errorf("%w: scrypt memory over %d bytes", ErrParamsOutOfBounds, maxScryptMemory)
	}
	return k, nil
}

func checkScryptKDF(encoded string) error {
	_, err := parseScryptKDF(encoded)
	return err
}

func verifyScryptKDF(password, encoded string) (bool, error) {
	k, err := parseScryptKDF(encoded)
	if err != nil {
		return false, err
	}
	key, err := scrypt.Key([]byte(password), k.salt, 1<<k.logN, int(k.r), int(k.p), 64)
	if err != nil {
		return false, fmt.Errorf("%w: scrypt: %v", ErrUnknownFormat, err)
	}
	m := hmac.New(sha256.New, key[32:])
	m.Write(k.header)
	return hmac.Equal(m.Sum(nil), k.mac), nil
}
