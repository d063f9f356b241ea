package main

import (
	"context"
	"fmt"
	"math/rand/v2"
)

// op is one request of a scenario; it returns the operation's name (for
// the per-operation breakdown) and its outcome.
type op func(ctx context.Context, c *client, p *pool) (string, outcome)

type scenario struct {
	needs needs
	op    op
}

var scenarios = map[string]scenario{
	"login":   {op: opLogin},
	"refresh": {op: opRefresh},
	"read":    {op: opRead},
	"mixed": {op: func(ctx context.Context, c *client, p *pool) (string, outcome) {
		switch n := rand.IntN(100); {
		case n < 70:
			return opRead(ctx, c, p)
		case n < 90:
			return opRefresh(ctx, c, p)
		case n < 98:
			return opLogin(ctx, c, p)
		default:
			return opRegister(ctx, c, p)
		}
	}},
	"spree": {needs: needs{spree: true}, op: func(ctx context.Context, c *client, p *pool) (string, outcome) {
		cu := p.random()
		if rand.IntN(10) == 0 {
			return "spree_login", c.do(ctx, "POST", "/spree/api/v3/store/auth/login", map[string]any{"email": cu.email, "password": c.o.Password}, map[string]string{"X-Spree-Api-Key": c.o.PK}, false)
		}
		return "spree_profile", c.do(ctx, "GET", "/spree/api/v3/store/customers/me", nil, map[string]string{"X-Spree-Api-Key": c.o.PK, "Authorization": "Bearer " + cu.spreeToken}, false)
	}},
	"medusa": {needs: needs{medusa: true}, op: func(ctx context.Context, c *client, p *pool) (string, outcome) {
		cu := p.random()
		if rand.IntN(10) == 0 {
			return "medusa_login", c.do(ctx, "POST", "/medusa/auth/customer/emailpass", map[string]any{"email": cu.email, "password": c.o.Password}, map[string]string{"x-publishable-api-key": c.o.PK}, false)
		}
		return "medusa_profile", c.do(ctx, "GET", "/medusa/store/customers/me", nil, map[string]string{"x-publishable-api-key": c.o.PK, "Authorization": "Bearer " + cu.medusaToken}, false)
	}},
}

func opLogin(ctx context.Context, c *client, p *pool) (string, outcome) {
	cu := p.random()
	return "login", c.do(ctx, "POST", "/v1/auth/login", map[string]any{"email": cu.email, "password": c.o.Password}, c.native(""), false)
}

func opRead(ctx context.Context, c *client, p *pool) (string, outcome) {
	return "read", c.do(ctx, "GET", "/v1/customer", nil, c.native(*p.random().access.Load()), false)
}

// opRefresh rotates the token of a customer nobody else is refreshing;
// when the random pick is busy it tries a few others, and with all of them
// busy reports a client-side skip (pool too small for the load).
func opRefresh(ctx context.Context, c *client, p *pool) (string, outcome) {
	for range 8 {
		cu := p.random()
		if !cu.mu.TryLock() {
			continue
		}
		r := c.do(ctx, "POST", "/v1/auth/refresh", map[string]any{"refresh_token": cu.refresh}, c.native(""), true)
		if r.status == 200 {
			if t, ok := r.body["refresh_token"].(string); ok {
				cu.refresh = t
			}
			if t, ok := r.body["access_token"].(string); ok {
				cu.access.Store(&t)
			}
		}
		cu.mu.Unlock()
		return "refresh", r
	}
	return "refresh", outcome{err: fmt.Errorf("every picked customer was busy: raise -customers")}
}

func opRegister(ctx context.Context, c *client, _ *pool) (string, outcome) {
	email := fmt.Sprintf("lg-%s-new-%d@example.com", c.runID, c.seq.Add(1))
	return "register", c.do(ctx, "POST", "/v1/customers", map[string]any{"email": email, "password": c.o.Password}, c.native(""), false)
}
