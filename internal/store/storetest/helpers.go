package storetest

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// t0 is the suite's reference time: UTC, with sub-second digits to the
// microsecond, the precision every backend keeps.
var t0 = time.Date(2025, 6, 1, 12, 0, 0, 123456000, time.UTC)

// at returns t0 shifted by d.
func at(d time.Duration) time.Time { return t0.Add(d) }

// ptr returns a pointer to a copy of v, for the optional time fields.
func ptr[T any](v T) *T { return &v }

var seq atomic.Uint64

// newID returns a unique id shaped like core's (prefix + 26 characters of
// ULID alphabet). The store must treat ids as opaque; the shape only makes
// the rows look real.
func newID(prefix string) string {
	return fmt.Sprintf("%s01HZX%021d", prefix, seq.Add(1))
}

// newHash returns a unique SHA-256, as core stores for tokens and keys.
func newHash() []byte {
	h := sha256.Sum256([]byte(newID("hash_")))
	return h[:]
}

// newEmail returns a unique e-mail as typed (mixed case) and normalised.
func newEmail() (typed, normalized string) {
	typed = fmt.Sprintf("Ada.%d@Example.COM", seq.Add(1))
	return typed, strings.ToLower(typed)
}

// ---- fixtures: values with every field set; insert with the new* helpers.

func shopFixture() *core.Shop {
	return &core.Shop{
		ID:               newID("sto_"),
		Name:             "Test Shop",
		AllowedOrigins:   []string{"https://shop.example", "http://localhost:3000"},
		PasswordResetURL: "https://shop.example/reset-password",
		Settings: core.ShopSettings{
			AccessTokenTTL:    15 * time.Minute,
			RefreshTokenTTL:   30 * 24 * time.Hour,
			RefreshIdleTTL:    7 * 24 * time.Hour,
			ResetTokenTTL:     15 * time.Minute,
			EmailExistsCheck:  true,
			MinPasswordLength: 12,
			MedusaTokenTTL:    12 * time.Hour,
		},
		CreatedAt: at(0),
		UpdatedAt: at(time.Minute),
	}
}

func apiKeyFixture(shopID string, kind core.KeyKind) *core.APIKey {
	return &core.APIKey{
		ID:        newID("key_"),
		ShopID:    shopID,
		Kind:      kind,
		Hash:      newHash(),
		Hint:      "pk_test_ab",
		CreatedAt: at(0),
	}
}

// customerFixture sets every field, including nested metadata of each JSON
// type as encoding/json decodes it (float64, []any, map[string]any, nil).
func customerFixture(shopID, email string) *core.Customer {
	return &core.Customer{
		ID:                    newID("cus_"),
		ShopID:                shopID,
		Email:                 email,
		EmailNormalized:       strings.ToLower(email),
		EmailVerifiedAt:       ptr(at(time.Hour)),
		PasswordHash:          "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
		FirstName:             "Ada",
		LastName:              "Lovelace",
		Phone:                 "+44 20 7946 0000",
		Gender:                "female",
		DateOfBirth:           "1815-12-10",
		AcceptsEmailMarketing: true,
		Status:                core.StatusActive,
		Metadata: map[string]any{
			"tier":  "gold",
			"score": 4.5,
			"tags":  []any{"vip", "early", 7.0},
			"name":  "名前 ✓",
			"nested": map[string]any{
				"ok":   true,
				"none": nil,
				"deep": map[string]any{"list": []any{map[string]any{"a": 1.0}}},
			},
		},
		PasswordChangedAt: ptr(at(2 * time.Hour)),
		CompanyName:       "Analytical Engines Ltd",
		CreatedAt:         at(0),
		UpdatedAt:         at(3 * time.Hour),
		// The default address ids stay empty: they must name addresses,
		// which the address cases create first.
	}
}

func sessionFixture(shopID, customerID string) *core.Session {
	return &core.Session{
		ID:         newID("ses_"),
		ShopID:     shopID,
		CustomerID: customerID,
		CreatedAt:  at(0),
		LastUsedAt: at(time.Minute),
		ExpiresAt:  at(30 * 24 * time.Hour),
		UserAgent:  "Mozilla/5.0 (storetest)",
		IP:         "203.0.113.7",
	}
}

func refreshTokenFixture(sessionID, parentID string) *core.RefreshToken {
	return &core.RefreshToken{
		ID:        newID("rt_"),
		SessionID: sessionID,
		Hash:      newHash(),
		ParentID:  parentID,
		CreatedAt: at(0),
	}
}

func passwordResetFixture(shopID, customerID string) *core.PasswordReset {
	return &core.PasswordReset{
		ID:         newID("prt_"),
		ShopID:     shopID,
		CustomerID: customerID,
		Hash:       newHash(),
		CreatedAt:  at(0),
		ExpiresAt:  at(15 * time.Minute),
	}
}

func signingKeyFixture() *core.SigningKey {
	priv, pub := make([]byte, 32), make([]byte, 32)
	for i := range priv {
		priv[i], pub[i] = byte(i), byte(255-i)
	}
	return &core.SigningKey{
		ID:        newID("kid_"),
		Algorithm: "EdDSA",
		Private:   priv,
		Public:    pub,
		CreatedAt: at(0),
	}
}

// ---- inserting helpers: create the fixture and fail the test on error.

func newShop(t *testing.T, s core.Store) *core.Shop {
	t.Helper()
	sh := shopFixture()
	must(t, s.CreateShop(t.Context(), sh))
	return sh
}

func newCustomer(t *testing.T, s core.Store, shopID, email string) *core.Customer {
	t.Helper()
	c := customerFixture(shopID, email)
	must(t, s.CreateCustomer(t.Context(), c))
	return c
}

// newShopCustomer is the common start of a case: a shop with one customer.
func newShopCustomer(t *testing.T, s core.Store) (*core.Shop, *core.Customer) {
	t.Helper()
	sh := newShop(t, s)
	typed, _ := newEmail()
	return sh, newCustomer(t, s, sh.ID, typed)
}

func newSession(t *testing.T, s core.Store, shopID, customerID string) *core.Session {
	t.Helper()
	se := sessionFixture(shopID, customerID)
	must(t, s.CreateSession(t.Context(), se))
	return se
}

func newRefreshToken(t *testing.T, s core.Store, sessionID, parentID string) *core.RefreshToken {
	t.Helper()
	rt := refreshTokenFixture(sessionID, parentID)
	must(t, s.CreateRefreshToken(t.Context(), rt))
	return rt
}

func newPasswordReset(t *testing.T, s core.Store, shopID, customerID string) *core.PasswordReset {
	t.Helper()
	p := passwordResetFixture(shopID, customerID)
	must(t, s.CreatePasswordReset(t.Context(), p))
	return p
}

func newSigningKey(t *testing.T, s core.Store, created time.Time) *core.SigningKey {
	t.Helper()
	k := signingKeyFixture()
	k.CreatedAt = created
	must(t, s.CreateSigningKey(t.Context(), k))
	return k
}

// ---- assertions

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// wantErr fails unless err is (or wraps) kind.
func wantErr(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("got error %v, want %v", err, kind)
	}
}

// wantEqual compares with reflect.DeepEqual, so times must match to the
// microsecond and be in UTC, and nil differs from empty. On a mismatch of
// structs it names the fields that differ.
func wantEqual[T any](t *testing.T, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("mismatch:%s", diff(reflect.ValueOf(got), reflect.ValueOf(want)))
	}
}

func diff(got, want reflect.Value) string {
	for got.Kind() == reflect.Pointer && !got.IsNil() && !want.IsNil() {
		got, want = got.Elem(), want.Elem()
	}
	if got.Kind() != reflect.Struct {
		return fmt.Sprintf("\n  got:  %s\n  want: %s", show(got), show(want))
	}
	var b strings.Builder
	for i := range got.NumField() {
		g, w := got.Field(i), want.Field(i)
		if !reflect.DeepEqual(g.Interface(), w.Interface()) {
			fmt.Fprintf(&b, "\n  %s: got %s, want %s", got.Type().Field(i).Name, show(g), show(w))
		}
	}
	return b.String()
}

// show prints a value readably: pointers by what they point to, times in
// RFC 3339 with their location.
func show(v reflect.Value) string {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "nil"
		}
		return "&" + show(v.Elem())
	}
	if tm, ok := v.Interface().(time.Time); ok {
		return tm.Format(time.RFC3339Nano) + " (" + tm.Location().String() + ")"
	}
	return fmt.Sprintf("%#v", v.Interface())
}

// ---- concurrency

// concurrently runs fn(i) for i in [0, n) on n goroutines released together,
// and returns their errors by i. The start barrier makes the calls overlap
// as much as the scheduler allows, without sleeping.
func concurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// oneWinner checks that exactly one error is nil and all others are kind,
// and returns the winner's index.
func oneWinner(t *testing.T, errs []error, kind error) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("calls %d and %d both succeeded", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, kind):
			t.Fatalf("call %d: got error %v, want nil or %v", i, err, kind)
		}
	}
	if winner < 0 {
		t.Fatalf("no call succeeded; first error: %v", errs[0])
	}
	return winner
}

// claimsNeverOverlap runs claim from 4 goroutines at once and checks that
// together they took all want rows, none of them twice: what leased claims
// promise to nodes sharing a database.
func claimsNeverOverlap(t *testing.T, want int, claim func() ([]string, error)) {
	t.Helper()
	seen := make(chan string, 64)
	errs := concurrently(4, func(int) error {
		ids, err := claim()
		for _, id := range ids {
			seen <- id
		}
		return err
	})
	for _, err := range errs {
		must(t, err)
	}
	close(seen)
	ids := map[string]bool{}
	for id := range seen {
		if ids[id] {
			t.Fatalf("%s claimed twice", id)
		}
		ids[id] = true
	}
	if len(ids) != want {
		t.Fatalf("claimed %d of %d", len(ids), want)
	}
}
