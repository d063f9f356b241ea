package securitytest

import (
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

// A surface is one wire format over the core: /v1 or a dialect. The cases
// that SECURITY.md asks of "every dialect" (1–4, 13, 27, 31) loop over
// surfaces, so a dialect joins them by adding one row to the surfaces list
// below. The Bagisto and SFCC rows live in surfaces_more_test.go.
type surface struct {
	name string
	// signup registers email with pw and returns a customer access token.
	signup func(t testing.TB, k *testkit.Kit, pk, email string) string
	// register is the raw registration attempt (the probe of case 3).
	register func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response
	// login is a password login.
	login func(t testing.TB, k *testkit.Kit, pk, email, password string) *testkit.Response
	// reset requests a password-reset mail.
	reset func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response
	// me reads the profile with a token.
	me func(t testing.TB, k *testkit.Kit, pk, token string) *testkit.Response
	// addAddress creates an address and returns the id the surface shows.
	addAddress func(t testing.TB, k *testkit.Kit, pk, token string) string
	// address reads (GET), changes (PATCH) or deletes (DELETE) an address
	// by id; a surface without a read route answers nil for GET.
	address func(t testing.TB, k *testkit.Kit, pk, token, method, id string) *testkit.Response
	// unauthorized is the status the surface gives a refused token.
	unauthorized int
	// foreign is the status of another customer's address (case 27) when
	// the dialect's contract prescribes one other than 404.
	foreign int
}

func bearer(tok string) map[string]string {
	if tok == "" {
		return map[string]string{}
	}
	return map[string]string{"Authorization": "Bearer " + tok}
}

func with(h map[string]string, k, v string) map[string]string {
	h[k] = v
	return h
}

const spreeBase = "/spree/api/v3/store"

var surfaces = []surface{
	{
		name: "v1",
		signup: func(t testing.TB, k *testkit.Kit, pk, email string) string {
			t.Helper()
			r := do(t, k, "POST", "/v1/customers", map[string]any{"email": email, "password": pw}, map[string]string{"X-Publishable-Key": pk})
			want(t, r, 201)
			return r.Str(t, "access_token")
		},
		register: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
			return do(t, k, "POST", "/v1/customers", map[string]any{"email": email, "password": pw}, map[string]string{"X-Publishable-Key": pk})
		},
		login: func(t testing.TB, k *testkit.Kit, pk, email, password string) *testkit.Response {
			return do(t, k, "POST", "/v1/auth/login", map[string]any{"email": email, "password": password}, map[string]string{"X-Publishable-Key": pk})
		},
		reset: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
			return do(t, k, "POST", "/v1/password-resets", map[string]any{"email": email}, map[string]string{"X-Publishable-Key": pk})
		},
		me: func(t testing.TB, k *testkit.Kit, pk, token string) *testkit.Response {
			return do(t, k, "GET", "/v1/customer", nil, with(bearer(token), "X-Publishable-Key", pk))
		},
		addAddress: func(t testing.TB, k *testkit.Kit, pk, token string) string {
			t.Helper()
			r := do(t, k, "POST", "/v1/customer/addresses", map[string]any{"first_name": "B", "last_name": "B", "address1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country_code": "DE"}, with(bearer(token), "X-Publishable-Key", pk))
			want(t, r, 201)
			return r.Str(t, "id")
		},
		address: func(t testing.TB, k *testkit.Kit, pk, token, method, id string) *testkit.Response {
			var body any
			if method == "PATCH" {
				body = map[string]any{"city": "Hijacked"}
			}
			return do(t, k, method, "/v1/customer/addresses/"+id, body, with(bearer(token), "X-Publishable-Key", pk))
		},
		unauthorized: 401,
	},
	{
		name: "spree",
		signup: func(t testing.TB, k *testkit.Kit, pk, email string) string {
			t.Helper()
			r := do(t, k, "POST", spreeBase+"/customers", map[string]any{"email": email, "password": pw, "password_confirmation": pw}, map[string]string{"X-Spree-Api-Key": pk})
			want(t, r, 201)
			return r.Str(t, "token")
		},
		register: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
			return do(t, k, "POST", spreeBase+"/customers", map[string]any{"email": email, "password": pw, "password_confirmation": pw}, map[string]string{"X-Spree-Api-Key": pk})
		},
		login: func(t testing.TB, k *testkit.Kit, pk, email, password string) *testkit.Response {
			return do(t, k, "POST", spreeBase+"/auth/login", map[string]any{"email": email, "password": password}, map[string]string{"X-Spree-Api-Key": pk})
		},
		reset: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
			return do(t, k, "POST", spreeBase+"/password_resets", map[string]any{"email": email}, map[string]string{"X-Spree-Api-Key": pk})
		},
		me: func(t testing.TB, k *testkit.Kit, pk, token string) *testkit.Response {
			return do(t, k, "GET", spreeBase+"/customers/me", nil, with(bearer(token), "X-Spree-Api-Key", pk))
		},
		addAddress: func(t testing.TB, k *testkit.Kit, pk, token string) string {
			t.Helper()
			r := do(t, k, "POST", spreeBase+"/customers/me/addresses", map[string]any{"first_name": "B", "last_name": "B", "address1": "1 Main St", "city": "Berlin", "postal_code": "10115", "country_iso": "DE"}, with(bearer(token), "X-Spree-Api-Key", pk))
			want(t, r, 201)
			return r.Str(t, "id")
		},
		address: func(t testing.TB, k *testkit.Kit, pk, token, method, id string) *testkit.Response {
			var body any
			if method == "PATCH" {
				body = map[string]any{"city": "Hijacked"}
			}
			return do(t, k, method, spreeBase+"/customers/me/addresses/"+id, body, with(bearer(token), "X-Spree-Api-Key", pk))
		},
		unauthorized: 401,
	},
	{
		name: "medusa",
		signup: func(t testing.TB, k *testkit.Kit, pk, email string) string {
			t.Helper()
			h := map[string]string{"X-Publishable-Api-Key": pk}
			r := do(t, k, "POST", "/medusa/auth/customer/emailpass/register", map[string]any{"email": email, "password": pw}, h)
			want(t, r, 200)
			r = do(t, k, "POST", "/medusa/store/customers", map[string]any{"first_name": "Ada"}, with(bearer(r.Str(t, "token")), "X-Publishable-Api-Key", pk))
			want(t, r, 200)
			r = do(t, k, "POST", "/medusa/auth/customer/emailpass", map[string]any{"email": email, "password": pw}, h)
			want(t, r, 200)
			return r.Str(t, "token")
		},
		register: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
			return do(t, k, "POST", "/medusa/auth/customer/emailpass/register", map[string]any{"email": email, "password": pw}, map[string]string{"X-Publishable-Api-Key": pk})
		},
		login: func(t testing.TB, k *testkit.Kit, pk, email, password string) *testkit.Response {
			return do(t, k, "POST", "/medusa/auth/customer/emailpass", map[string]any{"email": email, "password": password}, map[string]string{"X-Publishable-Api-Key": pk})
		},
		reset: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
			return do(t, k, "POST", "/medusa/auth/customer/emailpass/reset-password", map[string]any{"identifier": email}, map[string]string{"X-Publishable-Api-Key": pk})
		},
		me: func(t testing.TB, k *testkit.Kit, pk, token string) *testkit.Response {
			return do(t, k, "GET", "/medusa/store/customers/me", nil, with(bearer(token), "X-Publishable-Api-Key", pk))
		},
		addAddress: func(t testing.TB, k *testkit.Kit, pk, token string) string {
			t.Helper()
			r := do(t, k, "POST", "/medusa/store/customers/me/addresses", map[string]any{"address_1": "1 Main St", "city": "Paris", "country_code": "FR"}, with(bearer(token), "X-Publishable-Api-Key", pk))
			want(t, r, 200)
			addrs := r.JSON(t)["customer"].(map[string]any)["addresses"].([]any)
			return addrs[len(addrs)-1].(map[string]any)["id"].(string)
		},
		address: func(t testing.TB, k *testkit.Kit, pk, token, method, id string) *testkit.Response {
			var body any
			if method == "PATCH" {
				method, body = "POST", map[string]any{"city": "Hijacked"}
			}
			return do(t, k, method, "/medusa/store/customers/me/addresses/"+id, body, with(bearer(token), "X-Publishable-Api-Key", pk))
		},
		unauthorized: 401,
	},
	{
		name: "medusa-v1",
		signup: func(t testing.TB, k *testkit.Kit, pk, email string) string {
			t.Helper()
			h := map[string]string{"X-Publishable-Api-Key": pk}
			want(t, do(t, k, "POST", "/medusa-v1/store/customers", map[string]any{"first_name": "A", "last_name": "B", "email": email, "password": pw}, h), 200)
			r := do(t, k, "POST", "/medusa-v1/store/auth/token", map[string]any{"email": email, "password": pw}, h)
			want(t, r, 200)
			return r.Str(t, "access_token")
		},
		register: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
			return do(t, k, "POST", "/medusa-v1/store/customers", map[string]any{"first_name": "A", "last_name": "B", "email": email, "password": pw}, map[string]string{"X-Publishable-Api-Key": pk})
		},
		login: func(t testing.TB, k *testkit.Kit, pk, email, password string) *testkit.Response {
			return do(t, k, "POST", "/medusa-v1/store/auth/token", map[string]any{"email": email, "password": password}, map[string]string{"X-Publishable-Api-Key": pk})
		},
		reset: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
			return do(t, k, "POST", "/medusa-v1/store/customers/password-token", map[string]any{"email": email}, map[string]string{"X-Publishable-Api-Key": pk})
		},
		me: func(t testing.TB, k *testkit.Kit, pk, token string) *testkit.Response {
			return do(t, k, "GET", "/medusa-v1/store/customers/me", nil, with(bearer(token), "X-Publishable-Api-Key", pk))
		},
		addAddress: func(t testing.TB, k *testkit.Kit, pk, token string) string {
			t.Helper()
			r := do(t, k, "POST", "/medusa-v1/store/customers/me/addresses", map[string]any{"address": map[string]any{"first_name": "B", "last_name": "B", "address_1": "1 Main St", "city": "Paris", "country_code": "fr", "postal_code": "75001"}}, with(bearer(token), "X-Publishable-Api-Key", pk))
			want(t, r, 200)
			addrs := r.JSON(t)["customer"].(map[string]any)["shipping_addresses"].([]any)
			return addrs[len(addrs)-1].(map[string]any)["id"].(string)
		},
		address: func(t testing.TB, k *testkit.Kit, pk, token, method, id string) *testkit.Response {
			var body any
			switch method {
			case "GET":
				return nil // Medusa v1 has no address read route
			case "PATCH":
				method, body = "POST", map[string]any{"city": "Hijacked"}
			}
			return do(t, k, method, "/medusa-v1/store/customers/me/addresses/"+id, body, with(bearer(token), "X-Publishable-Api-Key", pk))
		},
		unauthorized: 401,
	},
	bagistoSurface,
	sfccSurface,
}

// dialectSurfaces are the surfaces other than /v1.
func dialectSurfaces() []surface {
	var out []surface
	for _, s := range surfaces {
		if !strings.HasPrefix(s.name, "v1") {
			out = append(out, s)
		}
	}
	return out
}
