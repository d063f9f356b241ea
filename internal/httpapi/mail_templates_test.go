package httpapi_test

import (
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

const resetTemplates = "/admin/v1/mail-templates/password_reset"

// A template that does not parse or render is refused with 422 naming the
// part and position, and nothing is saved.
func TestMailTemplateValidation(t *testing.T) {
	k := newKit(t)
	tests := []struct {
		name      string
		body      map[string]any
		field     string
		inMessage string
	}{
		{"parse_error", map[string]any{"text": "Hello\n{{.ShopName"}, "text", "text: line 2"},
		{"unknown_field", map[string]any{"html": "<p>\n  {{.Password}}</p>"}, "html", "html: line 2, column 4"},
		{"unknown_function", map[string]any{"subject": "{{shout .ShopName}}"}, "subject", `function "shout" not defined`},
		{"html_unclosed_attribute", map[string]any{"html": `<a href="{{.Link}}`}, "html", "html:"},
		{"huge_output", map[string]any{"text": `{{printf "%0999999d" 0}}`}, "text", "renders more than"},
		{"empty_subject", map[string]any{"subject": "{{/* nothing */}}"}, "subject", "renders empty"},
		{"nothing_given", map[string]any{}, "", "at least one"},
		{"part_too_large", map[string]any{"text": strings.Repeat("x", 64<<10+1)}, "text", "64 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := k.Do(testkit.Req{Method: "PUT", Path: resetTemplates, Admin: true, Body: tt.body})
			wantProblem(t, res, 422, "validation_failed")
			errs, _ := res.JSON(t)["errors"].([]any)
			if len(errs) != 1 {
				t.Fatalf("errors = %s", res.Body)
			}
			e := errs[0].(map[string]any)
			if e["field"] != tt.field || !strings.Contains(e["message"].(string), tt.inMessage) {
				t.Errorf("error %v, want field %q with %q", e, tt.field, tt.inMessage)
			}
		})
	}
	got := k.Do(testkit.Req{Method: "GET", Path: resetTemplates, Admin: true})
	want(t, got, 200)
	if got.JSON(t)["customized"] != false {
		t.Fatalf("a refused template was saved: %s", got.Body)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/mail-templates/welcome_pony", Admin: true, Body: map[string]any{"text": "x"}}), 404, "not_found")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/mail-templates/welcome_pony", Admin: true}), 404, "not_found")
	wantProblem(t, k.Do(testkit.Req{Method: "PUT", Path: resetTemplates, Admin: true, Body: map[string]any{"text": "x", "from": "evil@example.com"}, NoCheck: true}), 400, "unknown_field")
	wantProblem(t, k.Do(testkit.Req{Method: "PUT", Path: resetTemplates, Admin: true, Body: `{"text":`, NoCheck: true}), 400, "malformed_json")
	wantProblem(t, k.Do(testkit.Req{Method: "PUT", Path: resetTemplates, Token: k.PK, PK: "-", Body: map[string]any{"text": "x"}}), 401, "invalid_api_key")
}

// A saved template is the store's own: another store keeps the default,
// and deleting it returns to the default.
func TestMailTemplateLifecycleAndIsolation(t *testing.T) {
	k := newKit(t)
	list := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/mail-templates", Admin: true})
	want(t, list, 200)
	if n := len(list.JSON(t)["data"].([]any)); n != len(core.MailKinds) {
		t.Fatalf("%d kinds listed, want %d", n, len(core.MailKinds))
	}
	res := k.Do(testkit.Req{Method: "PUT", Path: resetTemplates, Admin: true, Body: map[string]any{
		"subject": "{{.ShopName}}: new password", "html": `<p>Hi! <a href="{{.Link}}">Reset</a></p>`,
	}})
	want(t, res, 200)
	m := res.JSON(t)
	if m["customized"] != true || m["text"] != nil || m["subject"] != "{{.ShopName}}: new password" {
		t.Fatalf("saved = %s", res.Body)
	}

	other := k.NewShop("Other")
	res = k.Do(testkit.Req{Method: "GET", Path: resetTemplates, Token: other.SecretKey, PK: "-"})
	want(t, res, 200)
	if res.JSON(t)["customized"] != false {
		t.Fatalf("another store sees the template: %s", res.Body)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "DELETE", Path: resetTemplates, Token: other.SecretKey, PK: "-"}), 404, "not_found")

	want(t, k.Do(testkit.Req{Method: "DELETE", Path: resetTemplates, Admin: true}), 204)
	wantProblem(t, k.Do(testkit.Req{Method: "DELETE", Path: resetTemplates, Admin: true}), 404, "not_found")
	if got := k.Do(testkit.Req{Method: "GET", Path: resetTemplates, Admin: true}); got.JSON(t)["customized"] != false {
		t.Fatalf("after delete: %s", got.Body)
	}
}
