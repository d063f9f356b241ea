package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

func TestBodyAndRouteErrors(t *testing.T) {
	k := newKit(t)
	c := k.Register("input@example.com")
	big := `{"email":"` + strings.Repeat("a", 1<<20) + `"}`
	tests := []struct {
		name   string
		req    testkit.Req
		status int
		code   string
	}{
		{"body_1mib", testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: big}, 413, "body_too_large"},
		{"malformed", testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: `{"email":`}, 400, "malformed_json"},
		{"trailing_data", testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: `{"email":"a@example.com"} {}`}, 400, "malformed_json"},
		{"array_body", testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: `[]`}, 400, "malformed_json"},
		{"wrong_content_type", testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: `{}`, Header: map[string]string{"Content-Type": "text/plain"}}, 415, "unsupported_media_type"},
		{"form_content_type", testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: `email=a`, Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 415, "unsupported_media_type"},
		{"unknown_route", testkit.Req{Method: "GET", Path: "/v1/nope"}, 404, "route_not_found"},
		{"wrong_method", testkit.Req{Method: "PUT", Path: "/v1/customer", Token: c.Access}, 405, "method_not_allowed"},
		{"injection_in_email", testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": `{"$gt":""}`, "password": "x"}}, 422, "validation_failed"},
		{"nul_in_password_login", testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": "input@example.com", "password": "a\u0000b"}}, 401, "invalid_credentials"},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			tt.req.NoCheck = true
			wantProblem(t, k.Do(tt.req), tt.status, tt.code)
		})
	}
}

// Profile updates accept only documented fields; an unknown or forbidden
// field fails the whole request and changes nothing.
func TestProfileMassAssignment(t *testing.T) {
	k := newKit(t)
	c := k.Register("mass@example.com")
	before := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access})
	for _, field := range []string{"id", "password_hash", "email", "status", "email_verified", "group_id", "is_admin", "store_id", "store_credit"} {
		t.Run("field="+field, func(t *testing.T) {
			res := k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer", Token: c.Access, NoCheck: true,
				Body: map[string]any{"first_name": "Mallory", field: "x"}})
			wantProblem(t, res, 400, "unknown_field")
			errs := res.JSON(t)["errors"].([]any)
			if errs[0].(map[string]any)["field"] != field {
				t.Fatalf("errors = %v", errs)
			}
		})
	}
	after := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access})
	if string(before.Body) != string(after.Body) {
		t.Fatalf("a rejected update changed the profile:\n%s\n%s", before.Body, after.Body)
	}
}

func TestProfileUpdate(t *testing.T) {
	k := newKit(t)
	c := k.Register("profile@example.com")
	res := k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer", Token: c.Access, Body: map[string]any{
		"first_name": "Ada", "last_name": "Lovelace", "phone": "+44 20 7946 0000", "gender": "female",
		"date_of_birth": "1990-12-10", "accepts_email_marketing": true, "metadata": map[string]any{"tier": "gold", "n": 1},
	}})
	wantProblem := func(body map[string]any, field string) {
		t.Helper()
		r := k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer", Token: c.Access, Body: body})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `"field":"`+field+`"`) {
			t.Fatalf("PATCH %v = %d %s, want 422 on %s", body, r.Status, r.Body, field)
		}
	}
	want(t, res, 200)
	m := res.JSON(t)
	if m["first_name"] != "Ada" || m["date_of_birth"] != "1990-12-10" || m["accepts_email_marketing"] != true || m["metadata"].(map[string]any)["tier"] != "gold" {
		t.Fatalf("profile = %s", res.Body)
	}
	wantProblem(map[string]any{"date_of_birth": "2999-01-01"}, "date_of_birth")
	wantProblem(map[string]any{"date_of_birth": "10/12/1815"}, "date_of_birth")
	wantProblem(map[string]any{"phone": "call me maybe"}, "phone")
	wantProblem(map[string]any{"first_name": strings.Repeat("x", 256)}, "first_name")
	wantProblem(map[string]any{"first_name": "a\u0000b"}, "first_name")
	// Injection strings are stored literally.
	lit := `Robert'); DROP TABLE customers;--`
	res = k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer", Token: c.Access, Body: map[string]any{"last_name": lit}})
	want(t, res, 200)
	if res.Str(t, "last_name") != lit {
		t.Fatalf("last_name = %q", res.Str(t, "last_name"))
	}
}

func TestChangePassword(t *testing.T) {
	k := newKit(t)
	c := k.Register("change@example.com")
	other := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": c.Password}})
	want(t, other, 200)
	change := func(cur, next string) *testkit.Response {
		return k.Do(testkit.Req{Method: "POST", Path: "/v1/customer/password", Token: c.Access, Body: map[string]string{"current_password": cur, "new_password": next}})
	}
	wantProblem(t, change("wrong current", "a fresh password"), 403, "current_password_invalid")
	wantProblem(t, change(c.Password, "12345678"), 422, "validation_failed")
	want(t, change(c.Password, "a fresh password"), 204)
	// The caller's session lives on; the other session is signed out.
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access}), 200)
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: other.Str(t, "access_token")}), 401, "session_revoked")
	want(t, refresh(k, other.Str(t, "refresh_token")), 401)
}

func TestDeleteCustomer(t *testing.T) {
	k := newKit(t)
	c := k.Register("delete@example.com")
	wantProblem(t, k.Do(testkit.Req{Method: "DELETE", Path: "/v1/customer", Token: c.Access, Body: map[string]string{"password": "wrong one"}}), 403, "current_password_invalid")
	want(t, k.Do(testkit.Req{Method: "DELETE", Path: "/v1/customer", Token: c.Access, Body: map[string]string{"password": c.Password}}), 204)
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access}), 401)
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": c.Password}}), 401)
	// The e-mail is free again.
	k.Register("delete@example.com")
}

func TestSessions(t *testing.T) {
	k := newKit(t)
	a := k.Register("sess-a@example.com")
	b := k.Register("sess-b@example.com")
	second := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": a.Email, "password": a.Password},
		Header: map[string]string{"User-Agent": "phone"}})
	want(t, second, 200)
	list := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/sessions", Token: a.Access})
	want(t, list, 200)
	data := list.JSON(t)["data"].([]any)
	if len(data) != 2 {
		t.Fatalf("sessions = %s", list.Body)
	}
	// Another customer's session id is not found, never forbidden.
	wantProblem(t, k.Do(testkit.Req{Method: "DELETE", Path: "/v1/customer/sessions/" + b.Sess, Token: a.Access}), 404, "not_found")
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: b.Access}), 200)
	want(t, k.Do(testkit.Req{Method: "DELETE", Path: "/v1/customer/sessions/" + second.Str(t, "session_id"), Token: a.Access}), 204)
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: second.Str(t, "access_token")}), 401)
}

func TestEmailExistsDisabledByDefault(t *testing.T) {
	k := newKit(t)
	k.Register("exists@example.com")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/auth/email-exists?email=exists@example.com"}), 403, "feature_disabled")
}

func TestHealthAndCORS(t *testing.T) {
	k := newKit(t)
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/healthz", PK: "-"}), 200)
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/readyz", PK: "-"}), 200)

	pre := k.Do(testkit.Req{Method: "OPTIONS", Path: "/v1/auth/login", NoCheck: true, Header: map[string]string{
		"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"}})
	want(t, pre, 204)
	if pre.Header.Get("Access-Control-Allow-Origin") != "https://shop.example" {
		t.Fatalf("preflight headers: %v", pre.Header)
	}
	ok := k.Do(testkit.Req{Method: "POST", Path: "/v1/password-resets", Body: map[string]string{"email": "x@example.com"}, Header: map[string]string{"Origin": "https://shop.example"}})
	if ok.Header.Get("Access-Control-Allow-Origin") != "https://shop.example" {
		t.Fatal("allowed origin not echoed")
	}
	bad := k.Do(testkit.Req{Method: "POST", Path: "/v1/password-resets", Body: map[string]string{"email": "y@example.com"}, Header: map[string]string{"Origin": "https://evil.example"}})
	if bad.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("a foreign origin was allowed")
	}
}
