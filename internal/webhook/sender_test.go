package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// The Standard Webhooks specification's published example.
func TestSignSpecVector(t *testing.T) {
	got, err := Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	if _, err := Sign("whsec_not base64!", "id", time.Now(), nil); err == nil {
		t.Fatal("a malformed secret signed")
	}
}

// Without AllowPrivate, a URL whose host is (or resolves to) loopback is
// refused at connect time, so registration-time checks cannot be dodged
// with DNS.
func TestSenderRefusesPrivateAddresses(t *testing.T) {
	hit := false
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hit = true }))
	defer srv.Close()
	m := core.WebhookMessage{URL: srv.URL, Secret: "whsec_c2VjcmV0", ID: "whd_1", Timestamp: time.Now(), Body: []byte(`{}`)}
	for _, u := range []string{srv.URL, "http://localhost:" + srv.URL[len("http://127.0.0.1:"):]} {
		m.URL = u
		status, err := New(false).Send(context.Background(), m)
		if !errors.Is(err, errPrivate) || status != 0 {
			t.Fatalf("%s: status %d err %v, want refused", u, status, err)
		}
	}
	if hit {
		t.Fatal("the private endpoint was reached")
	}
	if status, err := New(true).Send(context.Background(), m); err != nil || status != 200 || !hit {
		t.Fatalf("allowed: %d %v", status, err)
	}
}

// Redirects are not followed: the 3xx is the attempt's answer.
func TestSenderDoesNotFollowRedirects(t *testing.T) {
	followed := false
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { followed = true }))
	defer target.Close()
	srv := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusTemporaryRedirect))
	defer srv.Close()
	status, err := New(true).Send(context.Background(), core.WebhookMessage{URL: srv.URL, Secret: "whsec_c2VjcmV0", ID: "whd_1", Timestamp: time.Now(), Body: []byte(`{}`)})
	if err != nil || status != http.StatusTemporaryRedirect || followed {
		t.Fatalf("status %d err %v followed %v", status, err, followed)
	}
}
