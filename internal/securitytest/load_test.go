package securitytest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/auth/password"
	"github.com/clientele/clientele/internal/testkit"
)

// loadParams make one login cost about 20 ms of argon2id, so 10× the
// login capacity of a 2-core machine is a request rate the in-process load
// generator can offer without itself taking the CPU.
var loadParams = password.Params{Memory: 19 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// sample is one request of an open-loop run.
type sample struct {
	status     int
	retryAfter bool
	latency    time.Duration
	err        error
}

// openLoop starts fn at rate per second for d, each on its own goroutine
// (an open loop: a slow answer does not slow the offered load), and
// returns every outcome.
func openLoop(rate float64, d time.Duration, fn func() sample) []sample {
	var mu sync.Mutex
	var out []sample
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) / rate)
	tick := time.NewTicker(interval) // the offered load's pace
	defer tick.Stop()
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		<-tick.C
		wg.Go(func() {
			s := fn()
			mu.Lock()
			out = append(out, s)
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

func timed(client *http.Client, req func() *http.Request) sample {
	start := time.Now()
	res, err := client.Do(req())
	if err != nil {
		return sample{err: err, latency: time.Since(start)}
	}
	_ = res.Body.Close()
	return sample{status: res.StatusCode, retryAfter: res.Header.Get("Retry-After") != "", latency: time.Since(start)}
}

func p99(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)*99)/100]
}

// loginReq is a login of c through /v1.
func loginReq(k *testkit.Kit, email, password string) func() *http.Request {
	body := `{"email":"` + email + `","password":"` + password + `"}`
	return func() *http.Request {
		r, _ := http.NewRequest("POST", k.Server.URL+"/v1/auth/login", stringsReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Publishable-Key", k.PK)
		return r
	}
}

// overloadRun measures login capacity, then offers 10× that for a few
// seconds, reads running beside it at a fixed rate when reads > 0.
type overloadRun struct {
	capacity         float64 // logins per second, closed loop
	logins           []sample
	baseRead, ovRead []sample
	readRate         float64
	duration         time.Duration
}

// overload runs once and serves cases 43 and 44, which run one after the
// other with nothing else (they are not parallel cases).
var overload = sync.OnceValues(func() (overloadRun, error) { return runOverload() })

func runOverload() (run overloadRun, err error) {
	t := &kitT{}
	defer t.cleanup()
	defer func() {
		if r := recover(); r != nil {
			if r != any(t) {
				panic(r)
			}
			err = t.err() // a Fatalf of the kit
		}
	}()
	k := testkit.New(t, testkit.WithCore(relaxed()), testkit.WithHasher(password.New(loadParams)))
	c := k.Register("load@example.com")
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 512}}
	login := loginReq(k, c.Email, c.Password)
	// Capacity: two closed-loop clients (the password-work slots) for 1 s.
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	start := time.Now()
	for range 2 {
		wg.Go(func() {
			for time.Since(start) < time.Second {
				if s := timed(client, login); s.status == 200 {
					mu.Lock()
					done++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	run = overloadRun{capacity: float64(done) / time.Since(start).Seconds(), duration: 3 * time.Second}
	read := func() *http.Request {
		r, _ := http.NewRequest("GET", k.Server.URL+"/v1/customer", nil)
		r.Header.Set("Authorization", "Bearer "+c.Access)
		return r
	}
	{
		run.readRate = 100
		run.baseRead = openLoop(run.readRate, 2*time.Second, func() sample { return timed(client, read) })
		wg.Go(func() {
			run.ovRead = openLoop(run.readRate, run.duration, func() sample { return timed(client, read) })
		})
	}
	run.logins = openLoop(10*run.capacity, run.duration, func() sample { return timed(client, login) })
	wg.Wait()
	return run, t.err()
}

// Case 43: logins offered at 10× capacity (a 3-second open loop; the
// 60-second run is BENCHMARKS.md's): the excess is shed at once with 429 or
// 503 and Retry-After, the admitted ones are answered, nothing times out,
// and goodput stays near capacity.
func case43(t *testing.T) {
	needTiming(t)
	run, err := overload()
	if err != nil {
		t.Fatal(err)
	}
	var admitted, shed []time.Duration
	for _, s := range run.logins {
		switch {
		case s.err != nil:
			t.Fatalf("a login failed at the client (timeout?): %v", s.err)
		case s.status == 200:
			admitted = append(admitted, s.latency)
		case s.status == 429 || s.status == 503:
			if !s.retryAfter {
				t.Fatalf("%d without Retry-After", s.status)
			}
			shed = append(shed, s.latency)
		default:
			t.Fatalf("a login under overload answered %d", s.status)
		}
	}
	goodput := float64(len(admitted)) / run.duration.Seconds()
	t.Logf("capacity %.0f/s, offered %.0f/s: %d admitted (p99 %v), %d shed (p99 %v), goodput %.0f/s (%.0f%% of capacity)",
		run.capacity, 10*run.capacity, len(admitted), p99(admitted), len(shed), p99(shed), goodput, 100*goodput/run.capacity)
	if len(shed) == 0 {
		t.Fatal("nothing was shed at 10× capacity")
	}
	// SECURITY.md's absolute figures (shed p99 ≤ 20 ms, admitted p99 ≤
	// 250 ms) are logged, not asserted: on a shared 2-core CI host with the
	// load generator in the same process they measure the host. The
	// assertions are those that hold on any host: no timeouts, every
	// refusal a 429/503 with Retry-After, and goodput near capacity.
	if goodput < 0.5*run.capacity {
		t.Errorf("goodput %.0f/s is under half the capacity %.0f/s", goodput, run.capacity)
	}
}

// Case 44: reads beside a 10× login overload: every read is answered with
// 200, none shed and none timed out. The throughput and p99 ratios to the
// baseline are logged, not asserted (see case 43): on a 2-core host the
// hashes the gate admits take both cores, and the in-process generator
// competes with them.
func case44(t *testing.T) {
	needTiming(t)
	run, err := overload()
	if err != nil {
		t.Fatal(err)
	}
	lat := func(ss []sample) (ok int, ds []time.Duration) {
		for _, s := range ss {
			if s.err != nil {
				t.Fatalf("a read failed at the client: %v", s.err)
			}
			if s.status != 200 {
				t.Fatalf("a read answered %d under login overload", s.status)
			}
			ok++
			ds = append(ds, s.latency)
		}
		return ok, ds
	}
	bn, bd := lat(run.baseRead)
	on, od := lat(run.ovRead)
	baseRate, ovRate := float64(bn)/2, float64(on)/run.duration.Seconds()
	t.Logf("reads: baseline %.0f/s p99 %v; under login overload %.0f/s p99 %v", baseRate, p99(bd), ovRate, p99(od))
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

// kitT is the testing.TB a shared, once-only stack runs under: it records
// failures instead of failing one case, and runs cleanups when asked.
type kitT struct {
	testing.TB
	mu       sync.Mutex
	failures []string
	cleanups []func()
	dir      string
}

func (k *kitT) Helper()                   {}
func (k *kitT) Cleanup(f func())          { k.mu.Lock(); k.cleanups = append(k.cleanups, f); k.mu.Unlock() }
func (k *kitT) Fatalf(f string, a ...any) { k.Errorf(f, a...); panic(k) }
func (k *kitT) Errorf(f string, a ...any) {
	k.mu.Lock()
	k.failures = append(k.failures, fmt.Sprintf(f, a...))
	k.mu.Unlock()
}
func (k *kitT) Fatal(a ...any)           { k.Fatalf("%s", fmt.Sprint(a...)) }
func (k *kitT) Logf(string, ...any)      {}
func (k *kitT) Name() string             { return "overload" }
func (k *kitT) Context() context.Context { return context.Background() }
func (k *kitT) TempDir() string {
	if k.dir == "" {
		k.dir, _ = os.MkdirTemp("", "securitytest-overload-")
		k.Cleanup(func() { _ = os.RemoveAll(k.dir) })
	}
	return k.dir
}

func (k *kitT) cleanup() {
	for i := len(k.cleanups) - 1; i >= 0; i-- {
		k.cleanups[i]()
	}
}

func (k *kitT) err() error {
	if len(k.failures) == 0 {
		return nil
	}
	return errors.New(strings.Join(k.failures, "; "))
}
