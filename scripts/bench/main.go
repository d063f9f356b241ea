// Command bench runs the benchmark protocol of issue 9 and rewrites the
// generated section of BENCHMARKS.md: the go test -bench bounds (argon2id,
// JWT sign/verify, store reads and writes), the hot queries' plans, and
// loadgen runs against a freshly started `clientele serve` on SQLite (all
// of P1–P8, with CPU profiles of the server under load) and on PostgreSQL
// (P2, P7: a database of its own, dropped after; CLIENTELE_BENCH_PG names
// the server, default the local one), each load figure as a ratio to its
// bound from the same run, with the machine, commit, load average and
// commands, and the targets P1–P8 with pass/miss.
//
//	go run ./scripts/bench            # full protocol, under 15 minutes
//	go run ./scripts/bench -quick     # smoke run, about two minutes
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

func main() {
	quick := flag.Bool("quick", false, "short runs: a smoke test of the protocol, figures not comparable")
	out := flag.String("out", "BENCHMARKS.md", "file whose generated section is rewritten")
	flag.Parse()
	if err := run(*quick, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// settings are the run lengths of one mode.
type settings struct {
	benchtime string
	load      time.Duration // closed-loop and open-loop measurement
	overload  time.Duration // P4
	p5        time.Duration // P5: reads and refreshes during a login overload
	seedSmall int           // customers in the store for every run but P7's
	seedBig   int           // customers in the store for P7
}

// p5Share is the share of their capacity at which P5 offers reads and
// refreshes, each. Both capacities were measured with every CPU free; during
// a login flood the password pool keeps one busy (on 2 CPUs, half the
// machine), and the three load generators need CPU too, so 15 % + 15 % is
// the load that fits beside the flood.
const p5Share = 0.15

// bench is one run of the protocol.
type bench struct {
	s     settings
	tmp   string
	lgBin string
	r     *report
	mu    sync.Mutex // guards r.commands: P5 runs loadgens at once
}

// note records a command the run made, for the report.
func (b *bench) note(cmd string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.r.commands = append(b.r.commands, cmd)
}

func run(quick bool, out string) error {
	s := settings{benchtime: "1s", load: 10 * time.Second, overload: 60 * time.Second, p5: 20 * time.Second, seedSmall: 1000, seedBig: 1_000_000}
	if quick {
		s = settings{benchtime: "100ms", load: 2 * time.Second, overload: 3 * time.Second, p5: 3 * time.Second, seedSmall: 1000, seedBig: 20_000}
	}
	r := &report{quick: quick}
	r.meta(s)
	tmp, err := os.MkdirTemp("", "clientele-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b := &bench{s: s, tmp: tmp, r: r}

	// Bounds: the in-process benchmarks, one go test run per package.
	for _, x := range []struct{ pkg, pattern string }{
		{"./internal/server/", "BaselineJSON|Argon2idHash|Refresh|GetCustomer"},
		{"./internal/auth/token/", "Sign|Verify"},
		{"./internal/store/sqlite/", "."},
	} {
		args := []string{"test", "-run", "^$", "-bench", x.pattern, "-benchtime", s.benchtime, x.pkg}
		r.commands = append(r.commands, "go "+strings.Join(args, " "))
		text, err := sh("go", args...)
		if err != nil {
			return fmt.Errorf("go test %s: %v\n%s", x.pkg, err, text)
		}
		r.parseBench(x.pkg, text)
	}
	// Query plans of the hot paths (the test fails if one scans a table).
	planArgs := []string{"test", "-count=1", "-run", "TestHotQueriesUseIndexes", "-v", "./internal/server/"}
	r.commands = append(r.commands, "go "+strings.Join(planArgs, " "))
	text, err := sh("go", planArgs...)
	if err != nil {
		return fmt.Errorf("query plans: %v\n%s", err, text)
	}
	r.plans = planLines(text)

	srvBin, err := b.build("clientele")
	if err != nil {
		return err
	}
	if b.lgBin, err = b.build("loadgen"); err != nil {
		return err
	}
	if err := b.sqlite(srvBin); err != nil {
		return err
	}
	if err := b.postgres(srvBin); err != nil {
		r.pgSkipped = err.Error()
	}
	r.loadEnd = loadavg()
	return r.write(out)
}

func (b *bench) build(name string) (string, error) {
	p := filepath.Join(b.tmp, name)
	if text, err := sh("go", "build", "-o", p, "./cmd/"+name); err != nil {
		return "", fmt.Errorf("build %s: %v\n%s", name, err, text)
	}
	return p, nil
}

// sqlite runs P1–P8 against a fresh SQLite file, then P7's large store.
func (b *bench) sqlite(bin string) error {
	s, r := b.s, b.r
	db := filepath.Join(b.tmp, "bench.db")
	srv, shop, err := b.open(bin, db)
	if err != nil {
		return err
	}
	defer func() { srv.stop() }()
	if r.slots, err = srv.passwordSlots(); err != nil {
		return err
	}
	for _, sc := range []string{"login", "refresh", "read"} {
		conc := 16
		if sc == "login" {
			conc = 4
		}
		res, err := b.loadgenProfiled(srv, sc, conc)
		if err != nil {
			return err
		}
		r.capacity[sc] = res
	}
	for _, x := range []struct {
		sc   string
		frac float64
	}{{"login", 0.8}, {"refresh", 0.7}, {"read", 0.7}} {
		res, err := b.loadgen(srv, x.sc, x.frac*r.capacity[x.sc].Goodput, 256, 64, s.load, nil)
		if err != nil {
			return err
		}
		r.atLoad[x.sc] = res
	}
	// P4 and P6: 10x login overload, RSS sampled meanwhile.
	var peak atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	go srv.sampleRSS(ctx, &peak)
	res, err := b.loadgen(srv, "login", 10*r.capacity["login"].Goodput, 1024, 64, s.overload, nil)
	cancel()
	if err != nil {
		return err
	}
	r.overload, r.rssMiB = res, float64(peak.Load())/1024
	// P5: reads and refreshes at p5Share of their capacity, alone and then
	// during a 10x login overload. Each loadgen registers its customers
	// first; all start their load at one instant (-start-at), so the
	// registrations' password work does not overlap the measurement.
	steady := func(login bool) (map[string]loadResult, error) {
		type one struct {
			name string
			res  loadResult
			err  error
		}
		type job struct {
			sc        string
			rate      float64
			conc, cus int
			d         time.Duration
		}
		jobs := []job{
			{"read", p5Share * r.capacity["read"].Goodput, 256, 64, s.p5},
			{"refresh", p5Share * r.capacity["refresh"].Goodput, 256, 128, s.p5},
		}
		if login {
			// Lasts a second past the others, so they end under overload.
			jobs = append(jobs, job{"login", 10 * r.capacity["login"].Goodput, 1024, 64, s.p5 + time.Second})
		}
		startAt := strconv.FormatInt(time.Now().Add(20*time.Second).UnixMilli(), 10)
		ch := make(chan one, len(jobs))
		for _, j := range jobs {
			go func() {
				res, err := b.loadgen(srv, j.sc, j.rate, j.conc, j.cus, j.d, nil, "-start-at", startAt)
				ch <- one{j.sc, res, err}
			}()
		}
		out := map[string]loadResult{}
		var first error
		for range jobs {
			o := <-ch
			if o.err != nil && first == nil {
				first = o.err
			}
			out[o.name] = o.res
		}
		return out, first
	}
	if r.p5Base, err = steady(false); err != nil {
		return err
	}
	if r.p5Under, err = steady(true); err != nil {
		return err
	}
	// P8: reads at twice capacity.
	if r.reads2x, err = b.loadgen(srv, "read", 2*r.capacity["read"].Goodput, 1024, 64, s.load, nil); err != nil {
		return err
	}
	// P7: the same store grown to seedBig customers.
	srv.stop()
	if srv, err = b.grow(bin, db, shop); err != nil {
		return err
	}
	return b.refreshAndRead(srv, r.big, "sqlite/")
}

// grow seeds the store up to seedBig customers and serves it again.
func (b *bench) grow(bin, db string, shop storeInfo) (*server, error) {
	started := time.Now()
	args := []string{"seed", "--db", db, "--store", shop.ID, "--customers", strconv.Itoa(b.s.seedBig - b.s.seedSmall), "--from", strconv.Itoa(b.s.seedSmall)}
	b.note("clientele " + strings.Join(redactArgs(args), " "))
	if text, err := sh(bin, args...); err != nil {
		return nil, fmt.Errorf("seed: %v\n%s", err, text)
	}
	b.r.seedTimes = append(b.r.seedTimes, fmt.Sprintf("%s: %d customers seeded in %s", dbKind(db), b.s.seedBig-b.s.seedSmall, time.Since(started).Round(100*time.Millisecond)))
	return startServer(bin, db, shop)
}

// postgres measures refresh and read capacity on PostgreSQL (P2) with a
// small and a large store (P7), in a database of its own dropped after.
// An error means the PostgreSQL runs were not made; the report says why.
func (b *bench) postgres(bin string) error {
	admin := os.Getenv("CLIENTELE_BENCH_PG")
	if admin == "" {
		admin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	name := fmt.Sprintf("clientele_bench_%d", time.Now().Unix())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("no PostgreSQL at CLIENTELE_BENCH_PG: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return fmt.Errorf("create database: %v", err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}()
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		return err
	}
	db := fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name)
	srv, shop, err := b.open(bin, db)
	if err != nil {
		return err
	}
	defer func() { srv.stop() }()
	if err := b.refreshAndRead(srv, b.r.pg, ""); err != nil {
		return err
	}
	srv.stop()
	if srv, err = b.grow(bin, db, shop); err != nil {
		return err
	}
	return b.refreshAndRead(srv, b.r.big, "postgres/")
}

// open creates the bench store in db, seeds its seedSmall customers and
// serves it.
func (b *bench) open(bin, db string) (*server, storeInfo, error) {
	shop, err := createStore(bin, db, b.s.seedSmall)
	if err != nil {
		return nil, shop, err
	}
	srv, err := startServer(bin, db, shop)
	return srv, shop, err
}

// refreshAndRead measures refresh and read capacity (closed loop) into
// into[prefix+scenario].
func (b *bench) refreshAndRead(srv *server, into map[string]loadResult, prefix string) error {
	for _, sc := range []string{"refresh", "read"} {
		res, err := b.loadgen(srv, sc, 0, 16, 64, b.s.load, nil)
		if err != nil {
			return err
		}
		into[prefix+sc] = res
	}
	return nil
}

// loadgenProfiled finds a scenario's capacity (closed loop) and takes a
// CPU profile of the server while it runs.
func (b *bench) loadgenProfiled(srv *server, sc string, conc int) (loadResult, error) {
	secs := max(int(b.s.load/time.Second)-1, 1)
	prof := filepath.Join(b.tmp, sc+".prof")
	done := make(chan error, 1)
	res, err := b.loadgen(srv, sc, 0, conc, 64, b.s.load, func() {
		go func() { done <- fetch(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", srv.pprof, secs), prof) }()
	})
	if err != nil {
		return res, err
	}
	if err := <-done; err != nil {
		return res, fmt.Errorf("profile %s: %v", sc, err)
	}
	flat, err := sh("go", "tool", "pprof", "-top", "-nodecount", "12", srv.bin, prof)
	if err != nil {
		return res, fmt.Errorf("pprof %s: %v", sc, err)
	}
	cum, err := sh("go", "tool", "pprof", "-top", "-cum", "-nodecount", "200", "-focus", "clientele/internal", srv.bin, prof)
	if err != nil {
		return res, fmt.Errorf("pprof %s: %v", sc, err)
	}
	b.r.profiles = append(b.r.profiles, profile{sc, topLines(flat, 10), ownLines(cum, 12)})
	b.note(fmt.Sprintf("curl $PPROF/debug/pprof/profile?seconds=%d  # the server's --pprof-addr, during the %s capacity run", secs, sc))
	return res, nil
}

// loadgen runs the load generator once; onSetup, when set, is called when
// it has registered its customers (its warm-up, if any, then its
// measurement start). extra are more loadgen flags.
func (b *bench) loadgen(srv *server, scenario string, rate float64, conc, customers int, d time.Duration, onSetup func(), extra ...string) (loadResult, error) {
	args := []string{"-url", srv.url, "-pk", srv.shop.PK, "-scenario", scenario, "-duration", d.String(),
		"-concurrency", strconv.Itoa(conc), "-customers", strconv.Itoa(customers), "-spread-ips", "-progress=false"}
	args = append(args, extra...)
	if rate > 0 {
		args = append(args, "-rate", strconv.FormatFloat(rate, 'f', 0, 64))
	}
	b.note("loadgen " + strings.Join(args[4:], " ") + "  # " + dbKind(srv.db))
	var res loadResult
	cmd := exec.Command(b.lgBin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		return res, err
	}
	if err := cmd.Start(); err != nil {
		return res, err
	}
	sc := bufio.NewScanner(pipe)
	for sc.Scan() {
		stderr.WriteString(sc.Text() + "\n")
		if onSetup != nil && strings.HasPrefix(sc.Text(), "setup:") {
			onSetup()
			onSetup = nil
		}
	}
	if err := cmd.Wait(); err != nil {
		return res, fmt.Errorf("loadgen %s: %v\n%s", scenario, err, stderr.String())
	}
	if onSetup != nil {
		return res, fmt.Errorf("loadgen %s never finished its setup:\n%s", scenario, stderr.String())
	}
	return res, json.Unmarshal(stdout.Bytes(), &res)
}

// sh runs a command in the repository and returns its combined output.
func sh(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "CLIENTELE_REQUIRE_ALL=")
	b, err := cmd.CombinedOutput()
	return string(b), err
}

// fetch saves url's body in path.
func fetch(url, path string) error {
	res, err := http.Get(url)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s", url, res.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, res.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// storeInfo is what `clientele stores create --json` prints.
type storeInfo struct {
	ID string `json:"id"`
	PK string `json:"publishable_key"`
}

// createStore makes the bench store in db and seeds it with n customers.
func createStore(bin, db string, n int) (storeInfo, error) {
	var shop storeInfo
	text, err := sh(bin, "stores", "create", "--name", "bench", "--db", db, "--json")
	if err != nil {
		return shop, fmt.Errorf("stores create: %v\n%s", err, text)
	}
	if err := json.Unmarshal([]byte(text), &shop); err != nil {
		return shop, fmt.Errorf("stores create printed %q: %v", text, err)
	}
	if text, err := sh(bin, "seed", "--db", db, "--store", shop.ID, "--customers", strconv.Itoa(n)); err != nil {
		return shop, fmt.Errorf("seed: %v\n%s", err, text)
	}
	return shop, nil
}

// server is a running `clientele serve`.
type server struct {
	cmd   *exec.Cmd
	bin   string
	db    string
	url   string
	pprof string
	shop  storeInfo
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func startServer(bin, db string, shop storeInfo) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	paddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr, "--pprof-addr", paddr, "--trusted-proxies", "127.0.0.1/32", "--log-level", "warn")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, bin: bin, db: db, url: "http://" + addr, pprof: "http://" + paddr, shop: shop}
	for deadline := time.Now().Add(30 * time.Second); ; {
		if res, err := http.Get(s.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s, nil
			}
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("server at %s not ready", addr)
		}
		time.Sleep(100 * time.Millisecond) // polling a child process, not test synchronisation
	}
}

// passwordSlots reads the server's password pool size from /metrics.
func (s *server) passwordSlots() (int, error) {
	res, err := http.Get(s.url + "/metrics")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "clientele_password_work_slots "); ok {
			return strconv.Atoi(strings.TrimSpace(v))
		}
	}
	return 0, fmt.Errorf("/metrics has no clientele_password_work_slots")
}

// stop ends the server; it is safe to call twice.
func (s *server) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	_ = s.cmd.Wait()
}

func dbKind(db string) string {
	if strings.HasPrefix(db, "postgres://") {
		return "postgres"
	}
	return "sqlite"
}

// redactArgs hides a DSN's host part in the commands shown.
func redactArgs(args []string) []string {
	out := slices.Clone(args)
	for i, a := range out {
		if strings.HasPrefix(a, "postgres://") {
			out[i] = "postgres://…"
		} else if strings.HasSuffix(a, ".db") {
			out[i] = "bench.db"
		}
	}
	return out
}

// sampleRSS keeps the server's peak resident set (KiB) in peak until ctx ends.
func (s *server) sampleRSS(ctx context.Context, peak *atomic.Int64) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "VmRSS:" {
				if kb, _ := strconv.ParseInt(f[1], 10, 64); kb > peak.Load() {
					peak.Store(kb)
				}
			}
		}
	}
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+\d+\s+([\d.]+) ns/op`)

// ownLines keeps the first n rows of pprof -top -cum that are Clientele's
// own functions (where the time goes, in the code we can change), leaving
// out the middleware and routing every request passes through, which
// would fill the top with the same total.
func ownLines(top string, n int) []string {
	var rows []string
	for _, l := range topLines(top, 1000) {
		if !strings.Contains(l, "clientele/internal/") || len(rows) >= n {
			continue
		}
		if strings.Contains(l, "server.build.") || strings.Contains(l, "ServeHTTP") || strings.Contains(l, "httpx.(*Router)") || strings.Contains(l, ".routes.") {
			continue
		}
		rows = append(rows, l)
	}
	return rows
}

// planLines keeps the plan lines TestHotQueriesUseIndexes logs.
func planLines(out string) []string {
	var rows []string
	for _, l := range strings.Split(out, "\n") {
		if i := strings.Index(l, "plan: "); i >= 0 {
			rows = append(rows, strings.TrimSpace(l[i+len("plan: "):]))
		}
	}
	return rows
}

// topLines keeps the first n function rows of pprof -top.
func topLines(top string, n int) []string {
	var rows []string
	seen := false
	for _, l := range strings.Split(top, "\n") {
		if strings.Contains(l, "flat%") {
			seen = true
			continue
		}
		if seen && strings.TrimSpace(l) != "" && len(rows) < n {
			rows = append(rows, strings.TrimSpace(l))
		}
	}
	return rows
}
