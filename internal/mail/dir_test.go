package mail_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mail"
)

const resetLink = "http://localhost:3000/reset-password?token=abc_DEF-123"

func resetMessage() core.Message {
	return core.Message{
		To:      "jane@example.com",
		Subject: "Reset your password",
		Text:    "Hello,\n\nfollow this link to choose a new password:\n" + resetLink + "\n",
		Kind:    "password_reset",
	}
}

func newDir(t *testing.T) (*mail.Dir, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "not", "yet", "there")
	d, err := mail.NewDir(dir, "Clientele <no-reply@clientele.test>")
	if err != nil {
		t.Fatalf("NewDir: %v", err)
	}
	return d, dir
}

// readOnly returns the single file in dir, failing if there is any other.
func readOnly(t *testing.T, dir string) (string, []byte) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("dir holds %d entries, want 1: %v", len(entries), entries)
	}
	raw, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	return entries[0].Name(), raw
}

func TestDirWritesParseableMessage(t *testing.T) {
	d, dir := newDir(t)
	if err := d.Send(testCtx(t), resetMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	name, raw := readOnly(t, dir)

	if !bytes.Contains(raw, []byte(resetLink)) {
		t.Errorf("file does not hold the link verbatim:\n%s", raw)
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ReadMessage: %v", err)
	}
	for header, want := range map[string]string{
		"From":                      `"Clientele" <no-reply@clientele.test>`,
		"To":                        "<jane@example.com>",
		"Subject":                   "Reset your password",
		"MIME-Version":              "1.0",
		"Content-Type":              "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "8bit",
	} {
		if got := msg.Header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	if id := msg.Header.Get("Message-ID"); !regexp.MustCompile(`^<[A-Z2-7]+@clientele\.test>$`).MatchString(id) {
		t.Errorf("Message-ID = %q", id)
	}
	if _, err := msg.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	body, _ := io.ReadAll(msg.Body)
	if !bytes.Contains(body, []byte("token=abc_DEF-123")) {
		t.Errorf("body lacks token=:\n%s", body)
	}
	if !strings.HasSuffix(name, "-password_reset.eml") {
		t.Errorf("name %q does not end in the kind", name)
	}

	// Messages hold live tokens: only the service's user may read them.
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, name): 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, err %v; want %v", path, fi.Mode().Perm(), err, want)
		}
	}
}

func TestDirNamesFilesUniquelyAndLeavesNoTempFiles(t *testing.T) {
	d, dir := newDir(t)
	// A pinned clock gives every message the same timestamp, so only the
	// random part can keep the names apart.
	at := time.Date(2025, 1, 2, 3, 4, 5, 6, time.FixedZone("CET", 3600))
	mail.SetDirClock(d, func() time.Time { return at })

	const n = 20
	for range n {
		if err := d.Send(testCtx(t), resetMessage()); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n {
		t.Fatalf("got %d files, want %d", len(entries), n)
	}
	name := regexp.MustCompile(`^20250102T020405\.000000006Z-[A-Z2-7]{8}-password_reset\.eml$`)
	for _, e := range entries {
		if !name.MatchString(e.Name()) {
			t.Errorf("unexpected file %q (temp files must be gone, names UTC-timestamped)", e.Name())
		}
	}
}

func TestDirKeepsKindInsideDir(t *testing.T) {
	d, dir := newDir(t)
	m := resetMessage()
	m.Kind = "../../escape"
	if err := d.Send(testCtx(t), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	name, _ := readOnly(t, dir)
	if !strings.HasSuffix(name, "-______escape.eml") {
		t.Errorf("name = %q", name)
	}
}

func TestDirRejectsHeaderInjection(t *testing.T) {
	for name, edit := range map[string]func(*core.Message){
		"case=to-crlf":       func(m *core.Message) { m.To = "jane@example.com\r\nBcc: evil@example.net" },
		"case=to-lf":         func(m *core.Message) { m.To = "jane@example.com\nBcc: evil@example.net" },
		"case=to-two":        func(m *core.Message) { m.To = "jane@example.com, evil@example.net" },
		"case=to-empty":      func(m *core.Message) { m.To = "" },
		"case=subject-crlf":  func(m *core.Message) { m.Subject = "Hi\r\nBcc: evil@example.net" },
		"case=subject-cr":    func(m *core.Message) { m.Subject = "Hi\rBcc: evil@example.net" },
		"case=subject-nul":   func(m *core.Message) { m.Subject = "Hi\x00" },
		"case=subject-utf8":  func(m *core.Message) { m.Subject = "Hi \xff" },
		"case=subject-split": func(m *core.Message) { m.Subject = "Hi\r\n\r\nforged body" },
	} {
		t.Run(name, func(t *testing.T) {
			d, dir := newDir(t)
			m := resetMessage()
			edit(&m)
			if err := d.Send(testCtx(t), m); !errors.Is(err, mail.ErrHeader) {
				t.Fatalf("Send = %v, want ErrHeader", err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("rejected message left files: %v", entries)
			}
		})
	}
	if _, err := mail.NewDir(t.TempDir(), "no-reply@clientele.test\r\nBcc: x@y"); !errors.Is(err, mail.ErrHeader) {
		t.Errorf("NewDir with injected From = %v, want ErrHeader", err)
	}
}

func TestDirEncodesNonASCIIAndLongText(t *testing.T) {
	d, dir := newDir(t)
	subject := "Réinitialisez votre mot de passe — " + strings.Repeat("très long sujet ", 8)
	long := strings.Repeat("x", 1200)
	m := resetMessage()
	m.Subject = subject
	m.Text = "Bonjour Zoë,\n" + long + "\n" + resetLink + "\n"
	if err := d.Send(testCtx(t), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	_, raw := readOnly(t, dir)
	for line := range strings.SplitSeq(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Fatalf("line of %d octets breaks RFC 5322", len(line))
		}
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ReadMessage: %v", err)
	}
	if got, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil || got != subject {
		t.Errorf("Subject = %q, %v; want %q", got, err, subject)
	}
	if cte := msg.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
		t.Fatalf("Content-Transfer-Encoding = %q, want quoted-printable for a 1200-octet line", cte)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.ReplaceAll(m.Text, "\n", "\r\n"); string(body) != want {
		t.Errorf("decoded body differs:\n got %q\nwant %q", body, want)
	}
}

func TestDirHonoursCancelledContext(t *testing.T) {
	d, dir := newDir(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := d.Send(ctx, resetMessage()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("cancelled send wrote %v", entries)
	}
}
