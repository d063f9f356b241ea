package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseBenchAndTop(t *testing.T) {
	var r report
	r.meta(settings{})
	r.parseBench("./internal/server/", "goos: linux\nBenchmarkRefresh/db=sqlite-2   \t 300\t 388560 ns/op\t 40766 B/op\nBenchmarkArgon2idHash-2 \t 10 \t 28641226 ns/op\nPASS\n")
	if r.bench["server.Refresh/db=sqlite"] != 388560 || r.bench["server.Argon2idHash"] != 28641226 || len(r.bench) != 2 {
		t.Fatalf("parsed %v", r.bench)
	}
	top := "Showing nodes\n      flat  flat%   sum%        cum   cum%\n     190ms 34.55% 34.55%      190ms 34.55%  argon2.xorBlocksSSE2\n      90ms 16.36% 50.91%       90ms 16.36%  argon2.blamkaSSE4\n"
	if got := topLines(top, 1); len(got) != 1 || !strings.HasSuffix(got[0], "argon2.xorBlocksSSE2") {
		t.Fatalf("topLines = %q", got)
	}
}

// The generated section replaces itself and keeps the hand-written rest.
func TestWriteKeepsHandWrittenText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "B.md")
	if err := os.WriteFile(path, []byte("# Benchmarks\n\nhand-written\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var r report
	r.meta(settings{})
	for range 2 {
		if err := r.write(path); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	s := string(b)
	if !strings.HasPrefix(s, "# Benchmarks\n\nhand-written\n") || strings.Count(s, beginMark) != 1 || strings.Count(s, endMark) != 1 {
		t.Fatalf("file after two writes:\n%s", s)
	}
	if !strings.Contains(s, "| P6 RSS ≤ 100 MiB during P4 | peak 0 MiB | **miss** |") {
		t.Fatal("targets table missing")
	}
}
