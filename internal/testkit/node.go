package testkit

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testenv"
)

// NodeE2E runs an end-to-end suite written for Node's test runner in dir
// (e2e/<dialect>, with a committed package-lock.json) against a running
// Clientele, with env added to the environment (e.g. CLIENTELE_URL and a
// publishable key). It skips without Node and npm (failing instead under
// CLIENTELE_REQUIRE_ALL=1), installs the pinned SDKs with `npm ci` when
// node_modules is missing or older than the lockfile, and fails t when any
// Node test fails, with the runner's output in the log.
func NodeE2E(t *testing.T, dir string, env map[string]string) {
	t.Helper()
	node := testenv.Binary(t, "node")
	npm := testenv.Binary(t, "npm")
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if stale(filepath.Join(abs, "package-lock.json"), filepath.Join(abs, "node_modules", ".package-lock.json")) {
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = abs
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
		}
	}
	cmd := exec.Command(node, "--test", "--test-reporter=spec", "--test-concurrency=1")
	cmd.Dir = abs
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	t.Logf("node --test in %s (%v):\n%s", dir, time.Since(start).Round(time.Millisecond), out.String())
	if err != nil {
		t.Fatalf("the %s end-to-end suite failed: %v", dir, err)
	}
}

// stale reports whether the installed tree is missing or older than the lockfile.
func stale(lock, installed string) bool {
	li, err := os.Stat(installed)
	if err != nil {
		return true
	}
	lo, err := os.Stat(lock)
	return err != nil || lo.ModTime().After(li.ModTime())
}
