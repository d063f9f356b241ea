package bagisto_test

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"
)

// TestRequestConventions covers contract §2: bodies (JSON, forms,
// multipart), method overrides, size and type limits, the query never
// read as input, no redirects.
func TestRequestConventions(t *testing.T) {
	e := newEnv(t)
	tok, c := e.signup("conv@example.com")
	form := "Content-Type"

	t.Run("form_with_method_override", func(t *testing.T) {
		r := e.do("POST", "/api/customer/profile", tok, "_method=PUT&first_name=+Grace+&last_name=Hopper&gender=female&phone=", form, "application/x-www-form-urlencoded")
		m := r.json(t)
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		d := m["data"].(map[string]any)
		if d["first_name"] != "Grace" || d["gender"] != "Female" || d["phone"] != nil {
			t.Fatalf("form update: %s", r.Body)
		}
	})
	t.Run("header_method_override", func(t *testing.T) {
		r := e.do("POST", "/api/customer/profile", tok, map[string]any{"first_name": "G", "last_name": "H", "gender": "Other"}, "X-HTTP-Method-Override", "PUT")
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("multipart_address_lines", func(t *testing.T) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for k, v := range map[string]string{"address1[]": "1 Main St", "country": "de", "city": "Berlin", "postcode": "10115", "phone": "1"} {
			_ = mw.WriteField(k, v)
		}
		_ = mw.WriteField("address1[]", "Hinterhaus")
		fw, _ := mw.CreateFormFile("image", "a.png")
		_, _ = fw.Write([]byte("not read"))
		_ = mw.Close()
		r := e.do("POST", "/api/addresses/create", tok, b.String(), form, mw.FormDataContentType())
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		d := r.json(t)["data"].(map[string]any)
		if lines := d["address1"].([]any); len(lines) != 2 || lines[1] != "Hinterhaus" || d["country"] != "DE" || d["country_name"] != "Germany" {
			t.Fatalf("multipart address: %s", r.Body)
		}
	})
	t.Run("unknown_fields_and_no_mass_assignment", func(t *testing.T) {
		r := e.do("PUT", "/api/customer/profile", tok, map[string]any{"first_name": "G", "last_name": "H", "gender": "Male", "id": 999, "status": 0, "customer_group_id": 7, "is_verified": 1})
		d := r.json(t)["data"].(map[string]any)
		if r.Status != 200 || d["id"] != c["id"] || d["status"].(float64) != 1 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("limits_and_types", func(t *testing.T) {
		want(t, e.do("PUT", "/api/customer/profile", tok, `{"first_name":`+strings.Repeat(" ", 70<<10)+`"x"}`, form, "application/json"), 413,
			`{"message":"The request body is too large.","error":"The request body is too large."}`)
		want(t, e.do("PUT", "/api/v1/customer/profile", tok, "<x/>", form, "text/xml"), 415, `{"message":"Unsupported Media Type"}`)
		want(t, e.do("PUT", "/api/v1/customer/profile", tok, "[1,2]", form, "application/json"), 400, `{"message":"The request body is not valid JSON."}`)
	})
	t.Run("token_query_is_not_a_credential", func(t *testing.T) {
		want(t, e.do("GET", "/api/customer/get?token="+tok, "", nil), 401, `{"message":"Unauthenticated.","error":"Unauthenticated"}`)
		want(t, e.do("GET", "/api/customer/get", "", map[string]any{"token": tok}), 401, `{"message":"Unauthenticated.","error":"Unauthenticated"}`)
	})
	t.Run("no_redirects", func(t *testing.T) {
		for _, p := range []string{"/api/customer/get/", "/api//customer/get", "/api/customer/../customer/get"} {
			r := e.do("GET", p, tok, nil, "Accept", "text/html")
			if r.Status != 404 || r.Header.Get("Location") != "" || r.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("%s: %d %v", p, r.Status, r.Header)
			}
		}
		r := e.do("GET", "/api/v1/customer/forgot-password", "", nil)
		want(t, r, 405, `{"message":"Method Not Allowed"}`)
		if r.Header.Get("Allow") != "POST" {
			t.Fatalf("Allow %q", r.Header.Get("Allow"))
		}
	})
	t.Run("preflight", func(t *testing.T) {
		r := e.do("OPTIONS", "/api/v1/customer/get", "", nil, "Origin", "https://shop.example", "Access-Control-Request-Method", "GET")
		if r.Status != 204 || r.Header.Get("Access-Control-Allow-Origin") != "https://shop.example" || r.Header.Get("Access-Control-Allow-Credentials") != "true" {
			t.Fatalf("preflight %d %v", r.Status, r.Header)
		}
		r = e.do("GET", "/api/v1/customer/get", tok, nil, "Origin", "https://evil.example")
		if r.Status != 200 || r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("foreign origin must not be allowed to read: %v", r.Header)
		}
	})
}
