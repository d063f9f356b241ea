package password

import "errors"

// ImportableHash is [CheckImportable] for core.HashChecker: import refuses
// unusable hashes through the Hasher port, and tells an over-bound cost
// (outOfBounds) from a format nobody here can verify.
func (h *Argon2id) ImportableHash(encoded string) (outOfBounds bool, err error) {
	err = CheckImportable(encoded)
	return errors.Is(err, ErrParamsOutOfBounds), err
}
