package spree_test

import (
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

func TestWishlistItemWrites(t *testing.T) {
	k := testkit.New(t)
	res := register(t, k, k.PK, "items@example.com")
	tok, cid := res["token"].(string), res["user"].(map[string]any)["id"].(string)
	other := register(t, k, k.PK, "items-other@example.com")["token"].(string)
	wl := do(t, k, "POST", base+"/wishlists", k.PK, tok, map[string]any{"name": "Wants"}).json(t)["id"].(string)
	// The store's back end (or another surface) added an item.
	it, _, err := k.App.Service.AddWishlistItem(t.Context(), &core.Principal{ShopID: k.Shop.ID, CustomerID: cid, Scope: core.ScopeCustomer},
		wl, core.NewWishlistItem{ProductID: "prod_1", VariantID: "var_1"})
	if err != nil {
		t.Fatal(err)
	}
	id := "wi_" + strings.TrimPrefix(it.ID, "wli_")
	path := base + "/wishlists/" + wl + "/items/" + id

	r := do(t, k, "PATCH", path, k.PK, tok, map[string]any{"quantity": 3})
	m := r.json(t)
	if r.Status != 200 || m["id"] != id || m["quantity"] != 3.0 || m["variant_id"] != "var_1" || m["wishlist_id"] != wl {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	e := wantError(t, do(t, k, "PATCH", path, k.PK, tok, map[string]any{"quantity": 0}), 422, "validation_error")
	if d, _ := e["details"].(map[string]any); d == nil || d["quantity"] == nil {
		t.Fatalf("details: %v", e)
	}
	wantError(t, do(t, k, "PATCH", path, k.PK, tok, map[string]any{"quantity": "3"}), 400, "invalid_request")
	e = wantError(t, do(t, k, "PATCH", path, k.PK, other, map[string]any{"quantity": 1}), 404, "record_not_found")
	if e["message"] != "Wishlist not found" {
		t.Fatalf("message: %v", e)
	}
	e = wantError(t, do(t, k, "PATCH", base+"/wishlists/"+wl+"/items/wi_nope", k.PK, tok, map[string]any{"quantity": 1}), 404, "record_not_found")
	if e["message"] != "Wishlist item not found" {
		t.Fatalf("message: %v", e)
	}
	wantError(t, do(t, k, "DELETE", path, k.PK, other, nil), 404, "record_not_found")
	wantError(t, do(t, k, "DELETE", path, k.PK, "", nil), 401, "authentication_required")
	if r := do(t, k, "DELETE", path, k.PK, tok, nil); r.Status != 204 || len(r.Body) != 0 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	wantError(t, do(t, k, "DELETE", path, k.PK, tok, nil), 404, "record_not_found")
	if got := do(t, k, "GET", base+"/wishlists/"+wl+"?expand=items", k.PK, tok, nil); !strings.Contains(string(got.Body), `"items":[]`) {
		t.Fatalf("items left: %s", got.Body)
	}
}
