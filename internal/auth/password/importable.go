package password

// CheckImportable is [CheckImportable] as a method, so the hasher satisfies
// core.HashChecker and import can refuse unusable hashes through the port.
func (h *Argon2id) CheckImportable(encoded string) error { return CheckImportable(encoded) }
