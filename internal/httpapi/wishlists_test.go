package httpapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

const wishlistsPath = "/v1/customer/wishlists"

// wlDo sends a customer request about wishlists.
func wlDo(k *testkit.Kit, c *testkit.Customer, method, path string, body any) *testkit.Response {
	k.T.Helper()
	return k.Do(testkit.Req{Method: method, Path: path, Token: c.Access, Body: body})
}

// wlCreate creates a list one clock millisecond after the last thing, so
// ids sort in creation order, and returns its JSON.
func wlCreate(t *testing.T, k *testkit.Kit, c *testkit.Customer, body map[string]any) map[string]any {
	t.Helper()
	k.Clock.Advance(time.Millisecond)
	res := wlDo(k, c, "POST", wishlistsPath, body)
	want(t, res, http.StatusCreated)
	return res.JSON(t)
}

func wlAdd(t *testing.T, k *testkit.Kit, c *testkit.Customer, listID string, body map[string]any, status int) map[string]any {
	t.Helper()
	k.Clock.Advance(time.Millisecond)
	res := wlDo(k, c, "POST", wishlistsPath+"/"+listID+"/items", body)
	want(t, res, status)
	return res.JSON(t)
}

// wlField fails unless a 422 names field with code.
func wlField(t *testing.T, res *testkit.Response, field, code string) {
	t.Helper()
	wantProblem(t, res, http.StatusUnprocessableEntity, "validation_failed")
	for _, e := range res.JSON(t)["errors"].([]any) {
		if f := e.(map[string]any); f["field"] == field && f["code"] == code {
			return
		}
	}
	t.Fatalf("errors do not name %s/%s: %s", field, code, res.Body)
}

func TestWishlistCRUD(t *testing.T) {
	k := newKit(t)
	c := k.Register("wl-crud@example.com")

	list := wishlistsGetList(t, k, c, wishlistsPath)
	if len(list.Data) != 0 || list.Next != nil {
		t.Fatalf("a new customer has lists: %+v", list)
	}
	w := wlCreate(t, k, c, map[string]any{"name": "Birthday", "metadata": map[string]any{"occasion": "birthday"}})
	id := w["id"].(string)
	if w["name"] != "Birthday" || w["is_default"] != true || w["is_private"] != true || w["share_token"] != nil ||
		w["item_count"] != 0.0 || w["metadata"].(map[string]any)["occasion"] != "birthday" {
		t.Fatalf("created = %v", w)
	}

	got := wlDo(k, c, "GET", wishlistsPath+"/"+id, nil)
	want(t, got, http.StatusOK)
	if got.Str(t, "id") != id {
		t.Fatalf("get = %s", got.Body)
	}

	wlAdd(t, k, c, id, map[string]any{"product_id": "prod-1"}, http.StatusCreated)
	up := wlDo(k, c, "PATCH", wishlistsPath+"/"+id, map[string]any{"name": "Christmas", "metadata": map[string]any{}})
	want(t, up, http.StatusOK)
	if m := up.JSON(t); m["name"] != "Christmas" || m["item_count"] != 1.0 || len(m["metadata"].(map[string]any)) != 0 {
		t.Fatalf("patched = %s", up.Body)
	}
	if l := wishlistsGetList(t, k, c, wishlistsPath); len(l.Data) != 1 || l.Data[0]["name"] != "Christmas" {
		t.Fatalf("list = %+v", l)
	}

	want(t, wlDo(k, c, "DELETE", wishlistsPath+"/"+id, nil), http.StatusNoContent)
	wantProblem(t, wlDo(k, c, "GET", wishlistsPath+"/"+id, nil), http.StatusNotFound, "not_found")
	wantProblem(t, wlDo(k, c, "GET", wishlistsPath+"/"+id+"/items", nil), http.StatusNotFound, "not_found")
	wantProblem(t, wlDo(k, c, "DELETE", wishlistsPath+"/"+id, nil), http.StatusNotFound, "not_found")

	// Every change wrote its event.
	var types []string
	for _, e := range adminWishlistEvents(t, k) {
		types = append(types, e["type"].(string))
	}
	slices.Sort(types)
	if wantTypes := []string{"wishlist.created", "wishlist.deleted", "wishlist.item_added", "wishlist.updated"}; !slices.Equal(types, wantTypes) {
		t.Fatalf("events = %v, want %v", types, wantTypes)
	}
	// Without a token every route is a 401.
	for _, r := range []testkit.Req{
		{Method: "GET", Path: wishlistsPath},
		{Method: "POST", Path: wishlistsPath, Body: map[string]any{"name": "x"}},
		{Method: "GET", Path: wishlistsPath + "/" + id + "/items"},
	} {
		wantProblem(t, k.Do(r), http.StatusUnauthorized, "unauthenticated")
	}
}

// adminWishlistEvents reads the store's wishlist events through the admin API.
func adminWishlistEvents(t *testing.T, k *testkit.Kit) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, typ := range []string{"wishlist.created", "wishlist.updated", "wishlist.deleted", "wishlist.item_added", "wishlist.item_updated", "wishlist.item_removed"} {
		page, err := k.App.Service.Events(t.Context(), k.Shop.ID, typ, core.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Items {
			out = append(out, map[string]any{"type": e.Type, "subject_id": e.SubjectID, "data": e.Data})
		}
	}
	return out
}

type wishlistsPage struct {
	Data []map[string]any
	Next *string
}

func wishlistsGetList(t *testing.T, k *testkit.Kit, c *testkit.Customer, path string) wishlistsPage {
	t.Helper()
	res := wlDo(k, c, "GET", path, nil)
	want(t, res, http.StatusOK)
	m := res.JSON(t)
	var p wishlistsPage
	for _, d := range m["data"].([]any) {
		p.Data = append(p.Data, d.(map[string]any))
	}
	if s, ok := m["next_cursor"].(string); ok {
		p.Next = &s
	}
	return p
}

func TestWishlistDefaultMoves(t *testing.T) {
	k := newKit(t)
	c := k.Register("wl-default@example.com")
	a := wlCreate(t, k, c, map[string]any{"name": "A", "is_default": false})
	b := wlCreate(t, k, c, map[string]any{"name": "B", "is_default": true})
	cc := wlCreate(t, k, c, map[string]any{"name": "C"})
	if a["is_default"] != true || b["is_default"] != true || cc["is_default"] != false {
		t.Fatalf("defaults on create: a %v, b %v, c %v", a["is_default"], b["is_default"], cc["is_default"])
	}
	defaults := func() []string {
		var out []string
		for _, w := range wishlistsGetList(t, k, c, wishlistsPath).Data {
			if w["is_default"] == true {
				out = append(out, w["name"].(string))
			}
		}
		return out
	}
	if got := defaults(); !slices.Equal(got, []string{"B"}) {
		t.Fatalf("defaults = %v, want [B]", got)
	}
	res := wlDo(k, c, "PATCH", wishlistsPath+"/"+cc["id"].(string), map[string]any{"is_default": true})
	want(t, res, http.StatusOK)
	if got := defaults(); !slices.Equal(got, []string{"C"}) {
		t.Fatalf("defaults = %v, want [C]", got)
	}
	// Unsetting the default is refused; nothing changes.
	wlField(t, wlDo(k, c, "PATCH", wishlistsPath+"/"+cc["id"].(string), map[string]any{"is_default": false, "name": "Renamed"}), "is_default", "invalid")
	if got := defaults(); !slices.Equal(got, []string{"C"}) {
		t.Fatalf("defaults = %v, want [C]", got)
	}
	// Deleting the default hands it to the oldest remaining list.
	want(t, wlDo(k, c, "DELETE", wishlistsPath+"/"+cc["id"].(string), nil), http.StatusNoContent)
	if got := defaults(); !slices.Equal(got, []string{"A"}) {
		t.Fatalf("defaults after delete = %v, want [A]", got)
	}
}

func TestWishlistSharing(t *testing.T) {
	k := newKit(t)
	c := k.Register("wl-share@example.com")
	w := wlCreate(t, k, c, map[string]any{"name": "Gift ideas", "is_private": false, "metadata": map[string]any{"registrant": "wl-share@example.com"}})
	id := w["id"].(string)
	tok, _ := w["share_token"].(string)
	if !strings.HasPrefix(tok, "wls_") || len(tok) < len("wls_")+22 {
		t.Fatalf("share_token = %v", w["share_token"])
	}
	wlAdd(t, k, c, id, map[string]any{"product_id": "p1", "note": "size M"}, http.StatusCreated)
	wlAdd(t, k, c, id, map[string]any{"product_id": "p2", "variant_id": "v2"}, http.StatusCreated)

	shared := func(token, pk string) *testkit.Response {
		return k.Do(testkit.Req{Method: "GET", Path: "/v1/wishlists/shared/" + token, PK: pk})
	}
	res := shared(tok, "")
	want(t, res, http.StatusOK)
	m := res.JSON(t)
	if m["id"] != id || m["name"] != "Gift ideas" || m["item_count"] != 2.0 || len(m["items"].([]any)) != 2 || m["next_cursor"] != nil {
		t.Fatalf("shared = %s", res.Body)
	}
	// The link shares the list, not the customer.
	for _, leak := range []string{c.ID, "wl-share@example.com", "customer", "is_default", "metadata", tok} {
		if strings.Contains(string(res.Body), leak) {
			t.Fatalf("shared list shows %q: %s", leak, res.Body)
		}
	}
	// Items page like every list.
	p1 := k.Do(testkit.Req{Method: "GET", Path: "/v1/wishlists/shared/" + tok + "?limit=1"})
	want(t, p1, http.StatusOK)
	next, _ := p1.JSON(t)["next_cursor"].(string)
	p2 := k.Do(testkit.Req{Method: "GET", Path: "/v1/wishlists/shared/" + tok + "?limit=1&cursor=" + next})
	want(t, p2, http.StatusOK)
	if items := p2.JSON(t)["items"].([]any); next == "" || len(items) != 1 || items[0].(map[string]any)["product_id"] != "p2" || p2.JSON(t)["next_cursor"] != nil {
		t.Fatalf("second page = %s", p2.Body)
	}

	other := k.NewShop("Other")
	wantProblem(t, shared(tok, other.PublishableKey), http.StatusNotFound, "not_found")
	wantProblem(t, shared(tok, "-"), http.StatusUnauthorized, "invalid_api_key")
	wantProblem(t, shared("wls_"+strings.Repeat("A", 32), ""), http.StatusNotFound, "not_found")
	// A customer token is not what the public route wants: it needs the key.
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/v1/wishlists/shared/" + tok, PK: "-", Token: c.Access}), http.StatusUnauthorized, "invalid_api_key")

	// Unsharing kills the link at once; sharing again makes a new one.
	up := wlDo(k, c, "PATCH", wishlistsPath+"/"+id, map[string]any{"is_private": true})
	want(t, up, http.StatusOK)
	if up.JSON(t)["share_token"] != nil {
		t.Fatalf("private list kept its token: %s", up.Body)
	}
	wantProblem(t, shared(tok, ""), http.StatusNotFound, "not_found")
	again := wlDo(k, c, "PATCH", wishlistsPath+"/"+id, map[string]any{"is_private": false})
	want(t, again, http.StatusOK)
	tok2 := again.Str(t, "share_token")
	if tok2 == "" || tok2 == tok {
		t.Fatalf("reshared token = %q (old %q)", tok2, tok)
	}
	want(t, shared(tok2, ""), http.StatusOK)
	wantProblem(t, shared(tok, ""), http.StatusNotFound, "not_found")
}

// Customer A against B's list and items: 404 everywhere, B's data
// unchanged (SECURITY.md 27).
func TestWishlistIDOR(t *testing.T) {
	k := newKit(t)
	a, b := k.Register("wl-a@example.com"), k.Register("wl-b@example.com")
	theirs := wlCreate(t, k, b, map[string]any{"name": "B's"})
	tid := theirs["id"].(string)
	item := wlAdd(t, k, b, tid, map[string]any{"product_id": "p", "quantity": 2}, http.StatusCreated)
	iid := item["id"].(string)
	mine := wlCreate(t, k, a, map[string]any{"name": "A's"})
	mid := mine["id"].(string)

	for _, r := range []struct {
		method, path string
		body         any
	}{
		{"GET", wishlistsPath + "/" + tid, nil},
		{"PATCH", wishlistsPath + "/" + tid, map[string]any{"name": "pwned", "is_private": false}},
		{"DELETE", wishlistsPath + "/" + tid, nil},
		{"GET", wishlistsPath + "/" + tid + "/items", nil},
		{"POST", wishlistsPath + "/" + tid + "/items", map[string]any{"product_id": "evil"}},
		{"GET", wishlistsPath + "/" + tid + "/items/" + iid, nil},
		{"PATCH", wishlistsPath + "/" + tid + "/items/" + iid, map[string]any{"quantity": 9}},
		{"DELETE", wishlistsPath + "/" + tid + "/items/" + iid, nil},
		// B's item through A's own list.
		{"GET", wishlistsPath + "/" + mid + "/items/" + iid, nil},
		{"PATCH", wishlistsPath + "/" + mid + "/items/" + iid, map[string]any{"quantity": 9}},
		{"DELETE", wishlistsPath + "/" + mid + "/items/" + iid, nil},
	} {
		t.Run(r.method+" "+strings.ReplaceAll(r.path, "/", "_"), func(t *testing.T) {
			wantProblem(t, wlDo(k, a, r.method, r.path, r.body), http.StatusNotFound, "not_found")
		})
	}
	got := wlDo(k, b, "GET", wishlistsPath+"/"+tid, nil)
	want(t, got, http.StatusOK)
	if m := got.JSON(t); m["name"] != "B's" || m["is_private"] != true || m["item_count"] != 1.0 {
		t.Fatalf("B's list changed: %s", got.Body)
	}
	it := wlDo(k, b, "GET", wishlistsPath+"/"+tid+"/items/"+iid, nil)
	want(t, it, http.StatusOK)
	if it.JSON(t)["quantity"] != 2.0 {
		t.Fatalf("B's item changed: %s", it.Body)
	}
	if l := wishlistsGetList(t, k, a, wishlistsPath+"/"+mid+"/items"); len(l.Data) != 0 {
		t.Fatalf("A's list gained items: %+v", l.Data)
	}
}

func TestWishlistItems(t *testing.T) {
	k := newKit(t)
	c := k.Register("wl-items@example.com")
	id := wlCreate(t, k, c, map[string]any{"name": "Mine"})["id"].(string)
	itemsPath := wishlistsPath + "/" + id + "/items"

	first := wlAdd(t, k, c, id, map[string]any{"product_id": "sku-1", "variant_id": "red"}, http.StatusCreated)
	if first["quantity"] != 1.0 || first["priority"] != 0.0 || first["note"] != nil || first["variant_id"] != "red" || first["wishlist_id"] != id {
		t.Fatalf("added = %v", first)
	}
	// The same product and variant again: 200 with the grown item.
	merged := wlAdd(t, k, c, id, map[string]any{"product_id": "sku-1", "variant_id": "red", "quantity": 2, "note": "for mum", "priority": 1}, http.StatusOK)
	if merged["id"] != first["id"] || merged["quantity"] != 3.0 || merged["note"] != "for mum" || merged["priority"] != 1.0 {
		t.Fatalf("merged = %v", merged)
	}
	other := wlAdd(t, k, c, id, map[string]any{"product_id": "sku-1"}, http.StatusCreated)
	if other["variant_id"] != nil {
		t.Fatalf("variant_id = %v, want null", other["variant_id"])
	}

	up := wlDo(k, c, "PATCH", itemsPath+"/"+first["id"].(string), map[string]any{"quantity": 7, "note": ""})
	want(t, up, http.StatusOK)
	if m := up.JSON(t); m["quantity"] != 7.0 || m["note"] != nil || m["priority"] != 1.0 || m["product_id"] != "sku-1" {
		t.Fatalf("patched = %s", up.Body)
	}
	want(t, wlDo(k, c, "DELETE", itemsPath+"/"+other["id"].(string), nil), http.StatusNoContent)
	wantProblem(t, wlDo(k, c, "GET", itemsPath+"/"+other["id"].(string), nil), http.StatusNotFound, "not_found")
	wantProblem(t, wlDo(k, c, "PATCH", itemsPath+"/wli_unknown", map[string]any{"quantity": 1}), http.StatusNotFound, "not_found")
	wantProblem(t, wlDo(k, c, "POST", wishlistsPath+"/wl_unknown/items", map[string]any{"product_id": "p"}), http.StatusNotFound, "not_found")
}

func TestWishlistItemsPagination(t *testing.T) {
	k := newKit(t)
	c := k.Register("wl-page@example.com")
	id := wlCreate(t, k, c, map[string]any{"name": "Long"})["id"].(string)
	var added []string
	for i := range 5 {
		added = append(added, wlAdd(t, k, c, id, map[string]any{"product_id": "p" + string(rune('a'+i))}, http.StatusCreated)["id"].(string))
	}
	var seen []string
	path := wishlistsPath + "/" + id + "/items?limit=2"
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("pagination does not end")
		}
		p := wishlistsGetList(t, k, c, path)
		if len(p.Data) > 2 {
			t.Fatalf("page of %d items with limit=2", len(p.Data))
		}
		for _, it := range p.Data {
			seen = append(seen, it["id"].(string))
		}
		if p.Next == nil {
			break
		}
		path = wishlistsPath + "/" + id + "/items?limit=2&cursor=" + *p.Next
	}
	if !slices.Equal(seen, added) {
		t.Fatalf("pages = %v, want %v", seen, added)
	}
	// The list of lists pages the same way.
	wlCreate(t, k, c, map[string]any{"name": "Second"})
	p := wishlistsGetList(t, k, c, wishlistsPath+"?limit=1")
	if len(p.Data) != 1 || p.Data[0]["id"] != id || p.Next == nil {
		t.Fatalf("first page of lists = %+v", p)
	}
	if p2 := wishlistsGetList(t, k, c, wishlistsPath+"?limit=1&cursor="+*p.Next); len(p2.Data) != 1 || p2.Next != nil {
		t.Fatalf("second page of lists = %+v", p2)
	}
}

// SECURITY.md 36: past the documented caps, 422 limit_reached and nothing
// stored. The kit runs with small caps so the test stays fast.
func TestWishlistCaps(t *testing.T) {
	cfg := core.DefaultConfig()
	cfg.Caps.Wishlists, cfg.Caps.WishlistItems = 2, 3
	k := newKit(t, testkit.WithCore(cfg))
	c := k.Register("wl-caps@example.com")
	id := wlCreate(t, k, c, map[string]any{"name": "One"})["id"].(string)
	wlCreate(t, k, c, map[string]any{"name": "Two"})
	wlField(t, wlDo(k, c, "POST", wishlistsPath, map[string]any{"name": "Three"}), "wishlists", "limit_reached")
	if l := wishlistsGetList(t, k, c, wishlistsPath); len(l.Data) != 2 {
		t.Fatalf("%d lists after the refused one", len(l.Data))
	}

	for i := range 3 {
		wlAdd(t, k, c, id, map[string]any{"product_id": "p" + string(rune('a'+i))}, http.StatusCreated)
	}
	wlField(t, wlDo(k, c, "POST", wishlistsPath+"/"+id+"/items", map[string]any{"product_id": "one-too-many"}), "items", "limit_reached")
	// A product already on the full list still merges.
	wlAdd(t, k, c, id, map[string]any{"product_id": "pa"}, http.StatusOK)
	got := wlDo(k, c, "GET", wishlistsPath+"/"+id, nil)
	want(t, got, http.StatusOK)
	if got.JSON(t)["item_count"] != 3.0 {
		t.Fatalf("item_count = %v, want 3", got.JSON(t)["item_count"])
	}
}

func TestWishlistBadInput(t *testing.T) {
	k := newKit(t)
	c := k.Register("wl-bad@example.com")
	id := wlCreate(t, k, c, map[string]any{"name": "Mine"})["id"].(string)
	item := wlAdd(t, k, c, id, map[string]any{"product_id": "p"}, http.StatusCreated)
	listPath, itemsPath := wishlistsPath+"/"+id, wishlistsPath+"/"+id+"/items"
	itemPath := itemsPath + "/" + item["id"].(string)
	tests := []struct {
		name         string
		method, path string
		body         any
		status       int
		code, field  string
	}{
		{"create_unknown_field", "POST", wishlistsPath, map[string]any{"name": "x", "customer_id": "cus_other"}, 400, "unknown_field", "customer_id"},
		{"create_share_token_is_not_writable", "POST", wishlistsPath, map[string]any{"name": "x", "share_token": "wls_mine"}, 400, "unknown_field", "share_token"},
		{"create_no_name", "POST", wishlistsPath, map[string]any{}, 422, "validation_failed", "name"},
		{"create_name_too_long", "POST", wishlistsPath, map[string]any{"name": strings.Repeat("n", 101)}, 422, "validation_failed", "name"},
		{"create_wrong_type", "POST", wishlistsPath, map[string]any{"name": 5}, 400, "malformed_json", "name"},
		{"create_malformed", "POST", wishlistsPath, `{"name":`, 400, "malformed_json", ""},
		{"patch_unknown_field", "PATCH", listPath, map[string]any{"item_count": 0}, 400, "unknown_field", "item_count"},
		{"patch_empty_name", "PATCH", listPath, map[string]any{"name": " "}, 422, "validation_failed", "name"},
		{"add_unknown_field", "POST", itemsPath, map[string]any{"product_id": "p", "wishlist_id": "wl_other"}, 400, "unknown_field", "wishlist_id"},
		{"add_no_product", "POST", itemsPath, map[string]any{"quantity": 1}, 422, "validation_failed", "product_id"},
		{"add_quantity_zero", "POST", itemsPath, map[string]any{"product_id": "q", "quantity": 0}, 422, "validation_failed", "quantity"},
		{"add_quantity_fraction", "POST", itemsPath, map[string]any{"product_id": "q", "quantity": 1.5}, 400, "malformed_json", "quantity"},
		{"add_priority_out_of_range", "POST", itemsPath, map[string]any{"product_id": "q", "priority": 9}, 422, "validation_failed", "priority"},
		{"add_note_too_long", "POST", itemsPath, map[string]any{"product_id": "q", "note": strings.Repeat("n", 1001)}, 422, "validation_failed", "note"},
		{"add_product_with_nul", "POST", itemsPath, map[string]any{"product_id": "a\u0000b"}, 422, "validation_failed", "product_id"},
		{"patch_item_unknown_field", "PATCH", itemPath, map[string]any{"product_id": "other"}, 400, "unknown_field", "product_id"},
		{"patch_item_quantity_zero", "PATCH", itemPath, map[string]any{"quantity": 0}, 422, "validation_failed", "quantity"},
		{"list_limit_not_a_number", "GET", wishlistsPath + "?limit=ten", nil, 400, "malformed_json", "limit"},
		{"list_limit_too_big", "GET", itemsPath + "?limit=101", nil, 422, "validation_failed", "limit"},
		{"list_bad_cursor", "GET", itemsPath + "?cursor=not-ours", nil, 422, "validation_failed", "cursor"},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			res := k.Do(testkit.Req{Method: tt.method, Path: tt.path, Body: tt.body, Token: c.Access})
			wantProblem(t, res, tt.status, tt.code)
			if tt.field != "" {
				errs, _ := res.JSON(t)["errors"].([]any)
				if len(errs) == 0 || errs[0].(map[string]any)["field"] != tt.field {
					t.Fatalf("errors = %v, want field %s", errs, tt.field)
				}
			}
		})
	}
	// Nothing above changed the list or its item.
	got := wlDo(k, c, "GET", listPath, nil)
	want(t, got, http.StatusOK)
	if m := got.JSON(t); m["name"] != "Mine" || m["item_count"] != 1.0 {
		t.Fatalf("list changed: %s", got.Body)
	}
	it := wlDo(k, c, "GET", itemPath, nil)
	want(t, it, http.StatusOK)
	if m := it.JSON(t); m["quantity"] != 1.0 || m["product_id"] != "p" {
		t.Fatalf("item changed: %s", it.Body)
	}
}
