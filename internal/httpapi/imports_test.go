package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/importer"
	"github.com/clientele/clientele/internal/testkit"
)

// importContentType is the type each format's file is sent as; the route
// takes the body as it is, whatever the type.
var importContentType = map[string]string{
	"spree": "application/x-ndjson", "medusa": "application/x-ndjson", "bagisto": "application/x-ndjson",
	"clientele": "application/x-ndjson", "sfcc": "application/xml",
}

// upload sends body as an import of format with the secret key sk (the
// kit's when empty) and extra headers.
func upload(k *testkit.Kit, sk, query string, body []byte, header map[string]string) *testkit.Response {
	k.T.Helper()
	if sk == "" {
		sk = k.SK
	}
	h := map[string]string{"Content-Type": "application/x-ndjson"}
	for name, v := range header {
		h[name] = v
	}
	return k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/imports" + query, Body: body, Token: sk, PK: "-", Header: h})
}

// importJob is the wire form of a job, decoded strictly enough that a
// renamed field fails the test.
type importJob struct {
	ID         string                `json:"id"`
	Status     string                `json:"status"`
	Format     string                `json:"format"`
	SizeBytes  int64                 `json:"size_bytes"`
	Peppered   bool                  `json:"peppered"`
	Counts     core.ImportJobCounts  `json:"counts"`
	Errors     []core.ImportJobError `json:"errors"`
	Failure    *string               `json:"failure"`
	CreatedAt  string                `json:"created_at"`
	StartedAt  *string               `json:"started_at"`
	FinishedAt *string               `json:"finished_at"`
}

func decodeJob(t *testing.T, res *testkit.Response) importJob {
	t.Helper()
	var j importJob
	dec := json.NewDecoder(bytes.NewReader(res.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		t.Fatalf("job: %v\n%s", err, res.Body)
	}
	return j
}

// submit uploads a file and checks the 202: a queued job and its Location.
func submit(t *testing.T, k *testkit.Kit, sk, format string, body []byte, header map[string]string) importJob {
	t.Helper()
	h := map[string]string{"Content-Type": importContentType[format]}
	for name, v := range header {
		h[name] = v
	}
	res := upload(k, sk, "?format="+format, body, h)
	want(t, res, http.StatusAccepted)
	j := decodeJob(t, res)
	if !strings.HasPrefix(j.ID, "imp_") || j.Status != "queued" || j.Format != format || j.SizeBytes != int64(len(body)) {
		t.Fatalf("accepted job: %+v", j)
	}
	if loc := res.Header.Get("Location"); loc != "/admin/v1/imports/"+j.ID {
		t.Fatalf("Location = %q", loc)
	}
	return j
}

// await polls the job until it is finished, failing after a deadline.
func await(t *testing.T, k *testkit.Kit, sk, id string) importJob {
	t.Helper()
	if sk == "" {
		sk = k.SK
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/imports/" + id, Token: sk, PK: "-"})
		want(t, res, http.StatusOK)
		j := decodeJob(t, res)
		if j.Status == "succeeded" || j.Status == "failed" {
			if j.FinishedAt == nil || j.CreatedAt == "" {
				t.Fatalf("finished job without its times: %+v", j)
			}
			return j
		}
		if j.Status != "queued" && j.Status != "running" {
			t.Fatalf("status %q", j.Status)
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still %s after 30 s: %+v", id, j.Status, j)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func loginStatus(k *testkit.Kit, pk, email, pw string) int {
	return k.Do(testkit.Req{Method: "POST", Path: "/v1/auth/login", PK: pk, Body: map[string]any{"email": email, "password": pw}}).Status
}

// checkLogins logs every imported customer of the shop with a hash in
// with its legacy password (a wrong one fails first), and checks the hash
// is argon2id afterwards. It returns how many logged in.
func checkLogins(t *testing.T, k *testkit.Kit, shopID, pk string, pws map[string]string) int {
	t.Helper()
	cs, err := k.App.Store.SearchCustomers(t.Context(), shopID, core.CustomerQuery{}, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cs {
		pw, ok := pws[c.PasswordHash]
		if !ok || c.Status != core.StatusActive {
			continue
		}
		if s := loginStatus(k, pk, c.Email, pw+"!"); s != http.StatusUnauthorized {
			t.Fatalf("%s wrong password: %d", c.Email, s)
		}
		if s := loginStatus(k, pk, c.Email, pw); s != http.StatusOK {
			t.Fatalf("%s legacy password: %d", c.Email, s)
		}
		after, err := k.App.Store.GetCustomer(t.Context(), shopID, c.ID)
		if err != nil || !strings.HasPrefix(after.PasswordHash, "$argon2id$") {
			t.Fatalf("%s hash after login: %q %v", c.Email, after.PasswordHash, err)
		}
		n++
	}
	return n
}

func reasonsByLine(errs []core.ImportJobError) map[int]string {
	out := map[int]string{}
	for _, e := range errs {
		out[e.Line] = e.Reason
	}
	return out
}

// Each platform's fixture (the importer's testdata) uploaded as a job is
// imported as the CLI imports it: same counts, same rejections by line,
// and the customers log in with their legacy passwords. A Clientele export
// of the store then imports into another store through the same route.
func TestAdminImportJobFormats(t *testing.T) {
	pws := testkit.LegacyPasswords(t)
	tests := []struct {
		format, file string
		counts       core.ImportJobCounts
		rejected     map[int]string // nil: check reasons only (sfcc lines)
		reasons      []string
		logins       int
	}{
		{"spree", "spree-customers.jsonl", core.ImportJobCounts{Read: 6, Created: 2, Failed: 4},
			map[int]string{3: core.ReasonInvalidCountry, 4: core.ReasonMalformed, 5: core.ReasonDuplicateEmail, 6: core.ReasonHashCostTooHigh}, nil, 2},
		{"medusa", "medusa-customers.jsonl", core.ImportJobCounts{Read: 4, Created: 2, Failed: 2},
			map[int]string{3: core.ReasonUnknownHash, 4: core.ReasonInvalidEmail}, nil, 2},
		{"bagisto", "bagisto-customers.jsonl", core.ImportJobCounts{Read: 6, Created: 4, Failed: 2},
			map[int]string{5: core.ReasonInvalidCountry, 6: core.ReasonDuplicateID}, nil, 3},
		{"sfcc", "sfcc-customers.xml", core.ImportJobCounts{Read: 4, Created: 2, Failed: 2},
			nil, []string{core.ReasonInvalidCountry, core.ReasonMalformed}, 0},
	}
	k := newKit(t)
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			body, err := os.ReadFile("../importer/testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			shop := k.NewShop(tt.format)
			sk, pk := shop.SecretKey, shop.PublishableKey
			j := await(t, k, sk, submit(t, k, sk, tt.format, body, nil).ID)
			if j.Status != "succeeded" || j.Failure != nil || j.StartedAt == nil || j.Counts != tt.counts {
				t.Fatalf("job: %+v", j)
			}
			if tt.rejected != nil && fmt.Sprint(reasonsByLine(j.Errors)) != fmt.Sprint(tt.rejected) {
				t.Fatalf("errors %v, want %v", reasonsByLine(j.Errors), tt.rejected)
			}
			if tt.reasons != nil {
				// Unparsable records are reported as read, the others
				// with their batch: compare the set.
				var got []string
				for _, e := range j.Errors {
					if e.Line == 0 || e.Message == "" {
						t.Fatalf("error without line or message: %+v", e)
					}
					got = append(got, e.Reason)
				}
				slices.Sort(got)
				if fmt.Sprint(got) != fmt.Sprint(tt.reasons) {
					t.Fatalf("errors %+v, want reasons %v", j.Errors, tt.reasons)
				}
			}
			if n := checkLogins(t, k, shop.Shop.ID, pk, pws); n != tt.logins {
				t.Fatalf("%d customers logged in with legacy passwords, want %d", n, tt.logins)
			}
			if tt.format != "spree" {
				return
			}
			// The store's own export goes back in as format clientele.
			var export bytes.Buffer
			if n, err := importer.Export(t.Context(), k.App.Service, shop.Shop.ID, &export); err != nil || n != 2 {
				t.Fatalf("export: %d %v", n, err)
			}
			other := k.NewShop("clientele copy")
			cj := await(t, k, other.SecretKey, submit(t, k, other.SecretKey, "clientele", export.Bytes(), nil).ID)
			if cj.Status != "succeeded" || cj.Counts != (core.ImportJobCounts{Read: 2, Created: 2}) || len(cj.Errors) != 0 {
				t.Fatalf("clientele job: %+v", cj)
			}
			cs, err := k.App.Store.SearchCustomers(t.Context(), other.Shop.ID, core.CustomerQuery{}, "", 100)
			if err != nil || len(cs) != 2 {
				t.Fatalf("copied customers: %d %v", len(cs), err)
			}
		})
	}

	// The list pages with the API's cursor and shows only the store's jobs.
	res := skDo(k, "GET", "/admin/v1/imports", nil)
	want(t, res, http.StatusOK)
	if data := res.JSON(t)["data"].([]any); len(data) != 0 {
		t.Fatalf("the kit's store sees other stores' jobs: %s", res.Body)
	}
}

// The list pages oldest first with the API's cursor.
func TestAdminImportJobList(t *testing.T) {
	k := newKit(t)
	body, err := os.ReadFile("../importer/testdata/medusa-customers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for range 3 {
		k.Clock.Advance(time.Millisecond) // ids sort by creation time across milliseconds
		ids = append(ids, await(t, k, "", submit(t, k, "", "medusa", body, nil).ID).ID)
	}
	var got []string
	path := "/admin/v1/imports?limit=2"
	for range 5 {
		res := skDo(k, "GET", path, nil)
		want(t, res, http.StatusOK)
		var page struct {
			Data       []importJob `json:"data"`
			NextCursor *string     `json:"next_cursor"`
		}
		if err := json.Unmarshal(res.Body, &page); err != nil {
			t.Fatal(err)
		}
		for _, j := range page.Data {
			got = append(got, j.ID)
		}
		if page.NextCursor == nil {
			break
		}
		path = "/admin/v1/imports?limit=2&cursor=" + *page.NextCursor
	}
	if fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Fatalf("listed %v, want %v", got, ids)
	}
}

// Bad uploads are refused before any job exists, in problem+json; a file
// the importer cannot use is a failed job whose errors say why; another
// store's job is a 404 and no key a 401.
func TestAdminImportJobBadInput(t *testing.T) {
	spool := t.TempDir()
	k := newKit(t, testkit.WithConfig(func(c *config.Config) { c.ImportMaxBytes, c.ImportDir = 4096, spool }))
	spree, err := os.ReadFile("../importer/testdata/spree-customers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	// Refused uploads and finished jobs leave no spooled file behind.
	t.Cleanup(func() {
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			left, err := os.ReadDir(spool)
			if err == nil && len(left) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Errorf("spool dir still holds %v (%v)", left, err)
				return
			}
		}
	})

	t.Run("unknown_or_missing_format", func(t *testing.T) {
		for _, q := range []string{"?format=magento", ""} {
			res := k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/imports" + q, Body: spree, Admin: true, NoCheck: true,
				Header: map[string]string{"Content-Type": "application/x-ndjson"}})
			wantProblem(t, res, http.StatusUnprocessableEntity, core.CodeValidationFailed)
		}
	})
	t.Run("empty_body", func(t *testing.T) {
		res := k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/imports?format=spree", Admin: true, NoCheck: true})
		wantProblem(t, res, http.StatusUnprocessableEntity, core.CodeValidationFailed)
	})
	t.Run("oversize_body", func(t *testing.T) {
		big := bytes.Repeat(append(bytes.Clone(spree), '\n'), 4096/len(spree)+1)
		wantProblem(t, upload(k, "", "?format=spree", big, nil), http.StatusRequestEntityTooLarge, "body_too_large")
		// Without a Content-Length (chunked) the limit holds too, while
		// reading.
		req, err := http.NewRequest("POST", k.Server.URL+"/admin/v1/imports?format=spree", io.NopCloser(bytes.NewReader(big)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+k.SK)
		resp, err := k.Server.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || req.ContentLength != 0 {
			t.Fatalf("chunked oversize upload: %d (content length %d)", resp.StatusCode, req.ContentLength)
		}
		jobs := skDo(k, "GET", "/admin/v1/imports", nil)
		if data := jobs.JSON(t)["data"].([]any); len(data) != 0 {
			t.Fatalf("refused uploads left jobs: %s", jobs.Body)
		}
	})
	t.Run("pepper_in_the_url_or_for_another_format", func(t *testing.T) {
		wantProblem(t, upload(k, "", "?format=spree&pepper=abc", spree, nil), http.StatusBadRequest, core.CodeInvalidRequest)
		res := upload(k, "", "?format=medusa", spree, map[string]string{"Clientele-Legacy-Pepper": "abc"})
		wantProblem(t, res, http.StatusUnprocessableEntity, core.CodeValidationFailed)
	})
	t.Run("malformed_file_fails_with_errors", func(t *testing.T) {
		j := await(t, k, "", submit(t, k, "", "spree", []byte("this is not JSON\n{\"id\": 1,\n"), nil).ID)
		if j.Status != "failed" || j.Failure == nil || j.Counts != (core.ImportJobCounts{Read: 2, Failed: 2}) {
			t.Fatalf("job: %+v", j)
		}
		if got := reasonsByLine(j.Errors); fmt.Sprint(got) != fmt.Sprint(map[int]string{1: core.ReasonMalformed, 2: core.ReasonMalformed}) {
			t.Fatalf("errors: %+v", j.Errors)
		}
		// An XML file cut short cannot be read to its end.
		j = await(t, k, "", submit(t, k, "", "sfcc", []byte(`<?xml version="1.0"?><customers xmlns="http://www.demandware.com/xml/impex/customer/2006-10-31"><customer customer-no="1"><profile>`), nil).ID)
		if j.Status != "failed" || j.Failure == nil || *j.Failure == "" || strings.Contains(*j.Failure, os.TempDir()) {
			t.Fatalf("truncated sfcc job: %+v", j)
		}
	})
	t.Run("another_stores_job_and_no_key", func(t *testing.T) {
		j := await(t, k, "", submit(t, k, "", "spree", spree, nil).ID)
		other := k.NewShop("other")
		res := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/imports/" + j.ID, Token: other.SecretKey, PK: "-"})
		wantProblem(t, res, http.StatusNotFound, core.CodeNotFound)
		res = k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/imports", Token: other.SecretKey, PK: "-"})
		want(t, res, http.StatusOK)
		if strings.Contains(string(res.Body), j.ID) {
			t.Fatalf("another store lists the job: %s", res.Body)
		}
		for _, r := range []testkit.Req{
			{Method: "GET", Path: "/admin/v1/imports/" + j.ID, PK: "-"},
			{Method: "GET", Path: "/admin/v1/imports", PK: "-"},
			{Method: "POST", Path: "/admin/v1/imports?format=spree", PK: "-", Body: spree, Header: map[string]string{"Content-Type": "application/x-ndjson"}},
			{Method: "POST", Path: "/admin/v1/imports?format=spree", Token: k.PK, PK: "-", Body: spree, Header: map[string]string{"Content-Type": "application/x-ndjson"}},
		} {
			wantProblem(t, k.Do(r), http.StatusUnauthorized, core.CodeInvalidAPIKey)
		}
	})
}

// A job whose node stopped (no heartbeat for ImportJobStaleAfter) is
// failed with a reason that says so: when read, and when a node starts.
func TestAdminImportJobInterrupted(t *testing.T) {
	k := newKit(t)
	ctx := t.Context()
	atStart, err := k.App.Service.CreateImportJob(ctx, k.Shop.ID, "spree", 10, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.App.Service.StartImportJob(ctx, atStart); err != nil {
		t.Fatal(err)
	}
	// Within the heartbeat window a running job is left alone.
	k.Clock.Advance(core.ImportJobStaleAfter - time.Second)
	k.Node()
	if j := await0(t, k, atStart.ID); j.Status != "running" {
		t.Fatalf("live job failed: %+v", j)
	}
	k.Clock.Advance(2 * time.Second)
	k.Node() // a node starting fails the stale job before anyone reads it
	got, err := k.App.Store.GetImportJob(ctx, k.Shop.ID, atStart.ID)
	if err != nil || got.Status != core.ImportJobFailed || !strings.HasPrefix(got.Failure, "interrupted:") || got.FinishedAt == nil {
		t.Fatalf("job after a node started: %+v %v", got, err)
	}
	read, err := k.App.Service.CreateImportJob(ctx, k.Shop.ID, "spree", 10, false)
	if err != nil {
		t.Fatal(err)
	}
	k.Clock.Advance(core.ImportJobStaleAfter + time.Second)
	j := await(t, k, "", read.ID) // reading it fails it
	if j.Status != "failed" || j.Failure == nil || !strings.HasPrefix(*j.Failure, "interrupted:") {
		t.Fatalf("stale queued job: %+v", j)
	}
}

// await0 reads a job once.
func await0(t *testing.T, k *testkit.Kit, id string) importJob {
	t.Helper()
	res := skDo(k, "GET", "/admin/v1/imports/"+id, nil)
	want(t, res, http.StatusOK)
	return decodeJob(t, res)
}

// Devise hashes made with config.pepper import with the pepper as a job
// header: the customer logs in with the password alone, the hash becomes
// argon2id, the pepper shows nowhere (job, stored hash, pepper row), a
// different pepper for the store is refused, and a store given the wrong
// pepper does not log the customer in.
func TestAdminImportJobPepper(t *testing.T) {
	const pepper = "d3v1se-pepper-0123456789abcdef"
	const pw = "Sally's long password"
	hash, err := bcrypt.GenerateFromPassword([]byte(pw+pepper), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	row := func(id int, email string) []byte {
		b, _ := json.Marshal(map[string]any{"id": id, "email": email, "encrypted_password": string(hash), "created_at": "2020-01-02T03:04:05"})
		return append(b, '\n')
	}
	k := newKit(t)
	res := upload(k, "", "?format=spree", row(1, "peppered@example.com"), map[string]string{"Clientele-Legacy-Pepper": pepper})
	want(t, res, http.StatusAccepted)
	if strings.Contains(string(res.Body), pepper) {
		t.Fatalf("the job shows the pepper: %s", res.Body)
	}
	j := await(t, k, "", decodeJob(t, res).ID)
	if j.Status != "succeeded" || j.Counts.Created != 1 || !j.Peppered {
		t.Fatalf("job: %+v", j)
	}
	list := skDo(k, "GET", "/admin/v1/imports", nil)
	if strings.Contains(string(list.Body), pepper) {
		t.Fatalf("the job list shows the pepper: %s", list.Body)
	}
	sealed, err := k.App.Store.GetLegacyPepper(t.Context(), k.Shop.ID)
	if err != nil || bytes.Contains(sealed, []byte(pepper)) {
		t.Fatalf("stored pepper is not sealed: %q %v", sealed, err)
	}
	c, err := k.App.Store.GetCustomerByEmail(t.Context(), k.Shop.ID, "peppered@example.com")
	if err != nil || strings.Contains(c.PasswordHash, pepper) || !strings.HasSuffix(c.PasswordHash, string(hash)) {
		t.Fatalf("stored hash %q %v", c.PasswordHash, err)
	}
	if s := loginStatus(k, "", "peppered@example.com", pw+pepper); s != http.StatusUnauthorized {
		t.Fatalf("password+pepper as the password: %d", s)
	}
	if s := loginStatus(k, "", "peppered@example.com", pw); s != http.StatusOK {
		t.Fatalf("login with the password: %d", s)
	}
	c, err = k.App.Store.GetCustomerByEmail(t.Context(), k.Shop.ID, "peppered@example.com")
	if err != nil || !strings.HasPrefix(c.PasswordHash, "$argon2id$") {
		t.Fatalf("hash after login %q %v", c.PasswordHash, err)
	}
	if s := loginStatus(k, "", "peppered@example.com", pw); s != http.StatusOK {
		t.Fatalf("second login, on argon2id: %d", s)
	}

	// One pepper per store: another would break the customers above.
	res = upload(k, "", "?format=spree", row(2, "second@example.com"), map[string]string{"Clientele-Legacy-Pepper": "another"})
	wantProblem(t, res, http.StatusUnprocessableEntity, core.CodeValidationFailed)

	// A store given the wrong pepper imports the hash, which never verifies.
	other := k.NewShop("wrong pepper")
	j = await(t, k, other.SecretKey, submit(t, k, other.SecretKey, "spree", row(1, "peppered@example.com"), map[string]string{"Clientele-Legacy-Pepper": "not-the-pepper"}).ID)
	if j.Status != "succeeded" || j.Counts.Created != 1 {
		t.Fatalf("job: %+v", j)
	}
	if s := loginStatus(k, other.PublishableKey, "peppered@example.com", pw); s != http.StatusUnauthorized {
		t.Fatalf("login under the wrong pepper: %d", s)
	}
	// And without the pepper the Devise hash does not verify either.
	plain := k.NewShop("no pepper")
	j = await(t, k, plain.SecretKey, submit(t, k, plain.SecretKey, "spree", row(1, "peppered@example.com"), nil).ID)
	if j.Status != "succeeded" || j.Peppered {
		t.Fatalf("job: %+v", j)
	}
	if s := loginStatus(k, plain.PublishableKey, "peppered@example.com", pw); s != http.StatusUnauthorized {
		t.Fatalf("login without the pepper: %d", s)
	}
}

// The same job on PostgreSQL: the runner and the job rows are backend
// agnostic, but the rows' types (jsonb errors, timestamps) are not.
func TestAdminImportJobPostgres(t *testing.T) {
	k := newKit(t, testkit.WithPostgres(t))
	body, err := os.ReadFile("../importer/testdata/spree-customers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	j := await(t, k, "", submit(t, k, "", "spree", body, nil).ID)
	if j.Status != "succeeded" || j.Counts != (core.ImportJobCounts{Read: 6, Created: 2, Failed: 4}) || len(j.Errors) != 4 {
		t.Fatalf("job: %+v", j)
	}
	if n := checkLogins(t, k, k.Shop.ID, "", testkit.LegacyPasswords(t)); n != 2 {
		t.Fatalf("%d legacy logins, want 2", n)
	}
}
