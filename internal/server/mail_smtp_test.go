package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/auth/password"
	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mailtmpl"
	"github.com/clientele/clientele/internal/server"
)

// smtpSink is an SMTP server on a loopback socket that hands each message
// (the DATA payload) to the test.
func smtpSink(t *testing.T) (host string, port int, got <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	msgs := make(chan string, 8)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go serveSMTP(conn, msgs)
		}
	}()
	h, p, _ := net.SplitHostPort(ln.Addr().String())
	port, _ = strconv.Atoi(p)
	return h, port, msgs
}

func serveSMTP(conn net.Conn, msgs chan<- string) {
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)
	fmt.Fprint(conn, "220 sink.test ESMTP\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(line)), " ")
		switch verb {
		case "EHLO":
			fmt.Fprint(conn, "250-sink.test\r\n250 8BITMIME\r\n")
		case "DATA":
			fmt.Fprint(conn, "354 go ahead\r\n")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			msgs <- b.String()
			fmt.Fprint(conn, "250 queued\r\n")
		case "QUIT":
			fmt.Fprint(conn, "221 bye\r\n")
			return
		default:
			fmt.Fprint(conn, "250 ok\r\n")
		}
	}
}

// decodeParts returns the decoded text and HTML parts of a multipart/alternative message.
func decodeParts(t *testing.T, data string) (subject, text, html string) {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	mt, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q", msg.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return subject, text, html
		}
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = p
		if p.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			body = quotedprintable.NewReader(p)
		}
		b, _ := io.ReadAll(body)
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			text = string(b)
		case "text/html":
			html = string(b)
		}
	}
}

// The production wiring (queue → templates → SMTP) sends a reset as
// multipart/alternative to a real SMTP socket, with the store's own HTML
// template, its name escaped, and the link from its configured reset URL
// in both parts.
func TestResetMailThroughSMTPWithStoreTemplate(t *testing.T) {
	host, port, got := smtpSink(t)
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "c.db")
	cfg.SMTPHost, cfg.SMTPPort = host, port
	ctx := context.Background()
	app, err := server.Build(ctx, server.Options{Config: cfg, Hasher: password.New(password.TestParams())})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler)
	t.Cleanup(func() { srv.Close(); _ = app.Close(ctx) })

	shop, err := app.Service.CreateShop(ctx, core.NewShop{Name: `Ben & Jerry's <b>`, PasswordResetURL: "https://shop.example/reset"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Service.PutMailTemplate(ctx, shop.Shop.ID, core.MailTemplate{Kind: "password_reset",
		HTML: `<p>Hello from {{.ShopName}}</p><p><a href="{{.Link}}">Choose a new password</a></p>`}, mailtmpl.Check); err != nil {
		t.Fatal(err)
	}
	post := func(path string, body any) int {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", srv.URL+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Publishable-Key", shop.PublishableKey)
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		return res.StatusCode
	}
	if s := post("/v1/customers", map[string]any{"email": "jane@example.com", "password": "correct horse battery staple"}); s != 201 {
		t.Fatalf("register: %d", s)
	}
	if s := post("/v1/password-resets", map[string]any{"email": "jane@example.com"}); s != 202 {
		t.Fatalf("reset: %d", s)
	}
	var data string
	for data == "" {
		select {
		case m := <-got:
			if strings.Contains(m, "Reset your password") || strings.Contains(m, "reset?token=") {
				data = m
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no reset mail reached the SMTP server")
		}
	}
	subject, text, html := decodeParts(t, data)
	if subject != `Reset your password for Ben & Jerry's <b>` {
		t.Errorf("Subject = %q", subject)
	}
	const link = "https://shop.example/reset?token="
	if !strings.Contains(text, link) || !strings.Contains(html, `href="`+link) {
		t.Errorf("link missing:\ntext: %s\nhtml: %s", text, html)
	}
	if !strings.HasPrefix(html, "<p>Hello from Ben &amp; Jerry&#39;s &lt;b&gt;</p>") {
		t.Errorf("HTML is not the store's template with the name escaped: %s", html)
	}
	if !strings.Contains(text, "Ben & Jerry's <b>") {
		t.Errorf("text part (default) lacks the store name: %s", text)
	}
}
