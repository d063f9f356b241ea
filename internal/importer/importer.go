// Package importer reads other platforms' customer exports into
// core.ImportRecord values, one record at a time, so that an import of any
// size runs in constant memory. docs/migrate.md gives the exact query or
// export step that produces each format:
//
//   - spree, medusa, bagisto: JSON Lines, one object per customer, as the
//     documented psql/mysql query prints it;
//   - sfcc: the Business Manager customer export XML (customers.xml);
//   - clientele: Clientele's own JSON Lines (core.ImportRecord's JSON form),
//     which `clientele customers export` writes.
//
// A field the platform has and Clientele has no field for goes into the
// record's metadata under its platform name; nothing is dropped silently.
package importer

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/clientele/clientele/internal/core"
)

// Formats lists the formats NewReader accepts.
var Formats = []string{"spree", "medusa", "bagisto", "sfcc", "clientele"}

// Reader yields records until io.EOF. A row it cannot parse is a
// *RowError, after which Next carries on with the following row.
type Reader interface {
	Next() (core.ImportRecord, error)
}

// RowError is a row that could not be parsed (core.ReasonMalformed).
type RowError struct {
	Line int
	Msg  string
}

func (e *RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// NewReader returns the reader of format over r.
func NewReader(format string, r io.Reader) (Reader, error) {
	switch format {
	case "clientele":
		return newJSONLines(r, decodeClientele), nil
	case "spree":
		return newJSONLines(r, mapSpree), nil
	case "medusa":
		return newJSONLines(r, mapMedusa), nil
	case "bagisto":
		return newJSONLines(r, mapBagisto), nil
	case "sfcc":
		return newSFCC(r), nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of %v)", format, Formats)
}

// IsRowError reports whether err is a malformed row, and which.
func IsRowError(err error) (*RowError, bool) {
	var re *RowError
	ok := errors.As(err, &re)
	return re, ok
}

// ValidFormat reports whether NewReader accepts format.
func ValidFormat(format string) bool { return slices.Contains(Formats, format) }
