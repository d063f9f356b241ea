package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// Timestamps are stored as unix microseconds: integers sort and compare
// correctly in SQL (RevokedSince, OldestShop) where text formats depend on
// the writer's layout, and microseconds are PostgreSQL's precision, so both
// backends return the same values. Times come back in UTC.

// micros encodes t, dropping anything below a microsecond.
func micros(t time.Time) int64 { return t.UnixMicro() }

// nullMicros encodes an optional time; nil becomes NULL ("not yet").
func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

// fromMicros decodes a timestamp column.
func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// fromNullMicros decodes a nullable timestamp column.
func fromNullMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

// Durations are stored as whole milliseconds, enough for TTLs and readable
// in the shell.
func millis(d time.Duration) int64 { return d.Milliseconds() }

func fromMillis(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

// bit encodes a bool for an INTEGER 0/1 column.
func bit(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// nullString stores an empty optional id as NULL, which foreign keys and
// unique indexes skip.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// encodeOrigins stores the origin list as a JSON array; nil and empty both
// become [] so the column never holds JSON null.
func encodeOrigins(origins []string) (string, error) {
	if len(origins) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(origins)
	if err != nil {
		return "", fmt.Errorf("%w: allowed origins: %v", core.ErrInvalid, err)
	}
	return string(b), nil
}

// decodeOrigins returns nil for an empty list, so a shop without origins
// reads back the same whether it was written with nil or an empty slice.
func decodeOrigins(s string) ([]string, error) {
	var origins []string
	if err := json.Unmarshal([]byte(s), &origins); err != nil {
		return nil, fmt.Errorf("sqlite: decode allowed_origins: %w", err)
	}
	if len(origins) == 0 {
		return nil, nil
	}
	return origins, nil
}

// encodeMetadata stores nil metadata as NULL and anything else as a JSON
// object, so nil and an empty map both survive the round trip.
func encodeMetadata(m map[string]any) (any, error) {
	if m == nil {
		return nil, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		// Only values JSON cannot carry (NaN, channels) get here; core
		// should have refused them, so this is the caller's input.
		return nil, fmt.Errorf("%w: metadata: %v", core.ErrInvalid, err)
	}
	return string(b), nil
}

// decodeMetadata decodes with encoding/json's defaults (numbers as float64),
// the same types core gets when it decodes a request body.
func decodeMetadata(v sql.NullString) (map[string]any, error) {
	if !v.Valid {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(v.String), &m); err != nil {
		return nil, fmt.Errorf("sqlite: decode metadata: %w", err)
	}
	return m, nil
}

// jsonList encodes a string list as a JSON array, never null (json_each
// reads it; [] for none).
func jsonList(v []string) (string, error) {
	if v == nil {
		v = []string{}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("%w: %v", core.ErrInvalid, err)
	}
	return string(b), nil
}
