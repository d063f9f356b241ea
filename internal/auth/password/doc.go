// Package password hashes customer passwords with argon2id, verifies stored
// PHC strings, and answers whether a password is on a shipped list of common
// passwords.
//
// It is a leaf package: it imports nothing from Clientele, and core declares
// the small Hasher interface that [*Argon2id] satisfies (DESIGN.md §3,
// STYLE.md §7 rule 19). Stored hashes are treated as untrusted input, because
// imported customers bring hashes made elsewhere: parsing is strict and every
// cost parameter is bounded before any work is done (see limits.go).
package password
