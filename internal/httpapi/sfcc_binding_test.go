package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

func TestAdminSFCCBinding(t *testing.T) {
	k := newKit(t)
	wantProblem(t, skDo(k, "GET", "/admin/v1/store/sfcc", nil), 404, "not_found")
	wantProblem(t, skDo(k, "DELETE", "/admin/v1/store/sfcc", nil), 404, "not_found")
	body := map[string]any{
		"organization_id": "f_ecom_abcd_001", "site_ids": []string{"RefArch", "SiteGenesis"},
		"clients": []any{map[string]any{"client_id": "client-a", "redirect_uris": []string{"https://shop.example/callback"}}},
	}
	got := skDo(k, "PUT", "/admin/v1/store/sfcc", body)
	want(t, got, 200)
	m := got.JSON(t)
	if m["organization_id"] != "f_ecom_abcd_001" || len(m["site_ids"].([]any)) != 2 || len(m["clients"].([]any)) != 1 {
		t.Fatalf("binding = %s", got.Body)
	}
	want(t, skDo(k, "GET", "/admin/v1/store/sfcc", nil), 200)
	bad := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"bad_org", map[string]any{"organization_id": "F_ECOM_ABCD_001"}, 422, "validation_failed"},
		{"bad_redirect", map[string]any{"organization_id": "f_ecom_abcd_001", "clients": []any{map[string]any{"client_id": "c", "redirect_uris": []string{"/cb"}}}}, 422, "validation_failed"},
		{"unknown_field", map[string]any{"organization_id": "f_ecom_abcd_001", "secret": "x"}, 400, "unknown_field"},
	}
	for _, tt := range bad {
		t.Run("case="+tt.name, func(t *testing.T) {
			res := k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/store/sfcc", Body: tt.body, Admin: true, NoCheck: true})
			wantProblem(t, res, tt.status, tt.code)
		})
	}
	// Another store cannot take the organization or the client id.
	other := k.NewShop("other")
	for _, b := range []map[string]any{
		{"organization_id": "f_ecom_abcd_001"},
		{"organization_id": "f_ecom_abcd_002", "clients": []any{map[string]any{"client_id": "client-a"}}},
	} {
		res := k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/store/sfcc", Body: b, Token: other.SecretKey, PK: "-"})
		wantProblem(t, res, 409, "conflict")
	}
	// The binding is live on the dialect: the dev organization no longer
	// answers (the oldest store has its own binding), the bound one does.
	res := k.Do(testkit.Req{Method: "GET", Path: "/sfcc/shopper/auth/v1/organizations/f_ecom_clnt_dev/oauth2/jwks", PK: "-", NoCheck: true})
	if res.Status != http.StatusNotFound {
		t.Errorf("dev org with the oldest store bound: %d", res.Status)
	}
	res = k.Do(testkit.Req{Method: "GET", Path: "/sfcc/shopper/auth/v1/organizations/f_ecom_abcd_001/oauth2/jwks", PK: "-", NoCheck: true})
	if res.Status != http.StatusOK {
		t.Errorf("bound org: %d %s", res.Status, res.Body)
	}
	res = k.Do(testkit.Req{Method: "DELETE", Path: "/admin/v1/store/sfcc", Admin: true})
	want(t, res, 204)
	res = k.Do(testkit.Req{Method: "GET", Path: "/sfcc/shopper/auth/v1/organizations/f_ecom_clnt_dev/oauth2/jwks", PK: "-", NoCheck: true})
	if res.Status != http.StatusOK {
		t.Errorf("dev org after unbinding: %d", res.Status)
	}
}
