package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

// /metrics exposes the named metrics, labels requests by dialect and route
// pattern (never by a path with ids in it), and counts reuse detections.
func TestMetricsScrape(t *testing.T) {
	k := testkit.New(t)
	c := k.Register("metrics@example.com")
	k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access})
	k.Do(testkit.Req{Method: "GET", Path: "/v1/customer/addresses/adr_nope", Token: c.Access, NoCheck: true})
	k.Do(testkit.Req{Method: "GET", Path: "/spree/api/v3/store/nowhere", NoCheck: true})
	r1 := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": c.Refresh}})
	if r1.Status != 200 {
		t.Fatalf("refresh: %d", r1.Status)
	}
	k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": r1.Str(t, "refresh_token")}})
	k.Clock.Advance(time.Minute)
	k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": c.Refresh}})

	res := k.Do(testkit.Req{Method: "GET", Path: "/metrics", PK: "-", NoCheck: true})
	if res.Status != 200 {
		t.Fatalf("/metrics: %d %s", res.Status, res.Body)
	}
	body := string(res.Body)
	for _, want := range []string{
		`clientele_http_requests_total{code="200",dialect="native",method="GET",route="/v1/customer"} 1`,
		`clientele_http_requests_total{code="404",dialect="native",method="GET",route="/v1/customer/addresses/{id}"} 1`,
		`clientele_http_requests_total{code="404",dialect="spree",method="GET",route="unmatched"} 1`,
		`clientele_http_request_duration_seconds_bucket{dialect="native",method="POST",route="/v1/customers",le="+Inf"} 1`,
		"clientele_password_work_waiting 0",
		"clientele_password_work_slots ",
		"clientele_password_work_shed_total 0",
		"clientele_refresh_reuse_detected_total 1",
		"clientele_webhook_failures_total 0",
		"clientele_outbox_lag_seconds 60", // the sign-up's events, a minute ago: no relay runs here
		"clientele_db_connections_open",
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "adr_nope") || strings.Contains(body, "metrics@example.com") {
		t.Error("/metrics leaks ids or e-mails from paths or bodies")
	}
}

// With metrics off there is no /metrics route and no handler.
func TestMetricsOff(t *testing.T) {
	k := testkit.New(t, func(o *server.Options) { o.Config.MetricsAddr = "off" })
	if k.App.Metrics != nil {
		t.Fatal("metrics handler built while off")
	}
	if res := k.Do(testkit.Req{Method: "GET", Path: "/metrics", PK: "-", NoCheck: true}); res.Status != 404 {
		t.Fatalf("/metrics while off: %d", res.Status)
	}
}
