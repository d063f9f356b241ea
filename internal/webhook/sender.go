// Package webhook sends webhook deliveries signed per the Standard Webhooks
// specification (standardwebhooks.com): headers webhook-id,
// webhook-timestamp and webhook-signature = "v1," + base64(HMAC-SHA256(key,
// id + "." + timestamp + "." + body)), where key is the base64-decoded part
// of the endpoint's "whsec_" secret. It also posts SFCC password-reset
// callbacks (Callbacks), which go to URLs a store registered just as
// webhooks do and so share their address policy.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// Sender posts deliveries. It follows no redirects (a receiver that moved
// must be re-registered, so a redirect cannot steer signed events
// elsewhere) and, unless private targets are allowed, refuses to connect
// to loopback, private and link-local addresses whatever a name resolves
// to, so DNS cannot be used to aim deliveries at the operator's network.
type Sender struct {
	client *http.Client
}

// New returns a Sender; allowPrivate lifts the address check (tests,
// single-tenant deployments).
func New(allowPrivate bool) *Sender {
	return &Sender{client: newClient(allowPrivate, 10*time.Second, 15*time.Second)}
}

// newClient is the HTTP client of every POST to a URL a store registered
// (webhook endpoints, reset callbacks), so they share one address policy:
// no redirects followed, and unless allowPrivate no connection to a
// loopback, private or link-local address, checked on the address actually
// dialled so DNS cannot steer around it. headerTimeout bounds the wait for
// the receiver's answer, total the whole exchange.
func newClient(allowPrivate bool, headerTimeout, total time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		dialer.Control = refusePrivate
	}
	transport := &http.Transport{
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: headerTimeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       60 * time.Second,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       total,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// errPrivate is the dial error for a refused address.
var errPrivate = errors.New("webhook: endpoint resolves to a non-public address")

func refusePrivate(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !core.PublicAddr(ip) {
		return errPrivate
	}
	return nil
}

// Sign returns the webhook-signature header value for a message.
func Sign(secret, id string, ts time.Time, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return "", fmt.Errorf("webhook: secret is not whsec_<base64>: %w", err)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + strconv.FormatInt(ts.Unix(), 10) + "."))
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil)), nil
}

// Send posts one attempt and returns the response status.
func (s *Sender) Send(ctx context.Context, m core.WebhookMessage) (int, error) {
	sig, err := Sign(m.Secret, m.ID, m.Timestamp, m.Body)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.URL, bytes.NewReader(m.Body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Clientele-Webhooks/1")
	req.Header.Set("webhook-id", m.ID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(m.Timestamp.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	return do(s.client, req, "webhook: ")
}

// do sends req once and returns the status. The response body is drained
// (bounded) and never kept: receivers' answers are not ours to store. A
// transport error keeps its cause, prefixed, without the URL.
func do(client *http.Client, req *http.Request, prefix string) (int, error) {
	res, err := client.Do(req)
	if err != nil {
		if errors.Is(err, errPrivate) {
			return 0, errPrivate
		}
		return 0, errors.New(prefix + shortErr(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	_ = res.Body.Close()
	return res.StatusCode, nil
}

// shortErr keeps the cause of a transport error without the URL, which
// may carry a receiver's own secret in its query.
func shortErr(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		return ue.Unwrap().Error()
	}
	return "request failed"
}
