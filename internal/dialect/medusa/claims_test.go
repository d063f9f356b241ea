package medusa_test

import (
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

// Contract §2.2 (v2) and §3.2 (v1): Medusa's own claims ride on the core's
// tokens; a registration token is actorless.
func TestTokenClaims(t *testing.T) {
	c := newClient(t)
	r := c.do("POST", "/auth/customer/emailpass/register", map[string]any{"email": "claims@example.com", "password": pw}, nil)
	if r.status != 200 {
		t.Fatalf("register: %d %s", r.status, r.raw)
	}
	reg := claims(t, r.body["token"].(string))
	ident, _ := reg["auth_identity_id"].(string)
	if reg["scope"] != "registration" || reg["actor_id"] != "" || reg["actor_type"] != "customer" || !strings.HasPrefix(ident, "authid_") ||
		len(reg["app_metadata"].(map[string]any)) != 0 || len(reg["user_metadata"].(map[string]any)) != 0 ||
		reg["exp"].(float64)-reg["iat"].(float64) != 3600 {
		t.Fatalf("registration token %v", reg)
	}
	tok, cust := c.signup("claims2@example.com")
	cl := claims(t, tok)
	id := cust["id"].(string)
	if cl["scope"] != "customer" || cl["sub"] != id || cl["actor_id"] != id || cl["actor_type"] != "customer" ||
		cl["auth_identity_id"] != "authid_"+strings.TrimPrefix(id, "cus_") || cl["sid"] == nil ||
		cl["app_metadata"].(map[string]any)["customer_id"] != id || len(cl["user_metadata"].(map[string]any)) != 0 {
		t.Fatalf("customer token %v", cl)
	}
	// Login and refresh keep the layout.
	r = c.do("POST", "/auth/customer/emailpass", map[string]any{"email": "claims2@example.com", "password": pw}, nil)
	if cl := claims(t, r.body["token"].(string)); cl["actor_id"] != id || cl["auth_identity_id"] != "authid_"+strings.TrimPrefix(id, "cus_") {
		t.Fatalf("login token %v", cl)
	}
	r = c.do("POST", "/auth/token/refresh", nil, bearer(tok))
	if cl := claims(t, r.body["token"].(string)); cl["actor_id"] != id || cl["sid"] != claims(t, tok)["sid"] {
		t.Fatalf("refreshed token %v", cl)
	}
	// v1: customer_id and domain.
	r = c.v1("POST", "/store/auth/token", map[string]any{"email": "claims2@example.com", "password": pw}, nil)
	if cl := claims(t, r.body["access_token"].(string)); cl["customer_id"] != id || cl["domain"] != "store" || cl["sub"] != id || cl["actor_id"] != nil {
		t.Fatalf("v1 token %v", cl)
	}
}

// medusa_token_ttl is a store setting of the admin API; Medusa tokens
// follow it.
func TestTokenTTLSetting(t *testing.T) {
	c := newClient(t)
	k := c.k
	res := k.Do(testkit.Req{Method: "GET", Path: "/admin/v1/store", Admin: true})
	if res.JSON(t)["medusa_token_ttl_seconds"] != float64(86400) {
		t.Fatalf("default: %s", res.Body)
	}
	for _, bad := range []any{59, 86401, -1, "1h"} {
		res := k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/store", Body: map[string]any{"medusa_token_ttl_seconds": bad}, Admin: true, NoCheck: true})
		if res.Status != 422 && res.Status != 400 {
			t.Fatalf("medusa_token_ttl_seconds %v: %d %s", bad, res.Status, res.Body)
		}
	}
	res = k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/store", Body: map[string]any{"medusa_token_ttl_seconds": 7200}, Admin: true})
	if res.Status != 200 || res.JSON(t)["medusa_token_ttl_seconds"] != float64(7200) {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	tok, _ := c.signup("ttl-setting@example.com")
	if cl := claims(t, tok); cl["exp"].(float64)-cl["iat"].(float64) != 7200 {
		t.Fatalf("v2 lifetime %v", cl)
	}
	r := c.v1("POST", "/store/auth/token", map[string]any{"email": "ttl-setting@example.com", "password": pw}, nil)
	if cl := claims(t, r.body["access_token"].(string)); cl["exp"].(float64)-cl["iat"].(float64) != 7200 {
		t.Fatalf("v1 lifetime %v", cl)
	}
}
