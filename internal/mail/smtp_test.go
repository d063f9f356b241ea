package mail_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mail"
)

// smtpSession is what the fake server saw on one connection.
type smtpSession struct {
	cmds []string // command lines in order
	data string   // the DATA payload, dots unstuffed, without the final "."
}

// fakeSMTP speaks just enough SMTP for net/smtp, announcing ext after
// EHLO. With silent set it accepts connections but never greets, like a
// stalled server. Each finished connection is reported on the channel.
func fakeSMTP(t *testing.T, silent bool, ext ...string) (mail.SMTPConfig, <-chan smtpSession) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	sessions := make(chan smtpSession, 10)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = conn.Close() }()
				if silent {
					_, _ = io.Copy(io.Discard, conn) // until the client gives up
					sessions <- smtpSession{}
					return
				}
				sessions <- serveSMTP(conn, ext)
			}()
		}
	}()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	return mail.SMTPConfig{Host: host, Port: p, From: "no-reply@clientele.test", Timeout: 10 * time.Second}, sessions
}

func serveSMTP(conn net.Conn, ext []string) (s smtpSession) {
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second)) // never outlive a broken test
	r := bufio.NewReader(conn)
	reply := func(lines ...string) {
		for i, l := range lines {
			sep := "-"
			if i == len(lines)-1 {
				sep = " "
			}
			_, _ = fmt.Fprintf(conn, "%s%s%s\r\n", l[:3], sep, l[4:])
		}
	}
	reply("220 fake.test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return s
		}
		line = strings.TrimRight(line, "\r\n")
		s.cmds = append(s.cmds, line)
		verb, _, _ := strings.Cut(strings.ToUpper(line), " ")
		switch verb {
		case "EHLO":
			lines := []string{"250 fake.test"}
			for _, e := range ext {
				lines = append(lines, "250 "+e)
			}
			reply(lines...)
		case "MAIL", "RCPT", "RSET", "NOOP", "HELO":
			reply("250 ok")
		case "AUTH":
			reply("235 2.7.0 authenticated")
		case "DATA":
			reply("354 go ahead")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return s
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			s.data = data.String()
			reply("250 queued")
		case "QUIT":
			reply("221 bye")
			return s
		default:
			reply("502 not implemented")
		}
	}
}

func TestSMTPDelivers(t *testing.T) {
	cfg, sessions := fakeSMTP(t, false, "8BITMIME")
	m := resetMessage()
	m.Text += ".a line starting with a dot\n"
	if err := mail.NewSMTP(cfg).Send(testCtx(t), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	s := <-sessions
	cmds := strings.Join(s.cmds, "\n")
	for _, want := range []string{"MAIL FROM:<no-reply@clientele.test>", "RCPT TO:<jane@example.com>", "DATA", "QUIT"} {
		if !strings.Contains(cmds, want) {
			t.Errorf("commands lack %q:\n%s", want, cmds)
		}
	}
	if strings.Contains(cmds, "AUTH") || strings.Contains(cmds, "STARTTLS") {
		t.Errorf("AUTH/STARTTLS used though neither was configured or offered:\n%s", cmds)
	}
	for _, want := range []string{"Subject: Reset your password", resetLink, "\r\n.a line starting with a dot\r\n"} {
		if !strings.Contains(s.data, want) {
			t.Errorf("DATA lacks %q:\n%s", want, s.data)
		}
	}
	if _, err := netmail.ReadMessage(strings.NewReader(s.data)); err != nil {
		t.Errorf("DATA is not a message: %v", err)
	}
}

func TestSMTPAuthenticatesWhenUsernameSet(t *testing.T) {
	cfg, sessions := fakeSMTP(t, false, "8BITMIME", "AUTH PLAIN")
	cfg.Username, cfg.Password = "mailer", "s3cret"
	if err := mail.NewSMTP(cfg).Send(testCtx(t), resetMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	s := <-sessions
	want := "AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("\x00mailer\x00s3cret"))
	if !strings.Contains(strings.Join(s.cmds, "\n"), want) {
		t.Errorf("commands lack %q:\n%s", want, s.cmds)
	}
}

func TestSMTPRefusesUsernameWithoutAuth(t *testing.T) {
	cfg, sessions := fakeSMTP(t, false, "8BITMIME")
	cfg.Username, cfg.Password = "mailer", "s3cret"
	if err := mail.NewSMTP(cfg).Send(testCtx(t), resetMessage()); err == nil {
		t.Fatal("Send succeeded though the server offers no AUTH")
	}
	if s := <-sessions; s.data != "" {
		t.Error("message sent unauthenticated")
	}
}

func TestSMTPWithout8BITMIMEUsesQuotedPrintable(t *testing.T) {
	cfg, sessions := fakeSMTP(t, false)
	m := resetMessage()
	m.Text = "Bonjour Zoë,\n" + resetLink + "\n"
	if err := mail.NewSMTP(cfg).Send(testCtx(t), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	s := <-sessions
	for i := 0; i < len(s.data); i++ {
		if s.data[i] >= 0x80 {
			t.Fatalf("8-bit octet sent to a server without 8BITMIME:\n%s", s.data)
		}
	}
	msg, err := netmail.ReadMessage(strings.NewReader(s.data))
	if err != nil {
		t.Fatal(err)
	}
	if cte := msg.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
		t.Fatalf("Content-Transfer-Encoding = %q", cte)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if want := "Bonjour Zoë,\r\n" + resetLink + "\r\n"; string(body) != want {
		t.Errorf("body = %q, want %q", body, want)
	}
}

func TestSMTPRejectsHeaderInjectionBeforeDialling(t *testing.T) {
	// Nothing listens here: had Send dialled, the error would be a dial error.
	cfg := mail.SMTPConfig{Host: "127.0.0.1", Port: 1, From: "no-reply@clientele.test"}
	for name, m := range map[string]core.Message{
		"case=subject": {To: "jane@example.com", Subject: "Hi\r\nBcc: evil@example.net", Text: "x"},
		"case=to":      {To: "jane@example.com\r\nBcc: evil@example.net", Subject: "Hi", Text: "x"},
	} {
		if err := mail.NewSMTP(cfg).Send(testCtx(t), m); !errors.Is(err, mail.ErrHeader) {
			t.Errorf("%s: Send = %v, want ErrHeader", name, err)
		}
	}
	cfg.From = "no-reply@clientele.test\nBcc: evil@example.net"
	if err := mail.NewSMTP(cfg).Send(testCtx(t), resetMessage()); !errors.Is(err, mail.ErrHeader) {
		t.Errorf("injected From: Send = %v, want ErrHeader", err)
	}
}

func TestSMTPStalledServer(t *testing.T) {
	t.Run("case=timeout", func(t *testing.T) {
		cfg, _ := fakeSMTP(t, true)
		cfg.Timeout, cfg.Attempts = 100*time.Millisecond, 1
		if err := mail.NewSMTP(cfg).Send(testCtx(t), resetMessage()); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Send = %v, want DeadlineExceeded", err)
		}
	})
	t.Run("case=cancelled", func(t *testing.T) {
		cfg, _ := fakeSMTP(t, true)
		ctx, cancel := context.WithCancel(testCtx(t))
		errc := make(chan error, 1)
		go func() { errc <- mail.NewSMTP(cfg).Send(ctx, resetMessage()) }()
		cancel() // whether before or during the dial, Send must stop
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("Send = %v, want Canceled", err)
		}
	})
}
