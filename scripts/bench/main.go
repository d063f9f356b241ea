// Command bench runs the benchmark protocol of issue 9 and rewrites the
// generated section of BENCHMARKS.md: the go test -bench bounds (argon2id,
// JWT sign/verify, store reads and writes) and loadgen runs against a
// freshly started `clientele serve` on SQLite, each load figure as a ratio
// to its bound from the same run, with the machine, commit, load average
// and commands, and the targets P1–P8 with pass/miss.
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
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
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
}

func run(quick bool, out string) error {
	s := settings{benchtime: "1s", load: 10 * time.Second, overload: 60 * time.Second}
	if quick {
		s = settings{benchtime: "100ms", load: 2 * time.Second, overload: 3 * time.Second}
	}
	var r report
	r.quick = quick
	r.meta(s)
	tmp, err := os.MkdirTemp("", "clientele-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	// Bounds: the in-process benchmarks, one go test run per package.
	for _, b := range []struct{ pkg, pattern string }{
		{"./internal/server/", "BaselineJSON|Argon2idHash|Refresh|GetCustomer"},
		{"./internal/auth/token/", "Sign|Verify"},
		{"./internal/store/sqlite/", "."},
	} {
		args := []string{"test", "-run", "^$", "-bench", b.pattern, "-benchtime", s.benchtime, b.pkg}
		r.commands = append(r.commands, "go "+strings.Join(args, " "))
		text, err := sh(tmp, "go", args...)
		if err != nil {
			return fmt.Errorf("go test %s: %v\n%s", b.pkg, err, text)
		}
		r.parseBench(b.pkg, text)
	}
	// Profiles: where the time goes in the hot paths.
	for _, p := range []struct{ name, pattern string }{
		{"login", "Login/db=sqlite"}, {"refresh", "Refresh/db=sqlite"}, {"read", "GetCustomerParallel/db=sqlite"},
	} {
		prof := filepath.Join(tmp, p.name+".prof")
		args := []string{"test", "-run", "^$", "-bench", p.pattern, "-benchtime", s.benchtime, "-cpuprofile", prof, "-o", filepath.Join(tmp, "server.test"), "./internal/server/"}
		r.commands = append(r.commands, "go "+strings.Join(args[:len(args)-4], " ")+" ./internal/server/")
		if text, err := sh(tmp, "go", args...); err != nil {
			return fmt.Errorf("profile %s: %v\n%s", p.name, err, text)
		}
		top, err := sh(tmp, "go", "tool", "pprof", "-top", "-nodecount", "12", filepath.Join(tmp, "server.test"), prof)
		if err != nil {
			return fmt.Errorf("pprof %s: %v", p.name, err)
		}
		r.profiles = append(r.profiles, profile{p.name, topLines(top, 8)})
	}

	// Load: a real server and the load generator on the same box.
	bin := func(name string) (string, error) {
		p := filepath.Join(tmp, name)
		_, err := sh(tmp, "go", "build", "-o", p, "./cmd/"+name)
		return p, err
	}
	srvBin, err := bin("clientele")
	if err != nil {
		return err
	}
	lgBin, err := bin("loadgen")
	if err != nil {
		return err
	}
	srv, err := startServer(srvBin, tmp)
	if err != nil {
		return err
	}
	defer srv.stop()
	lg := func(scenario string, rate float64, conc int, d time.Duration) (loadResult, error) {
		args := []string{"-url", srv.url, "-pk", srv.pk, "-scenario", scenario, "-duration", d.String(),
			"-concurrency", strconv.Itoa(conc), "-customers", "64", "-spread-ips", "-progress=false"}
		if rate > 0 {
			args = append(args, "-rate", strconv.FormatFloat(rate, 'f', 0, 64))
		}
		r.commands = append(r.commands, "loadgen "+strings.Join(args[4:], " "))
		var res loadResult
		text, err := sh(tmp, lgBin, args...)
		if err != nil {
			return res, fmt.Errorf("loadgen %s: %v\n%s", scenario, err, text)
		}
		i := strings.Index(text, "{")
		if i < 0 {
			return res, fmt.Errorf("loadgen %s printed no JSON:\n%s", scenario, text)
		}
		return res, json.Unmarshal([]byte(text[i:]), &res)
	}
	for _, sc := range []string{"login", "refresh", "read"} {
		conc := 16
		if sc == "login" {
			conc = 4
		}
		res, err := lg(sc, 0, conc, s.load)
		if err != nil {
			return err
		}
		r.capacity[sc] = res
	}
	for _, x := range []struct {
		sc   string
		frac float64
	}{{"login", 0.8}, {"refresh", 0.7}, {"read", 0.7}} {
		res, err := lg(x.sc, x.frac*r.capacity[x.sc].Goodput, 256, s.load)
		if err != nil {
			return err
		}
		r.atLoad[x.sc] = res
	}
	// P4 and P6: 10x login overload, RSS sampled meanwhile.
	var peak atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	go srv.sampleRSS(ctx, &peak)
	res, err := lg("login", 10*r.capacity["login"].Goodput, 1024, s.overload)
	cancel()
	if err != nil {
		return err
	}
	r.overload, r.rssMiB = res, float64(peak.Load())/1024
	// P8: reads at twice capacity.
	if r.reads2x, err = lg("read", 2*r.capacity["read"].Goodput, 1024, s.load); err != nil {
		return err
	}
	r.loadEnd = loadavg()
	return r.write(out)
}

// sh runs a command in the repository and returns its combined output.
func sh(_ string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "CLIENTELE_REQUIRE_ALL=")
	b, err := cmd.CombinedOutput()
	return string(b), err
}

// server is a running `clientele serve` on a fresh SQLite file.
type server struct {
	cmd *exec.Cmd
	url string
	pk  string
}

func startServer(bin, dir string) (*server, error) {
	db := filepath.Join(dir, "bench.db")
	text, err := sh(dir, bin, "stores", "create", "--name", "bench", "--db", db, "--json")
	if err != nil {
		return nil, fmt.Errorf("stores create: %v\n%s", err, text)
	}
	var shop map[string]string
	if err := json.Unmarshal([]byte(text), &shop); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	_ = l.Close()
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr, "--trusted-proxies", "127.0.0.1/32", "--log-level", "warn")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, url: "http://" + addr, pk: shop["publishable_key"]}
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

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	_ = s.cmd.Wait()
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
