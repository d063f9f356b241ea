// Package storetest is the conformance suite for [core.Store]. Every backend
// (SQLite now, PostgreSQL later) runs the same cases through [Run], so the
// backends cannot drift apart in the behaviour core relies on: scoping by
// shop, error kinds, single-use updates under concurrency and transactions.
//
// Cases are named repo=<table>/method=<Store method>/case=<what>, so
// `go test -run 'Conformance/repo=sessions/method=RevokeSession'` selects one
// method. Each case gets a fresh store and may run in parallel with others.
package storetest

import (
	"reflect"
	"slices"
	"testing"

	"github.com/clientele/clientele/internal/core"
)

// Run runs the suite against stores made by newStore. Each call of newStore
// must return a new, empty, migrated store and register its own cleanup with
// t.Cleanup. Some cases Close the store themselves, so that cleanup must
// tolerate a second Close.
func Run(t *testing.T, newStore func(t *testing.T) core.Store) {
	t.Helper()
	repos := suite()
	t.Run("suite=covers_every_method", func(t *testing.T) {
		checkCoverage(t, repos)
	})
	// Most cases make their own shops, customers and tokens with unique
	// ids, so they share one store: building a store per case (a schema and
	// every migration, on PostgreSQL) would dominate the run. Cases that
	// read state across all shops, or close the store, get a fresh one.
	shared := newStore(t)
	for _, r := range repos {
		t.Run("repo="+r.name, func(t *testing.T) {
			for _, m := range r.methods {
				t.Run("method="+m.name, func(t *testing.T) {
					for _, c := range m.cases {
						t.Run("case="+c.name, func(t *testing.T) {
							t.Parallel()
							if needsFreshStore(r.name, m.name) {
								c.run(t, newStore(t))
								return
							}
							c.run(t, shared)
						})
					}
				})
			}
		})
	}
}

// needsFreshStore names the cases that see state beyond the shops they
// create (the oldest shop, revocations of every shop, the deployment's
// signing keys and secrets, stale import jobs of every shop) or that close
// the store.
func needsFreshStore(repo, method string) bool {
	switch repo {
	case "signing_keys", "secrets", "tx", "db", "webhook_relay", "event_publish":
		return true
	}
	return method == "OldestShop" || method == "RevokedSince" || method == "CountShops" || method == "FailStaleImportJobs"
}

// repoCases groups the methods of one table (or concern).
type repoCases struct {
	name    string
	methods []methodCases
}

// methodCases are the cases of one core.Store method; name must be the
// method's name, which checkCoverage relies on.
type methodCases struct {
	name  string
	cases []testCase
}

type testCase struct {
	name string
	run  func(t *testing.T, s core.Store)
}

func suite() []repoCases {
	return []repoCases{
		{"shops", shopCases()},
		{"api_keys", apiKeyCases()},
		{"customers", customerCases()},
		{"sessions", sessionCases()},
		{"refresh_tokens", refreshTokenCases()},
		{"password_resets", passwordResetCases()},
		{"signing_keys", signingKeyCases()},
		{"secrets", secretCases()},
		{"addresses", addressCases()},
		{"groups", groupCases()},
		{"wishlists", wishlistCases()},
		{"credit", creditCases()},
		{"payment_methods", paymentMethodCases()},
		{"orders", orderCases()},
		{"aliases", aliasCases()},
		{"dialect", dialectCases()},
		{"shop_count", shopCountCases()},
		{"email_tokens", emailTokenCases()},
		{"events", eventCases()},
		{"admin_customers", adminCustomerCases()},
		{"webhooks", webhookEndpointCases()},
		{"webhook_relay", webhookRelayCases()},
		{"event_publish", eventPublishCases()},
		{"idempotency_records", idempotencyCases()},
		{"newsletter_subscribers", newsletterCases()},
		{"sfcc", sfccCases()},
		{"import_refs", importRefCases()},
		{"import_jobs", importJobCases()},
		{"dialect_identities", dialectIdentityCases()},
		{"mail_templates", mailTemplateCases()},
		{"audit_log", auditCases()},
		{"bulk", bulkCases()},
		{"refresh_rotator", rotatorCases()},
		{"tx", txCases()},
		{"db", dbCases()},
	}
}

// checkCoverage fails when core.Store has a method the suite has no cases
// for, so growing the port without growing the suite is caught by every
// backend's test run.
func checkCoverage(t *testing.T, repos []repoCases) {
	var covered []string
	for _, r := range repos {
		for _, m := range r.methods {
			if len(m.cases) > 0 {
				covered = append(covered, m.name)
			}
		}
	}
	typ := reflect.TypeFor[core.Store]()
	for i := range typ.NumMethod() {
		if name := typ.Method(i).Name; !slices.Contains(covered, name) {
			t.Errorf("core.Store.%s has no conformance cases", name)
		}
	}
	for _, name := range covered {
		if _, ok := typ.MethodByName(name); !ok && !optionalMethod(name) {
			t.Errorf("cases for %s, which core.Store does not have", name)
		}
	}
}

// optionalMethod reports whether name belongs to an optional port a
// backend may offer beside core.Store (core.RefreshRotator); its cases skip
// where it is absent.
func optionalMethod(name string) bool {
	_, ok := reflect.TypeFor[core.RefreshRotator]().MethodByName(name)
	return ok
}
