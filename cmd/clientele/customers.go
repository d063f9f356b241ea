package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/importer"
)

const customersUsage = `usage:
  clientele customers import --store ID --format spree|medusa|bagisto|sfcc|clientele [--dry-run] [--report FILE] [--batch N] [--pepper PEPPER] FILE...
  clientele customers export --store ID [--out FILE]`

// customers runs `clientele customers import|export`.
func customers(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(customersUsage)
	}
	switch args[0] {
	case "import":
		return customersImport(ctx, args[1:], getenv, stdout, stderr)
	case "export":
		return customersExport(ctx, args[1:], getenv, stdout, stderr)
	}
	return errors.New(customersUsage)
}

// parseWithFiles is parseConfig for commands that take file arguments
// after their flags.
func parseWithFiles(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, []string, error) {
	cfg := config.Default()
	fs := flag.NewFlagSet("clientele "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Bind(fs, false)
	extra(fs)
	if err := config.Parse(fs, args, getenv); err != nil {
		return cfg, nil, err
	}
	return cfg, fs.Args(), cfg.Validate()
}

func customersImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var storeID, format, reportPath, pepper string
	var dryRun bool
	var batch int
	cfg, files, err := parseWithFiles("customers import", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&storeID, "store", "", "store id (sto_...) to import into (required)")
		fs.StringVar(&format, "format", "", "input format: "+strings.Join(importer.Formats, ", ")+" (required; see docs/migrate.md)")
		fs.BoolVar(&dryRun, "dry-run", false, "validate and report what would change, writing nothing")
		fs.StringVar(&reportPath, "report", "", "write each rejected row (file, line, reason) to this file as JSON Lines")
		fs.IntVar(&batch, "batch", importer.DefaultBatch, "records per transaction")
		fs.StringVar(&pepper, "pepper", "", "Devise config.pepper the spree hashes were made with; prefer the env CLIENTELE_PEPPER, which stays out of ps and shell history (see docs/migrate.md)")
	})
	if err != nil {
		return err
	}
	switch {
	case storeID == "":
		return errors.New("--store is required\n" + customersUsage)
	case !importer.ValidFormat(format):
		return fmt.Errorf("--format must be one of %s\n%s", strings.Join(importer.Formats, ", "), customersUsage)
	case len(files) == 0:
		return errors.New("no input files\n" + customersUsage)
	case batch < 1 || batch > 10000:
		return errors.New("--batch must be between 1 and 10000")
	case pepper != "" && !slices.Contains(importer.PepperFormats, format):
		return fmt.Errorf("--pepper applies to --format %s only", strings.Join(importer.PepperFormats, ", "))
	}
	for _, f := range files {
		if strings.HasPrefix(f, "-") {
			return fmt.Errorf("flag %s after the files: put flags before FILE", f)
		}
		if _, err := os.Stat(f); err != nil {
			return err
		}
	}
	svc, closeFn, err := openService(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer closeFn()
	sh, err := svc.Shop(ctx, storeID)
	if err != nil {
		return fmt.Errorf("store %s: %w", storeID, err)
	}
	opt := importer.Options{Format: format, Batch: batch, DryRun: dryRun, Pepper: pepper, Progress: progressPrinter(stderr)}
	if reportPath != "" {
		f, err := os.Create(reportPath)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		defer func() { _ = w.Flush(); _ = f.Close() }()
		opt.Report = w
	}
	sum, err := importer.Import(ctx, svc, sh, opt, files...)
	verb := "imported"
	if dryRun {
		verb = "dry run, nothing written:"
	}
	fmt.Fprintf(stdout, "%s %d rows: %d created, %d updated, %d skipped (unchanged), %d rejected\n",
		verb, sum.Rows, sum.Created, sum.Updated, sum.Skipped, sum.Rejected)
	if sum.Rejected > 0 && reportPath != "" {
		fmt.Fprintf(stdout, "rejections with their lines and reasons: %s\n", reportPath)
	}
	if err != nil {
		return fmt.Errorf("import stopped (committed batches stay; re-run the same command to resume): %w", err)
	}
	return nil
}

// progressPrinter draws a progress line with rate and ETA on a terminal,
// and writes a log line every 10 s otherwise.
func progressPrinter(w io.Writer) func(importer.Progress) {
	tty := isTerminal(w)
	var last time.Time
	return func(p importer.Progress) {
		now := time.Now()
		if !tty && now.Sub(last) < 10*time.Second {
			return
		}
		last = now
		rate := float64(p.Rows) / max(p.Elapsed.Seconds(), 0.001)
		eta := "?"
		if p.Bytes > 0 && p.ReadBytes > 0 {
			left := time.Duration(float64(p.Elapsed) * float64(p.Bytes-p.ReadBytes) / float64(p.ReadBytes))
			eta = left.Round(time.Second).String()
		}
		pct := 0.0
		if p.Bytes > 0 {
			pct = 100 * float64(p.ReadBytes) / float64(p.Bytes)
		}
		line := fmt.Sprintf("%5.1f%% %d rows (%d created, %d updated, %d skipped, %d rejected) %.0f rows/s ETA %s",
			pct, p.Rows, p.Created, p.Updated, p.Skipped, p.Rejected, rate, eta)
		if tty {
			fmt.Fprintf(w, "\r\033[K%s", line)
			if p.Bytes > 0 && p.ReadBytes >= p.Bytes {
				fmt.Fprintln(w)
			}
			return
		}
		fmt.Fprintf(w, "%s import progress: %s\n", now.UTC().Format(time.RFC3339), line)
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func customersExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var storeID, out string
	cfg, rest, err := parseWithFiles("customers export", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&storeID, "store", "", "store id (sto_...) to export (required)")
		fs.StringVar(&out, "out", "", "write to this file instead of standard output")
	})
	if err != nil {
		return err
	}
	if storeID == "" || len(rest) > 0 {
		return errors.New(customersUsage)
	}
	svc, closeFn, err := openService(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer closeFn()
	if _, err := svc.Shop(ctx, storeID); err != nil {
		return fmt.Errorf("store %s: %w", storeID, err)
	}
	w := stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	n, err := importer.Export(ctx, svc, storeID, bw)
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %d customers\n", n)
	return nil
}
