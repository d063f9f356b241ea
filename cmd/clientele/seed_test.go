package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/auth/password"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

func TestSeed(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run("db="+db, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "c.db")
			if db == "postgres" {
				dsn, _ = testkit.PostgresSchema(t)
			}
			testSeed(t, dsn)
		})
	}
}

func testSeed(t *testing.T, dsn string) {
	env := testEnv(nil)
	var out bytes.Buffer
	if err := run(t.Context(), []string{"stores", "create", "--name", "s", "--db", dsn, "--json"}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var shop map[string]string
	if err := json.Unmarshal(out.Bytes(), &shop); err != nil {
		t.Fatal(err)
	}
	seedArgs := func(extra ...string) []string {
		return append([]string{"seed", "--db", dsn, "--store", shop["id"]}, extra...)
	}
	out.Reset()
	var progress bytes.Buffer
	// Three batches, the last one short.
	if err := run(t.Context(), seedArgs("--customers", "1203", "--batch", "500"), env, &out, &progress); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "seeded 1203 customers into "+shop["id"]) || !strings.Contains(progress.String(), "1203/1203") {
		t.Fatalf("output %q, progress %q", out.String(), progress.String())
	}

	// Bad input: every refusal says why and writes nothing.
	for name, args := range map[string][]string{
		"no_store":      {"seed", "--db", dsn, "--customers", "5"},
		"no_count":      seedArgs(),
		"unknown_store": {"seed", "--db", dsn, "--store", "sto_nope", "--customers", "5"},
		"batch_too_big": seedArgs("--customers", "5", "--from", "5000", "--batch", "1001"),
		"bad_format":    seedArgs("--customers", "5", "--from", "5000", "--email-format", "no-verb"),
		"taken_emails":  seedArgs("--customers", "10", "--from", "1200"),
	} {
		if err := run(t.Context(), args, env, io.Discard, io.Discard); err == nil {
			t.Errorf("%s: seed succeeded", name)
		} else if name == "taken_emails" && !strings.Contains(err.Error(), "--from 1200") {
			t.Errorf("taken_emails: %v does not say where to continue", err)
		}
	}
	// Continuing after the last one works.
	if err := run(t.Context(), seedArgs("--customers", "1", "--from", "1203"), env, io.Discard, io.Discard); err != nil {
		t.Fatalf("continue: %v", err)
	}

	st, err := server.OpenStore(t.Context(), dsn, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hashes := map[string]bool{}
	for i := range 1204 {
		email := fmt.Sprintf("seed-%d@example.com", i)
		if i%100 != 0 && i < 1199 {
			continue
		}
		c, err := st.GetCustomerByEmail(t.Context(), shop["id"], email)
		if err != nil {
			t.Fatalf("%s: %v", email, err)
		}
		if c.Status != core.StatusActive {
			t.Fatalf("%s: status %s", email, c.Status)
		}
		hashes[c.PasswordHash] = true
	}
	for _, email := range []string{"seed-1204@example.com", "seed-5000@example.com"} {
		if _, err := st.GetCustomerByEmail(t.Context(), shop["id"], email); err == nil {
			t.Fatalf("%s exists", email)
		}
	}
	// One hash per seed run (two runs here), and it verifies the password.
	if len(hashes) != 2 {
		t.Fatalf("%d distinct hashes, want one per run (2)", len(hashes))
	}
	for h := range hashes {
		if ok, _, err := password.New(password.TestParams()).Verify("seed-password-1234", h); !ok || err != nil {
			t.Fatalf("seeded hash does not verify: %v", err)
		}
	}
}
