package core_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

// recordingPoster is a core.CallbackPoster that keeps what it was given and
// answers with status or fail.
type recordingPoster struct {
	mu     sync.Mutex
	got    []core.Callback
	status int
	fail   error
}

func (p *recordingPoster) PostCallback(ctx context.Context, c core.Callback) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got = append(p.got, c)
	if _, ok := ctx.Deadline(); !ok {
		return 0, errors.New("posted without a deadline")
	}
	return p.status, p.fail
}

func (p *recordingPoster) calls() []core.Callback {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]core.Callback(nil), p.got...)
}

// formatted is what testFormat saw, so a test can check what core handed it.
type formatted struct{ email, token, signed string }

func TestRequestPasswordResetCallback(t *testing.T) {
	poster := &recordingPoster{status: 204}
	logs := &testkit.LogBuffer{}
	k := testkit.New(t, func(o *server.Options) {
		o.Callbacks = poster
		o.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	svc, sh := k.App.Service, k.Shop
	known := k.Register("callback@example.com")
	client := &core.SFCCClient{ClientID: "client-a", CallbackURIs: []string{"https://hooks.shop.example/reset"}}
	var seen []formatted
	var mu sync.Mutex
	cb := func(url string) core.ResetCallback {
		return core.ResetCallback{URL: url, Client: client, Issuer: "dialect-issuer", Format: func(email, token, signed string) ([]byte, map[string]string, error) {
			mu.Lock()
			seen = append(seen, formatted{email, token, signed})
			mu.Unlock()
			return []byte(`{"t":"` + token + `"}`), map[string]string{"x-signed": signed}, nil
		}}
	}
	drain := func() {
		t.Helper()
		if err := svc.Drain(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	meta := core.ClientMeta{IP: "203.0.113.9"}

	t.Run("an unregistered URI is refused before anything else", func(t *testing.T) {
		for _, u := range []string{"", "https://hooks.shop.example/other", "https://evil.example/reset", "http://localhost/reset"} {
			for _, email := range []string{known.Email, "nobody@example.com"} {
				err := svc.RequestPasswordResetCallback(t.Context(), sh, email, cb(u), meta)
				if core.CodeOf(err) != core.CodeCallbackNotAllowed {
					t.Fatalf("%q for %s: %v, want %s", u, email, err, core.CodeCallbackNotAllowed)
				}
			}
		}
		nilClient := cb("https://hooks.shop.example/reset")
		nilClient.Client = nil
		if err := svc.RequestPasswordResetCallback(t.Context(), sh, known.Email, nilClient, meta); core.CodeOf(err) != core.CodeCallbackNotAllowed {
			t.Fatalf("no client: %v", err)
		}
		drain()
		if n := len(poster.calls()); n != 0 {
			t.Fatalf("%d POSTs after refusals", n)
		}
	})

	t.Run("unknown and malformed logins answer alike and post nothing", func(t *testing.T) {
		for _, email := range []string{"nobody@example.com", "not an e-mail"} {
			if err := svc.RequestPasswordResetCallback(t.Context(), sh, email, cb("https://hooks.shop.example/reset"), meta); err != nil {
				t.Fatalf("%s: %v", email, err)
			}
		}
		drain()
		if n := len(poster.calls()); n != 0 {
			t.Fatalf("%d POSTs for unknown logins", n)
		}
	})

	t.Run("a known login gets one POST after commit, and no mail", func(t *testing.T) {
		mails := len(k.Mail.Messages())
		if err := svc.RequestPasswordResetCallback(t.Context(), sh, "  CALLBACK@example.com ", cb("https://hooks.shop.example/reset?x=1"), meta); err != nil {
			t.Fatal(err)
		}
		drain()
		calls := poster.calls()
		if len(calls) != 1 || len(seen) != 1 {
			t.Fatalf("%d POSTs, %d renders, want 1", len(calls), len(seen))
		}
		f, c := seen[0], calls[0]
		if c.URL != "https://hooks.shop.example/reset?x=1" || string(c.Body) != `{"t":"`+f.token+`"}` || c.Header["x-signed"] != f.signed {
			t.Fatalf("posted %+v from %+v", c, f)
		}
		if f.email != known.Email || f.token == "" || f.signed == "" {
			t.Fatalf("rendered %+v", f)
		}
		if got := len(k.Mail.Messages()); got != mails {
			t.Errorf("%d mails sent for a callback reset", got-mails)
		}
		if !svc.PasswordResetFor(t.Context(), sh, f.token, known.Email) {
			t.Fatal("the posted token is not a live reset token of the customer")
		}
		if _, err := svc.CompletePasswordReset(t.Context(), sh, f.token, "Another-good-pass-42", meta); err != nil {
			t.Fatalf("complete with the posted token: %v", err)
		}
		if _, err := svc.CompletePasswordReset(t.Context(), sh, f.token, "Another-good-pass-43", meta); core.CodeOf(err) != core.CodeResetTokenInvalid {
			t.Fatalf("second use: %v", err)
		}
	})

	t.Run("a failed POST is logged without the token", func(t *testing.T) {
		poster.mu.Lock()
		poster.fail = errors.New("callback: connection refused")
		poster.mu.Unlock()
		if err := svc.RequestPasswordResetCallback(t.Context(), sh, known.Email, cb("https://hooks.shop.example/reset"), meta); err != nil {
			t.Fatal(err)
		}
		drain()
		if len(seen) != 2 {
			t.Fatalf("%d renders, want 2", len(seen))
		}
		out := logs.String()
		if !strings.Contains(out, "reset callback failed") {
			t.Fatalf("failure not logged:\n%s", out)
		}
		if strings.Contains(out, seen[1].token) || strings.Contains(out, seen[1].signed) {
			t.Fatal("the token reached the logs")
		}
	})
}

func TestResetCallbackDefaults(t *testing.T) {
	if got := core.DefaultConfig().ResetCallbackTimeout; got != 5*time.Second {
		t.Errorf("default callback timeout %v, want the contract's 5s", got)
	}
	if core.ResetCallbackTokenTTL > 5*time.Minute {
		t.Errorf("callback token lives %v, contract allows 5m", core.ResetCallbackTokenTTL)
	}
}
