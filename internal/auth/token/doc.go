// Package token signs and verifies Clientele's access tokens: JWTs signed
// with Ed25519 (JWS alg "EdDSA", RFC 8037) and typed "at+jwt" (RFC 9068).
//
// It is a leaf package: it imports nothing from Clientele, and core declares
// the small Signer interface that [*Ring] backs (DESIGN.md §3, STYLE.md §7).
// All JOSE encoding, parsing and signature checking is done by
// github.com/go-jose/go-jose/v4; this package only decides policy. The policy
// follows RFC 8725 (JWT best current practice): the algorithm is fixed by the
// key and never taken from the token, keys are found only by "kid" in a set
// the server loaded itself (never by URL, embedded key or certificate), and
// the token's type, issuer and times are always checked.
package token
