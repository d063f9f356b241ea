package httpx_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/httpx"
)

func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name, remote, xff, want string
	}{
		{"direct_peer", "203.0.113.7:5000", "", "203.0.113.7"},
		{"untrusted_peer_spoofs_xff", "203.0.113.7:5000", "198.51.100.1", "203.0.113.7"},
		{"trusted_proxy", "10.0.0.2:5000", "198.51.100.1", "198.51.100.1"},
		{"trusted_chain_rightmost_untrusted", "10.0.0.2:5000", "1.1.1.1, 198.51.100.1, 10.0.0.9", "198.51.100.1"},
		{"trusted_proxy_garbage_xff", "10.0.0.2:5000", "not-an-ip", "10.0.0.2"},
		{"ipv6_peer", "[2001:db8::1]:443", "", "2001:db8::1"},
		{"mapped_ipv4", "[::ffff:203.0.113.9]:1", "", "203.0.113.9"},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			var got string
			h := httpx.WithClientIP(trusted, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = httpx.ClientIP(r.Context())
			}))
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			if got != tt.want {
				t.Fatalf("ClientIP = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAccessLogNeverLogsQueryOrRedactedPath(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	redact := func(p string) string { return strings.Replace(p, "secret-token", "REDACTED", 1) }
	h := httpx.WithRequestID(httpx.AccessLog(log, redact, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/reset/secret-token?email=jane@example.com&token=abc", nil))
	out := buf.String()
	for _, leak := range []string{"secret-token", "jane@example.com", "token=abc"} {
		if strings.Contains(out, leak) {
			t.Fatalf("access log leaks %q: %s", leak, out)
		}
	}
	if !strings.Contains(out, `"status":418`) || !strings.Contains(out, rec.Header().Get("X-Request-Id")) {
		t.Fatalf("access log lacks status or request id: %s", out)
	}
}

func TestRecoverRendersAndLogs(t *testing.T) {
	var buf bytes.Buffer
	var rendered error
	h := httpx.Recover(slog.New(slog.NewTextHandler(&buf, nil)), func(w http.ResponseWriter, r *http.Request, err error) {
		rendered = err
		w.WriteHeader(500)
	}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || rendered == nil || !strings.Contains(buf.String(), "boom") {
		t.Fatalf("code %d, rendered %v, log %q", rec.Code, rendered, buf.String())
	}
}

func TestRouterRendersNotFoundAndMethodNotAllowed(t *testing.T) {
	var got []int
	rt := httpx.NewRouter(func(w http.ResponseWriter, r *http.Request, err error) {
		he := err.(*httpx.Error)
		got = append(got, he.Status)
		w.WriteHeader(he.Status)
	})
	rt.Handle("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) error {
		_, err := w.Write([]byte(r.PathValue("id")))
		return err
	})
	rec := httptest.NewRecorder()
	rt.ServeHTTP(rec, httptest.NewRequest("GET", "/things/42", nil))
	if rec.Body.String() != "42" {
		t.Fatalf("path value not set: %q", rec.Body.String())
	}
	rec = httptest.NewRecorder()
	rt.ServeHTTP(rec, httptest.NewRequest("DELETE", "/things/42", nil))
	if rec.Code != 405 || !strings.Contains(rec.Header().Get("Allow"), "GET") {
		t.Fatalf("405: %d Allow=%q", rec.Code, rec.Header().Get("Allow"))
	}
	rec = httptest.NewRecorder()
	rt.ServeHTTP(rec, httptest.NewRequest("GET", "/nothing", nil))
	if rec.Code != 404 || len(got) != 2 {
		t.Fatalf("404: %d, rendered %v", rec.Code, got)
	}
}

func TestDecodeJSON(t *testing.T) {
	type body struct {
		Email string `json:"email"`
		N     int    `json:"n"`
	}
	tests := []struct {
		name, ct, in string
		status       int
		code         string
	}{
		{"ok", "application/json", `{"email":"a@b.c","n":1}`, 0, ""},
		{"ok_charset", "application/json; charset=utf-8", `{"n":1}`, 0, ""},
		{"empty_body_is_empty_object", "", ``, 0, ""},
		{"duplicate_keys_last_wins", "application/json", `{"email":"a@x","email":"b@y"}`, 0, ""},
		{"unknown", "application/json", `{"id":"x"}`, 400, httpx.CodeUnknownField},
		{"wrong_type", "application/json", `{"n":"1"}`, 400, httpx.CodeMalformedJSON},
		{"syntax", "application/json", `{"n":`, 400, httpx.CodeMalformedJSON},
		{"trailing", "application/json", `{} []`, 400, httpx.CodeMalformedJSON},
		{"text_plain", "text/plain", `{}`, 415, httpx.CodeUnsupportedMedia},
		{"no_content_type_with_body", "", `{}`, 415, httpx.CodeUnsupportedMedia},
		{"too_large", "application/json", `{"email":"` + strings.Repeat("a", 70000) + `"}`, 413, httpx.CodeBodyTooLarge},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.in))
			if tt.ct != "" {
				r.Header.Set("Content-Type", tt.ct)
			}
			var b body
			err := httpx.DecodeJSON(httptest.NewRecorder(), r, &b, 0)
			if tt.status == 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			he, ok := err.(*httpx.Error)
			if !ok || he.Status != tt.status || he.Code != tt.code {
				t.Fatalf("err = %v, want %d %s", err, tt.status, tt.code)
			}
		})
	}
}
