package main

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func TestStoresSFCC(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	var out bytes.Buffer
	if err := run(t.Context(), []string{"stores", "create", "--name", "x", "--db", db, "--json"}, testEnv(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var created map[string]string
	if err := json.Unmarshal(out.Bytes(), &created); err != nil {
		t.Fatal(err)
	}
	store := created["id"]
	out.Reset()
	err := run(t.Context(), []string{"stores", "sfcc", "--db", db, "--store", store, "--org-id", "f_ecom_abcd_001", "--client-id", "cli-1",
		"--site-id", "RefArch", "--site-id", "Other", "--redirect-uri", "https://shop.example/cb", "--json"}, testEnv(nil), &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || got["organization_id"] != "f_ecom_abcd_001" || len(got["site_ids"].([]any)) != 2 {
		t.Fatalf("output %s (%v)", out.Bytes(), err)
	}
	for name, args := range map[string][]string{
		"no store":      {"stores", "sfcc", "--db", db, "--org-id", "f_ecom_abcd_001"},
		"bad org":       {"stores", "sfcc", "--db", db, "--store", store, "--org-id", "F_ECOM"},
		"unknown store": {"stores", "sfcc", "--db", db, "--store", "sto_nope", "--org-id", "f_ecom_abcd_002"},
		"bad redirect":  {"stores", "sfcc", "--db", db, "--store", store, "--org-id", "f_ecom_abcd_001", "--client-id", "c", "--redirect-uri", "/cb"},
	} {
		if err := run(t.Context(), args, testEnv(nil), io.Discard, io.Discard); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	out.Reset()
	if err := run(t.Context(), []string{"stores", "sfcc", "--db", db, "--store", store, "--remove"}, testEnv(nil), &out, io.Discard); err != nil || !strings.Contains(out.String(), "no SFCC binding") {
		t.Fatalf("remove: %v %s", err, out.String())
	}
	if err := run(t.Context(), []string{"stores", "sfcc", "--db", db, "--store", store, "--remove"}, testEnv(nil), io.Discard, io.Discard); err == nil {
		t.Error("second remove accepted")
	}
}
