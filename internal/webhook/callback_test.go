package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// A callback goes out as one JSON POST with the caller's headers, and
// loopback receivers are refused unless private targets are allowed.
func TestCallbacksPostAndAddressPolicy(t *testing.T) {
	var hits atomic.Int32
	var got http.Header
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		got = r.Header.Clone()
		b, _ := io.ReadAll(r.Body)
		body = r.Method + " " + string(b)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	c := core.Callback{URL: srv.URL + "/hook", Header: map[string]string{"x-slas-callback-token": "signed"}, Body: []byte(`{"a":1}`)}
	status, err := NewCallbacks(false).PostCallback(context.Background(), c)
	if !errors.Is(err, errPrivate) || status != 0 || hits.Load() != 0 {
		t.Fatalf("private receiver: status %d err %v hits %d, want refused", status, err, hits.Load())
	}
	status, err = NewCallbacks(true).PostCallback(context.Background(), c)
	if err != nil || status != http.StatusAccepted || hits.Load() != 1 {
		t.Fatalf("allowed: status %d err %v hits %d", status, err, hits.Load())
	}
	if body != `POST {"a":1}` || got.Get("Content-Type") != "application/json" || got.Get("X-Slas-Callback-Token") != "signed" {
		t.Fatalf("received %q with %v", body, got)
	}
}

// A redirect is the answer, never followed: it could carry the token to a
// URL nobody registered.
func TestCallbacksDoNotFollowRedirects(t *testing.T) {
	var followed atomic.Bool
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { followed.Store(true) }))
	defer target.Close()
	srv := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusTemporaryRedirect))
	defer srv.Close()
	status, err := NewCallbacks(true).PostCallback(context.Background(), core.Callback{URL: srv.URL, Body: []byte(`{}`)})
	if err != nil || status != http.StatusTemporaryRedirect || followed.Load() {
		t.Fatalf("status %d err %v followed %v", status, err, followed.Load())
	}
}

// A receiver that never answers is cut when the caller's context ends, and
// the error names neither the URL nor anything sent.
func TestCallbacksCutAHangingReceiver(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	status, err := NewCallbacks(true).PostCallback(ctx, core.Callback{URL: srv.URL + "/hook?secret=q", Body: []byte(`{"token":"tok"}`)})
	if err == nil || status != 0 {
		t.Fatalf("status %d err %v, want a timeout", status, err)
	}
	if msg := err.Error(); strings.Contains(msg, "secret=q") || strings.Contains(msg, "tok") || strings.Contains(msg, "127.0.0.1") {
		t.Fatalf("error leaks the request: %s", msg)
	}
}
