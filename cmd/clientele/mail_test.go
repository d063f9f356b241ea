package main

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mailtmpl"
)

// preview runs `clientele mail preview` with args and returns stdout.
func preview(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(t.Context(), append([]string{"mail", "preview"}, args...), testEnv(nil), &out, io.Discard)
	return out.String(), err
}

func TestMailPreviewList(t *testing.T) {
	out, err := preview(t, "--list")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(out); !slices.Equal(got, core.MailKinds) || !slices.Contains(got, "welcome") {
		t.Fatalf("--list = %q, want %v", out, core.MailKinds)
	}
}

func TestMailPreviewFormats(t *testing.T) {
	def, err := mailtmpl.Render("welcome", nil, mailtmpl.Sample("welcome"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ format, want string }{
		{"subject", def.Subject + "\n"},
		{"text", def.Text},
		{"html", def.HTML},
	} {
		t.Run(tt.format, func(t *testing.T) {
			out, err := preview(t, "--kind", "welcome", "--format", tt.format)
			if err != nil || out != tt.want {
				t.Fatalf("err %v, output\n%s\nwant\n%s", err, out, tt.want)
			}
		})
	}
	// text is the default format, and a short name works as the kind.
	out, err := preview(t, "--kind", "reset")
	if err != nil || !strings.Contains(out, "reset-password?token=SAMPLE-TOKEN") || strings.Contains(out, "<p") {
		t.Fatalf("default format: %v\n%s", err, out)
	}

	t.Run("eml", func(t *testing.T) {
		out, err := preview(t, "--kind", "welcome", "--format", "eml")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "\r\n") || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
			t.Fatalf("eml lines must end in CRLF only")
		}
		msg, err := mail.ReadMessage(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if subject != def.Subject || msg.Header.Get("To") != "<customer@example.com>" ||
			!strings.Contains(msg.Header.Get("From"), "no-reply@clientele.localhost") ||
			msg.Header.Get("Message-Id") == "" || msg.Header.Get("Date") == "" || msg.Header.Get("Mime-Version") != "1.0" {
			t.Fatalf("headers %v", msg.Header)
		}
		mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/alternative" {
			t.Fatalf("content type %q (%v)", msg.Header.Get("Content-Type"), err)
		}
		r := multipart.NewReader(msg.Body, params["boundary"])
		var types, bodies []string
		for {
			p, err := r.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(p)
			types = append(types, p.Header.Get("Content-Type"))
			bodies = append(bodies, strings.ReplaceAll(string(b), "\r\n", "\n"))
		}
		// Text first, HTML last: clients show the last part they can.
		if !slices.Equal(types, []string{"text/plain; charset=utf-8", "text/html; charset=utf-8"}) ||
			bodies[0] != def.Text || bodies[1] != def.HTML {
			t.Fatalf("parts %v:\n%v", types, bodies)
		}
	})
}

func TestMailPreviewStoreTemplate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	store := newStoreCLI(t, db, "Acme & Co")
	svc, closeFn, err := openService(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.PutMailTemplate(t.Context(), store, core.MailTemplate{Kind: "welcome", Subject: "Hello from {{.ShopName}}"}, mailtmpl.Check)
	closeFn()
	if err != nil {
		t.Fatal(err)
	}

	// The store's subject, its name, and the default for the parts it left empty.
	got, err := preview(t, "--db", db, "--store", store, "--kind", "welcome", "--format", "subject")
	if err != nil || got != "Hello from Acme & Co\n" {
		t.Fatalf("subject %q (%v)", got, err)
	}
	got, err = preview(t, "--db", db, "--store", store, "--kind", "welcome", "--format", "html")
	if err != nil || !strings.Contains(got, "Welcome to Acme &amp; Co!") || strings.Contains(got, "Sample") {
		t.Fatalf("html (%v):\n%s", err, got)
	}
	// A kind the store did not restyle is the default with the store's name.
	got, err = preview(t, "--db", db, "--store", store, "--kind", "password_changed", "--format", "subject")
	if err != nil || got != "Your Acme & Co password was changed\n" {
		t.Fatalf("default subject %q (%v)", got, err)
	}
	if _, err := preview(t, "--db", db, "--store", "sto_nope", "--kind", "welcome"); err == nil || !strings.Contains(err.Error(), "sto_nope") {
		t.Fatalf("unknown store: %v", err)
	}
}

func TestMailPreviewBadInput(t *testing.T) {
	for name, tt := range map[string]struct {
		args []string
		want string
	}{
		"unknown kind":   {[]string{"--kind", "birthday"}, `unknown mail kind "birthday"`},
		"unknown format": {[]string{"--kind", "welcome", "--format", "pdf"}, `unknown format "pdf"`},
		"no kind":        {nil, "usage: clientele mail preview"},
		"extra argument": {[]string{"--kind", "welcome", "oops"}, "unexpected arguments"},
	} {
		t.Run(name, func(t *testing.T) {
			out, err := preview(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) || out != "" {
				t.Fatalf("err %v, output %q; want an error with %q and no output", err, out, tt.want)
			}
		})
	}
	if err := run(t.Context(), []string{"mail", "send"}, testEnv(nil), io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "usage: clientele mail preview") {
		t.Fatalf("mail send: %v", err)
	}
}
