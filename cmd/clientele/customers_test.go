package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
)

// newStoreCLI creates a store through the CLI and returns its id.
func newStoreCLI(t *testing.T, db, name string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(t.Context(), []string{"stores", "create", "--name", name, "--db", db, "--json"}, testEnv(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var s struct{ ID string }
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	return s.ID
}

func importCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(t.Context(), append([]string{"customers", "import"}, args...), testEnv(nil), &out, io.Discard)
	return out.String(), err
}

// The CLI imports a platform file with a report, resumes a killed run,
// re-runs as a no-op, and its export imports into another store unchanged.
func TestCustomersImportExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	store := newStoreCLI(t, db, "Shop")
	fixture := "../../internal/importer/testdata/bagisto-customers.jsonl"

	// A dry run writes nothing.
	out, err := importCLI(t, "--db", db, "--store", store, "--format", "bagisto", "--dry-run", fixture)
	if err != nil || !strings.Contains(out, "dry run, nothing written: 6 rows: 4 created, 0 updated, 0 skipped (unchanged), 2 rejected") {
		t.Fatalf("dry run: %v %q", err, out)
	}

	// A run killed after its first two rows: the file up to there.
	all, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(all), "\n")
	half := filepath.Join(dir, "half.jsonl")
	if err := os.WriteFile(half, []byte(strings.Join(lines[:2], "")), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := importCLI(t, "--db", db, "--store", store, "--format", "bagisto", half); err != nil || !strings.Contains(out, "2 created") {
		t.Fatalf("first half: %v %q", err, out)
	}
	report := filepath.Join(dir, "rejected.jsonl")
	out, err = importCLI(t, "--db", db, "--store", store, "--format", "bagisto", "--batch", "2", "--report", report, fixture)
	if err != nil || !strings.Contains(out, "6 rows: 2 created, 0 updated, 2 skipped (unchanged), 2 rejected") {
		t.Fatalf("resumed: %v %q", err, out)
	}
	rep, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rep), `"line":5,`) || !strings.Contains(string(rep), `"reason":"invalid_country"`) ||
		!strings.Contains(string(rep), `"line":6,`) || !strings.Contains(string(rep), `"reason":"duplicate_external_id_in_file"`) {
		t.Fatalf("report:\n%s", rep)
	}
	out, err = importCLI(t, "--db", db, "--store", store, "--format", "bagisto", fixture)
	if err != nil || !strings.Contains(out, "0 created, 0 updated, 4 skipped (unchanged), 2 rejected") {
		t.Fatalf("re-run: %v %q", err, out)
	}

	// Export, import into a new store, export again: the same records.
	export := func(store string) string {
		var b bytes.Buffer
		if err := run(t.Context(), []string{"customers", "export", "--db", db, "--store", store}, testEnv(nil), &b, io.Discard); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	first := export(store)
	if n := strings.Count(first, "\n"); n != 4 {
		t.Fatalf("exported %d lines:\n%s", n, first)
	}
	file := filepath.Join(dir, "export.jsonl")
	if err := os.WriteFile(file, []byte(first), 0o600); err != nil {
		t.Fatal(err)
	}
	other := newStoreCLI(t, db, "Other")
	if out, err := importCLI(t, "--db", db, "--store", other, "--format", "clientele", file); err != nil || !strings.Contains(out, "4 created, 0 updated, 0 skipped (unchanged), 0 rejected") {
		t.Fatalf("import of the export: %v %q", err, out)
	}
	if second := export(other); second != first {
		t.Fatalf("round trip differs:\n%s\n---\n%s", first, second)
	}
	sc := bufio.NewScanner(strings.NewReader(first))
	sc.Scan()
	var rec map[string]any
	if err := json.Unmarshal(sc.Bytes(), &rec); err != nil || rec["external_id"] != "1" || !strings.HasPrefix(rec["password_hash"].(string), "$2y$") {
		t.Fatalf("first exported record: %v %v", rec, err)
	}
}

func TestCustomersImportUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	store := newStoreCLI(t, db, "Shop")
	fixture := "../../internal/importer/testdata/spree-customers.jsonl"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no store", []string{"--db", db, "--format", "spree", fixture}, "--store is required"},
		{"unknown format", []string{"--db", db, "--store", store, "--format", "shopify", fixture}, "--format must be one of"},
		{"no files", []string{"--db", db, "--store", store, "--format", "spree"}, "no input files"},
		{"missing file", []string{"--db", db, "--store", store, "--format", "spree", "nope.jsonl"}, "no such file"},
		{"flag after files", []string{"--db", db, "--store", store, "--format", "spree", fixture, "--dry-run"}, "put flags before FILE"},
		{"bad batch", []string{"--db", db, "--store", store, "--format", "spree", "--batch", "0", fixture}, "--batch"},
		{"unknown store", []string{"--db", db, "--store", "sto_nope", "--format", "spree", fixture}, "store sto_nope"},
		{"pepper for medusa", []string{"--db", db, "--store", store, "--format", "medusa", "--pepper", "p", fixture}, "--pepper applies to --format spree only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := importCLI(t, tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
	if err := run(t.Context(), []string{"customers"}, testEnv(nil), io.Discard, io.Discard); err == nil {
		t.Fatal("customers without a subcommand must fail")
	}
	if err := run(t.Context(), []string{"customers", "export", "--db", db}, testEnv(nil), io.Discard, io.Discard); err == nil {
		t.Fatal("export without --store must fail")
	}
}

// --pepper (or CLIENTELE_PEPPER, which keeps it out of ps) imports Devise
// hashes made with config.pepper: the customer logs in with the password
// alone and is re-hashed to argon2id; the store keeps that one pepper.
func TestCustomersImportPepper(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	storeID := newStoreCLI(t, db, "Shop")
	const pepper, pw = "0123456789abcdef-pepper", "devise password"
	hash, err := bcrypt.GenerateFromPassword([]byte(pw+pepper), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "spree.jsonl")
	row, _ := json.Marshal(map[string]any{"id": 7, "email": "pep@example.com", "encrypted_password": string(hash)})
	if err := os.WriteFile(file, append(row, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = run(t.Context(), []string{"customers", "import", "--db", db, "--store", storeID, "--format", "spree", file},
		testEnv(map[string]string{"CLIENTELE_PEPPER": pepper}), &out, io.Discard)
	if err != nil || !strings.Contains(out.String(), "1 created") {
		t.Fatalf("import: %v %q", err, out.String())
	}
	if out, err := importCLI(t, "--db", db, "--store", storeID, "--format", "spree", "--dry-run", "--pepper", "other", file); err == nil {
		t.Fatalf("a second pepper for the store was taken: %q", out)
	}

	svc, closeFn, err := openService(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	sh, err := svc.Shop(t.Context(), storeID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Login(t.Context(), sh, "pep@example.com", pw+pepper, core.ClientMeta{IP: "192.0.2.1"}); core.CodeOf(err) != core.CodeInvalidCredentials {
		t.Fatalf("password+pepper as the password: %v", err)
	}
	// Maintenance commands cannot sign tokens, so the login stops after
	// the password check (and the re-hash it makes), at the session.
	if _, err := svc.Login(t.Context(), sh, "pep@example.com", pw, core.ClientMeta{IP: "192.0.2.1"}); err == nil || core.CodeOf(err) == core.CodeInvalidCredentials {
		t.Fatalf("login with the password: %v", err)
	}
	st, err := server.OpenStore(t.Context(), db, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.GetCustomerByEmail(t.Context(), storeID, "pep@example.com")
	if err != nil || !strings.HasPrefix(c.PasswordHash, "$argon2id$") {
		t.Fatalf("hash after login: %v", err)
	}
}
