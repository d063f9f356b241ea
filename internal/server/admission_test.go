package server_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/auth/password"
	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// blockingHasher holds any password starting with "block" until released,
// so a test can keep a request in flight.
type blockingHasher struct {
	core.Hasher
	entered, release chan struct{}
}

func (b *blockingHasher) Hash(pw string) (string, error) {
	if strings.HasPrefix(pw, "block") {
		b.entered <- struct{}{}
		<-b.release
	}
	return b.Hasher.Hash(pw)
}

// With --max-inflight places all taken, every surface sheds at once with
// 503 and Retry-After in its own error format; health probes still answer,
// and service resumes when a place frees up.
func TestMaxInFlightShedsInEachSurfacesFormat(t *testing.T) {
	h := &blockingHasher{Hasher: password.New(password.TestParams()), entered: make(chan struct{}, 1), release: make(chan struct{})}
	k := testkit.New(t, testkit.WithHasher(h), testkit.WithConfig(func(c *config.Config) {
		c.MaxInFlight, c.InFlightMaxWait = 1, time.Millisecond
	}))
	done := make(chan int)
	go func() {
		done <- k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", Body: map[string]string{"email": "slow@example.com", "password": "block-this-one-please"}}).Status
	}()
	<-h.entered

	for _, c := range []struct {
		path, ctype, key string // key: a top-level key of the surface's error body
	}{
		{"/v1/customer", "application/problem+json", "type"},
		{"/spree/api/v3/store/customers/me", "application/json", "error"},
		{"/medusa/store/customers/me", "application/json", "type"},
		{"/medusa-v1/store/customers/me", "application/json", "type"},
		{"/bagisto/stores/" + k.PK + "/api/v1/customer/get", "application/json", "message"},
		{"/sfcc/customer/shopper-customers/v1/organizations/o/customers/c", "application/problem+json", "type"},
	} {
		res := k.Do(testkit.Req{Method: "GET", Path: c.path})
		var body map[string]any
		_ = json.Unmarshal(res.Body, &body)
		if res.Status != 503 || res.Header.Get("Retry-After") == "" || !strings.HasPrefix(res.Header.Get("Content-Type"), c.ctype) || body[c.key] == nil {
			t.Errorf("%s: %d %q %q %s", c.path, res.Status, res.Header.Get("Retry-After"), res.Header.Get("Content-Type"), res.Body)
		}
	}
	if res := k.Do(testkit.Req{Method: "GET", Path: "/healthz"}); res.Status != 200 {
		t.Errorf("/healthz while full: %d", res.Status)
	}
	close(h.release)
	if status := <-done; status != 201 {
		t.Fatalf("the admitted registration: %d", status)
	}
	if res := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer"}); res.Status != 401 {
		t.Errorf("after the place freed up: %d, want 401 (no token)", res.Status)
	}
}
