package mail_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mail"
	"github.com/clientele/clientele/internal/mailtmpl"
)

// templatedReset is a reset message as core hands it over: plain text plus
// the vars the template package renders from.
func templatedReset() core.Message {
	return core.Message{
		To: "jane@example.com", Kind: "password_reset", Subject: "Reset your password for Ben & Jerry's <b>",
		Text:   "plain fallback " + resetLink + "\n",
		ShopID: "shp_1",
		Vars:   &core.MailVars{ShopName: "Ben & Jerry's <b>", Link: resetLink, ValidFor: "1h0m0s"},
	}
}

// parts splits a multipart/alternative message into its decoded parts.
func parts(t *testing.T, data string) map[string]string {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q (%v), want multipart/alternative", msg.Header.Get("Content-Type"), err)
	}
	out := map[string]string{}
	var order []string
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = p
		if p.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			body = quotedprintable.NewReader(p)
		}
		b, _ := io.ReadAll(body)
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[ct] = string(b)
		order = append(order, ct)
	}
	if strings.Join(order, ",") != "text/plain,text/html" {
		t.Errorf("parts %v, want text then HTML (clients show the last they can)", order)
	}
	return out
}

// TestTemplatedResetOverRealSMTP sends a reset through the production
// chain (queue → renderer → SMTP) to an SMTP server on a loopback socket.
// The server holds its greeting until the queue has accepted the message,
// so Send returning proves it never waits for the server.
func TestTemplatedResetOverRealSMTP(t *testing.T) {
	release := make(chan struct{})
	ln := listen(t)
	held := &gatedListener{Listener: ln, gate: release}
	cfg, sessions, _ := scriptedSMTP(t, held, func(int) string { return "" })

	q := mail.NewQueue(mailtmpl.NewRenderer(mail.NewSMTP(cfg), nil, nil), nil, 4)
	t.Cleanup(func() { _ = q.Close(testCtx(t)) })
	if err := q.Send(testCtx(t), templatedReset()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	close(release) // only now may the server answer

	s := <-sessions
	msg, _ := netmail.ReadMessage(strings.NewReader(s.data))
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if subject != "Reset your password for Ben & Jerry's <b>" {
		t.Errorf("Subject = %q", subject)
	}
	p := parts(t, s.data)
	text, html := p["text/plain"], p["text/html"]
	if !strings.Contains(text, resetLink) || !strings.Contains(text, "Ben & Jerry's <b>") {
		t.Errorf("text part:\n%s", text)
	}
	if !strings.Contains(html, `href="`+resetLink+`"`) {
		t.Errorf("HTML part lacks the link:\n%s", html)
	}
	if strings.Contains(html, "Jerry's <b>") || !strings.Contains(html, "Ben &amp; Jerry&#39;s &lt;b&gt;") {
		t.Errorf("HTML part does not escape the store name:\n%s", html)
	}
}

// gatedListener accepts connections but hands them over only after gate
// closes, like a server slow to take calls.
type gatedListener struct {
	net.Listener
	gate <-chan struct{}
}

func (l *gatedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	<-l.gate
	return c, nil
}

func TestPlainMessageStaysSinglePart(t *testing.T) {
	cfg, sessions, _ := scriptedSMTP(t, listen(t), func(int) string { return "" })
	m := templatedReset()
	m.Vars = nil // a message core did not give vars for goes out as written
	if err := mailtmpl.NewRenderer(mail.NewSMTP(cfg), nil, nil).Send(testCtx(t), m); err != nil {
		t.Fatal(err)
	}
	s := <-sessions
	if !strings.Contains(s.data, "Content-Type: text/plain; charset=utf-8") || !bytes.Contains([]byte(s.data), []byte("plain fallback")) {
		t.Errorf("DATA:\n%s", s.data)
	}
}
