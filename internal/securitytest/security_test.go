package securitytest

import "testing"

// securityCase is one case of SECURITY.md; its name starts with the
// case's number, so `go test -run 'TestSecurity/17_'` runs case 17.
type securityCase struct {
	name string
	run  func(t *testing.T)
	// parallel cases share the machine; the timing cases run alone.
	parallel bool
}

// TestSecurity runs every case of the shared SECURITY.md. Where another
// package has the full test of a case (token-level JOSE tables, the
// limiter conformance suite, multi-process fault tests in cmd/clientele),
// the case here asserts the same promise through the real router and names
// that test in its comment.
func TestSecurity(t *testing.T) {
	cases := []securityCase{
		{"1_login_no_enumeration", case1, false},
		{"2_reset_request_no_enumeration", case2, false},
		{"3_registration_no_enumeration", case3, false},
		{"4_dialects_no_enumeration", case4, true},
		{"5_email_variants_one_account", case5, true},

		{"6_failed_logins_limited_per_account", case6, true},
		{"7_password_spraying_limited_per_ip", case7, true},
		{"8_shared_limit_across_nodes", case8, true},
		{"9_password_policy", case9, true},
		{"10_no_truncation_and_nfkc", case10, true},
		{"11_spoofed_forwarded_for_ignored", case11, true},

		{"12_alg_none_and_wrong_type_rejected", case12, true},
		{"13_hs256_confusion_and_garbage_rejected", case13, true},
		{"14_kid_and_key_headers_ignored", case14, true},
		{"15_time_audience_issuer_checked", case15, true},
		{"16_tampering_and_key_rotation", case16, true},

		{"17_refresh_reuse_revokes_family", case17, true},
		{"18_parallel_refresh_no_fork", case18, true},
		{"19_refresh_after_logout_reset_disable", case19, true},
		{"20_refresh_absolute_and_idle_expiry", case20, true},
		{"21_stored_token_hashes_useless", case21, true},

		{"22_reset_link_ignores_host", case22, true},
		{"23_reset_token_single_use", case23, true},
		{"24_reset_token_expiry_and_invalidation", case24, true},
		{"25_reset_token_guessing_and_scope", case25, true},
		{"26_reset_revokes_sessions_and_notifies", case26, true},

		{"27_idor_404_and_unchanged", case27, true},
		{"28_guest_idor_404", case28, true},
		{"29_mass_assignment_rejected", case29, true},
		{"30_email_change_needs_password_and_confirmation", case30, true},
		{"31_cross_store_keys_and_tokens", case31, true},

		{"32_body_size_and_slow_clients", case32, true},
		{"33_malformed_json_400", case33, true},
		{"34_email_edge_cases", case34, true},
		{"35_injection_stored_literally", case35, true},
		{"36_business_caps", case36, true},

		{"37_pg_backend_killed_mid_refresh", case37, true},
		{"38_postgres_down_fails_fast_and_recovers", case38, true},
		{"39_redis_down_falls_back", case39, true},
		{"40_sqlite_full_disk", case40, true},
		{"41_kill9_loses_no_acknowledged_write", case41, true},
		{"42_sigterm_drains", case42, true},

		{"43_login_overload_sheds_fast", case43, false},
		{"44_reads_survive_login_overload", case44, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.parallel {
				t.Parallel()
			}
			c.run(t)
		})
	}
}
