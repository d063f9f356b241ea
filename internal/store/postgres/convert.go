package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// Times go to timestamptz as they are: pgx sends microseconds since 2000,
// truncating anything finer, which is PostgreSQL's precision and the one
// the SQLite backend keeps. They come back in the local zone, so every read
// converts to UTC, as core and the SQLite backend expect.

// utc normalises a timestamp read from the database.
func utc(t time.Time) time.Time { return t.UTC() }

// utcPtr normalises a nullable timestamp; NULL stays nil ("not yet").
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Durations are stored as whole milliseconds, as on SQLite.
func millis(d time.Duration) int64 { return d.Milliseconds() }

func fromMillis(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

// nullString stores an empty optional id as NULL, which foreign keys and
// unique indexes skip.
func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// encodeOrigins never sends NULL: pgx encodes a nil slice as NULL, which
// the NOT NULL column would refuse.
func encodeOrigins(origins []string) []string {
	if origins == nil {
		return []string{}
	}
	return origins
}

// decodeOrigins returns nil for an empty array, so a shop without origins
// reads back the same whether it was written with nil or an empty slice.
func decodeOrigins(origins []string) []string {
	if len(origins) == 0 {
		return nil
	}
	return origins
}

// encodeMetadata stores nil metadata as NULL and anything else as a JSON
// object, so nil and an empty map both survive the round trip. It encodes
// with encoding/json itself, as the SQLite backend does, rather than
// leaving it to pgx, so both backends accept and refuse the same values.
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
// the same types core gets when it decodes a request body. raw is nil for
// NULL.
func decodeMetadata(raw []byte) (map[string]any, error) {
	if raw == nil {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("postgres: decode metadata: %w", err)
	}
	return m, nil
}
