package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testkit"
)

func newKit(t *testing.T, opts ...testkit.Option) *testkit.Kit {
	t.Helper()
	k := testkit.New(t, opts...)
	k.Validate = contractValidator(t)
	return k
}

func want(t *testing.T, res *testkit.Response, status int) {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status = %d, want %d; body: %s", res.Status, status, res.Body)
	}
}

func wantProblem(t *testing.T, res *testkit.Response, status int, code string) {
	t.Helper()
	want(t, res, status)
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type = %q, want problem+json", ct)
	}
	if got := res.Str(t, "code"); got != code {
		t.Fatalf("code = %q, want %q; body: %s", got, code, res.Body)
	}
}

// The acceptance walk: register → login → profile → refresh → logout, after
// which the old access token and the old refresh token are both refused.
func TestAuthLifecycle(t *testing.T) {
	k := newKit(t)
	c := k.Register("Jane@Example.com")

	login := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": "jane@example.COM", "password": c.Password}})
	want(t, login, http.StatusOK)
	m := login.JSON(t)
	access, refresh := m["access_token"].(string), m["refresh_token"].(string)
	if m["token_type"] != "Bearer" || m["expires_in"].(float64) != 900 {
		t.Fatalf("token fields: %v", m)
	}
	if cust := m["customer"].(map[string]any); cust["email"] != "Jane@Example.com" || cust["id"] != c.ID {
		t.Fatalf("customer = %v (original spelling must be kept)", cust)
	}

	me := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: access})
	want(t, me, http.StatusOK)
	if me.Str(t, "first_name") != "Test" {
		t.Fatalf("profile: %s", me.Body)
	}

	ref := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": refresh}})
	want(t, ref, http.StatusOK)
	access2, refresh2 := ref.Str(t, "access_token"), ref.Str(t, "refresh_token")
	if refresh2 == refresh || access2 == access {
		t.Fatal("refresh did not rotate the pair")
	}

	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/logout", Token: access2, Body: map[string]any{}}), http.StatusNoContent)

	for _, tok := range []string{access, access2} {
		wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: tok}), http.StatusUnauthorized, "session_revoked")
	}
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": refresh2}}), http.StatusUnauthorized, "invalid_grant")
	// The registration session is separate and still alive.
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access}), http.StatusOK)
}

func TestLogoutAll(t *testing.T) {
	k := newKit(t)
	c := k.Register("all@example.com")
	other := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": c.Password}})
	want(t, other, http.StatusOK)
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/logout", Token: other.Str(t, "access_token"), Body: map[string]any{"all": true}}), http.StatusNoContent)
	want(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access}), http.StatusUnauthorized)
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": c.Refresh}}), http.StatusUnauthorized)
}

func TestRegisterValidation(t *testing.T) {
	k := newKit(t)
	k.Register("taken@example.com")
	tests := []struct {
		name   string
		body   any
		status int
		code   string
		field  string
	}{
		{"duplicate_email_case_variant", map[string]any{"email": "TAKEN@example.com", "password": "another fine password"}, 409, "email_taken", ""},
		{"duplicate_email_fullwidth", map[string]any{"email": "ｔａｋｅｎ@example.com", "password": "another fine password"}, 409, "email_taken", ""},
		{"short_password", map[string]any{"email": "a@example.com", "password": "short"}, 422, "validation_failed", "password"},
		{"common_password", map[string]any{"email": "a@example.com", "password": "password123"}, 422, "validation_failed", "password"},
		{"password_is_email", map[string]any{"email": "longname@example.com", "password": "longname@example.com"}, 422, "validation_failed", "password"},
		{"password_too_long", map[string]any{"email": "a@example.com", "password": strings.Repeat("x", 257)}, 422, "validation_failed", "password"},
		{"bad_email", map[string]any{"email": "not-an-email", "password": "a fine password"}, 422, "validation_failed", "email"},
		{"name_too_long", map[string]any{"email": "a@example.com", "password": "a fine password", "first_name": strings.Repeat("n", 300)}, 422, "validation_failed", "first_name"},
		{"unknown_field", map[string]any{"email": "a@example.com", "password": "a fine password", "status": "disabled"}, 400, "unknown_field", "status"},
		{"wrong_type", map[string]any{"email": 5, "password": "a fine password"}, 400, "malformed_json", "email"},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			res := k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", Body: tt.body, NoCheck: tt.status == 400})
			wantProblem(t, res, tt.status, tt.code)
			if tt.field != "" {
				errs, _ := res.JSON(t)["errors"].([]any)
				if len(errs) == 0 || errs[0].(map[string]any)["field"] != tt.field {
					t.Fatalf("errors = %v, want field %s", errs, tt.field)
				}
			}
		})
	}
	// A long Unicode password without composition rules is fine.
	res := k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", Body: map[string]any{"email": "uni@example.com", "password": strings.Repeat("пароль🔑", 10)}})
	want(t, res, http.StatusCreated)
}

// NFD and NFC spellings of one password are the same password; a password
// is never truncated (no 72-byte bcrypt limit).
func TestPasswordNormalizationAndNoTruncation(t *testing.T) {
	k := newKit(t)
	nfc := "caf\u00e9 au lait s'il vous pla\u00eet"
	nfd := "cafe\u0301 au lait s'il vous plai\u0302t"
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", Body: map[string]any{"email": "n@example.com", "password": nfc}}), 201)
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": "n@example.com", "password": nfd}}), 200)

	long := strings.Repeat("0123456789", 10) // 100 bytes
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", Body: map[string]any{"email": "long@example.com", "password": long}}), 201)
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": "long@example.com", "password": long[:72]}}), 401, "invalid_credentials")
}

func TestLoginFailuresAreIdenticalAndLimited(t *testing.T) {
	k := newKit(t)
	c := k.Register("victim@example.com")
	unknown := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": "nobody@example.com", "password": "wrong password"}})
	wrong := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": "wrong password"}})
	wantProblem(t, unknown, 401, "invalid_credentials")
	wantProblem(t, wrong, 401, "invalid_credentials")
	if string(unknown.Body) != string(wrong.Body) {
		t.Fatalf("bodies differ:\n%s\n%s", unknown.Body, wrong.Body)
	}

	var limited *testkit.Response
	for i := 0; i < 20; i++ {
		res := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": "wrong password"}})
		if res.Status == http.StatusTooManyRequests {
			limited = res
			break
		}
		wantProblem(t, res, 401, "invalid_credentials")
	}
	if limited == nil {
		t.Fatal("20 wrong passwords never produced 429")
	}
	wantProblem(t, limited, 429, "rate_limited")
	if limited.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	// The right password is refused too while the account is limited ...
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": c.Password}}), 429)
	// ... and accepted once the window has passed: no permanent lockout.
	k.Clock.Advance(16 * time.Minute)
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": c.Email, "password": c.Password}}), 200)
}
