package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/clientele/clientele/internal/auth/password"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/server"
)

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig("migrate", args, getenv, stderr, false, nil)
	if err != nil {
		return err
	}
	st, err := server.OpenStore(ctx, cfg.DB, 0)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "migrations applied to", redactDSN(cfg.DB))
	return st.Close()
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func storesCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var name, resetURL string
	var asJSON bool
	var origins multiFlag
	cfg, err := parseConfig("stores create", args, getenv, stderr, false, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "store name (required)")
		fs.StringVar(&resetURL, "reset-url", "", "storefront page that password-reset links point to")
		fs.Var(&origins, "allowed-origin", "origin allowed for CORS and reset redirects (repeatable)")
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	})
	if err != nil {
		return err
	}
	svc, closeFn, err := openService(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer closeFn()
	created, err := svc.CreateShop(ctx, core.NewShop{Name: name, AllowedOrigins: origins, PasswordResetURL: resetURL})
	if err != nil {
		return describe(err)
	}
	if asJSON {
		return json.NewEncoder(stdout).Encode(map[string]string{
			"id": created.Shop.ID, "name": created.Shop.Name,
			"publishable_key": created.PublishableKey, "secret_key": created.SecretKey,
		})
	}
	fmt.Fprintf(stdout, "store %s %q\npublishable key: %s\nsecret key: %s\n(keys are shown only now)\n",
		created.Shop.ID, created.Shop.Name, created.PublishableKey, created.SecretKey)
	return nil
}

func rotateKeys(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig("signing-keys rotate", args, getenv, stderr, false, nil)
	if err != nil {
		return err
	}
	svc, closeFn, err := openService(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer closeFn()
	k, err := svc.RotateSigningKey(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "new signing key %s; running nodes pick it up within 30 s, and older keys verify until their tokens expire\n", k.ID)
	return nil
}

// openService builds a service for a maintenance command. It needs no
// server, so it uses a cheap hasher (commands never hash passwords) and
// discards mail.
func openService(ctx context.Context, dsn string) (*core.Service, func(), error) {
	st, err := server.OpenStore(ctx, dsn, 0)
	if err != nil {
		return nil, nil, err
	}
	svc, err := core.New(ctx, core.DefaultConfig(), core.Deps{
		Store: st, Hasher: password.New(password.TestParams()), Signer: nopSigner{}, Mailer: nopMailer{},
		Limiter: nopLimiter{}, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		_ = st.Close()
		return nil, nil, err
	}
	return svc, func() { _ = st.Close() }, nil
}

// describe turns a validation error into a readable CLI message.
func describe(err error) error {
	var ve *core.ValidationError
	if errorsAs(err, &ve) {
		var parts []string
		for _, f := range ve.Fields {
			parts = append(parts, f.Field+": "+f.Message)
		}
		return fmt.Errorf("invalid input: %s", strings.Join(parts, "; "))
	}
	return err
}

// redactDSN hides a password in a DSN for logs.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		if at := strings.LastIndex(dsn, "@"); at > i {
			return dsn[:i+3] + "***" + dsn[at:]
		}
	}
	return dsn
}
