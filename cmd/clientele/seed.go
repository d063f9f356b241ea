package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/clientele/clientele/internal/auth/password"
	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
)

// seed loads synthetic customers for load and scale runs. Every seeded
// customer shares one password and one stored hash (computed once, with the
// configured argon2id cost so a login costs what a real one does): that is
// what makes a million rows take minutes, and why this is for test stores
// only.
func seed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var (
		shopID, emailFormat, pw string
		count, from, batch      int
	)
	cfg, err := parseConfig("seed", args, getenv, stderr, false, func(fs *flag.FlagSet) {
		fs.StringVar(&shopID, "store", "", "id of the store to fill (required)")
		fs.IntVar(&count, "customers", 0, "how many customers to create (required)")
		fs.IntVar(&from, "from", 0, "number of the first customer, to continue an earlier seed")
		fs.StringVar(&emailFormat, "email-format", "seed-%d@example.com", "e-mail of customer number %d")
		fs.StringVar(&pw, "password", "seed-password-1234", "the password every seeded customer shares")
		fs.IntVar(&batch, "batch", 500, "customers per transaction (1..1000)")
	})
	if err != nil {
		return err
	}
	if shopID == "" || count < 1 {
		return errors.New(`usage: clientele seed --store ID --customers N [--from K] [--email-format F] [--password P]`)
	}
	svc, closeFn, err := openSeedService(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeFn()
	started := time.Now()
	next := count / 10
	n, err := svc.SeedCustomers(ctx, shopID, core.SeedOptions{
		Count: count, From: from, EmailFormat: emailFormat, Password: pw, Batch: batch,
		Progress: func(done int) {
			if done >= next || done == count {
				fmt.Fprintf(stderr, "seed: %d/%d customers, %s\n", done, count, time.Since(started).Round(time.Millisecond))
				next = done + max(count/10, 1)
			}
		},
	})
	if err != nil {
		return fmt.Errorf("%w (%d written; rerun with --from %d to continue)", err, n, from+n)
	}
	el := time.Since(started)
	fmt.Fprintf(stdout, "seeded %d customers into %s in %s (%.0f/s)\n", n, shopID, el.Round(time.Millisecond), float64(n)/el.Seconds())
	return nil
}

// openSeedService is openService with the configured argon2id cost, since
// the one hash it makes is the one every seeded login will verify.
func openSeedService(ctx context.Context, cfg config.Config) (*core.Service, func(), error) {
	p := password.DefaultParams()
	p.Memory, p.Time, p.Threads = uint32(cfg.Argon2Memory), uint32(cfg.Argon2Time), uint8(cfg.Argon2Threads)
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	st, err := server.OpenStore(ctx, cfg.DB, 0)
	if err != nil {
		return nil, nil, err
	}
	svc, err := core.New(ctx, core.DefaultConfig(), core.Deps{
		Store: st, Hasher: password.New(p), Signer: nopSigner{}, Mailer: nopMailer{},
		Limiter: nopLimiter{}, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		_ = st.Close()
		return nil, nil, err
	}
	return svc, func() { _ = st.Close() }, nil
}
