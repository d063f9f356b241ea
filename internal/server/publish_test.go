package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testenv"
	"github.com/clientele/clientele/internal/testkit"
)

// fakePublisher records what it is given and fails while down.
type fakePublisher struct {
	mu   sync.Mutex
	down bool
	got  []core.EventMessage
	sent chan string // each published event id, for tests that wait
}

func newFakePublisher() *fakePublisher { return &fakePublisher{sent: make(chan string, 100)} }

func (f *fakePublisher) Publish(ctx context.Context, m core.EventMessage) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return errors.New("stream unreachable")
	}
	f.got = append(f.got, m)
	select {
	case f.sent <- m.ID:
	default:
	}
	return nil
}

func (f *fakePublisher) setDown(down bool) {
	f.mu.Lock()
	f.down = down
	f.mu.Unlock()
}

func (f *fakePublisher) messages() []core.EventMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]core.EventMessage(nil), f.got...)
}

func withPublisher(p core.EventPublisher) testkit.Option {
	return func(o *server.Options) { o.Publisher = p }
}

func publish(t *testing.T, svc *core.Service) (int, error) {
	t.Helper()
	return svc.PublishEvents(t.Context())
}

// Each event is published once with the webhook body; while the stream is
// down a round fails and keeps the events, which the next round publishes.
func TestPublishEventsOnceAndAfterAnOutage(t *testing.T) {
	fp := newFakePublisher()
	k := testkit.New(t, withPublisher(fp))
	c := k.Register("published@example.com")
	n, err := publish(t, k.App.Service)
	if err != nil || n == 0 {
		t.Fatalf("publish = %d, %v", n, err)
	}
	msgs := fp.messages()
	var created *core.EventMessage
	for i := range msgs {
		if msgs[i].Type == core.EventCustomerCreated {
			created = &msgs[i]
		}
	}
	if created == nil || created.ShopID != k.Shop.ID || !strings.HasPrefix(created.ID, "evt_") {
		t.Fatalf("no customer.created of the store among %+v", msgs)
	}
	var body struct {
		Type      string         `json:"type"`
		Timestamp string         `json:"timestamp"`
		Data      map[string]any `json:"data"`
	}
	if err := json.Unmarshal(created.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Type != core.EventCustomerCreated || body.Timestamp == "" || body.Data["event_id"] != created.ID ||
		body.Data["subject_id"] != c.ID || body.Data["store_id"] != k.Shop.ID {
		t.Fatalf("body %s", created.Body)
	}
	if n, err := publish(t, k.App.Service); n != 0 || err != nil {
		t.Fatalf("a second round published %d (%v), want nothing", n, err)
	}

	fp.setDown(true)
	k.Register("during-outage@example.com")
	if n, err := publish(t, k.App.Service); err == nil || n != 0 {
		t.Fatalf("round while down = %d, %v; want 0 and an error", n, err)
	}
	fp.setDown(false)
	before := len(fp.messages())
	// The failed round released its claim: no lease to wait out.
	if n, err := publish(t, k.App.Service); err != nil || n == 0 {
		t.Fatalf("round after the outage = %d, %v", n, err)
	}
	seen := map[string]bool{}
	for _, m := range fp.messages() {
		if seen[m.ID] {
			t.Fatalf("event %s published twice", m.ID)
		}
		seen[m.ID] = true
	}
	if len(seen) <= before {
		t.Fatal("the events of the outage were not published after it")
	}
	if published, failures := k.App.Service.PublishStats(); published != int64(len(seen)) || failures != 1 {
		t.Fatalf("stats = %d published, %d failures; want %d, 1", published, failures, len(seen))
	}
	res := k.Do(testkit.Req{Method: "GET", Path: "/metrics", PK: "-", NoCheck: true})
	if !strings.Contains(string(res.Body), "clientele_nats_publish_failures_total 1") {
		t.Fatalf("/metrics lacks the failure count:\n%s", res.Body)
	}
}

// The background loop publishes without being asked, and keeps requests
// and webhooks going while publishing fails.
func TestBackgroundPublishes(t *testing.T) {
	fp := newFakePublisher()
	k := testkit.New(t, withPublisher(fp))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.App.Background(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	k.Register("looped@example.com")
	select {
	case <-fp.sent:
	case <-time.After(10 * time.Second):
		t.Fatal("the background loop published nothing in 10 s")
	}
}

// Without --nats and without a publisher, nothing publishes and the
// metrics do not mention NATS.
func TestPublishingOffByDefault(t *testing.T) {
	k := testkit.New(t)
	if _, err := k.App.Service.PublishEvents(t.Context()); err == nil {
		t.Fatal("PublishEvents without a publisher did not refuse")
	}
	res := k.Do(testkit.Req{Method: "GET", Path: "/metrics", PK: "-", NoCheck: true})
	if strings.Contains(string(res.Body), "clientele_nats_") {
		t.Fatal("NATS metrics registered while publishing is off")
	}
}

// --nats builds a JetStream publisher even while NATS is unreachable: the
// node starts, serves, publishes nothing, and /readyz says degraded with a
// nats reason, never unavailable.
func TestNATSDownAtStartDegradesReadiness(t *testing.T) {
	k := testkit.New(t, testkit.WithConfig(func(c *config.Config) {
		c.NATS = "nats://" + testenv.ClosedAddr(t)
		c.NATSStream = "CLIENTELE_UNREACHABLE"
	}))
	c := k.Register("served@example.com")
	if c.ID == "" {
		t.Fatal("registration failed with NATS down")
	}
	if n, err := k.App.Service.PublishEvents(t.Context()); err == nil || n != 0 {
		t.Fatalf("publish with NATS down = %d, %v", n, err)
	}
	res := k.Do(testkit.Req{Method: "GET", Path: "/readyz", PK: "-", NoCheck: true})
	if res.Status != 200 || !strings.Contains(string(res.Body), `"nats":"down"`) || !strings.Contains(string(res.Body), `"degraded"`) {
		t.Fatalf("/readyz: %d %s", res.Status, res.Body)
	}
}
