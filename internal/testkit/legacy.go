package testkit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// LegacyPasswords maps each hash of internal/auth/password/testdata's
// legacy_hashes.json (made by the platforms' own libraries) to its
// password, for tests that import those hashes and log in with them.
func LegacyPasswords(t testing.TB) map[string]string {
	t.Helper()
	// Found from this file, so any package's test can call it.
	_, self, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(self), "..", "auth", "password", "testdata", "legacy_hashes.json"))
	if err != nil {
		t.Fatal(err)
	}
	var list []struct{ Password, Hash string }
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, h := range list {
		m[h.Hash] = h.Password
	}
	return m
}
