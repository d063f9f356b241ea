package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testkit"
)

// groupCreate creates a group through the admin API, one clock millisecond
// after the last so ids sort in creation order.
func groupCreate(t *testing.T, k *testkit.Kit, body map[string]any) map[string]any {
	t.Helper()
	k.Clock.Advance(time.Millisecond)
	res := k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/groups", Admin: true, Body: body})
	want(t, res, http.StatusCreated)
	return res.JSON(t)
}

// groupIDsOf lists the ids of a {"data": [...]} answer, or of a customer's groups.
func groupIDsOf(list []any) []string {
	var ids []string
	for _, x := range list {
		ids = append(ids, x.(map[string]any)["id"].(string))
	}
	return ids
}

func TestGroupsCRUD(t *testing.T) {
	k := newKit(t)
	g := groupCreate(t, k, map[string]any{"name": " Wholesale ", "description": "Trade\ncustomers", "metadata": map[string]any{"price_list": "pl_trade"}})
	id := g["id"].(string)
	if !strings.HasPrefix(id, "cgrp_") || g["name"] != "Wholesale" || g["description"] != "Trade\ncustomers" ||
		g["metadata"].(map[string]any)["price_list"] != "pl_trade" {
		t.Fatalf("created: %v", g)
	}
	vip := groupCreate(t, k, map[string]any{"name": "VIP"})
	if vip["description"] != nil || len(vip["metadata"].(map[string]any)) != 0 {
		t.Fatalf("minimal group: %v", vip)
	}

	// Names are unique per store, after trimming.
	res := k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/groups", Admin: true, Body: map[string]any{"name": "Wholesale  "}})
	wantProblem(t, res, http.StatusConflict, "group_name_taken")

	res = k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/groups/" + id, Admin: true})
	want(t, res, http.StatusOK)
	if res.JSON(t)["name"] != "Wholesale" {
		t.Fatalf("get: %s", res.Body)
	}
	res = k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/groups?limit=1", Admin: true})
	want(t, res, http.StatusOK)
	page := res.JSON(t)
	next, _ := page["next_cursor"].(string)
	if ids := groupIDsOf(page["data"].([]any)); len(ids) != 1 || ids[0] != id || next == "" {
		t.Fatalf("first page: %s", res.Body)
	}
	res = k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/groups?limit=1&cursor=" + next, Admin: true})
	want(t, res, http.StatusOK)
	if ids := groupIDsOf(res.JSON(t)["data"].([]any)); len(ids) != 1 || ids[0] != vip["id"] {
		t.Fatalf("second page: %s", res.Body)
	}

	k.Clock.Advance(time.Second)
	res = k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/groups/" + id, Admin: true, Body: map[string]any{"name": "Trade", "description": ""}})
	want(t, res, http.StatusOK)
	if p := res.JSON(t); p["name"] != "Trade" || p["description"] != nil || p["metadata"].(map[string]any)["price_list"] != "pl_trade" || p["updated_at"] == g["updated_at"] {
		t.Fatalf("patched: %v", p)
	}
	res = k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/groups/" + id, Admin: true, Body: map[string]any{"name": "VIP"}})
	wantProblem(t, res, http.StatusConflict, "group_name_taken")

	want(t, k.Do(testkit.Req{Method: "DELETE", Path: "/admin/v1/groups/" + id, Admin: true}), http.StatusNoContent)
	for _, r := range []testkit.Req{
		{Method: "GET", Path: "/admin/v1/groups/" + id},
		{Method: "PATCH", Path: "/admin/v1/groups/" + id, Body: map[string]any{"name": "Back"}},
		{Method: "DELETE", Path: "/admin/v1/groups/" + id},
	} {
		r.Admin = true
		wantProblem(t, k.Do(r), http.StatusNotFound, "not_found")
	}
	// The name is free again.
	groupCreate(t, k, map[string]any{"name": "Wholesale"})
}

func TestGroupsBadInput(t *testing.T) {
	k := newKit(t)
	post := func(body any) *testkit.Response {
		return k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/groups", Admin: true, Body: body})
	}
	for _, field := range []string{"id", "shop_id", "created_at", "members"} {
		wantProblem(t, post(map[string]any{"name": "X", field: "x"}), http.StatusBadRequest, "unknown_field")
	}
	wantProblem(t, post(`{"name": 7}`), http.StatusBadRequest, "malformed_json")
	addrWantField(t, post(map[string]any{}), "name", "required")
	addrWantField(t, post(map[string]any{"name": strings.Repeat("n", 101)}), "name", "too_long")
	addrWantField(t, post(map[string]any{"name": "D", "description": strings.Repeat("d", 1001)}), "description", "too_long")
	addrWantField(t, post(map[string]any{"name": "M", "metadata": map[string]any{"": 1}}), "metadata", "invalid")
	g := groupCreate(t, k, map[string]any{"name": "Kept"})
	res := k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/groups/" + g["id"].(string), Admin: true, Body: map[string]any{"name": " "}})
	addrWantField(t, res, "name", "required")
	res = k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/groups/" + g["id"].(string), Admin: true, Body: map[string]any{"shop_id": "sto_x"}})
	wantProblem(t, res, http.StatusBadRequest, "unknown_field")
}

func TestCustomerGroupsAssign(t *testing.T) {
	k := newKit(t)
	c := k.Register("member@example.com")
	vip := groupCreate(t, k, map[string]any{"name": "VIP"})
	trade := groupCreate(t, k, map[string]any{"name": "Trade"})
	vipID, tradeID := vip["id"].(string), trade["id"].(string)
	path := "/admin/v1/customers/" + c.ID + "/groups"

	res := k.Do(testkit.Req{Method: "PUT", Path: path, Admin: true, Body: map[string]any{"group_ids": []string{tradeID, vipID, tradeID}}})
	want(t, res, http.StatusOK)
	if ids := groupIDsOf(res.JSON(t)["data"].([]any)); len(ids) != 2 || ids[0] != vipID || ids[1] != tradeID {
		t.Fatalf("put: %s", res.Body)
	}
	res = k.Do(testkit.Req{Method: "GET", Path: path, Admin: true})
	want(t, res, http.StatusOK)
	if ids := groupIDsOf(res.JSON(t)["data"].([]any)); len(ids) != 2 {
		t.Fatalf("get: %s", res.Body)
	}

	// The customer sees them on their own resource, as {id, name}.
	me := addrMe(t, k, c.Access)
	groups := me["groups"].([]any)
	if len(groups) != 2 || groups[0].(map[string]any)["name"] != "VIP" || groups[1].(map[string]any)["id"] != tradeID {
		t.Fatalf("customer groups: %v", me["groups"])
	}
	// PATCH /v1/customer answers with them too, and cannot change them.
	res = k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer", Token: c.Access, Body: map[string]any{"first_name": "Ada"}})
	want(t, res, http.StatusOK)
	if len(res.JSON(t)["groups"].([]any)) != 2 {
		t.Fatalf("patch answer: %s", res.Body)
	}
	res = k.Do(testkit.Req{Method: "PATCH", Path: "/v1/customer", Token: c.Access, Body: map[string]any{"groups": []any{}}})
	wantProblem(t, res, http.StatusBadRequest, "unknown_field")

	// Refused sets change nothing.
	addrWantField(t, k.Do(testkit.Req{Method: "PUT", Path: path, Admin: true, Body: map[string]any{"group_ids": []string{vipID, "cgrp_unknown"}}}), "group_ids", "invalid")
	addrWantField(t, k.Do(testkit.Req{Method: "PUT", Path: path, Admin: true, Body: map[string]any{}}), "group_ids", "required")
	addrWantField(t, k.Do(testkit.Req{Method: "PUT", Path: path, Admin: true, Body: map[string]any{"group_ids": []string{""}}}), "group_ids", "invalid")
	wantProblem(t, k.Do(testkit.Req{Method: "PUT", Path: path, Admin: true, Body: map[string]any{"group_ids": "x"}}), http.StatusBadRequest, "malformed_json")
	wantProblem(t, k.Do(testkit.Req{Method: "PUT", Path: path, Admin: true, Body: map[string]any{"group_ids": []string{}, "add": true}}), http.StatusBadRequest, "unknown_field")
	wantProblem(t, k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/customers/cus_nobody/groups", Admin: true, Body: map[string]any{"group_ids": []string{vipID}}}), http.StatusNotFound, "not_found")
	wantProblem(t, k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/customers/cus_nobody/groups", Admin: true}), http.StatusNotFound, "not_found")
	if len(addrMe(t, k, c.Access)["groups"].([]any)) != 2 {
		t.Fatal("a refused set changed the groups")
	}

	// Deleting a group takes the customer out; renaming shows at once.
	want(t, k.Do(testkit.Req{Method: "DELETE", Path: "/admin/v1/groups/" + vipID, Admin: true}), http.StatusNoContent)
	want(t, k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/groups/" + tradeID, Admin: true, Body: map[string]any{"name": "Trade B2B"}}), http.StatusOK)
	groups = addrMe(t, k, c.Access)["groups"].([]any)
	if len(groups) != 1 || groups[0].(map[string]any)["name"] != "Trade B2B" {
		t.Fatalf("after delete and rename: %v", groups)
	}

	// [] leaves every group.
	res = k.Do(testkit.Req{Method: "PUT", Path: path, Admin: true, Body: map[string]any{"group_ids": []string{}}})
	want(t, res, http.StatusOK)
	if string(res.Body) != `{"data":[],"next_cursor":null}` {
		t.Fatalf("clear: %s", res.Body)
	}
	if len(addrMe(t, k, c.Access)["groups"].([]any)) != 0 {
		t.Fatal("groups not cleared")
	}
}

// The group routes answer only the store's secret key: a publishable key,
// a customer token or nothing is 401, and another store's secret key finds
// nothing of this store (404), changing nothing (SECURITY.md 31).
func TestGroupsAdminOnly(t *testing.T) {
	k := newKit(t)
	c := k.Register("scoped@example.com")
	g := groupCreate(t, k, map[string]any{"name": "VIP"})
	gid := g["id"].(string)
	want(t, k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/customers/" + c.ID + "/groups", Admin: true, Body: map[string]any{"group_ids": []string{gid}}}), http.StatusOK)

	reqs := []testkit.Req{
		{Method: "GET", Path: "/admin/v1/groups"},
		{Method: "POST", Path: "/admin/v1/groups", Body: map[string]any{"name": "Sneaky"}},
		{Method: "GET", Path: "/admin/v1/groups/" + gid},
		{Method: "PATCH", Path: "/admin/v1/groups/" + gid, Body: map[string]any{"name": "Hijacked"}},
		{Method: "DELETE", Path: "/admin/v1/groups/" + gid},
		{Method: "GET", Path: "/admin/v1/customers/" + c.ID + "/groups"},
		{Method: "PUT", Path: "/admin/v1/customers/" + c.ID + "/groups", Body: map[string]any{"group_ids": []string{}}},
	}
	for _, cred := range []struct{ name, token string }{{"publishable key", k.PK}, {"customer token", c.Access}, {"nothing", ""}} {
		for _, r := range reqs {
			r.Token, r.PK = cred.token, "-"
			res := k.Do(r)
			if res.Status != http.StatusUnauthorized {
				t.Fatalf("%s: %s %s = %d, want 401", cred.name, r.Method, r.Path, res.Status)
			}
		}
	}

	other := k.NewShop("Other")
	for _, r := range reqs[2:] {
		r.Token, r.PK = other.SecretKey, "-"
		wantProblem(t, k.Do(r), http.StatusNotFound, "not_found")
	}
	// The other store's list does not show this store's groups.
	res := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/groups", Token: other.SecretKey, PK: "-"})
	want(t, res, http.StatusOK)
	if len(res.JSON(t)["data"].([]any)) != 0 {
		t.Fatalf("other store sees: %s", res.Body)
	}
	// Nothing changed.
	res = k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/groups/" + gid, Admin: true})
	want(t, res, http.StatusOK)
	if res.JSON(t)["name"] != "VIP" {
		t.Fatalf("group changed: %s", res.Body)
	}
	if groups := addrMe(t, k, c.Access)["groups"].([]any); len(groups) != 1 {
		t.Fatalf("memberships changed: %v", groups)
	}
	// A group of another store cannot be assigned here.
	og := k.Do(testkit.Req{Method: "POST", Path: "/admin/v1/groups", Token: other.SecretKey, PK: "-", Body: map[string]any{"name": "Theirs"}})
	want(t, og, http.StatusCreated)
	res = k.Do(testkit.Req{Method: "PUT", Path: "/admin/v1/customers/" + c.ID + "/groups", Admin: true, Body: map[string]any{"group_ids": []string{og.Str(t, "id")}}})
	addrWantField(t, res, "group_ids", "invalid")
}
