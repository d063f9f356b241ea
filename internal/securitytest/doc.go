// Package securitytest holds no code: its tests are the cases of the shared
// SECURITY.md, one subtest each, named after the case's number
// (TestSecurity/17_refresh_reuse_revokes_family), run through the real
// router on SQLite and PostgreSQL and through every mounted dialect.
//
// The statistical timing checks of cases 1–3 are slow; they run when
// CLIENTELE_REQUIRE_ALL=1 (CI) or CLIENTELE_SECURITY_TIMING=1, and are
// skipped with a message otherwise.
package securitytest
