package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// SMTPConfig says where and how [SMTP] delivers.
type SMTPConfig struct {
	// Host is the server's name; it is also the name its TLS certificate
	// must match, so give a name rather than an IP address.
	Host string
	// Port defaults to 587 (submission), where STARTTLS and AUTH are the
	// norm, or 465 with ImplicitTLS.
	Port int
	// ImplicitTLS speaks TLS from the first byte (port 465, "SMTPS", RFC
	// 8314) instead of upgrading with STARTTLS.
	ImplicitTLS bool
	// TLSConfig, when set, is used for both TLS modes (a private CA's
	// RootCAs); ServerName defaults to Host and the minimum is TLS 1.2.
	TLSConfig *tls.Config
	// Username enables AUTH PLAIN; leave it empty for an open relay.
	Username, Password string
	// From is the sender address (optionally with a display name); it is
	// checked on every Send, so a bad one fails each delivery loudly.
	From string
	// Timeout bounds one attempt (dial to QUIT), 30s when zero, so a
	// stalled server cannot hold the queue's worker indefinitely.
	Timeout time.Duration
	// Attempts is how often a transient failure (a connection that fails
	// or drops, a 4xx reply) is tried, 3 when zero; permanent failures
	// (5xx, a bad message) are never retried.
	Attempts int
	// Backoff is the wait before the second attempt, doubling after each
	// further one; 1s when zero.
	Backoff time.Duration
}

const (
	defaultSMTPPort     = 587
	defaultSMTPSPort    = 465
	defaultSMTPTimeout  = 30 * time.Second
	defaultSMTPAttempts = 3
	defaultSMTPBackoff  = time.Second
)

// SMTP is the production sink. It opens one connection per message: mail
// is rare (resets, notices), so a pool would only add state to go stale.
//
// STARTTLS is used whenever the server offers it. Credentials are never
// sent in clear: net/smtp's PLAIN auth refuses an unencrypted connection
// unless the server is on localhost.
type SMTP struct {
	cfg SMTPConfig
}

var _ core.Mailer = (*SMTP)(nil)

// NewSMTP returns a sink for cfg. Nothing is dialled until Send.
func NewSMTP(cfg SMTPConfig) *SMTP {
	if cfg.Port == 0 {
		cfg.Port = defaultSMTPPort
		if cfg.ImplicitTLS {
			cfg.Port = defaultSMTPSPort
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultSMTPTimeout
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = defaultSMTPAttempts
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = defaultSMTPBackoff
	}
	return &SMTP{cfg: cfg}
}

// tlsConfig is the configuration for either TLS mode.
func (s *SMTP) tlsConfig() *tls.Config {
	cfg := &tls.Config{}
	if s.cfg.TLSConfig != nil {
		cfg = s.cfg.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = s.cfg.Host
	}
	cfg.MinVersion = max(cfg.MinVersion, tls.VersionTLS12)
	return cfg
}

// Send delivers m, retrying transient failures with backoff while ctx
// allows. The message is built and checked before dialling, so a message
// with an injected header never reaches the server.
func (s *SMTP) Send(ctx context.Context, m core.Message) error {
	from, err := parseAddress("From", s.cfg.From)
	if err != nil {
		return err
	}
	now := time.Now()
	data, rcpt, err := compose(from, m, now, true)
	if err != nil {
		return err
	}
	as7bit := func() []byte {
		d, _, _ := compose(from, m, now, false) // already validated above
		return d
	}
	wait := s.cfg.Backoff
	for attempt := 1; ; attempt++ {
		err = s.attempt(ctx, from, rcpt, data, as7bit)
		if err == nil || attempt >= s.cfg.Attempts || !transient(err) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (gave up retrying: %v)", err, ctx.Err())
		case <-t.C:
		}
		wait *= 2
	}
}

// transient reports whether trying again later may succeed: the server
// said so (4xx), or the connection failed or dropped. A 5xx reply or a
// message we refused to build is final.
func transient(err error) bool {
	var perm *permanentError
	if errors.As(err, &perm) {
		return false
	}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code >= 400 && tp.Code < 500
	}
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &ne) || errors.As(err, &oe) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// permanentError marks a failure that retrying cannot fix (a missing
// AUTH extension, a refused TLS handshake).
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// attempt runs one connection within the configured timeout or ctx,
// whichever ends first.
func (s *SMTP) attempt(ctx context.Context, from *mail.Address, rcpt string, data []byte, as7bit func() []byte) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return s.fail(ctx, fmt.Errorf("dial %s: %w", addr, err))
	}
	// The deadline covers every read and write of the conversation; the
	// AfterFunc cuts it short when ctx is cancelled before that.
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	if s.cfg.ImplicitTLS {
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			_ = conn.Close()
			return s.fail(ctx, &permanentError{fmt.Errorf("tls handshake: %w", err)})
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		_ = conn.Close()
		return s.fail(ctx, err)
	}
	defer func() { _ = c.Close() }()
	if err := s.converse(c, from, rcpt, data, as7bit); err != nil {
		return s.fail(ctx, err)
	}
	return nil
}

// converse runs the SMTP exchange on an open client. as7bit re-renders the
// message for a server that does not announce 8BITMIME.
func (s *SMTP) converse(c *smtp.Client, from *mail.Address, rcpt string, data []byte, as7bit func() []byte) error {
	if ok, _ := c.Extension("STARTTLS"); ok && !s.cfg.ImplicitTLS {
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return err
		}
	}
	if s.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return &permanentError{errors.New("server offers no AUTH but a username is configured")}
		}
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return err
		}
	}
	if ok, _ := c.Extension("8BITMIME"); !ok {
		data = as7bit()
	}
	if err := c.Mail(from.Address); err != nil {
		return err
	}
	if err := c.Rcpt(rcpt); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// fail names the cause when ctx ended the conversation; otherwise the
// caller would only see an opaque "i/o timeout".
func (s *SMTP) fail(ctx context.Context, err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		// The only deadlines on the connection are ctx's own and the one
		// set after ctx is cancelled, so ctx is done or about to be: the
		// socket's timer can fire a moment before ctx's.
		<-ctx.Done()
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("mail: smtp %s: %w (%v)", s.cfg.Host, ctxErr, err)
	}
	return fmt.Errorf("mail: smtp %s: %w", s.cfg.Host, err)
}
