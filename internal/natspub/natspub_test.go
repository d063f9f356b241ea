package natspub_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/natspub"
	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testenv"
	"github.com/clientele/clientele/internal/testkit"
)

// stream is one test's own JetStream stream and subject prefix on the
// shared server, deleted when the test ends.
type stream struct {
	url, name, prefix string
	js                jetstream.JetStream
}

func newStream(t *testing.T) *stream {
	t.Helper()
	u := testenv.NATS(t)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	suffix := hex.EncodeToString(b)
	nc, err := nats.Connect(u)
	if err != nil {
		t.Fatalf("connect %s: %v", u, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	s := &stream{url: u, name: "CLIENTELE_TEST_" + suffix, prefix: "clientele_test_" + suffix, js: js}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := js.DeleteStream(ctx, s.name); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			t.Errorf("delete stream %s: %v", s.name, err)
		}
		nc.Close()
	})
	return s
}

// publisher connects a Publisher to the test's stream at url.
func (s *stream) publisher(t *testing.T, url string) *natspub.Publisher {
	t.Helper()
	p, err := natspub.New(natspub.Options{URL: url, Stream: s.name, Prefix: s.prefix, Name: t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// messages returns every message stored in the stream, in order.
func (s *stream) messages(t *testing.T) []*jetstream.RawStreamMsg {
	t.Helper()
	ctx := t.Context()
	st, err := s.js.Stream(ctx, s.name)
	if err != nil {
		t.Fatalf("stream %s: %v", s.name, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []*jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; info.State.Msgs > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("message %d: %v", seq, err)
		}
		out = append(out, m)
	}
	return out
}

func withPublisher(p core.EventPublisher) testkit.Option {
	return func(o *server.Options) { o.Publisher = p }
}

// drain runs publishing rounds until one finds nothing, and returns how
// many events they published. A relay that never runs dry (events never
// recorded as published) fails the test instead of hanging it.
func drain(t *testing.T, svc *core.Service) int {
	t.Helper()
	total := 0
	for range 100 {
		n, err := svc.PublishEvents(t.Context())
		if err != nil {
			t.Fatalf("publish: %v", err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
	t.Fatalf("still publishing after 100 rounds (%d events): published events are not recorded", total)
	return total
}

type body struct {
	Type      string         `json:"type"`
	Timestamp string         `json:"timestamp"`
	Data      map[string]any `json:"data"`
}

// A registration's events arrive on the stream under
// <prefix>.<store id>.<event type>, with Nats-Msg-Id = the event id and
// the webhook body.
func TestRegistrationEventsArrive(t *testing.T) {
	s := newStream(t)
	k := testkit.New(t, withPublisher(s.publisher(t, s.url)))
	c := k.Register("nats@example.com")
	n := drain(t, k.App.Service)
	msgs := s.messages(t)
	if n == 0 || len(msgs) != n {
		t.Fatalf("published %d, stream holds %d", n, len(msgs))
	}
	var found bool
	for _, m := range msgs {
		var b body
		if err := json.Unmarshal(m.Data, &b); err != nil {
			t.Fatalf("body %s: %v", m.Data, err)
		}
		id := m.Header.Get(jetstream.MsgIDHeader)
		if want := s.prefix + "." + k.Shop.ID + "." + b.Type; m.Subject != want {
			t.Errorf("subject %q, want %q", m.Subject, want)
		}
		if !strings.HasPrefix(id, "evt_") || b.Data["event_id"] != id || b.Data["store_id"] != k.Shop.ID || b.Timestamp == "" {
			t.Errorf("Nats-Msg-Id %q with body %s", id, m.Data)
		}
		if b.Type == core.EventCustomerCreated && b.Data["subject_id"] == c.ID {
			found = true
		}
	}
	if !found {
		t.Fatal("no customer.created for the new customer on the stream")
	}
	info, err := s.js.Stream(t.Context(), s.name)
	if err != nil {
		t.Fatal(err)
	}
	if subj := info.CachedInfo().Config.Subjects; len(subj) != 1 || subj[0] != s.prefix+".>" {
		t.Fatalf("stream subjects %v, want [%s.>]", subj, s.prefix)
	}
}

// A new service over the same database (a restart) publishes nothing that
// was acknowledged before, and goes on with what came since.
func TestRestartDoesNotRepublish(t *testing.T) {
	s := newStream(t)
	k := testkit.New(t, withPublisher(s.publisher(t, s.url)))
	k.Register("before@example.com")
	first := drain(t, k.App.Service)
	if first == 0 {
		t.Fatal("nothing published")
	}
	restarted := k.Node(withPublisher(s.publisher(t, s.url)))
	if n := drain(t, restarted.Service); n != 0 {
		t.Fatalf("the restarted service published %d events again", n)
	}
	k.Register("after@example.com")
	second := drain(t, restarted.Service)
	if second == 0 {
		t.Fatal("the restarted service did not publish new events")
	}
	if got := len(s.messages(t)); got != first+second {
		t.Fatalf("stream holds %d, want %d", got, first+second)
	}
}

// Two relays over one database share the events: each is published by
// exactly one of them, and the stream holds each once.
func TestTwoRelaysPublishEachOnce(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run("db="+db, func(t *testing.T) {
			s := newStream(t)
			var opts []testkit.Option
			if db == "postgres" {
				opts = append(opts, testkit.WithPostgres(t))
			}
			k := testkit.New(t, append(opts, withPublisher(s.publisher(t, s.url)))...)
			other := k.Node(withPublisher(s.publisher(t, s.url)))
			for i := range 8 {
				k.Register("shared" + string(rune('a'+i)) + "@example.com")
			}
			// More events than one round claims, so that both relays
			// have work while the other publishes.
			for i := range 250 {
				must(t, k.App.Store.AppendEvent(t.Context(), &core.Event{
					ID: fmt.Sprintf("evt_%026d", i), ShopID: k.Shop.ID, Type: core.EventCustomerUpdated,
					Data: map[string]any{"n": i}, CreatedAt: time.Now(),
				}))
			}
			var wg sync.WaitGroup
			counts := make([]int, 2)
			for i, svc := range []*core.Service{k.App.Service, other.Service} {
				wg.Go(func() {
					for range 100 {
						n, err := svc.PublishEvents(context.Background())
						if err != nil {
							t.Errorf("relay %d: %v", i, err)
							return
						}
						if n == 0 {
							return
						}
						counts[i] += n
					}
				})
			}
			wg.Wait()
			t.Logf("events published by each relay: %v", counts)
			msgs := s.messages(t)
			ids := map[string]bool{}
			for _, m := range msgs {
				id := m.Header.Get(jetstream.MsgIDHeader)
				if ids[id] {
					t.Fatalf("event %s stored twice", id)
				}
				ids[id] = true
			}
			if len(ids) < 258 || counts[0]+counts[1] != len(ids) {
				t.Fatalf("relays published %v, stream holds %d distinct events (want at least 258, and the sum)", counts, len(ids))
			}
			if counts[0] == 0 || counts[1] == 0 {
				t.Fatalf("one relay did all the work (%v): the claims were not shared", counts)
			}
			if n := drain(t, k.App.Service); n != 0 {
				t.Fatalf("%d events left over", n)
			}
		})
	}
}

// While NATS is unreachable a round fails and keeps its events, releasing
// its claims; a relay pointed at the right address afterwards publishes
// them all at once, without waiting out a lease.
func TestOutageLosesNothing(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run("db="+db, func(t *testing.T) { testOutage(t, db) })
	}
}

func testOutage(t *testing.T, db string) {
	s := newStream(t)
	down := s.publisher(t, "nats://"+testenv.ClosedAddr(t))
	opts := []testkit.Option{withPublisher(down)}
	if db == "postgres" {
		opts = append(opts, testkit.WithPostgres(t))
	}
	k := testkit.New(t, opts...)
	c := k.Register("outage@example.com")
	start := time.Now()
	n, err := k.App.Service.PublishEvents(t.Context())
	if err == nil || n != 0 {
		t.Fatalf("round with NATS down = %d, %v; want 0 and an error", n, err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("a failed round took %v; it must fail fast, not wait out its budget", took)
	}
	if down.State() != "down" {
		t.Errorf("State() = %q with NATS unreachable", down.State())
	}
	if _, failures := k.App.Service.PublishStats(); failures == 0 {
		t.Error("the failure was not counted")
	}
	back := k.Node(withPublisher(s.publisher(t, s.url)))
	if n := drain(t, back.Service); n == 0 {
		t.Fatal("nothing published once NATS was reachable")
	}
	found := false
	for _, m := range s.messages(t) {
		var b body
		if err := json.Unmarshal(m.Data, &b); err != nil {
			t.Fatal(err)
		}
		found = found || (b.Type == core.EventCustomerCreated && b.Data["subject_id"] == c.ID)
	}
	if !found {
		t.Fatal("the event written during the outage never reached the stream")
	}
}

// A retry of an acknowledged event (say its acknowledgement was lost, or
// its node died before recording it) is dropped by the stream's duplicate
// window and still counts as published.
func TestRetrySameEventStoredOnce(t *testing.T) {
	s := newStream(t)
	p := s.publisher(t, s.url)
	m := core.EventMessage{ID: "evt_01TESTRETRY", ShopID: "sto_1", Type: "customer.updated", Body: []byte(`{"type":"customer.updated"}`)}
	for range 2 {
		if err := p.Publish(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(s.messages(t)); got != 1 {
		t.Fatalf("stream holds %d copies, want 1", got)
	}
	if p.State() != "ok" {
		t.Fatalf("State() = %q while connected", p.State())
	}
}

// An existing stream without our subjects gets them added, keeping the
// rest of its configuration.
func TestExistingStreamGetsSubjects(t *testing.T) {
	s := newStream(t)
	other := s.prefix + "_other.>"
	if _, err := s.js.CreateStream(t.Context(), jetstream.StreamConfig{Name: s.name, Subjects: []string{other}, MaxMsgs: 1000}); err != nil {
		t.Fatal(err)
	}
	p := s.publisher(t, s.url)
	if err := p.EnsureStream(t.Context()); err != nil {
		t.Fatal(err)
	}
	st, err := s.js.Stream(t.Context(), s.name)
	if err != nil {
		t.Fatal(err)
	}
	cfg := st.CachedInfo().Config
	if len(cfg.Subjects) != 2 || cfg.Subjects[0] != other || cfg.Subjects[1] != s.prefix+".>" || cfg.MaxMsgs != 1000 {
		t.Fatalf("stream config %+v", cfg)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
