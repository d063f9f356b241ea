package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// DefaultBatch is how many records go into one transaction.
const DefaultBatch = 500

// Options configure Import.
type Options struct {
	Format string
	// Batch is the number of records per transaction (DefaultBatch if 0).
	Batch  int
	DryRun bool
	// Report, when set, receives one JSON line per rejected record:
	// {"file","line","external_id","email","reason","message"}.
	Report io.Writer
	// Progress, when set, is called after every batch.
	Progress func(Progress)
	// OnReject, when set, is called with every rejected record (the
	// admin API's job keeps the first ones).
	OnReject func(core.ImportResult)
	// Pepper is the Devise pepper (config.pepper) the spree export's
	// bcrypt hashes were made with. It is recorded once for the store,
	// sealed (core.Service.SetLegacyPepper), never with the customers.
	Pepper string
}

// PepperFormats are the formats whose hashes may carry a pepper: Devise
// (Spree) is the platform with one.
var PepperFormats = []string{"spree"}

// Progress is where a run is.
type Progress struct {
	Summary
	File      string
	ReadBytes int64 // of all files
	Bytes     int64 // size of all files; 0 when unknown
	Elapsed   time.Duration
}

// Summary counts a run's outcomes.
type Summary struct {
	Rows     int `json:"rows"`
	Created  int `json:"created"`
	Updated  int `json:"updated"`
	Skipped  int `json:"skipped"`
	Rejected int `json:"rejected"`
}

// rejection is a line of the report file.
type rejection struct {
	File       string `json:"file"`
	Line       int    `json:"line"`
	ExternalID string `json:"external_id,omitempty"`
	Email      string `json:"email,omitempty"`
	Reason     string `json:"reason"`
	Message    string `json:"message"`
}

// Import reads files in the format and imports them into sh, batch by
// batch: memory holds one batch, whatever the files' size. A rejected
// record is counted and reported, never fatal; an error means storage or
// a file failed, and every batch before it is committed (a re-run resumes:
// what is there already is skipped).
func Import(ctx context.Context, svc *core.Service, sh *core.Shop, opt Options, files ...string) (Summary, error) {
	if !ValidFormat(opt.Format) {
		return Summary{}, fmt.Errorf("unknown format %q (want one of %v)", opt.Format, Formats)
	}
	if opt.Batch <= 0 {
		opt.Batch = DefaultBatch
	}
	if opt.Pepper != "" {
		if !slices.Contains(PepperFormats, opt.Format) {
			return Summary{}, fmt.Errorf("a pepper applies to the %v formats only, not %q", PepperFormats, opt.Format)
		}
		if err := svc.SetLegacyPepper(ctx, sh.ID, opt.Pepper, opt.DryRun); err != nil {
			return Summary{}, err
		}
	}
	imp := &fileImport{run: svc.NewImport(sh, core.ImportOptions{Source: opt.Format, DryRun: opt.DryRun, Peppered: opt.Pepper != ""}), opt: opt, start: time.Now()}
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			imp.p.Bytes += st.Size()
		}
	}
	for _, f := range files {
		if err := imp.file(ctx, f); err != nil {
			return imp.p.Summary, err
		}
	}
	return imp.p.Summary, nil
}

type fileImport struct {
	run   *core.ImportRun
	opt   Options
	start time.Time
	p     Progress
	done  int64 // bytes of the files finished
}

func (fi *fileImport) file(ctx context.Context, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := &countingReader{r: f}
	rd, err := NewReader(fi.opt.Format, cr)
	if err != nil {
		return err
	}
	fi.p.File = name
	batch := make([]core.ImportRecord, 0, fi.opt.Batch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := fi.run.Batch(ctx, batch)
		if err != nil {
			return fmt.Errorf("%s: batch ending on line %d: %w", name, batch[len(batch)-1].Line, err)
		}
		for _, r := range res {
			if err := fi.count(name, r); err != nil {
				return err
			}
		}
		batch = batch[:0]
		fi.p.ReadBytes, fi.p.Elapsed = fi.done+cr.n, time.Since(fi.start)
		if fi.opt.Progress != nil {
			fi.opt.Progress(fi.p)
		}
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if re, ok := IsRowError(err); ok {
			if err := fi.count(name, core.ImportResult{Line: re.Line, Outcome: core.ImportRejected, Reason: core.ReasonMalformed, Message: re.Msg}); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		batch = append(batch, rec)
		if len(batch) == fi.opt.Batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	fi.done += cr.n
	return nil
}

func (fi *fileImport) count(file string, r core.ImportResult) error {
	fi.p.Rows++
	switch r.Outcome {
	case core.ImportCreated:
		fi.p.Created++
	case core.ImportUpdated:
		fi.p.Updated++
	case core.ImportSkipped:
		fi.p.Skipped++
	case core.ImportRejected:
		fi.p.Rejected++
		if fi.opt.OnReject != nil {
			fi.opt.OnReject(r)
		}
		if fi.opt.Report != nil {
			b, _ := json.Marshal(rejection{File: file, Line: r.Line, ExternalID: r.ExternalID, Email: r.Email, Reason: r.Reason, Message: r.Message})
			if _, err := fi.opt.Report.Write(append(b, '\n')); err != nil {
				return fmt.Errorf("report: %w", err)
			}
		}
	}
	return nil
}

// countingReader counts the bytes read, for progress and ETA.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Export writes every customer of the shop to w in Clientele's JSON Lines
// format (the input of Format "clientele") and returns how many.
func Export(ctx context.Context, svc *core.Service, shopID string, w io.Writer) (int, error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	err := svc.ExportRecords(ctx, shopID, func(rec core.ImportRecord) error {
		n++
		return enc.Encode(rec)
	})
	return n, err
}
