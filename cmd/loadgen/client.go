package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// client sends requests to one store of one Clientele.
type client struct {
	o     options
	http  *http.Client
	runID string
	seq   atomic.Int64
	ipSeq atomic.Uint32
}

func newClient(o options) *client {
	tr := &http.Transport{
		MaxIdleConns: 4096, MaxIdleConnsPerHost: 4096, IdleConnTimeout: 90 * time.Second,
		DialContext: (&net.Dialer{Timeout: o.Timeout}).DialContext,
	}
	return &client{o: o, http: &http.Client{Transport: tr, Timeout: o.Timeout}, runID: strconv.FormatInt(time.Now().UnixNano(), 36)}
}

// outcome is what one request came to.
type outcome struct {
	status     int
	retryAfter bool
	timeout    bool
	err        error
	body       map[string]any
}

// do sends a JSON request. headers are extra request headers.
func (c *client) do(ctx context.Context, method, path string, body any, headers map[string]string, wantBody bool) outcome {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.o.URL+path, rd)
	if err != nil {
		return outcome{err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if c.o.SpreadIPs {
		// Each request from its own 10.0.0.0/8 address, so per-IP limits
		// (meant for one abuser) do not cap a whole storefront's load; the
		// server must trust this client as a proxy (-trusted-proxies).
		n := c.ipSeq.Add(1)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", byte(n>>16), byte(n>>8), byte(n)))
	}
	res, err := c.http.Do(req)
	if err != nil {
		var ne net.Error
		return outcome{err: err, timeout: errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)}
	}
	defer res.Body.Close()
	out := outcome{status: res.StatusCode, retryAfter: res.Header.Get("Retry-After") != ""}
	if wantBody && res.StatusCode < 300 {
		if err := json.NewDecoder(res.Body).Decode(&out.body); err != nil {
			out.err = err
		}
	} else {
		_, _ = io.Copy(io.Discard, res.Body)
	}
	return out
}

func (c *client) native(token string) map[string]string {
	h := map[string]string{"X-Publishable-Key": c.o.PK}
	if token != "" {
		h["Authorization"] = "Bearer " + token
	}
	return h
}

// customer is one virtual shopper. mu guards its rotating refresh token:
// two refreshes on one token at once would look like token theft.
type customer struct {
	email       string
	mu          sync.Mutex
	access      atomic.Pointer[string] // read without the lock by reads
	refresh     string
	spreeToken  string
	medusaToken string
}

// pool is the setup's customers.
type pool struct {
	customers []*customer
}

func (p *pool) random() *customer { return p.customers[rand.IntN(len(p.customers))] }

// needs says which tokens a scenario's setup must mint.
type needs struct{ spree, medusa bool }

// setup registers the pool (concurrently, bounded) and mints the tokens
// the scenario needs.
func (c *client) setup(ctx context.Context, n int, nd needs, progress io.Writer) (*pool, error) {
	p := &pool{customers: make([]*customer, n)}
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	var firstErr atomic.Value
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			cu, err := c.newCustomer(ctx, i, nd)
			if err != nil {
				firstErr.CompareAndSwap(nil, err)
				return
			}
			p.customers[i] = cu
		}()
		if ctx.Err() != nil {
			break
		}
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return nil, err
	}
	return p, ctx.Err()
}

func (c *client) newCustomer(ctx context.Context, i int, nd needs) (*customer, error) {
	cu := &customer{email: fmt.Sprintf("lg-%s-%d@example.com", c.runID, i)}
	for attempt := 0; ; attempt++ {
		r := c.do(ctx, "POST", "/v1/customers", map[string]any{"email": cu.email, "password": c.o.Password}, c.native(""), true)
		if r.status == http.StatusCreated {
			a, _ := r.body["access_token"].(string)
			cu.access.Store(&a)
			cu.refresh, _ = r.body["refresh_token"].(string)
			break
		}
		if (r.status == 429 || r.status == 503) && attempt < 50 {
			time.Sleep(200 * time.Millisecond) // setup only: back off as told
			continue
		}
		return nil, fmt.Errorf("register %s: status %d %v", cu.email, r.status, r.err)
	}
	if nd.spree {
		r := c.do(ctx, "POST", "/spree/api/v3/store/auth/login", map[string]any{"email": cu.email, "password": c.o.Password}, map[string]string{"X-Spree-Api-Key": c.o.PK}, true)
		if r.status != 200 {
			return nil, fmt.Errorf("spree login: status %d %v", r.status, r.err)
		}
		cu.spreeToken, _ = r.body["token"].(string)
	}
	if nd.medusa {
		r := c.do(ctx, "POST", "/medusa/auth/customer/emailpass", map[string]any{"email": cu.email, "password": c.o.Password}, map[string]string{"x-publishable-api-key": c.o.PK}, true)
		if r.status != 200 {
			return nil, fmt.Errorf("medusa login: status %d %v", r.status, r.err)
		}
		cu.medusaToken, _ = r.body["token"].(string)
	}
	return cu, nil
}
