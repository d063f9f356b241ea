package metrics

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// fakeLimiter allows keys that start with "ok".
type fakeLimiter struct{ core.Limiter }

func (fakeLimiter) Take(_ context.Context, key string, _ core.Rate) (bool, time.Duration, error) {
	return strings.HasPrefix(key, "ok"), time.Second, nil
}

// Refusals are counted by rule name only: the store, e-mail or IP in the
// rest of the key never becomes a label.
func TestLimiterCountsRefusalsByRule(t *testing.T) {
	m := New()
	l := m.Limiter(fakeLimiter{})
	ctx := t.Context()
	for _, key := range []string{"login:ip:shop_1:203.0.113.7", "login:ip:shop_2:198.51.100.1", "reset:email:shop_1:a@example.com", "ok:ip:x"} {
		_, _, _ = l.Take(ctx, key, core.Rate{})
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	body := string(b)
	for _, want := range []string{`clientele_rate_limited_total{limit="login:ip"} 2`, `clientele_rate_limited_total{limit="reset:email"} 1`} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q", want)
		}
	}
	for _, leak := range []string{"203.0.113.7", "a@example.com", "shop_1", `limit="ok`} {
		if strings.Contains(body, leak) {
			t.Errorf("metrics contain %q", leak)
		}
	}
}
