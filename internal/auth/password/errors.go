package password

import "errors"

// ErrUnknownFormat means the encoded hash is not one this package can verify:
// another algorithm, another argon2 version, or a malformed PHC string. Callers
// that also hold legacy hashes (bcrypt, scrypt, PBKDF2) use it to try the next
// verifier; it never means the password was wrong.
var ErrUnknownFormat = errors.New("password: unknown hash format")

// ErrParamsOutOfBounds means a hash (or a Params value) asks for more, or
// less, work than this package allows. A stored hash is refused rather than
// verified so that a hostile or corrupted row cannot make one login allocate
// gigabytes or spin for minutes (see limits.go).
var ErrParamsOutOfBounds = errors.New("password: hash parameters out of bounds")
