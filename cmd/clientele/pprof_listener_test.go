package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestServePprof(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Run("off by default", func(t *testing.T) {
		stop, err := servePprof("", log)
		if err != nil {
			t.Fatal(err)
		}
		stop()
	})
	t.Run("a bad address is an error", func(t *testing.T) {
		if _, err := servePprof("127.0.0.1:notaport", log); err == nil {
			t.Fatal("servePprof accepted a bad address")
		}
	})
	t.Run("serves the profile index on its own listener", func(t *testing.T) {
		addr := freeLocalAddr(t)
		stop, err := servePprof(addr, log)
		if err != nil {
			t.Fatal(err)
		}
		defer stop()
		res, err := http.Get("http://" + addr + "/debug/pprof/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), "goroutine") {
			t.Fatalf("GET /debug/pprof/: %d %.200s", res.StatusCode, body)
		}
		res, err = http.Post("http://"+addr+"/debug/pprof/", "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Fatalf("POST /debug/pprof/: %d, want 405", res.StatusCode)
		}
	})
}
