package mailtmpl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mailtmpl"
)

func TestDefaultsRenderEveryKind(t *testing.T) {
	for _, kind := range core.MailKinds {
		t.Run(kind, func(t *testing.T) {
			v := mailtmpl.Sample(kind)
			out, err := mailtmpl.Render(kind, nil, v)
			if err != nil {
				t.Fatal(err)
			}
			if out.Subject == "" || strings.ContainsAny(out.Subject, "\r\n") {
				t.Errorf("subject %q", out.Subject)
			}
			if !strings.Contains(out.Subject, v.ShopName) || !strings.Contains(out.Text, v.ShopName) {
				t.Errorf("store name missing from subject %q or text", out.Subject)
			}
			// The HTML part escapes the name; the raw markup never appears.
			if strings.Contains(out.HTML, "<Shop>") || !strings.Contains(out.HTML, "Sample &amp; Sons &lt;Shop&gt;") {
				t.Errorf("store name not escaped in HTML:\n%s", out.HTML)
			}
			if v.Link != "" {
				htmlLink := strings.ReplaceAll(v.Link, "&", "&amp;")
				if !strings.Contains(out.Text, v.Link) || !strings.Contains(out.HTML, `href="`+htmlLink+`"`) {
					t.Errorf("link missing from a part:\n%s\n%s", out.Text, out.HTML)
				}
			}
			if !strings.HasPrefix(out.HTML, "<!DOCTYPE html>") || !strings.Contains(out.HTML, `role="presentation"`) {
				t.Errorf("HTML is not the table layout")
			}
		})
	}
}

func TestOverrideUsesStorePartsAndDefaultsForTheRest(t *testing.T) {
	o := &core.MailTemplate{Kind: "password_reset", Subject: "{{.ShopName}}:\r\nBcc: x@evil.example", HTML: `<p>Hi from {{.ShopName}}: <a href="{{.Link}}">go</a></p>`}
	v := mailtmpl.Sample("password_reset")
	out, err := mailtmpl.Render("password_reset", o, v)
	if err != nil {
		t.Fatal(err)
	}
	if out.Subject != "Sample & Sons <Shop>: Bcc: x@evil.example" {
		t.Errorf("subject %q: a line break must fold, never start a header", out.Subject)
	}
	if !strings.Contains(out.HTML, "Hi from Sample &amp; Sons &lt;Shop&gt;") || strings.Contains(out.HTML, "DOCTYPE") {
		t.Errorf("html %q", out.HTML)
	}
	if !strings.Contains(out.Text, "open this link within 1h0m0s") {
		t.Errorf("text did not fall back to the default: %q", out.Text)
	}
}

func TestHTMLRefusesScriptLinks(t *testing.T) {
	v := mailtmpl.Sample("password_reset")
	v.Link = "javascript:alert(1)"
	out, err := mailtmpl.Render("password_reset", nil, v)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.HTML, `href="javascript`) || !strings.Contains(out.HTML, `href="#ZgotmplZ"`) {
		t.Errorf("html/template must filter a javascript: URL:\n%s", out.HTML)
	}
}

func TestCheckReportsPosition(t *testing.T) {
	tests := []struct {
		name string
		t    core.MailTemplate
		part string
		line int
		col  int
		want string
	}{
		{"unclosed action", core.MailTemplate{Kind: "password_reset", Text: "Hello\n{{.ShopName"}, "text", 2, 0, "unclosed action"},
		{"unknown field", core.MailTemplate{Kind: "password_reset", HTML: "<p>\n  {{.Password}}</p>"}, "html", 2, 4, "can't evaluate field Password"},
		{"bad subject func", core.MailTemplate{Kind: "password_reset", Subject: "{{nope .}}"}, "subject", 1, 0, `function "nope" not defined`},
		{"html ends in an attribute", core.MailTemplate{Kind: "password_reset", HTML: `<a href="{{.Link}}`}, "html", 0, 0, "ends in a non-text context"},
		{"subject renders empty", core.MailTemplate{Kind: "password_reset", Subject: "{{if false}}x{{end}}"}, "subject", 0, 0, "renders empty"},
		{"huge output", core.MailTemplate{Kind: "password_reset", Text: `{{printf "%0999999d" 0}}`}, "text", 0, 0, "renders more than"},
		{"unknown kind", core.MailTemplate{Kind: "nope", Text: "x"}, "kind", 0, 0, "no template"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mailtmpl.Check(tt.t)
			var te *core.MailTemplateError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a MailTemplateError", err)
			}
			if te.Part != tt.part || te.Line != tt.line || te.Column != tt.col || !strings.Contains(te.Problem, tt.want) {
				t.Errorf("got %+v, want part %s line %d col %d with %q", *te, tt.part, tt.line, tt.col, tt.want)
			}
			if strings.Contains(te.Problem, "core.") {
				t.Errorf("problem leaks Go type names: %q", te.Problem)
			}
		})
	}
	if err := mailtmpl.Check(core.MailTemplate{Kind: "order_claim", Text: "{{join .Orders \", \"}} {{.Link}}"}); err != nil {
		t.Errorf("a good template fails: %v", err)
	}
}
