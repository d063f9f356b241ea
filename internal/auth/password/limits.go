package password

import "fmt"

// Bounds on argon2id parameters, applied both to the hasher's own Params and
// to every hash parsed from storage before any work is done.
//
// The upper bounds stop a hostile or corrupted imported hash from turning one
// login into a denial of service (argon2 allocates m KiB per call). They sit
// well above the OWASP Password Storage Cheat Sheet's minimum (m=19 MiB, t=2,
// p=1) and admit RFC 9106 §4's second recommended option (m=64 MiB, t=3,
// p=4). Its first option (m=2 GiB) is deliberately refused: a web login that
// runs many hashes at once cannot afford it. The lower bounds are where RFC
// 9106 §3.1 says the function stops being argon2 (m ≥ 8·p KiB, t ≥ 1, p ≥ 1;
// golang.org/x/crypto/argon2 would silently raise a smaller m, so the stored
// string would lie about the work done) or stops being safe: §3.1 recommends
// 16-byte salts and §4 calls a 128-bit tag sufficient, so salts under 8 bytes
// and tags under 16 bytes are refused. Salts and tags over 64 bytes
// buy nothing and only cost parsing.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 20
	minThreads   = 1
	maxThreads   = 16
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 64
)

// checkBounds reports whether p describes work this package is willing to
// do. The arguments are uint64 so that values parsed from a PHC string are
// checked before they are narrowed to Params' field types and cannot wrap.
func checkBounds(memory, time, threads, saltLen, keyLen uint64) error {
	switch {
	case threads < minThreads || threads > maxThreads:
		return fmt.Errorf("%w: threads %d not in [%d, %d]", ErrParamsOutOfBounds, threads, minThreads, maxThreads)
	case memory < 8*threads || memory > maxMemoryKiB:
		return fmt.Errorf("%w: memory %d KiB not in [8·threads, %d]", ErrParamsOutOfBounds, memory, maxMemoryKiB)
	case time < 1 || time > maxTime:
		return fmt.Errorf("%w: time %d not in [1, %d]", ErrParamsOutOfBounds, time, maxTime)
	case saltLen < minSaltLen || saltLen > maxSaltLen:
		return fmt.Errorf("%w: salt length %d not in [%d, %d]", ErrParamsOutOfBounds, saltLen, minSaltLen, maxSaltLen)
	case keyLen < minKeyLen || keyLen > maxKeyLen:
		return fmt.Errorf("%w: key length %d not in [%d, %d]", ErrParamsOutOfBounds, keyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// Validate reports whether p is within the bounds this package accepts, with
// an error wrapping [ErrParamsOutOfBounds] if not. Configuration code calls it
// at startup so that [New] never sees parameters it would have to refuse.
func (p Params) Validate() error {
	return checkBounds(uint64(p.Memory), uint64(p.Time), uint64(p.Threads), uint64(p.SaltLen), uint64(p.KeyLen))
}
