package bagisto_test

import "testing"

func TestSmoke(t *testing.T) {
	e := newEnv(t)
	tok, c := e.signup("ada@example.com")
	t.Logf("customer %v", c)
	r := e.do("GET", "/api/customer/get", tok, nil)
	t.Logf("%d %s", r.Status, r.Body)
	r = e.do("POST", "/api/addresses/create", tok, map[string]any{"address1": []string{"1 Main St", "Apt 2"}, "country": "us", "state": "NY", "city": "New York", "postcode": "10001", "phone": "+15551234"})
	t.Logf("%d %s", r.Status, r.Body)
	r = e.do("GET", "/api/v1/customer/addresses", tok, nil)
	t.Logf("%d %s", r.Status, r.Body)
	r = e.do("GET", "/api/wishlist/add/42", tok, nil)
	t.Logf("%d %s", r.Status, r.Body)
	r = e.do("GET", "/api/wishlist", tok, nil)
	t.Logf("%d %s", r.Status, r.Body)
	r = e.do("POST", "/api/v1/customer/register", "", map[string]any{})
	t.Logf("%d %s", r.Status, r.Body)
	r = e.do("PUT", "/api/v1/customer/profile", tok, map[string]any{"first_name": "Ada", "last_name": "L", "gender": "female", "phone": "123", "date_of_birth": "1990-01-02"})
	t.Logf("%d %s", r.Status, r.Body)
	r = e.do("GET", "/api/customer/logout", tok, nil)
	t.Logf("%d %s", r.Status, r.Body)
	r = e.do("GET", "/api/customer/get", tok, nil)
	t.Logf("%d %s", r.Status, r.Body)
}
