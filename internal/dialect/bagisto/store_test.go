package bagisto_test

import (
	"path/filepath"
	"testing"

	"github.com/clientele/clientele/internal/server"
	"github.com/clientele/clientele/internal/testkit"
)

const (
	storeNotFoundL = `{"message":"Store not found.","error":"Store not found."}`
	storeNotFoundV = `{"message":"Store not found."}`
)

// TestStoreSelection covers contract §1: the store pinned by path, by
// header, the deployment default, and the one 404 for every miss.
func TestStoreSelection(t *testing.T) {
	e := newEnv(t)
	e.register("one@example.com")
	login := map[string]any{"email": "one@example.com", "password": pw}

	t.Run("path", func(t *testing.T) {
		if r := e.do("POST", "/api/customer/login?token=true", "", login); r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("header", func(t *testing.T) {
		if r := e.call("POST", "/bagisto/api/customer/login?token=true", "", login, "X-Publishable-Key", e.k.PK); r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("only_store_by_default", func(t *testing.T) {
		if r := e.call("POST", "/bagisto/api/v1/customer/login", "", map[string]any{"email": "one@example.com", "password": pw, "device_name": "d"}); r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("misses", func(t *testing.T) {
		for _, p := range []string{"/bagisto/stores/pk_unknown", "/bagisto/stores/" + e.k.SK, "/bagisto/stores/", "/bagisto/stores/x"} {
			want(t, e.call("GET", p+"/api/customer/get", "", nil), 404, storeNotFoundL)
			want(t, e.call("GET", p+"/api/v1/customer/get", "", nil), 404, storeNotFoundV)
			want(t, e.call("GET", p+"/api/no/such/route", "", nil), 404, storeNotFoundL) // the store first
		}
		for _, key := range []string{"pk_unknown", e.k.SK, "garbage"} {
			want(t, e.call("POST", "/bagisto/api/customer/login", "", login, "X-Publishable-Key", key), 404, storeNotFoundL)
		}
	})

	second := e.k.NewShop("Second store")
	t.Run("path_wins_over_header", func(t *testing.T) {
		r := e.do("POST", "/api/customer/login?token=true", "", login, "X-Publishable-Key", second.PublishableKey)
		if r.Status != 200 {
			t.Fatalf("the path's store must answer: %d %s", r.Status, r.Body)
		}
		r = e.call("POST", "/bagisto/stores/"+second.PublishableKey+"/api/customer/login?token=true", "", login, "X-Publishable-Key", e.k.PK)
		want(t, r, 401, `{"error":"Invalid Email or Password","message":"Invalid Email or Password"}`)
	})
	t.Run("no_default_with_two_stores", func(t *testing.T) {
		want(t, e.call("POST", "/bagisto/api/customer/login", "", login), 404, storeNotFoundL)
		want(t, e.call("GET", "/bagisto/api/v1/customer/get", "", nil), 404, storeNotFoundV)
	})
}

// TestConfiguredDefaultStore: serve --bagisto-store names the store of
// the bare base, by id or publishable key, among several.
func TestConfiguredDefaultStore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shared.db")
	withDB := func(o *server.Options) { o.Config.DB = db }
	first := testkit.New(t, withDB)
	other := first.NewShop("Default store")
	for _, ref := range []string{other.Shop.ID, other.PublishableKey} {
		k := testkit.New(t, withDB, func(o *server.Options) { o.Config.BagistoStore = ref })
		e := &env{t: t, k: k, base: "/bagisto/stores/" + other.PublishableKey}
		e.register("default-" + ref[:3] + "@example.com")
		r := e.call("POST", "/bagisto/api/customer/login?token=true", "", map[string]any{"email": "default-" + ref[:3] + "@example.com", "password": pw})
		if r.Status != 200 {
			t.Fatalf("default %s: %d %s", ref[:3], r.Status, r.Body)
		}
	}
	k := testkit.New(t, withDB, func(o *server.Options) { o.Config.BagistoStore = "pk_revoked_or_unknown" })
	e := &env{t: t, k: k}
	want(t, e.call("GET", "/bagisto/api/customer/get", "", nil), 404, storeNotFoundL)
}
