package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mail"
	"github.com/clientele/clientele/internal/mailtmpl"
)

const mailUsage = `usage: clientele mail preview --kind KIND [--store ID] [--format text|html|eml|subject]
       clientele mail preview --list`

// previewFormats are the parts `mail preview` can print.
var previewFormats = []string{"text", "html", "eml", "subject"}

// previewTo is the recipient of a previewed message: a reserved domain,
// so a preview piped into a mail tool cannot reach a real person.
const previewTo = "customer@example.com"

// mailCmd runs `clientele mail preview`.
func mailCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "preview" {
		return errors.New(mailUsage)
	}
	return mailPreview(ctx, args[1:], getenv, stdout, stderr)
}

// mailPreview renders one kind of mail with sample data, as a store would
// send it: its own template where it has one (part by part), else the
// built-in default. Without --store it needs no database.
func mailPreview(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var (
		kindName, storeID, format string
		list                      bool
	)
	from := config.Default().MailFrom
	cfg, err := parseConfig("mail preview", args, getenv, stderr, false, func(fs *flag.FlagSet) {
		fs.StringVar(&kindName, "kind", "", "kind of mail (see --list; short names such as reset work too)")
		fs.StringVar(&storeID, "store", "", "store id (sto_…) whose template and name to use; default: the built-in template")
		fs.StringVar(&format, "format", "text", "what to print: "+strings.Join(previewFormats, ", "))
		fs.BoolVar(&list, "list", false, "print the kinds of mail, one a line")
		fs.StringVar(&from, "mail-from", from, "From address of the eml format (env CLIENTELE_MAIL_FROM)")
	})
	if err != nil {
		return err
	}
	if list {
		for _, k := range core.MailKinds {
			fmt.Fprintln(stdout, k)
		}
		return nil
	}
	if kindName == "" {
		return errors.New(mailUsage)
	}
	kind, ok := mailtmpl.KindOf(kindName)
	if !ok {
		return fmt.Errorf("unknown mail kind %q (one of %s)\n%s", kindName, strings.Join(core.MailKinds, ", "), mailUsage)
	}
	if !slices.Contains(previewFormats, format) {
		return fmt.Errorf("unknown format %q (one of %s)\n%s", format, strings.Join(previewFormats, ", "), mailUsage)
	}
	m, err := previewMessage(ctx, cfg.DB, storeID, kind, stderr)
	if err != nil {
		return err
	}
	switch format {
	case "subject":
		_, err = fmt.Fprintln(stdout, m.Subject)
	case "text":
		_, err = io.WriteString(stdout, m.Text)
	case "html":
		_, err = io.WriteString(stdout, m.HTML)
	case "eml":
		var data []byte
		if data, err = mail.Compose(from, m, time.Now()); err == nil {
			_, err = stdout.Write(data)
		}
	}
	return err
}

// previewMessage renders kind with sample data and, when storeID is set,
// with that store's name and template. A store template that fails on the
// sample data falls back to the default, as mailtmpl.Renderer does when it
// sends, with a warning on stderr: the preview shows what customers get.
func previewMessage(ctx context.Context, dsn, storeID, kind string, stderr io.Writer) (core.Message, error) {
	vars := mailtmpl.Sample(kind)
	var override *core.MailTemplate
	if storeID != "" {
		svc, closeFn, err := openService(ctx, dsn)
		if err != nil {
			return core.Message{}, err
		}
		defer closeFn()
		sh, err := svc.AdminShop(ctx, storeID)
		if err != nil {
			return core.Message{}, fmt.Errorf("store %s: %w", storeID, err)
		}
		vars.ShopName = sh.Name
		switch t, err := svc.MailTemplate(ctx, storeID, kind); {
		case err == nil:
			override = t
		case !errors.Is(err, core.ErrNotFound):
			return core.Message{}, fmt.Errorf("template %s of store %s: %w", kind, storeID, err)
		}
	}
	out, err := mailtmpl.Render(kind, override, vars)
	if err != nil && override != nil {
		fmt.Fprintf(stderr, "clientele: the store's %s template fails (%v); customers get the default, shown here\n", kind, err)
		out, err = mailtmpl.Render(kind, nil, vars)
	}
	if err != nil {
		return core.Message{}, err
	}
	return core.Message{
		To: previewTo, Kind: kind, Subject: out.Subject, Text: out.Text, HTML: out.HTML,
		ShopID: storeID, Vars: &vars,
	}, nil
}
