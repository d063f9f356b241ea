// Command loadgen drives a running Clientele with a storefront's traffic and
// reports throughput and latency as JSON.
//
// Open loop (-rate > 0): requests are scheduled at a constant arrival rate
// and each latency is measured from the request's scheduled send time, not
// from when it was actually sent, so a stalled server cannot hide its
// queueing (coordinated omission). Closed loop (-rate 0): -concurrency
// workers send back to back, which finds capacity.
//
// Scenarios are stateful: login draws from a pool of customers registered
// during setup; refresh chains each virtual customer's own rotating token
// (never two requests on one token at once); read uses tokens minted at
// setup; mixed is the storefront mix (70 % reads, 20 % refresh, 8 % login,
// 2 % register); spree and medusa are each dialect's login + profile path
// (90 % profile reads, 10 % logins).
//
//	loadgen -url http://127.0.0.1:8080 -pk pk_... -scenario read -rate 2000 -duration 30s
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	URL         string
	PK          string
	Scenario    string
	Rate        float64
	Concurrency int
	Duration    time.Duration
	Warmup      time.Duration
	StartAt     int64 // Unix milliseconds; 0: start when set up
	Customers   int
	Password    string
	Timeout     time.Duration
	Progress    bool
	SpreadIPs   bool
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "Clientele base URL")
	fs.StringVar(&o.PK, "pk", "", "publishable key of the store to load (required)")
	fs.StringVar(&o.Scenario, "scenario", "read", "login, refresh, read, mixed, spree or medusa")
	fs.Float64Var(&o.Rate, "rate", 0, "open loop: requests per second; 0 runs closed loop")
	fs.IntVar(&o.Concurrency, "concurrency", 16, "closed loop: workers; open loop: most requests in flight")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "how long to measure")
	fs.DurationVar(&o.Warmup, "warmup", 0, "run this long before measuring")
	fs.Int64Var(&o.StartAt, "start-at", 0, "once set up, wait until this Unix time in milliseconds before the warm-up: several loadgens then load one server together")
	fs.IntVar(&o.Customers, "customers", 200, "customers registered during setup")
	fs.StringVar(&o.Password, "password", "loadgen-password-1234", "password of the setup customers")
	fs.DurationVar(&o.Timeout, "timeout", 2*time.Second, "client timeout per request")
	fs.BoolVar(&o.Progress, "progress", true, "print a progress line every second on stderr")
	fs.BoolVar(&o.SpreadIPs, "spread-ips", false, "send each request with its own X-Forwarded-For address (server must trust this client as a proxy)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.PK == "" {
		return fmt.Errorf("-pk is required")
	}
	sc, ok := scenarios[o.Scenario]
	if !ok {
		return fmt.Errorf("unknown scenario %q", o.Scenario)
	}
	if o.Concurrency < 1 || o.Customers < 1 || o.Duration <= 0 || o.Rate < 0 {
		return fmt.Errorf("-concurrency, -customers and -duration must be positive, -rate not negative")
	}
	c := newClient(o)
	started := time.Now()
	pool, err := c.setup(ctx, o.Customers, sc.needs, stderr)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	fmt.Fprintf(stderr, "setup: %d customers in %s\n", len(pool.customers), time.Since(started).Round(time.Millisecond))
	if o.StartAt > 0 {
		wait := time.Until(time.UnixMilli(o.StartAt))
		if wait < 0 {
			fmt.Fprintf(stderr, "start: %s late (setup took longer than -start-at allowed)\n", (-wait).Round(time.Millisecond))
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if o.Warmup > 0 {
		drive(ctx, c, sc, pool, o, o.Warmup, nil)
	}
	res := drive(ctx, c, sc, pool, o, o.Duration, stderr)
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
