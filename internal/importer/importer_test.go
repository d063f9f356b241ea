package importer_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/importer"
	"github.com/clientele/clientele/internal/testkit"
)

type report struct {
	Line       int    `json:"line"`
	ExternalID string `json:"external_id"`
	Reason     string `json:"reason"`
	Message    string `json:"message"`
}

func readReport(t *testing.T, b []byte) map[int]string {
	t.Helper()
	out := map[int]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var r report
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("report line %q: %v", sc.Text(), err)
		}
		if r.Message == "" {
			t.Errorf("line %d: no message", r.Line)
		}
		out[r.Line] = r.Reason
	}
	return out
}

// login is one way to log in with an e-mail and password: through /v1 or
// a platform's dialect. It returns the HTTP status.
type login func(k *testkit.Kit, email, pw string) int

func loginV1(k *testkit.Kit, email, pw string) int {
	return k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", Body: map[string]any{"email": email, "password": pw}}).Status
}

func loginSpree(k *testkit.Kit, email, pw string) int {
	return k.Do(testkit.Req{Method: "POST", Path: "/spree/api/v3/store/auth/login", PK: "-", NoCheck: true,
		Header: map[string]string{"X-Spree-Api-Key": k.PK}, Body: map[string]any{"email": email, "password": pw}}).Status
}

func loginMedusa(k *testkit.Kit, email, pw string) int {
	return k.Do(testkit.Req{Method: "POST", Path: "/medusa/auth/customer/emailpass", PK: "-", NoCheck: true,
		Header: map[string]string{"x-publishable-api-key": k.PK}, Body: map[string]any{"email": email, "password": pw}}).Status
}

// Each platform's fixture (rows in the shape of docs/migrate.md's query)
// imports with its bad rows rejected by line and reason; every customer
// with a hash logs in with the original password through /v1 and the
// platform's dialect, and is argon2id afterwards; a re-run is a no-op.
func TestPlatformFixtures(t *testing.T) {
	pws := testkit.LegacyPasswords(t)
	tests := []struct {
		format, file string
		dialect      login
		want         importer.Summary
		rejected     map[int]string
	}{
		{"spree", "spree-customers.jsonl", loginSpree, importer.Summary{Rows: 6, Created: 2, Rejected: 4},
			map[int]string{3: core.ReasonInvalidCountry, 4: core.ReasonMalformed, 5: core.ReasonDuplicateEmail, 6: core.ReasonHashCostTooHigh}},
		{"medusa", "medusa-customers.jsonl", loginMedusa, importer.Summary{Rows: 4, Created: 2, Rejected: 2},
			map[int]string{3: core.ReasonUnknownHash, 4: core.ReasonInvalidEmail}},
		{"bagisto", "bagisto-customers.jsonl", nil, importer.Summary{Rows: 6, Created: 4, Rejected: 2},
			map[int]string{5: core.ReasonInvalidCountry, 6: core.ReasonDuplicateID}},
		{"sfcc", "sfcc-customers.xml", nil, importer.Summary{Rows: 4, Created: 2, Rejected: 2},
			map[int]string{sfccLine(t, "00001003"): core.ReasonInvalidCountry, sfccLine(t, "00001004"): core.ReasonMalformed}},
	}
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, tt := range tests {
			t.Run(backend+"/"+tt.format, func(t *testing.T) {
				var opts []testkit.Option
				if backend == "postgres" {
					opts = append(opts, testkit.WithPostgres(t))
				}
				k := testkit.New(t, opts...)
				var rep bytes.Buffer
				sum, err := importer.Import(t.Context(), k.App.Service, k.Shop, importer.Options{Format: tt.format, Batch: 2, Report: &rep}, "testdata/"+tt.file)
				if err != nil {
					t.Fatal(err)
				}
				if sum != tt.want {
					t.Fatalf("summary %+v, want %+v\nreport:\n%s", sum, tt.want, rep.String())
				}
				if got := readReport(t, rep.Bytes()); !equalMaps(got, tt.rejected) {
					t.Fatalf("rejections %v, want %v\n%s", got, tt.rejected, rep.String())
				}
				cs, err := k.App.Store.SearchCustomers(t.Context(), k.Shop.ID, core.CustomerQuery{}, "", 100)
				if err != nil || len(cs) != tt.want.Created {
					t.Fatalf("%d customers (%v), want %d", len(cs), err, tt.want.Created)
				}
				for _, c := range cs {
					pw, ok := pws[c.PasswordHash]
					if c.PasswordHash == "" {
						if s := loginV1(k, c.Email, "whatever-password"); s != http.StatusUnauthorized {
							t.Errorf("%s without a hash logs in: %d", c.Email, s)
						}
						continue
					}
					if !ok {
						t.Fatalf("%s: stored hash %q is not the fixture's", c.Email, c.PasswordHash)
					}
					if c.Status == core.StatusDisabled {
						continue
					}
					via := []login{loginV1}
					if tt.dialect != nil {
						via = []login{tt.dialect, loginV1}
					}
					for _, l := range via {
						if s := l(k, c.Email, pw+"!"); s != http.StatusUnauthorized && s != http.StatusBadRequest {
							t.Errorf("%s wrong password: %d", c.Email, s)
						}
						if s := l(k, c.Email, pw); s != http.StatusOK && s != http.StatusCreated {
							t.Fatalf("%s original password: %d", c.Email, s)
						}
					}
					after, err := k.App.Store.GetCustomer(t.Context(), k.Shop.ID, c.ID)
					if err != nil || !strings.HasPrefix(after.PasswordHash, "$argon2id$v=19$m=64,") {
						t.Fatalf("%s hash after login: %q %v", c.Email, after.PasswordHash, err)
					}
				}
				checkFixture(t, k, tt.format)

				again, err := importer.Import(t.Context(), k.App.Service, k.Shop, importer.Options{Format: tt.format}, "testdata/"+tt.file)
				if err != nil {
					t.Fatal(err)
				}
				if again.Created+again.Updated != 0 || again.Skipped != tt.want.Created {
					t.Fatalf("re-run: %+v", again)
				}
			})
		}
	}
}

// checkFixture spot-checks what came along with each platform's first
// customer: addresses and defaults, groups, credit, verification, metadata.
func checkFixture(t *testing.T, k *testkit.Kit, format string) {
	t.Helper()
	ctx, svc, shop := t.Context(), k.App.Service, k.Shop.ID
	first := map[string]string{"spree": "1", "medusa": "cus_01HQ3J9Z8K6M2N4P5R7S9T1V3W", "bagisto": "1", "sfcc": "00001001"}[format]
	c, err := svc.CustomerByExternalID(ctx, shop, first)
	if err != nil {
		t.Fatalf("by external id %s: %v", first, err)
	}
	addrs, err := svc.AdminAddresses(ctx, shop, c.ID, core.Page{})
	if err != nil {
		t.Fatal(err)
	}
	groups, _ := svc.CustomerGroups(ctx, shop, c.ID)
	bal, _ := svc.CreditBalances(ctx, shop, c.ID)
	names := func() []string {
		var n []string
		for _, g := range groups {
			n = append(n, g.Name)
		}
		return n
	}()
	switch format {
	case "spree":
		if len(addrs.Items) != 2 || !addrs.Items[0].IsDefaultShipping || !addrs.Items[1].IsDefaultBilling || addrs.Items[0].RegionCode != "NY" {
			t.Errorf("spree addresses: %+v", addrs.Items)
		}
		if len(bal) != 1 || bal[0].Amount != 2550 || bal[0].Currency != "USD" {
			t.Errorf("spree credit: %v", bal)
		}
		if c.EmailVerifiedAt == nil || !c.AcceptsEmailMarketing || c.Metadata["spree_selected_locale"] != "en" {
			t.Errorf("spree customer: %+v", c)
		}
		if strings.Join(names, ",") != "VIP" {
			t.Errorf("spree groups: %v", names)
		}
	case "medusa":
		if len(addrs.Items) != 1 || addrs.Items[0].CountryCode != "GB" || !addrs.Items[0].IsDefaultBilling {
			t.Errorf("medusa addresses: %+v", addrs.Items)
		}
		if c.Metadata["loyalty_id"] != "L-77" || strings.Join(names, ",") != "Wholesale" {
			t.Errorf("medusa metadata %v groups %v", c.Metadata, names)
		}
	case "bagisto":
		if len(addrs.Items) != 1 || addrs.Items[0].Address2 != "Hinterhaus" || !addrs.Items[0].IsDefaultShipping {
			t.Errorf("bagisto addresses: %+v", addrs.Items)
		}
		if c.Gender != "Female" || c.DateOfBirth != "1985-04-12" || c.EmailVerifiedAt == nil || strings.Join(names, ",") != "General" {
			t.Errorf("bagisto customer %+v groups %v", c, names)
		}
		if _, kept := c.Metadata["bagisto_api_token"]; kept {
			t.Errorf("the old platform's API token was kept: %v", c.Metadata)
		}
		two, _ := svc.CustomerByExternalID(ctx, shop, "2")
		if two == nil || two.Status != core.StatusDisabled {
			t.Errorf("bagisto status 0 should be disabled: %+v", two)
		}
	case "sfcc":
		if c.PasswordHash != "" || c.Gender != "female" || c.Phone != "+1 415 555 0199" || c.Metadata["c_loyaltyTier"] != "silver" {
			t.Errorf("sfcc customer: %+v", c)
		}
		if len(addrs.Items) != 2 || !addrs.Items[0].IsDefaultBilling || addrs.Items[1].Metadata["sfcc_suite"] != "300" {
			t.Errorf("sfcc addresses: %+v", addrs.Items)
		}
	}
}

func sfccLine(t *testing.T, customerNo string) int {
	t.Helper()
	b, err := os.ReadFile("testdata/sfcc-customers.xml")
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, `customer-no="`+customerNo+`"`) {
			return i + 1
		}
	}
	t.Fatalf("no customer %s", customerNo)
	return 0
}

func equalMaps(a, b map[int]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Malformed rows of every format are rejected with their line, and the
// rows around them still import.
func TestMalformedRows(t *testing.T) {
	tests := []struct {
		format, input string
		want          []string // per record: "ok" or the RowError's line
	}{
		{"clientele", "{\"external_id\":\"1\",\"email\":\"a@example.com\"}\n\n{\"external_id\":2,\"email\":\"b@example.com\"}\n{\"external_id\":\"3\",\"email\":\"c@example.com\",\"shoe_size\":9}\n{\"external_id\":\"4\",\"email\":\"d@example.com\"} {}\n{\"external_id\":\"5\",\"email\":\"e@example.com\"}", []string{"ok", "3", "4", "5", "ok"}},
		{"spree", "[1,2]\nnull\n{\"id\":1,\"addresses\":\"no\"}\n{\"id\":2,\"created_at\":\"yesterday\"}\n{\"id\":3,\"store_credits\":[{\"currency\":\"USD\",\"amount\":\"1.234\"}]}\n{\"id\":4,\"email\":\"ok@example.com\"}\n", []string{"1", "2", "3", "4", "5", "ok"}},
		{"medusa", "{\"id\":\"cus_1\",\"groups\":[1]}\n{\"id\":\"cus_2\",\"metadata\":\"{bad\"}\n{\"id\":\"cus_3\"}\n", []string{"1", "2", "ok"}},
		{"bagisto", "{\"id\":1,\"addresses\":[1]}\n{\"id\":2}\n", []string{"1", "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			rd, err := importer.NewReader(tt.format, strings.NewReader(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for {
				_, err := rd.Next()
				if err != nil && err.Error() == "EOF" {
					break
				}
				if re, ok := importer.IsRowError(err); ok {
					got = append(got, strings.TrimPrefix(strings.SplitN(re.Error(), ":", 2)[0], "line "))
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, "ok")
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := importer.NewReader("shopify", strings.NewReader("")); err == nil {
		t.Fatal("unknown format accepted")
	}
	// Broken XML ends the SFCC file with an error (a stream cannot find the
	// next customer in it); the customers before it are read.
	rd, _ := importer.NewReader("sfcc", strings.NewReader(`<customers><customer customer-no="1"><profile><email>a@example.com</email></profile></customer><customer customer-no="2"><profile>`))
	if rec, err := rd.Next(); err != nil || rec.ExternalID != "1" {
		t.Fatalf("first: %+v %v", rec, err)
	}
	if _, err := rd.Next(); err == nil || strings.Contains(err.Error(), "EOF") && !strings.Contains(err.Error(), "unexpected") {
		t.Fatalf("broken XML: %v", err)
	}
}
