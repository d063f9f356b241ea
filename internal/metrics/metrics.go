// Package metrics exposes Clientele's Prometheus metrics: HTTP traffic by
// dialect and route, the password-work gate, rate-limit refusals, refresh
// token reuse, database pool use, and events published to NATS. It owns its registry (never the
// global one), so several apps in one test process do not collide.
package metrics

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/clientele/clientele/internal/core"
)

// Metrics holds the registry and the collectors the HTTP middleware and
// the limiter decorator update.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	limited  *prometheus.CounterVec
}

// New registers the process, Go runtime and HTTP collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "clientele_http_requests_total",
		Help: "HTTP requests answered, by dialect, route pattern, method and status code.",
	}, []string{"dialect", "route", "method", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "clientele_http_request_duration_seconds",
		Help:    "HTTP request latency, by dialect, route pattern and method.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"dialect", "route", "method"})
	m.limited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "clientele_rate_limited_total",
		Help: "Requests refused by a rate limit, by limit name.",
	}, []string{"limit"})
	m.reg.MustRegister(m.requests, m.duration, m.limited)
	return m
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Service registers the core's gauges and counters: the password-work
// slots, queue and sheds, and refresh-token reuse detections.
func (m *Metrics) Service(svc *core.Service) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "clientele_password_work_waiting",
			Help: "Password hash computations waiting for a worker.",
		}, func() float64 { w, _ := svc.WorkStats(); return float64(w) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "clientele_password_work_slots",
			Help: "Password hash computations that may run at once (--password-workers).",
		}, func() float64 { return float64(svc.WorkSlots()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "clientele_password_work_shed_total",
			Help: "Requests shed (503) because password work was saturated.",
		}, func() float64 { _, s := svc.WorkStats(); return float64(s) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "clientele_refresh_reuse_detected_total",
			Help: "Refresh tokens presented again after rotation (their session was revoked).",
		}, func() float64 { return float64(svc.ReuseDetections()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "clientele_webhook_failures_total",
			Help: "Webhook delivery attempts that failed (error, timeout or non-2xx answer).",
		}, func() float64 { return float64(svc.WebhookFailures()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "clientele_outbox_lag_seconds",
			Help: "Age of the oldest outbox event not yet fanned out to webhooks; 0 when none waits, NaN when the database did not answer.",
		}, func() float64 {
			// A scrape must not hang on a stuck database.
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			lag, err := svc.OutboxLag(ctx)
			if err != nil {
				return math.NaN()
			}
			return lag.Seconds()
		}),
	)
}

// Gate registers the request admission gate's in-flight gauge and shed
// counter.
func (m *Metrics) Gate(inFlight func() int, shed func() int64) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "clientele_http_inflight",
			Help: "Requests holding a place under --max-inflight.",
		}, func() float64 { return float64(inFlight()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "clientele_http_shed_total",
			Help: "Requests shed (503) because --max-inflight places were all taken.",
		}, func() float64 { return float64(shed()) }),
	)
}

// Events registers the counters of outbox events published to NATS
// JetStream (--nats) and of failed publish attempts; a failure rising with
// no publish means the events are waiting in the outbox.
func (m *Metrics) Events(stats func() (published, failures int64)) {
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "clientele_nats_published_total",
			Help: "Outbox events this node published to NATS JetStream (acknowledged by the stream).",
		}, func() float64 { p, _ := stats(); return float64(p) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "clientele_nats_publish_failures_total",
			Help: "Failed NATS JetStream publish attempts; the event stays in the outbox and is retried.",
		}, func() float64 { _, f := stats(); return float64(f) }),
	)
}

// PoolStats is what a store reports about its database connections.
type PoolStats struct {
	Open, InUse, Idle int
	WaitCount         int64
}

// Pool registers database pool gauges read from stats at scrape time.
func (m *Metrics) Pool(stats func() PoolStats) {
	gauge := func(name, help string, f func(PoolStats) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return f(stats()) })
	}
	m.reg.MustRegister(
		gauge("clientele_db_connections_open", "Open database connections.", func(s PoolStats) float64 { return float64(s.Open) }),
		gauge("clientele_db_connections_in_use", "Database connections in use.", func(s PoolStats) float64 { return float64(s.InUse) }),
		gauge("clientele_db_connections_idle", "Idle database connections.", func(s PoolStats) float64 { return float64(s.Idle) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "clientele_db_connection_waits_total", Help: "Times a query waited for a free connection.",
		}, func() float64 { return float64(stats().WaitCount) }),
	)
}

// Register adds another collector (for example a store's own).
func (m *Metrics) Register(c prometheus.Collector) { m.reg.MustRegister(c) }

// Middleware counts and times every request. It must wrap the handler that
// routes (the dialect mount), because net/http's ServeMux records the
// matched pattern on the very request it is given: read after the handler
// returns, r.Pattern names the route without any ids from the path, which
// keeps label cardinality bounded. prefixes are the dialect mount points
// ("/spree", ...); requests under none of them are labelled "native".
func (m *Metrics) Middleware(prefixes []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		} else if i := strings.IndexByte(route, ' '); i >= 0 {
			route = route[i+1:] // the method is its own label
		}
		method := r.Method
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		default:
			method = "other"
		}
		d := dialectOf(prefixes, r.URL.Path)
		m.requests.WithLabelValues(d, route, method, strconv.Itoa(sw.code)).Inc()
		m.duration.WithLabelValues(d, route, method).Observe(time.Since(start).Seconds())
	})
}

func dialectOf(prefixes []string, path string) string {
	for _, p := range prefixes {
		if path == p || strings.HasPrefix(path, p+"/") {
			return strings.TrimPrefix(p, "/")
		}
	}
	return "native"
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.code, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Limiter counts the refusals of a core.Limiter, by the name of the limit
// (the key's first two ':'-separated parts, e.g. "login:ip", which name the
// rule, never the store, e-mail or IP it is keyed on).
func (m *Metrics) Limiter(l core.Limiter) core.Limiter { return countingLimiter{l, m.limited} }

type countingLimiter struct {
	core.Limiter
	refused *prometheus.CounterVec
}

func (c countingLimiter) Take(ctx context.Context, key string, r core.Rate) (bool, time.Duration, error) {
	ok, wait, err := c.Limiter.Take(ctx, key, r)
	if err == nil && !ok {
		parts := strings.SplitN(key, ":", 3)
		name := parts[0]
		if len(parts) > 1 {
			name += ":" + parts[1]
		}
		c.refused.WithLabelValues(name).Inc()
	}
	return ok, wait, err
}
