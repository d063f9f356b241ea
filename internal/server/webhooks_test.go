package server_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

// receiver is a webhook endpoint that verifies every request with the
// Standard Webhooks algorithm, written here from the spec and not with the
// sender's code, and answers with the next status of its script (200
// once the script runs out).
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	secret string

	mu     sync.Mutex
	script []int
	got    []delivery
}

type delivery struct {
	ID   string
	Type string
	Data map[string]any
}

func newReceiver(t *testing.T, script ...int) *receiver {
	r := &receiver{t: t, script: script}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	id, ts, sig := req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp"), req.Header.Get("webhook-signature")
	r.mu.Lock()
	defer r.mu.Unlock()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(r.secret, "whsec_"))
	if err != nil || r.secret == "" {
		r.t.Errorf("receiver has no usable secret %q", r.secret)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "." + string(body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if id == "" || ts == "" || !hmac.Equal([]byte(sig), []byte(want)) {
		r.t.Errorf("bad signature: id %q ts %q sig %q want %q", id, ts, sig, want)
	}
	var p struct {
		Type      string         `json:"type"`
		Timestamp string         `json:"timestamp"`
		Data      map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &p); err != nil || p.Type == "" || p.Timestamp == "" {
		r.t.Errorf("bad body %s", body)
	}
	r.got = append(r.got, delivery{ID: id, Type: p.Type, Data: p.Data})
	status := 200
	if len(r.script) > 0 {
		status, r.script = r.script[0], r.script[1:]
	}
	w.WriteHeader(status)
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

func allowPrivate(o *server.Options) { o.Config.WebhooksAllowPrivate = true }

// register creates an endpoint through the admin API and tells the
// receiver its secret.
func register(t *testing.T, k *testkit.Kit, r *receiver, types ...string) string {
	t.Helper()
	body := map[string]any{"url": r.srv.URL + "/hooks"}
	if types != nil {
		body["event_types"] = types
	}
	res := k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/webhooks", Admin: true, Body: body})
	if res.Status != 201 {
		t.Fatalf("create webhook: %d %s", res.Status, res.Body)
	}
	r.mu.Lock()
	r.secret = res.Str(t, "secret")
	r.mu.Unlock()
	return res.Str(t, "id")
}

func run(t *testing.T, svc *core.Service) int {
	t.Helper()
	n, err := svc.RunWebhooks(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Events reach the endpoints that want them, signed, after the change.
func TestWebhookDeliveredSignedAndFiltered(t *testing.T) {
	k := testkit.New(t, allowPrivate)
	all, onlyUpdates := newReceiver(t), newReceiver(t)
	id := register(t, k, all)
	register(t, k, onlyUpdates, "customer.updated")
	c := k.Register("hooked@example.com")

	if n := run(t, k.App.Service); n != 1 {
		t.Fatalf("attempts = %d, want 1", n)
	}
	got := all.deliveries()
	if len(got) != 1 || got[0].Type != core.EventCustomerCreated || got[0].Data["subject_id"] != c.ID || got[0].Data["store_id"] != k.Shop.ID {
		t.Fatalf("deliveries = %+v", got)
	}
	if len(onlyUpdates.deliveries()) != 0 {
		t.Fatal("a filtered endpoint got customer.created")
	}
	if strings.Contains(string(mustJSON(t, got[0].Data)), "password") {
		t.Fatal("a webhook carries a password field")
	}
	log := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/webhooks/" + id + "/deliveries", Admin: true})
	m := log.JSON(t)
	ds := m["data"].([]any)
	if log.Status != 200 || len(ds) != 1 || ds[0].(map[string]any)["status"] != "succeeded" || ds[0].(map[string]any)["id"] != got[0].ID {
		t.Fatalf("delivery log: %d %s", log.Status, log.Body)
	}
	if n := run(t, k.App.Service); n != 0 {
		t.Fatalf("a delivered event was sent again (%d)", n)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A failed attempt is retried after its backoff with the same webhook-id,
// never before.
func TestWebhookRetryBackoff(t *testing.T) {
	k := testkit.New(t, allowPrivate)
	r := newReceiver(t, 500, 503)
	register(t, k, r)
	k.Register("retry-hook@example.com")
	run(t, k.App.Service)
	if n := run(t, k.App.Service); n != 0 {
		t.Fatalf("retried before the backoff (%d)", n)
	}
	k.Clock.Advance(7 * time.Second) // first backoff: 5 s ± 20 %
	if n := run(t, k.App.Service); n != 1 {
		t.Fatalf("no retry after the first backoff (%d)", n)
	}
	k.Clock.Advance(25 * time.Second) // second: 20 s ± 20 %
	run(t, k.App.Service)
	got := r.deliveries()
	if len(got) != 3 || got[0].ID != got[1].ID || got[1].ID != got[2].ID {
		t.Fatalf("attempts = %+v", got)
	}
	// The 500 and the 503 are the failures /metrics counts; the outbox is
	// drained, so nothing lags.
	if n := k.App.Service.WebhookFailures(); n != 2 {
		t.Fatalf("webhook failures = %d, want 2", n)
	}
	if lag, err := k.App.Service.OutboxLag(t.Context()); err != nil || lag != 0 {
		t.Fatalf("outbox lag = %v, %v; want 0", lag, err)
	}
}

// A node that dies after claiming a delivery (its lease held, nothing
// sent) loses nothing: once the lease runs out another node delivers it.
func TestWebhookSurvivesCrashMidDelivery(t *testing.T) {
	k := testkit.New(t, allowPrivate)
	r := newReceiver(t)
	register(t, k, r)
	k.Register("crash-hook@example.com")
	node := k.Node()
	now := k.Clock.Now()
	run(t, node.Service)
	if len(r.deliveries()) != 1 {
		t.Fatalf("the second node did not deliver: %d", len(r.deliveries()))
	}
	if _, err := k.App.Service.ReplayWebhooks(t.Context(), k.Shop.ID, "whe_none", "evt_none", time.Time{}, time.Time{}); core.CodeOf(err) == "" {
		t.Fatal("replay to an unknown endpoint succeeded")
	}
	// Replay the event, then take the claim as a crashing node would.
	evs, err := k.App.Store.ListEvents(t.Context(), k.Shop.ID, core.EventCustomerCreated, "", 10)
	if err != nil || len(evs) != 1 {
		t.Fatal(evs, err)
	}
	eps, _ := k.App.Service.WebhookEndpoints(t.Context(), k.Shop.ID)
	if _, err := k.App.Service.ReplayWebhooks(t.Context(), k.Shop.ID, eps[0].ID, evs[0].ID, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	claimed, err := k.App.Store.ClaimWebhookDeliveries(t.Context(), now, now.Add(30*time.Second), 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	if n := run(t, node.Service); n != 0 {
		t.Fatal("a leased delivery was sent by another node")
	}
	k.Clock.Advance(31 * time.Second)
	if n := run(t, node.Service); n != 1 {
		t.Fatal("the crashed node's delivery was not picked up after its lease")
	}
	if got := r.deliveries(); len(got) != 2 || got[0].ID != got[1].ID {
		t.Fatalf("deliveries = %+v", got)
	}
}

// Two nodes relaying at once deliver every event exactly once when the
// receiver succeeds (at-least-once never turns into once per node).
func TestWebhookTwoNodesDeliverOnce(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			opts := []testkit.Option{allowPrivate}
			if backend == "postgres" {
				opts = append(opts, testkit.WithPostgres(t))
			}
			k := testkit.New(t, opts...)
			r := newReceiver(t)
			register(t, k, r)
			for i := range 12 {
				k.Register("node" + string(rune('a'+i)) + "@example.com")
			}
			other := k.Node()
			var wg sync.WaitGroup
			for _, svc := range []*core.Service{k.App.Service, other.Service, k.App.Service, other.Service} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := svc.RunWebhooks(t.Context()); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			run(t, k.App.Service)
			run(t, other.Service)
			seen := map[string]int{}
			for _, d := range r.deliveries() {
				seen[d.ID]++
			}
			if len(seen) != 12 {
				t.Fatalf("%d distinct deliveries, want 12", len(seen))
			}
			for id, n := range seen {
				if n != 1 {
					t.Fatalf("delivery %s sent %d times", id, n)
				}
			}
		})
	}
}

// An endpoint that fails for longer than DisableAfter is disabled, and the
// store hears of it through a webhook_endpoint.disabled event.
func TestWebhookDisabledAfterSustainedFailure(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.Webhooks.DisableAfter = time.Minute
	cfg.Webhooks.MaxAttempts = 100
	k := testkit.New(t, allowPrivate, testkit.WithCore(cfg))
	r := newReceiver(t, 500, 500, 500, 500, 500, 500, 500, 500)
	id := register(t, k, r)
	k.Register("failing-hook@example.com")
	for range 6 {
		run(t, k.App.Service)
		k.Clock.Advance(30 * time.Second)
	}
	res := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/webhooks/" + id, Admin: true})
	m := res.JSON(t)
	if m["disabled"] != true || !strings.HasPrefix(m["disabled_reason"].(string), "every attempt failed since") {
		t.Fatalf("endpoint after sustained failure: %s", res.Body)
	}
	evs := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/events?type=webhook_endpoint.disabled", Admin: true}).JSON(t)["data"].([]any)
	if len(evs) != 1 {
		t.Fatalf("disabled events = %d", len(evs))
	}
	// Re-enabling clears the failure run and resumes delivery.
	before := len(r.deliveries())
	res = k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/webhooks/" + id, Admin: true, Body: map[string]any{"disabled": false}})
	if res.Status != 200 || res.JSON(t)["failing_since"] != nil {
		t.Fatalf("re-enable: %d %s", res.Status, res.Body)
	}
	k.Clock.Advance(time.Hour)
	run(t, k.App.Service)
	if len(r.deliveries()) == before {
		t.Fatal("no delivery after re-enabling")
	}
}

// Replay of a time range queues the endpoint's events again.
func TestWebhookReplayRange(t *testing.T) {
	k := testkit.New(t, allowPrivate)
	r := newReceiver(t)
	id := register(t, k, r)
	k.Register("replay1@example.com")
	k.Register("replay2@example.com")
	run(t, k.App.Service)
	since := k.Clock.Now().Add(-time.Hour).Format(time.RFC3339)
	until := k.Clock.Now().Add(time.Hour).Format(time.RFC3339)
	res := k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/webhooks/" + id + "/replay", Admin: true, Body: map[string]any{"since": since, "until": until}})
	if res.Status != 202 || res.JSON(t)["queued"] != float64(2) {
		t.Fatalf("replay: %d %s", res.Status, res.Body)
	}
	run(t, k.App.Service)
	if got := len(r.deliveries()); got != 4 {
		t.Fatalf("deliveries = %d, want 4", got)
	}
}
