package medusa_test

import (
	"testing"
)

// Every must route of both dialects answers bad input with Medusa's error
// body and the contract's status, and writes nothing.
func TestBadInputs(t *testing.T) {
	c := newClient(t)
	tok, _ := c.signup("bad@example.com")
	r := c.do("POST", "/auth/customer/emailpass/register", map[string]any{"email": "bad-pending@example.com", "password": pw}, nil)
	reg := r.body["token"].(string)
	r = c.v1("POST", "/store/auth/token", map[string]any{"email": "bad@example.com", "password": pw}, nil)
	v1tok := r.body["access_token"].(string)

	tests := []struct {
		name         string
		v1           bool
		method, path string
		body         any
		hdr          map[string]string
		status       int
		typ, msg     string
	}{
		{"register_email_not_string", false, "POST", "/auth/customer/emailpass/register", map[string]any{"email": 1, "password": pw}, nil, 400, "invalid_data", "Email should be a string"},
		{"register_password_missing", false, "POST", "/auth/customer/emailpass/register", map[string]any{"email": "a@example.com"}, nil, 400, "invalid_data", "Password should be a string"},
		{"register_email_invalid", false, "POST", "/auth/customer/emailpass/register", map[string]any{"email": "not-an-email", "password": pw}, nil, 400, "invalid_data", "Invalid email"},
		{"register_password_short", false, "POST", "/auth/customer/emailpass/register", map[string]any{"email": "short@example.com", "password": "abc"}, nil, 400, "invalid_data", ""},
		{"register_password_is_email", false, "POST", "/auth/customer/emailpass/register", map[string]any{"email": "same.as.pw@example.com", "password": "same.as.pw@example.com"}, nil, 400, "invalid_data", ""},
		{"register_other_provider", false, "POST", "/auth/customer/google/register", map[string]any{"email": "g@example.com", "password": pw}, nil, 400, "not_allowed", "The actor type customer is not allowed to use the auth provider google"},
		{"register_malformed_json", false, "POST", "/auth/customer/emailpass/register", `{"email":`, nil, 400, "invalid_data", ""},
		{"login_password_not_string", false, "POST", "/auth/customer/emailpass", map[string]any{"email": "bad@example.com", "password": 12345678}, nil, 400, "invalid_data", "Password should be a string"},
		{"login_unknown_email", false, "POST", "/auth/customer/emailpass", map[string]any{"email": "nobody@example.com", "password": pw}, nil, 401, "unauthorized", "Invalid email or password"},
		{"create_no_token", false, "POST", "/store/customers", map[string]any{}, nil, 401, "unauthorized", "Unauthorized"},
		{"create_unknown_field", false, "POST", "/store/customers", map[string]any{"nickname": "x"}, bearer(reg), 400, "invalid_data", "Invalid request: Unrecognized fields: 'nickname'"},
		{"create_first_name_not_string", false, "POST", "/store/customers", map[string]any{"first_name": 5}, bearer(reg), 400, "invalid_data", ""},
		{"create_metadata_not_object", false, "POST", "/store/customers", map[string]any{"metadata": "x"}, bearer(reg), 400, "invalid_data", ""},
		{"create_email_mismatch", false, "POST", "/store/customers", map[string]any{"email": "someone.else@example.com"}, bearer(reg), 400, "invalid_data", "Email does not match the registered identity"},
		{"refresh_no_token", false, "POST", "/auth/token/refresh", nil, nil, 401, "unauthorized", "Unauthorized"},
		{"session_no_token", false, "POST", "/auth/session", nil, nil, 401, "unauthorized", "Unauthorized"},
		{"session_registration_token", false, "POST", "/auth/session", nil, bearer(reg), 401, "unauthorized", "Unauthorized"},
		{"me_registration_token", false, "GET", "/store/customers/me", nil, bearer(reg), 401, "unauthorized", "Unauthorized"},
		{"update_first_name_not_string", false, "POST", "/store/customers/me", map[string]any{"first_name": 5}, bearer(tok), 400, "invalid_data", ""},
		{"update_metadata_not_object", false, "POST", "/store/customers/me", map[string]any{"metadata": []any{1}}, bearer(tok), 400, "invalid_data", ""},
		{"update_password", false, "POST", "/store/customers/me", map[string]any{"password": pw}, bearer(tok), 400, "invalid_data", "Invalid request: Unrecognized fields: 'password'"},
		{"address_bad_country", false, "POST", "/store/customers/me/addresses", map[string]any{"country_code": "zz", "city": "X"}, bearer(tok), 400, "invalid_data", ""},
		{"address_flag_not_bool", false, "POST", "/store/customers/me/addresses", map[string]any{"is_default_shipping": "yes"}, bearer(tok), 400, "invalid_data", ""},
		{"address_unknown_field", false, "POST", "/store/customers/me/addresses", map[string]any{"street": "x"}, bearer(tok), 400, "invalid_data", "Invalid request: Unrecognized fields: 'street'"},
		{"address_get_unknown", false, "GET", "/store/customers/me/addresses/cuaddr_01J9Z3P8F1G2H3J4K5M6N7P8Q9", nil, bearer(tok), 404, "not_found", "Address with id: cuaddr_01J9Z3P8F1G2H3J4K5M6N7P8Q9 was not found"},
		{"reset_identifier_not_string", false, "POST", "/auth/customer/emailpass/reset-password", map[string]any{"identifier": 5}, nil, 400, "invalid_data", ""},
		{"reset_update_no_token", false, "POST", "/auth/customer/emailpass/update", map[string]any{"password": "New-pass-4567"}, nil, 401, "unauthorized", ""},

		{"v1_register_no_first_name", true, "POST", "/store/customers", map[string]any{"last_name": "B", "email": "v1bad@example.com", "password": pw}, nil, 400, "invalid_data", "first_name must be a string"},
		{"v1_register_bad_email", true, "POST", "/store/customers", map[string]any{"first_name": "A", "last_name": "B", "email": "nope", "password": pw}, nil, 400, "invalid_data", ""},
		{"v1_register_weak_password", true, "POST", "/store/customers", map[string]any{"first_name": "A", "last_name": "B", "email": "v1weak@example.com", "password": "abc"}, nil, 400, "invalid_data", ""},
		{"v1_register_unknown_field", true, "POST", "/store/customers", map[string]any{"first_name": "A", "last_name": "B", "email": "v1x@example.com", "password": pw, "nickname": "x"}, nil, 400, "invalid_data", "property nickname should not exist"},
		{"v1_register_duplicate", true, "POST", "/store/customers", map[string]any{"first_name": "A", "last_name": "B", "email": "bad@example.com", "password": pw}, nil, 422, "duplicate_error", "A customer with the given email already has an account. Log in instead"},
		{"v1_login_bad_password", true, "POST", "/store/auth", map[string]any{"email": "bad@example.com", "password": "Wrong-pass-999"}, nil, 401, "unauthorized", "Unauthorized"},
		{"v1_token_bad_password", true, "POST", "/store/auth/token", map[string]any{"email": "bad@example.com", "password": "Wrong-pass-999"}, nil, 401, "unauthorized", "Unauthorized"},
		{"v1_session_none", true, "GET", "/store/auth", nil, nil, 401, "unauthorized", "Unauthorized"},
		{"v1_update_unknown_field", true, "POST", "/store/customers/me", map[string]any{"nickname": "x"}, bearer(v1tok), 400, "invalid_data", "property nickname should not exist"},
		{"v1_update_first_name_not_string", true, "POST", "/store/customers/me", map[string]any{"first_name": 5}, bearer(v1tok), 400, "invalid_data", ""},
		{"v1_address_no_wrapper", true, "POST", "/store/customers/me/addresses", map[string]any{"city": "X"}, bearer(v1tok), 400, "invalid_data", ""},
		{"v1_address_missing_fields", true, "POST", "/store/customers/me/addresses", map[string]any{"address": map[string]any{"city": "X"}}, bearer(v1tok), 400, "invalid_data", ""},
		{"v1_address_update_unknown", true, "POST", "/store/customers/me/addresses/addr_01J9Z3P8F1G2H3J4K5M6N7P8Q9", map[string]any{"city": "X"}, bearer(v1tok), 400, "invalid_data", "Could not find address for customer"},
		{"v1_password_token_bad_email", true, "POST", "/store/customers/password-token", map[string]any{"email": "nope"}, nil, 400, "invalid_data", ""},
		{"v1_reset_missing_token", true, "POST", "/store/customers/password-reset", map[string]any{"email": "bad@example.com", "password": "New-pass-4567"}, nil, 400, "invalid_data", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got resp
			if tt.v1 {
				got = c.v1(tt.method, tt.path, tt.body, tt.hdr)
			} else {
				got = c.do(tt.method, tt.path, tt.body, tt.hdr)
			}
			wantErr(t, got, tt.status, tt.typ, tt.msg)
		})
	}
	// Nothing was written: the pending sign-up is intact and the customer
	// kept its profile.
	if r := c.do("POST", "/store/customers", map[string]any{"first_name": "Late"}, bearer(reg)); r.status != 200 {
		t.Fatalf("the pending sign-up was spoiled: %d %s", r.status, r.raw)
	}
	if r := c.do("GET", "/store/customers/me", nil, bearer(tok)); r.status != 200 || r.body["customer"].(map[string]any)["first_name"] != "Ada" {
		t.Fatalf("profile changed: %d %s", r.status, r.raw)
	}
	for _, e := range []string{"v1bad@example.com", "v1weak@example.com", "v1x@example.com", "short@example.com"} {
		if r := c.do("POST", "/auth/customer/emailpass", map[string]any{"email": e, "password": pw}, nil); r.status != 401 {
			t.Fatalf("a refused sign-up of %s left an account: %d %s", e, r.status, r.raw)
		}
	}
}
