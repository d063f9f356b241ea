package server

import "testing"

func TestRedactPath(t *testing.T) {
	for in, want := range map[string]string{
		"/v1/wishlists/shared/wls_secret":                  "/v1/wishlists/shared/:redacted",
		"/v1/wishlists/shared/wls_secret/items":            "/v1/wishlists/shared/:redacted/items",
		"/v1/customer":                                     "/v1/customer",
		"/spree/api/v3/store/password_resets/tok_Secret-1": "/spree/api/v3/store/password_resets/:redacted",
	} {
		if got := redactPath(in); got != want {
			t.Errorf("redactPath(%q) = %q, want %q", in, got, want)
		}
	}
}
