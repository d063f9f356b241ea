package securitytest

import (
	"fmt"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

// bagistoBase is the Bagisto dialect's base pinned to a store by its
// publishable key (contract: /bagisto/stores/{pk}).
func bagistoBase(pk string) string { return "/bagisto/stores/" + pk }

// bagistoSurface is the Bagisto dialect through its legacy family (the
// one the SDK speaks by default). Its ids are integers, so case 27's
// missing id is a large integer rather than a ghost of a prefixed id.
var bagistoSurface = surface{
	name: "bagisto",
	signup: func(t testing.TB, k *testkit.Kit, pk, email string) string {
		t.Helper()
		want(t, do(t, k, "POST", bagistoBase(pk)+"/api/customer/register", map[string]any{"first_name": "Ada", "last_name": "B", "email": email, "password": pw, "password_confirmation": pw}, nil), 200)
		r := do(t, k, "POST", bagistoBase(pk)+"/api/customer/login?token=true", map[string]any{"email": email, "password": pw}, nil)
		want(t, r, 200)
		return r.Str(t, "token")
	},
	register: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
		return do(t, k, "POST", bagistoBase(pk)+"/api/customer/register", map[string]any{"first_name": "Ada", "last_name": "B", "email": email, "password": pw, "password_confirmation": pw}, nil)
	},
	login: func(t testing.TB, k *testkit.Kit, pk, email, password string) *testkit.Response {
		return do(t, k, "POST", bagistoBase(pk)+"/api/customer/login?token=true", map[string]any{"email": email, "password": password}, nil)
	},
	reset: func(t testing.TB, k *testkit.Kit, pk, email string) *testkit.Response {
		return do(t, k, "POST", bagistoBase(pk)+"/api/customer/forgot-password", map[string]any{"email": email}, nil)
	},
	me: func(t testing.TB, k *testkit.Kit, pk, token string) *testkit.Response {
		return do(t, k, "GET", bagistoBase(pk)+"/api/customer/get", nil, bearer(token))
	},
	addAddress: func(t testing.TB, k *testkit.Kit, pk, token string) string {
		t.Helper()
		r := do(t, k, "POST", bagistoBase(pk)+"/api/addresses/create", map[string]any{"address1": []string{"1 Main St"}, "country": "US", "state": "NY", "city": "NYC", "postcode": "10001", "phone": "1"}, bearer(token))
		want(t, r, 200)
		return fmt.Sprint(r.JSON(t)["data"].(map[string]any)["id"])
	},
	address: func(t testing.TB, k *testkit.Kit, pk, token, method, id string) *testkit.Response {
		var body any
		if method == "PATCH" {
			method, body = "PUT", map[string]any{"first_name": "x", "last_name": "y", "address1": []string{"1 Main St"}, "country": "US", "state": "NY", "city": "Hijacked", "postcode": "10001", "phone": "1"}
		}
		return do(t, k, method, bagistoBase(pk)+"/api/addresses/"+id, body, bearer(token))
	},
	unauthorized: 401,
}

// missingID is an id of the same shape as id that names nothing: a ghost
// of a prefixed id, or an integer no row reaches for a numeric one.
func missingID(id string) string {
	if _, err := fmt.Sscan(id, new(int64)); err == nil {
		return "2147483647"
	}
	return ghostID("/x/y/z/" + id)[len("/x/y/z/"):]
}
