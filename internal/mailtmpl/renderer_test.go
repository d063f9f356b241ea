package mailtmpl_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mailtmpl"
)

type fakeSource map[string]*core.MailTemplate

func (f fakeSource) GetMailTemplate(_ context.Context, shopID, kind string) (*core.MailTemplate, error) {
	if t, ok := f[shopID+"/"+kind]; ok {
		return t, nil
	}
	if shopID == "down" {
		return nil, core.ErrUnavailable
	}
	return nil, core.ErrNotFound
}

type capture struct{ got []core.Message }

func (c *capture) Send(_ context.Context, m core.Message) error { c.got = append(c.got, m); return nil }

func TestRendererPicksTheStoreTemplate(t *testing.T) {
	vars := &core.MailVars{ShopName: "Acme", Link: "https://acme.example/reset?token=T1", ValidFor: "1h0m0s"}
	src := fakeSource{
		"shp_a/password_reset": {Subject: "Acme reset", Text: "Go: {{.Link}}"},
		// Passed the check once but fails on real data: must not cost the mail.
		"shp_b/password_reset": {Text: "{{index .Orders 5}}"},
	}
	tests := []struct {
		shop, wantSubject, wantText string
		wantLog                     string
	}{
		{"shp_a", "Acme reset", "Go: https://acme.example/reset?token=T1", ""},
		{"shp_b", "Reset your password for Acme", "open this link within 1h0m0s", "store mail template failed"},
		{"shp_c", "Reset your password for Acme", "open this link within 1h0m0s", ""},
		{"down", "Reset your password for Acme", "open this link within 1h0m0s", "lookup failed"},
	}
	for _, tt := range tests {
		t.Run(tt.shop, func(t *testing.T) {
			var logs bytes.Buffer
			c := &capture{}
			r := mailtmpl.NewRenderer(c, src, slog.New(slog.NewTextHandler(&logs, nil)))
			err := r.Send(t.Context(), core.Message{To: "j@example.com", Kind: "password_reset", Subject: "plain", Text: "plain", ShopID: tt.shop, Vars: vars})
			if err != nil || len(c.got) != 1 {
				t.Fatalf("err %v, got %d", err, len(c.got))
			}
			m := c.got[0]
			if m.Subject != tt.wantSubject || !strings.Contains(m.Text, tt.wantText) || !strings.Contains(m.HTML, vars.Link) {
				t.Errorf("got %q / %q / html has link %v", m.Subject, m.Text, strings.Contains(m.HTML, vars.Link))
			}
			if tt.wantLog != "" && !strings.Contains(logs.String(), tt.wantLog) {
				t.Errorf("log %q lacks %q", logs.String(), tt.wantLog)
			}
			if strings.Contains(logs.String(), "token=") {
				t.Errorf("log holds the link: %s", logs.String())
			}
		})
	}
}

func TestRendererPassesOtherMailThrough(t *testing.T) {
	c := &capture{}
	r := mailtmpl.NewRenderer(c, nil, nil)
	for _, m := range []core.Message{
		{To: "j@example.com", Kind: "password_reset", Subject: "s", Text: "t"},
		{To: "j@example.com", Kind: "welcome_unknown", Subject: "s", Text: "t", Vars: &core.MailVars{}},
	} {
		if err := r.Send(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range c.got {
		if m.Subject != "s" || m.Text != "t" || m.HTML != "" {
			t.Errorf("changed: %+v", m)
		}
	}
}
