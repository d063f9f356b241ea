package password

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The PHC string format (github.com/P-H-C/phc-string-format) as written by
// the argon2 reference implementation:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// Salt and hash use standard base64 without padding. Only this exact,
// canonical shape is accepted: a hash that parses in several ways, or that
// this package would not itself have written, is a format we do not
// understand, and another verifier (or a human) should look at it.
const phcAlgorithm = "argon2id"

// phcVersion is the only argon2 version golang.org/x/crypto/argon2
// implements (0x13). Version 16 (0x10) hashes differ and cannot be verified.
var phcVersion = "v=" + strconv.Itoa(argon2.Version)

// b64 is PHC's "B64" encoding. Strict mode refuses non-zero trailing bits, so
// one hash has exactly one spelling.
var b64 = base64.RawStdEncoding.Strict()

// phc is a parsed argon2id hash.
type phc struct {
	params Params
	salt   []byte
	hash   []byte
}

// encodePHC writes the canonical PHC string for an argon2id hash.
func encodePHC(p Params, salt, hash []byte) string {
	return fmt.Sprintf("$%s$%s$m=%d,t=%d,p=%d$%s$%s",
		phcAlgorithm, phcVersion, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(hash))
}

// decodePHC parses an argon2id PHC string. Structural problems wrap
// ErrUnknownFormat; well-formed but unacceptable costs wrap
// ErrParamsOutOfBounds and are reported before anything is allocated for
// them. Errors never quote the input, which is secret-adjacent.
func decodePHC(encoded string) (phc, error) {
	// "", alg, version, params, salt, hash
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return phc{}, fmt.Errorf("%w: not a PHC string with 5 fields", ErrUnknownFormat)
	}
	if parts[1] != phcAlgorithm {
		return phc{}, fmt.Errorf("%w: algorithm is not %s", ErrUnknownFormat, phcAlgorithm)
	}
	if parts[2] != phcVersion {
		return phc{}, fmt.Errorf("%w: argon2 version is not %s", ErrUnknownFormat, phcVersion)
	}
	m, t, p, err := parseCosts(parts[3])
	if err != nil {
		return phc{}, err
	}
	saltB64, hashB64 := parts[4], parts[5]
	// Bound the encoded lengths first so that a hostile row cannot make us
	// decode megabytes; the exact decoded lengths are checked below.
	if len(saltB64) > b64.EncodedLen(maxSaltLen) {
		return phc{}, fmt.Errorf("%w: salt longer than %d bytes", ErrParamsOutOfBounds, maxSaltLen)
	}
	if len(hashB64) > b64.EncodedLen(maxKeyLen) {
		return phc{}, fmt.Errorf("%w: hash longer than %d bytes", ErrParamsOutOfBounds, maxKeyLen)
	}
	salt, err := decodeB64(saltB64)
	if err != nil {
		return phc{}, fmt.Errorf("%w: salt: %v", ErrUnknownFormat, err)
	}
	hash, err := decodeB64(hashB64)
	if err != nil {
		return phc{}, fmt.Errorf("%w: hash: %v", ErrUnknownFormat, err)
	}
	if err := checkBounds(m, t, p, uint64(len(salt)), uint64(len(hash))); err != nil {
		return phc{}, err
	}
	return phc{
		params: Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(p), SaltLen: uint32(len(salt)), KeyLen: uint32(len(hash))},
		salt:   salt,
		hash:   hash,
	}, nil
}

// parseCosts parses "m=<int>,t=<int>,p=<int>" in exactly that order, as the
// PHC format fixes the order of an algorithm's parameters. Numbers too large
// for 64 bits are reported as out of bounds, not as a format error, because
// that is what they are.
func parseCosts(s string) (m, t, p uint64, err error) {
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return 0, 0, 0, fmt.Errorf("%w: want m, t and p parameters", ErrUnknownFormat)
	}
	var out [3]uint64
	for i, name := range [3]string{"m", "t", "p"} {
		value, ok := strings.CutPrefix(fields[i], name+"=")
		if !ok {
			return 0, 0, 0, fmt.Errorf("%w: parameter %d is not %s", ErrUnknownFormat, i+1, name)
		}
		if out[i], err = parseDecimal(name, value); err != nil {
			return 0, 0, 0, err
		}
	}
	return out[0], out[1], out[2], nil
}

// parseDecimal accepts PHC decimals only: ASCII digits, no sign, no leading
// zero (so each value has one spelling). name labels errors.
func parseDecimal(name, s string) (uint64, error) {
	if s == "" || (len(s) > 1 && s[0] == '0') || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%w: %s is not a canonical decimal", ErrUnknownFormat, name)
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%w: %s overflows 64 bits", ErrParamsOutOfBounds, name)
	}
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %v", ErrUnknownFormat, name, err)
	}
	return n, nil
}

// decodeB64 decodes PHC base64 and insists that re-encoding gives the input
// back, because Go's decoder silently skips '\r' and '\n'.
func decodeB64(s string) ([]byte, error) {
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if b64.EncodeToString(b) != s {
		return nil, errors.New("non-canonical base64")
	}
	return b, nil
}
