package mail_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/mail"
)

// selfSigned returns a server certificate for 127.0.0.1 and a pool that
// trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:   time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// scriptedSMTP serves connection n (from 0) with greet(n): "" runs the
// normal fake server, anything else is sent as the greeting before
// hanging up (a 421 "try later", a 554 refusal).
func scriptedSMTP(t *testing.T, ln net.Listener, greet func(n int) string) (mail.SMTPConfig, <-chan smtpSession, *atomic.Int32) {
	t.Helper()
	t.Cleanup(func() { _ = ln.Close() })
	sessions := make(chan smtpSession, 10)
	var count atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			n := int(count.Add(1)) - 1
			go func() {
				defer func() { _ = conn.Close() }()
				if g := greet(n); g != "" {
					_, _ = fmt.Fprintf(conn, "%s\r\n", g)
					return
				}
				sessions <- serveSMTP(conn, []string{"8BITMIME"})
			}()
		}
	}()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	return mail.SMTPConfig{Host: host, Port: p, From: "no-reply@clientele.test", Timeout: 5 * time.Second, Backoff: time.Millisecond}, sessions, &count
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func TestSMTPImplicitTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	ln := tls.NewListener(listen(t), &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	cfg, sessions, _ := scriptedSMTP(t, ln, func(int) string { return "" })
	cfg.ImplicitTLS = true

	t.Run("case=trusted", func(t *testing.T) {
		cfg := cfg
		cfg.TLSConfig = &tls.Config{RootCAs: pool}
		if err := mail.NewSMTP(cfg).Send(testCtx(t), resetMessage()); err != nil {
			t.Fatalf("Send: %v", err)
		}
		if s := <-sessions; !strings.Contains(s.data, resetLink) {
			t.Errorf("DATA lacks the link:\n%s", s.data)
		}
	})
	t.Run("case=untrusted_certificate_is_final", func(t *testing.T) {
		cfg := cfg
		cfg.Attempts = 5
		err := mail.NewSMTP(cfg).Send(testCtx(t), resetMessage())
		var unknown x509.UnknownAuthorityError
		if !errors.As(err, &unknown) {
			t.Fatalf("Send = %v, want an unknown-authority error", err)
		}
	})
}

func TestSMTPRetriesTransientFailures(t *testing.T) {
	tests := []struct {
		name     string
		greet    func(n int) string
		attempts int
		wantErr  bool
		wantConn int32
	}{
		{"case=421_then_ok", func(n int) string {
			if n < 2 {
				return "421 4.3.2 try again later"
			}
			return ""
		}, 3, false, 3},
		{"case=421_until_attempts_run_out", func(int) string { return "421 4.3.2 try again later" }, 3, true, 3},
		{"case=554_is_final", func(int) string { return "554 5.7.1 go away" }, 3, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, sessions, count := scriptedSMTP(t, listen(t), tt.greet)
			cfg.Attempts = tt.attempts
			err := mail.NewSMTP(cfg).Send(testCtx(t), resetMessage())
			if (err != nil) != tt.wantErr {
				t.Fatalf("Send = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				var tp *textproto.Error
				if !errors.As(err, &tp) {
					t.Errorf("error %v does not carry the server's reply", err)
				}
			} else if s := <-sessions; !strings.Contains(s.data, resetLink) {
				t.Errorf("DATA lacks the link")
			}
			if got := count.Load(); got != tt.wantConn {
				t.Errorf("%d connections, want %d", got, tt.wantConn)
			}
		})
	}
}
