package bagisto_test

import (
	"strings"
	"testing"
)

// TestValidationMessages pins Laravel's 422 wording per family (contract
// §4): legacy says "The given data was invalid.", v1 the first message
// and how many more; fields come in the endpoint's order.
func TestValidationMessages(t *testing.T) {
	e := newEnv(t)
	tok, _ := e.signup("taken@example.com")
	long := strings.Repeat("x", 257)
	tests := []struct {
		name, method, path string
		auth               bool
		body               any
		want               string
	}{
		{"L register empty", "POST", "/api/customer/register", false, map[string]any{},
			`{"message":"The given data was invalid.","errors":{"first_name":["The first name field is required."],"last_name":["The last name field is required."],"email":["The email field is required."],"password":["The password field is required."]}}`},
		{"V register empty", "POST", "/api/v1/customer/register", false, map[string]any{},
			`{"message":"The first name field is required. (and 3 more errors)","errors":{"first_name":["The first name field is required."],"last_name":["The last name field is required."],"email":["The email field is required."],"password":["The password field is required."]}}`},
		{"L bad email and confirmation", "POST", "/api/customer/register", false,
			map[string]any{"first_name": "a", "last_name": "b", "email": "nope", "password": pw, "password_confirmation": "other"},
			`{"message":"The given data was invalid.","errors":{"email":["The email must be a valid email address."],"password":["The password confirmation does not match."]}}`},
		{"V bad email and confirmation", "POST", "/api/v1/customer/register", false,
			map[string]any{"first_name": "a", "last_name": "b", "email": "nope", "password": pw, "password_confirmation": "other"},
			`{"message":"The email field must be a valid email address. (and 1 more error)","errors":{"email":["The email field must be a valid email address."],"password":["The password field confirmation does not match."]}}`},
		{"L short password", "POST", "/api/customer/register", false,
			map[string]any{"first_name": "a", "last_name": "b", "email": "s@example.com", "password": "short", "password_confirmation": "short"},
			`{"message":"The given data was invalid.","errors":{"password":["The password must be at least 8 characters."]}}`},
		{"L long password", "POST", "/api/customer/register", false,
			map[string]any{"first_name": "a", "last_name": "b", "email": "s@example.com", "password": long, "password_confirmation": long},
			`{"message":"The given data was invalid.","errors":{"password":["The password may not be greater than 256 characters."]}}`},
		{"V long password", "POST", "/api/v1/customer/register", false,
			map[string]any{"first_name": "a", "last_name": "b", "email": "s@example.com", "password": long, "password_confirmation": long},
			`{"message":"The password field must not be greater than 256 characters.","errors":{"password":["The password field must not be greater than 256 characters."]}}`},
		{"L password is the e-mail", "POST", "/api/customer/register", false,
			map[string]any{"first_name": "a", "last_name": "b", "email": "samesame@example.com", "password": "samesame@example.com", "password_confirmation": "samesame@example.com"},
			`{"message":"The given data was invalid.","errors":{"password":["The password and email must be different."]}}`},
		{"V password is the e-mail", "POST", "/api/v1/customer/register", false,
			map[string]any{"first_name": "a", "last_name": "b", "email": "samesame@example.com", "password": "samesame@example.com", "password_confirmation": "samesame@example.com"},
			`{"message":"The password field and email must be different.","errors":{"password":["The password field and email must be different."]}}`},
		{"V taken e-mail", "POST", "/api/v1/customer/register", false,
			map[string]any{"first_name": "a", "last_name": "b", "email": "TAKEN@example.com", "password": pw, "password_confirmation": pw},
			`{"message":"The email has already been taken.","errors":{"email":["The email has already been taken."]}}`},
		{"L name not a string", "POST", "/api/customer/register", false,
			map[string]any{"first_name": 5, "last_name": []int{1}, "email": "n@example.com", "password": pw, "password_confirmation": pw},
			`{"message":"The given data was invalid.","errors":{"last_name":["The last name must be a string."]}}`},
		{"L login empty", "POST", "/api/customer/login", false, map[string]any{"email": "  "},
			`{"message":"The given data was invalid.","errors":{"email":["The email field is required."],"password":["The password field is required."]}}`},
		{"V login device name too long", "POST", "/api/v1/customer/login", false,
			map[string]any{"email": "taken@example.com", "password": pw, "device_name": strings.Repeat("d", 256)},
			`{"message":"The device name field must not be greater than 255 characters.","errors":{"device_name":["The device name field must not be greater than 255 characters."]}}`},
		{"L profile required and formats", "PUT", "/api/customer/profile", true,
			map[string]any{"first_name": "", "gender": "robot", "date_of_birth": "2999-01-01", "phone": "12-34"},
			`{"message":"The given data was invalid.","errors":{"first_name":["The first name field is required."],"last_name":["The last name field is required."],"gender":["The selected gender is invalid."],"date_of_birth":["The date of birth must be a date before today."],"phone":["The phone must be valid phone number."]}}`},
		{"V profile bad date", "PUT", "/api/v1/customer/profile", true,
			map[string]any{"first_name": "a", "last_name": "b", "gender": "Male", "date_of_birth": "12/31/1990", "phone": "1"},
			`{"message":"The date of birth field must be a valid date.","errors":{"date_of_birth":["The date of birth field must be a valid date."]}}`},
		{"V profile e-mail change needs current password", "PUT", "/api/v1/customer/profile", true,
			map[string]any{"first_name": "a", "last_name": "b", "gender": "Male", "phone": "1", "email": "new@example.com"},
			`{"message":"The current password field is required when email is present.","errors":{"current_password":["The current password field is required when email is present."]}}`},
		{"L address empty", "POST", "/api/addresses/create", true, map[string]any{},
			`{"message":"The given data was invalid.","errors":{"address1":["The address1 field is required."],"country":["The country field is required."],"city":["The city field is required."],"postcode":["The postcode field is required."],"phone":["The phone field is required."]}}`},
		{"L address blank lines and unknown country", "POST", "/api/addresses/create", true,
			map[string]any{"address1": []string{" ", ""}, "country": "XX", "city": "c", "postcode": "1", "phone": "1"},
			`{"message":"The given data was invalid.","errors":{"address1":["The address1 field is required."],"country":["The selected country is invalid."]}}`},
		{"V address formats", "POST", "/api/v1/customer/addresses", true,
			map[string]any{"first_name": "a", "last_name": "b", "address": []string{"1"}, "country": "US", "state": "NY", "city": "c", "postcode": "!!", "phone": "abc", "email": "x"},
			`{"message":"The postcode must be valid postcode. (and 2 more errors)","errors":{"postcode":["The postcode must be valid postcode."],"phone":["The phone must be valid phone number."],"email":["The email field must be a valid email address."]}}`},
		{"V reset without token", "POST", "/api/v1/customer/reset-password", false, map[string]any{"password": pw, "password_confirmation": pw},
			`{"message":"The token field is required.","errors":{"token":["The token field is required."]}}`},
		{"L reset with an unknown token", "POST", "/api/customer/reset-password", false, map[string]any{"token": "nope", "password": pw, "password_confirmation": pw},
			`{"message":"The given data was invalid.","errors":{"token":["This password reset token is invalid."]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := ""
			if tt.auth {
				token = tok
			}
			want(t, e.do(tt.method, tt.path, token, tt.body), 422, tt.want)
		})
	}
}
