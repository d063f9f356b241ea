package core_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// legacyHash is one fixture of internal/auth/password/testdata, made by
// the platforms' own libraries.
type legacyHash struct {
	Format   string `json:"format"`
	Password string `json:"password"`
	Hash     string `json:"hash"`
}

func legacyHashes(t *testing.T) map[string]legacyHash {
	t.Helper()
	b, err := os.ReadFile("../auth/password/testdata/legacy_hashes.json")
	if err != nil {
		t.Fatal(err)
	}
	var list []legacyHash
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	m := map[string]legacyHash{}
	for _, h := range list {
		if _, ok := m[h.Format]; !ok {
			m[h.Format] = h
		}
	}
	return m
}

func backends(t *testing.T, run func(t *testing.T, k *testkit.Kit)) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run("db="+backend, func(t *testing.T) {
			var opts []testkit.Option
			if backend == "postgres" {
				opts = append(opts, testkit.WithPostgres(t))
			}
			run(t, testkit.New(t, opts...))
		})
	}
}

func importRec(line int, id, email string) core.ImportRecord {
	return core.ImportRecord{Line: line, ExternalID: id, Email: email, FirstName: "Ada", LastName: "Lovelace",
		Addresses: []core.ImportAddress{{FirstName: "Ada", Address1: "1 Main St", City: "London", PostalCode: "N1", CountryCode: "gb", DefaultBilling: true, DefaultShipping: true}}}
}

func outcomes(rs []core.ImportResult) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(string(r.Outcome))
		if r.Reason != "" {
			b.WriteString(":" + r.Reason)
		}
		b.WriteString(" ")
	}
	return strings.TrimSpace(b.String())
}

// Every rejection reason, each next to a good record that still imports.
func TestImportRejections(t *testing.T) {
	h := legacyHashes(t)
	k := testkit.New(t)
	native := k.Register("native@example.com")
	svc := k.App.Service
	if _, err := svc.ImportCustomers(t.Context(), k.Shop, []core.ImportRecord{importRec(1, "old-1", "taken@example.com")}, core.ImportOptions{Source: "spree"}); err != nil {
		t.Fatal(err)
	}
	with := func(f func(r *core.ImportRecord)) core.ImportRecord {
		r := importRec(2, "new-1", "new@example.com")
		f(&r)
		return r
	}
	tests := []struct {
		name   string
		recs   []core.ImportRecord
		reason string
	}{
		{"missing external id", []core.ImportRecord{with(func(r *core.ImportRecord) { r.ExternalID = " " })}, core.ReasonMissingExternalID},
		{"malformed e-mail", []core.ImportRecord{with(func(r *core.ImportRecord) { r.Email = "not-an-email" })}, core.ReasonInvalidEmail},
		{"missing e-mail", []core.ImportRecord{with(func(r *core.ImportRecord) { r.Email = "" })}, core.ReasonInvalidEmail},
		{"unknown hash format", []core.ImportRecord{with(func(r *core.ImportRecord) { r.PasswordHash = "md5$abc$def" })}, core.ReasonUnknownHash},
		{"over-bound bcrypt", []core.ImportRecord{with(func(r *core.ImportRecord) { r.PasswordHash = h["bcrypt-over-bound"].Hash })}, core.ReasonHashCostTooHigh},
		{"over-bound pbkdf2", []core.ImportRecord{with(func(r *core.ImportRecord) { r.PasswordHash = h["pbkdf2-over-bound"].Hash })}, core.ReasonHashCostTooHigh},
		{"invalid country", []core.ImportRecord{with(func(r *core.ImportRecord) { r.Addresses[0].CountryCode = "XX" })}, core.ReasonInvalidCountry},
		{"country name, not code", []core.ImportRecord{with(func(r *core.ImportRecord) { r.Addresses[0].CountryCode = "Germany" })}, core.ReasonInvalidCountry},
		{"name with control characters", []core.ImportRecord{with(func(r *core.ImportRecord) { r.FirstName = "a\x00b" })}, core.ReasonInvalidField},
		{"bad date of birth", []core.ImportRecord{with(func(r *core.ImportRecord) { r.DateOfBirth = "31/12/1980" })}, core.ReasonInvalidField},
		{"bad currency", []core.ImportRecord{with(func(r *core.ImportRecord) { r.Credit = []core.ImportCredit{{Currency: "XYZ", Amount: 1}} })}, core.ReasonInvalidField},
		{"negative credit", []core.ImportRecord{with(func(r *core.ImportRecord) { r.Credit = []core.ImportCredit{{Currency: "EUR", Amount: -1}} })}, core.ReasonInvalidField},
		{"too many addresses", []core.ImportRecord{with(func(r *core.ImportRecord) {
			for range 100 {
				r.Addresses = append(r.Addresses, r.Addresses[0])
			}
		})}, core.ReasonTooManyAddresses},
		{"e-mail of an imported customer", []core.ImportRecord{with(func(r *core.ImportRecord) { r.Email = "TAKEN@example.com" })}, core.ReasonEmailTaken},
		{"e-mail of a native customer", []core.ImportRecord{with(func(r *core.ImportRecord) { r.Email = native.Email })}, core.ReasonEmailTaken},
		{"e-mail twice in the file", []core.ImportRecord{importRec(1, "a-1", "twice@example.com"), importRec(2, "a-2", "Twice@Example.com")}, core.ReasonDuplicateEmail},
		{"external id twice in the file", []core.ImportRecord{importRec(1, "b-1", "b1@example.com"), importRec(2, "b-1", "b2@example.com")}, core.ReasonDuplicateID},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := importRec(99, fmt.Sprintf("good-%d", i), fmt.Sprintf("good-%d@example.com", i))
			res, err := svc.ImportCustomers(t.Context(), k.Shop, append(tt.recs, good), core.ImportOptions{Source: "spree"})
			if err != nil {
				t.Fatal(err)
			}
			last := res[len(tt.recs)-1]
			if last.Outcome != core.ImportRejected || last.Reason != tt.reason || last.Message == "" {
				t.Fatalf("got %s (%q), want rejected:%s", outcomes(res), last.Message, tt.reason)
			}
			if res[len(res)-1].Outcome != core.ImportCreated {
				t.Fatalf("the good record: %s", outcomes(res))
			}
			if last.Line != tt.recs[len(tt.recs)-1].Line {
				t.Fatalf("line %d, want %d", last.Line, tt.recs[len(tt.recs)-1].Line)
			}
		})
	}
	// A duplicate across batches of one run is told from one of an
	// earlier run through the run id on the ref.
	run := svc.NewImport(k.Shop, core.ImportOptions{Source: "spree"})
	if _, err := run.Batch(t.Context(), []core.ImportRecord{importRec(1, "c-1", "c@example.com")}); err != nil {
		t.Fatal(err)
	}
	res, err := run.Batch(t.Context(), []core.ImportRecord{importRec(600, "c-2", "c@example.com"), importRec(601, "c-1", "c-other@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(res); got != "rejected:duplicate_email_in_file rejected:duplicate_external_id_in_file" {
		t.Fatalf("across batches: %s", got)
	}
	// The same, when the first row is one an earlier run imported: the
	// second row is a duplicate, not an update of the customer.
	run = svc.NewImport(k.Shop, core.ImportOptions{Source: "spree"})
	first, err := run.Batch(t.Context(), []core.ImportRecord{importRec(1, "c-1", "c@example.com")})
	if err != nil || outcomes(first) != "skipped" {
		t.Fatalf("re-run: %s %v", outcomes(first), err)
	}
	res, err = run.Batch(t.Context(), []core.ImportRecord{importRec(600, "c-1", "c-changed@example.com"), importRec(601, "c-9", "c@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(res); got != "rejected:duplicate_external_id_in_file rejected:duplicate_email_in_file" {
		t.Fatalf("across batches after a skip: %s", got)
	}
	if c, err := svc.CustomerByExternalID(t.Context(), k.Shop.ID, "c-1"); err != nil || c.Email != "c@example.com" {
		t.Fatalf("customer changed by a duplicate row: %+v %v", c, err)
	}
}

// A re-run changes nothing; a changed record updates; a resumed run
// creates only what the killed one did not; a dry run writes nothing.
func TestImportIdempotentResumableDryRun(t *testing.T) {
	backends(t, func(t *testing.T, k *testkit.Kit) {
		svc, ctx := k.App.Service, t.Context()
		var file []core.ImportRecord
		for i := range 10 {
			r := importRec(i+1, "ext-"+string(rune('a'+i)), "user"+string(rune('a'+i))+"@example.com")
			r.Groups = []string{"VIP"}
			r.Credit = []core.ImportCredit{{Currency: "usd", Amount: 1250, Source: "spree_store_credits"}}
			file = append(file, r)
		}
		opt := core.ImportOptions{Source: "spree"}

		dry, err := svc.ImportCustomers(ctx, k.Shop, file, core.ImportOptions{Source: "spree", DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := outcomes(dry); got != strings.TrimSpace(strings.Repeat("created ", 10)) {
			t.Fatalf("dry run: %s", got)
		}
		if n := countCustomers(t, k); n != 0 {
			t.Fatalf("dry run wrote %d customers", n)
		}
		groups, _ := svc.Groups(ctx, k.Shop.ID, core.Page{})
		if len(groups.Items) != 0 {
			t.Fatalf("dry run created groups: %v", groups.Items)
		}

		// A run killed after its first batch, then the whole file.
		if _, err := svc.NewImport(k.Shop, opt).Batch(ctx, file[:4]); err != nil {
			t.Fatal(err)
		}
		run := svc.NewImport(k.Shop, opt)
		first, err := run.Batch(ctx, file[:5])
		if err != nil {
			t.Fatal(err)
		}
		second, err := run.Batch(ctx, file[5:])
		if err != nil {
			t.Fatal(err)
		}
		if got := outcomes(append(first, second...)); got != "skipped skipped skipped skipped created created created created created created" {
			t.Fatalf("resumed run: %s", got)
		}
		if n := countCustomers(t, k); n != 10 {
			t.Fatalf("%d customers, want 10", n)
		}
		events, _ := svc.Events(ctx, k.Shop.ID, "", core.Page{Limit: 100})
		before := len(events.Items)

		again, err := svc.ImportCustomers(ctx, k.Shop, file, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := outcomes(again); got != strings.TrimSpace(strings.Repeat("skipped ", 10)) {
			t.Fatalf("re-run: %s", got)
		}
		events, _ = svc.Events(ctx, k.Shop.ID, "", core.Page{Limit: 100})
		if len(events.Items) != before {
			t.Fatalf("re-run wrote %d events", len(events.Items)-before)
		}
		c := again[0].CustomerID
		bal, err := svc.CreditBalances(ctx, k.Shop.ID, c)
		if err != nil || len(bal) != 1 || bal[0] != (core.Balance{Currency: "USD", Amount: 1250}) {
			t.Fatalf("credit after re-runs: %v %v", bal, err)
		}
		addrs, err := svc.AdminAddresses(ctx, k.Shop.ID, c, core.Page{})
		if err != nil || len(addrs.Items) != 1 || !addrs.Items[0].IsDefaultBilling || !addrs.Items[0].IsDefaultShipping || addrs.Items[0].CountryCode != "GB" {
			t.Fatalf("addresses after re-runs: %+v %v", addrs.Items, err)
		}
		gs, err := svc.CustomerGroups(ctx, k.Shop.ID, c)
		if err != nil || len(gs) != 1 || gs[0].Name != "VIP" {
			t.Fatalf("groups: %v %v", gs, err)
		}

		// The platform's record changed: the profile follows, nothing doubles.
		changed := file[0]
		changed.FirstName, changed.Groups = "Augusta", []string{"VIP", "Wholesale"}
		res, err := svc.ImportCustomers(ctx, k.Shop, []core.ImportRecord{changed}, opt)
		if err != nil || outcomes(res) != "updated" || res[0].CustomerID != c {
			t.Fatalf("changed record: %s %v", outcomes(res), err)
		}
		got, err := k.App.Store.GetCustomer(ctx, k.Shop.ID, c)
		if err != nil || got.FirstName != "Augusta" {
			t.Fatalf("after update: %+v %v", got, err)
		}
		if gs, _ := svc.CustomerGroups(ctx, k.Shop.ID, c); len(gs) != 2 {
			t.Fatalf("groups after update: %v", gs)
		}
		if bal, _ := svc.CreditBalances(ctx, k.Shop.ID, c); bal[0].Amount != 1250 {
			t.Fatalf("credit doubled: %v", bal)
		}
		ref, err := k.App.Store.GetImportRefByExternalID(ctx, k.Shop.ID, "ext-a")
		if err != nil || ref.CustomerID != c || ref.Source != "spree" {
			t.Fatalf("ref: %+v %v", ref, err)
		}
		// Another store's import of the same ids is its own.
		other := k.NewShop("Other")
		res, err = svc.ImportCustomers(ctx, other.Shop, file[:1], opt)
		if err != nil || outcomes(res) != "created" || res[0].CustomerID == c {
			t.Fatalf("other store: %s %v", outcomes(res), err)
		}
	})
}

func countCustomers(t *testing.T, k *testkit.Kit) int {
	t.Helper()
	cs, err := k.App.Store.SearchCustomers(t.Context(), k.Shop.ID, core.CustomerQuery{}, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(cs)
}

// Imported legacy hashes log in with the original password through /v1
// and are argon2id afterwards; a customer without a hash cannot log in
// until a reset.
func TestImportedPasswordsLogIn(t *testing.T) {
	h := legacyHashes(t)
	backends(t, func(t *testing.T, k *testkit.Kit) {
		var recs []core.ImportRecord
		formats := []string{"bcrypt", "scrypt-kdf", "pbkdf2-django", "pbkdf2-phc", "argon2i", "argon2id"}
		for i, f := range formats {
			r := importRec(i+1, "pw-"+f, f+"@example.com")
			r.PasswordHash = h[f].Hash
			recs = append(recs, r)
		}
		recs = append(recs, importRec(99, "pw-none", "nohash@example.com"))
		res, err := k.App.Service.ImportCustomers(t.Context(), k.Shop, recs, core.ImportOptions{Source: "clientele"})
		if err != nil {
			t.Fatal(err)
		}
		if got := outcomes(res); got != strings.TrimSpace(strings.Repeat("created ", len(recs))) {
			t.Fatalf("import: %s", got)
		}
		for i, f := range formats {
			t.Run(f, func(t *testing.T) {
				login := func(pw string) int {
					return k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]any{"email": f + "@example.com", "password": pw}}).Status
				}
				if s := login(h[f].Password + "x"); s != http.StatusUnauthorized {
					t.Fatalf("wrong password: %d", s)
				}
				if s := login(h[f].Password); s != http.StatusOK {
					t.Fatalf("original password: %d", s)
				}
				c, err := k.App.Store.GetCustomer(t.Context(), k.Shop.ID, res[i].CustomerID)
				if err != nil || !strings.HasPrefix(c.PasswordHash, "$argon2id$") || c.PasswordHash == h[f].Hash {
					t.Fatalf("stored hash after login: %q %v", c.PasswordHash, err)
				}
				if s := login(h[f].Password); s != http.StatusOK {
					t.Fatalf("after rehash: %d", s)
				}
			})
		}
		if s := k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]any{"email": "nohash@example.com", "password": "anything-at-all"}}).Status; s != http.StatusUnauthorized {
			t.Fatalf("passwordless login: %d", s)
		}
		k.Clock.Advance(time.Second)
	})
}
