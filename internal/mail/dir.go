package mail

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// Dir is the development sink: each message becomes one .eml file that a
// developer can open in a mail client and that scripts can grep for the
// reset link ("token=").
type Dir struct {
	dir  string
	from *mail.Address
	now  func() time.Time
}

var _ core.Mailer = (*Dir)(nil)

// NewDir returns a sink writing into dir, creating it if missing. The
// directory is private (0700) and files are 0600 because the messages hold
// live reset tokens. from is checked here so a bad configuration fails at
// startup rather than on the first reset.
func NewDir(dir string, from string) (*Dir, error) {
	a, err := parseAddress("From", from)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail: create %s: %w", dir, err)
	}
	return &Dir{dir: dir, from: a, now: time.Now}, nil
}

// Send writes m as "<UTC timestamp>-<random>-<kind>.eml". The name sorts by
// time, the random part keeps two messages in the same nanosecond apart,
// and the kind lets a script pick the message it waits for.
func (d *Dir) Send(ctx context.Context, m core.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := d.now()
	data, _, err := compose(d.from, m, now, true)
	if err != nil {
		return err
	}
	name := now.UTC().Format("20060102T150405.000000000Z") + "-" +
		rand.Text()[:8] + "-" + fileKind(m.Kind) + ".eml"
	return writeAtomic(d.dir, name, data)
}

// fileKind keeps the kind safe as part of a file name: it comes from core,
// but a path separator in it must never move the file elsewhere.
func fileKind(kind string) string {
	if kind == "" {
		return "message"
	}
	if len(kind) > 64 {
		kind = kind[:64]
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			return r
		}
		return '_'
	}, kind)
}

// writeAtomic writes into a hidden temporary file in the same directory
// and renames it into place, so a reader polling for *.eml sees either no
// file or the whole message, never a partial one (rename is atomic within
// a file system; a temp file elsewhere could sit on another one).
func writeAtomic(dir, name string, data []byte) (err error) {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp") // 0600
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("mail: write %s: %w", name, err)
	}
	// Sync before rename so a crash cannot leave a complete name over
	// incomplete contents.
	if err := f.Sync(); err != nil {
		return fmt.Errorf("mail: sync %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("mail: close %s: %w", name, err)
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	return nil
}
