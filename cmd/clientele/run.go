package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/clientele/clientele/internal/config"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `clientele — customer accounts for online stores

Usage:
  clientele serve [flags]                 run the HTTP service (migrates; creates a dev store on an empty database)
  clientele migrate [flags]               apply database migrations
  clientele stores create --name NAME     create a store and print its keys (--json for one JSON object)
  clientele stores sfcc --store ID --org-id ORG --client-id ID
                                          bind a store to an SFCC organization and SLAS client (/sfcc dialect)
  clientele signing-keys rotate           start signing with a new key; old keys verify until their tokens expire
  clientele customers import --store ID --format F FILE...   import customers from spree, medusa, bagisto, sfcc or clientele (docs/migrate.md)
  clientele customers export --store ID   write a store's customers as Clientele JSON Lines
  clientele seed --store ID --customers N load N synthetic customers sharing one password (test stores only)
  clientele mail preview --kind KIND [--store ID] [--format text|html|eml|subject]
                                          render a kind of mail with sample data (--list prints the kinds)
  clientele version                       print the version

Every command takes --db (SQLite path or postgres:// DSN; env CLIENTELE_DB).
Run "clientele COMMAND -h" for a command's flags.
`

// run is the whole program: it parses args, reads CLIENTELE_* variables
// through getenv and writes only to stdout and stderr.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, rest, getenv, stdout, stderr)
	case "stores":
		if len(rest) > 0 && rest[0] == "sfcc" {
			return storesSFCC(ctx, rest[1:], getenv, stdout, stderr)
		}
		if len(rest) == 0 || rest[0] != "create" {
			return errors.New(`usage: clientele stores create --name NAME [--json]`)
		}
		return storesCreate(ctx, rest[1:], getenv, stdout, stderr)
	case "signing-keys":
		if len(rest) == 0 || rest[0] != "rotate" {
			return errors.New(`usage: clientele signing-keys rotate [--db DSN]`)
		}
		return rotateKeys(ctx, rest[1:], getenv, stdout, stderr)
	case "customers":
		return customers(ctx, rest, getenv, stdout, stderr)
	case "seed":
		return seed(ctx, rest, getenv, stdout, stderr)
	case "mail":
		return mailCmd(ctx, rest, getenv, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "clientele", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// parseConfig binds and parses the flags of a command.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer, serve bool, extra func(*flag.FlagSet)) (config.Config, error) {
	cfg := config.Default()
	fs := flag.NewFlagSet("clientele "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Bind(fs, serve)
	if extra != nil {
		extra(fs)
	}
	if err := config.Parse(fs, args, getenv); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return cfg, cfg.Validate()
}

// newLogger builds the process logger from config.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
