package core_test

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/auth/password"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// gatedHasher blocks hashing of passwords that start with "block" until
// released, so a test can fill the password-work pool deterministically.
type gatedHasher struct {
	inner    core.Hasher
	entered  chan struct{}
	release  chan struct{}
	verifies atomic.Int64
}

func newGatedHasher() *gatedHasher {
	return &gatedHasher{inner: password.New(password.TestParams()), entered: make(chan struct{}, 16), release: make(chan struct{})}
}

func (g *gatedHasher) Hash(pw string) (string, error) {
	if strings.HasPrefix(pw, "block") {
		g.entered <- struct{}{}
		<-g.release
	}
	return g.inner.Hash(pw)
}

func (g *gatedHasher) Verify(pw, enc string) (bool, bool, error) {
	g.verifies.Add(1)
	return g.inner.Verify(pw, enc)
}

func register(k *testkit.Kit, email, pw string) *testkit.Response {
	return k.Do(testkit.Req{Method: "POST", Path: "/v1/customers", Body: map[string]string{"email": email, "password": pw}})
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		runtime.Gosched()
	}
}

// With every slot busy and the queue full, password work is shed at once
// with 503 + Retry-After instead of queueing without bound.
func TestPasswordWorkIsShedWhenFull(t *testing.T) {
	g := newGatedHasher()
	cfg := core.DefaultConfig()
	cfg.PasswordWork = core.WorkLimits{Slots: 1, Queue: 1, MaxWait: time.Minute}
	k := testkit.New(t, testkit.WithHasher(g), testkit.WithCore(cfg))

	var wg sync.WaitGroup
	statuses := make(chan int, 2)
	for i, email := range []string{"one@example.com", "two@example.com"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- register(k, email, "block-password-"+string(rune('a'+i))).Status
		}()
		if i == 0 {
			<-g.entered // the first request holds the only slot
		}
	}
	waitFor(t, func() bool { w, _ := k.App.Service.WorkStats(); return w == 1 })

	res := register(k, "three@example.com", "another long password")
	if res.Status != 503 || res.Header.Get("Retry-After") == "" || res.Str(t, "code") != "overloaded" {
		t.Fatalf("third request: %d %s (Retry-After %q)", res.Status, res.Body, res.Header.Get("Retry-After"))
	}
	if _, shed := k.App.Service.WorkStats(); shed != 1 {
		t.Fatalf("shed = %d", shed)
	}
	close(g.release)
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != 201 {
			t.Fatalf("admitted request answered %d", s)
		}
	}
}

// A waiter that cannot get a slot within MaxWait is shed too.
func TestPasswordWorkWaitIsBounded(t *testing.T) {
	g := newGatedHasher()
	cfg := core.DefaultConfig()
	cfg.PasswordWork = core.WorkLimits{Slots: 1, Queue: 4, MaxWait: 20 * time.Millisecond}
	k := testkit.New(t, testkit.WithHasher(g), testkit.WithCore(cfg))
	done := make(chan int)
	go func() { done <- register(k, "one@example.com", "block-password-a").Status }()
	<-g.entered
	res := register(k, "two@example.com", "another long password")
	if res.Status != 503 || res.Str(t, "code") != "overloaded" {
		t.Fatalf("queued request: %d %s", res.Status, res.Body)
	}
	close(g.release)
	if s := <-done; s != 201 {
		t.Fatalf("first request: %d", s)
	}
}

// Login for an unknown e-mail performs exactly the argon2id verification
// a known e-mail with a wrong password does (SECURITY.md case 1).
func TestUnknownEmailSpendsTheSameHashWork(t *testing.T) {
	g := newGatedHasher()
	k := testkit.New(t, testkit.WithHasher(g))
	k.Register("known@example.com")
	login := func(email string) int64 {
		before := g.verifies.Load()
		res := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]string{"email": email, "password": "not the password"}})
		if res.Status != 401 {
			t.Fatalf("login %s: %d", email, res.Status)
		}
		return g.verifies.Load() - before
	}
	if known, unknown := login("known@example.com"), login("unknown@example.com"); known != 1 || unknown != 1 {
		t.Fatalf("verifications: known %d, unknown %d; want 1 and 1", known, unknown)
	}
}
