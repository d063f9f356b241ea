package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/auth/password"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// The benchmarks drive the real handler in-process (no sockets), so the
// figures are the cost of Clientele's own work; BenchmarkBaselineJSON is a
// bare net/http JSON handler measured the same way, the floor to compare
// against. Run them together (see BENCHMARKS.md):
//
//	go test -run '^$' -bench . -benchtime 2s ./internal/server/

// backends are the stores every store-touching benchmark runs on, as
// sub-benchmarks db=sqlite and db=postgres of the same run.
var backends = []string{"sqlite", "postgres"}

func perBackend(b *testing.B, fn func(b *testing.B, db string)) {
	for _, db := range backends {
		b.Run("db="+db, func(b *testing.B) { fn(b, db) })
	}
}

func benchKit(b *testing.B, db string, params password.Params) *testkit.Kit {
	cfg := core.DefaultConfig()
	unlimited := core.Rate{Limit: 1 << 30, Window: time.Second}
	cfg.Limits = core.Limits{
		LoginFailuresPerAccount: unlimited, LoginPerIP: unlimited, RegisterPerIP: unlimited,
		ResetPerEmail: unlimited, ResetPerIP: unlimited, ResetCompletePerIP: unlimited, EmailExistsPerIP: unlimited,
	}
	cfg.PasswordWork = core.WorkLimits{Slots: 2, Queue: 64, MaxWait: time.Minute}
	opts := []testkit.Option{testkit.WithCore(cfg), testkit.WithHasher(password.New(params))}
	if db == "postgres" {
		opts = append(opts, testkit.WithPostgres(b))
	}
	return testkit.New(b, opts...)
}

func serve(b *testing.B, h http.Handler, method, path, pk, token string, body any) *httptest.ResponseRecorder {
	var buf []byte
	if body != nil {
		buf, _ = json.Marshal(body)
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(buf))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if pk != "" {
		req.Header.Set("X-Publishable-Key", pk)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func BenchmarkBaselineJSON(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"id": "cus_01J00000000000000000000000", "email": "jane@example.com"})
	})
	b.ReportAllocs()
	for b.Loop() {
		serve(b, h, "GET", "/v1/customer", "", "", nil)
	}
}

func BenchmarkArgon2idHash(b *testing.B) {
	h := password.New(password.DefaultParams())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Hash("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLogin(b *testing.B) { perBackend(b, benchmarkLogin) }

func benchmarkLogin(b *testing.B, db string) {
	k := benchKit(b, db, password.DefaultParams())
	c := k.Register("bench@example.com")
	body := map[string]string{"email": c.Email, "password": c.Password}
	b.ReportAllocs()
	for b.Loop() {
		if rec := serve(b, k.App.Handler, "POST", "/v1/auth/login", k.PK, "", body); rec.Code != 200 {
			b.Fatalf("login: %d %s", rec.Code, rec.Body)
		}
	}
}

func BenchmarkRefresh(b *testing.B) { perBackend(b, benchmarkRefresh) }

func benchmarkRefresh(b *testing.B, db string) {
	k := benchKit(b, db, password.TestParams())
	tok := k.Register("bench@example.com").Refresh
	b.ReportAllocs()
	for b.Loop() {
		rec := serve(b, k.App.Handler, "POST", "/v1/auth/refresh", k.PK, "", map[string]string{"refresh_token": tok})
		if rec.Code != 200 {
			b.Fatalf("refresh: %d %s", rec.Code, rec.Body)
		}
		var m map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &m)
		tok = m["refresh_token"].(string)
	}
}

func BenchmarkGetCustomer(b *testing.B) { perBackend(b, benchmarkGetCustomer) }

func benchmarkGetCustomer(b *testing.B, db string) {
	k := benchKit(b, db, password.TestParams())
	access := k.Register("bench@example.com").Access
	b.ReportAllocs()
	for b.Loop() {
		if rec := serve(b, k.App.Handler, "GET", "/v1/customer", "", access, nil); rec.Code != 200 {
			b.Fatalf("get: %d", rec.Code)
		}
	}
}

func BenchmarkGetCustomerParallel(b *testing.B) { perBackend(b, benchmarkGetCustomerParallel) }

func benchmarkGetCustomerParallel(b *testing.B, db string) {
	k := benchKit(b, db, password.TestParams())
	access := k.Register("bench@example.com").Access
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if rec := serve(b, k.App.Handler, "GET", "/v1/customer", "", access, nil); rec.Code != 200 {
				b.Errorf("get: %d", rec.Code)
				return
			}
		}
	})
}
