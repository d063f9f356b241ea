package securitytest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/server"
)

// TestMain lets the test binary stand in for a server process: with
// CLIENTELE_SECURITYTEST_CHILD set to a database path it serves the real
// stack (server.Build and server.NewHTTPServer, as `clientele serve` does)
// until SIGTERM, so cases 41 and 42 can kill -9 it or stop it under load.
func TestMain(m *testing.M) {
	if db := os.Getenv("CLIENTELE_SECURITYTEST_CHILD"); db != "" {
		if err := child(db); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	os.Exit(m.Run())
}

// child is `clientele serve` reduced to what the fault cases need: the same
// Build, the same http.Server, and a graceful Shutdown on SIGTERM.
func child(db string) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	cfg := config.Default()
	cfg.DB, cfg.Argon2Memory, cfg.Argon2Time = db, 64, 1
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	cfg.Issuer = "http://" + ln.Addr().String()
	app, err := server.Build(ctx, server.Options{Config: cfg})
	if err != nil {
		return err
	}
	srv := server.NewHTTPServer(cfg, app.Handler, nil)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Printf("listening http://%s\n", ln.Addr())
	select {
	case err = <-errc:
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		err = srv.Shutdown(sctx)
		cancel()
	}
	cctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if cerr := app.Close(cctx); cerr != nil && err == nil {
		err = cerr
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// process is a child server.
type process struct {
	url string
	cmd *exec.Cmd
}

// startChild starts a child server on db and waits for its address.
func startChild(t *testing.T, db string) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CLIENTELE_SECURITYTEST_CHILD="+db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
			p.url = rest
			break
		}
	}
	if p.url == "" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatal("the child server did not start")
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return p
}

// wait waits for the child to exit, at most d.
func (p *process) wait(t *testing.T, d time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		_ = p.cmd.Process.Kill()
		<-done
		t.Fatalf("the child did not exit within %v", d)
		return nil
	}
}
