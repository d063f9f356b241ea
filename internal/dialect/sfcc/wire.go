package sfcc

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// maxJSONBody bounds Shopper Customers bodies (contract §2.1).
const maxJSONBody = 64 << 10

// object is a decoded JSON object body; keys map to raw values so that
// "absent", null and "" can be told apart.
type object map[string]json.RawMessage

// readObject reads a JSON object body leniently: unknown and read-only
// fields are the handler's to ignore. Only application/json (any charset)
// is accepted.
func readObject(w http.ResponseWriter, r *http.Request) (object, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		return nil, errMalformed("The request body must be application/json.")
	}
	if r.ContentLength > maxJSONBody {
		return nil, prob(http.StatusRequestEntityTooLarge, "request-too-large", "Request Too Large", "The request body is larger than 64 KiB.")
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, prob(http.StatusRequestEntityTooLarge, "request-too-large", "Request Too Large", "The request body is larger than 64 KiB.")
		}
		return nil, errMalformed("The request body could not be read.")
	}
	var o object
	if err := json.Unmarshal(b, &o); err != nil || o == nil {
		return nil, errMalformed("The request body must be a JSON object.")
	}
	return o, nil
}

// has reports whether key is present (null included).
func (o object) has(key string) bool { _, ok := o[key]; return ok }

// str reads an optional string: ok is false when absent; null reads as "".
// A value of another type is bad.
func (o object) str(key string) (v string, ok bool, bad bool) {
	raw, ok := o[key]
	if !ok {
		return "", false, false
	}
	if string(raw) == "null" {
		return "", true, false
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", true, true
	}
	return v, true, false
}

// boolean reads an optional boolean (null = absent).
func (o object) boolean(key string) (v bool, ok bool, bad bool) {
	raw, ok := o[key]
	if !ok || string(raw) == "null" {
		return false, false, false
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return false, true, true
	}
	return v, true, false
}

// number reads an optional JSON number (null = absent).
func (o object) number(key string) (v float64, ok bool, bad bool) {
	raw, ok := o[key]
	if !ok || string(raw) == "null" {
		return 0, false, false
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return 0, true, true
	}
	return v, true, false
}

// obj reads an optional nested object (null = absent).
func (o object) obj(key string) (object, bool) {
	raw, ok := o[key]
	if !ok || string(raw) == "null" {
		return nil, false
	}
	var v object
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		return nil, false
	}
	return v, true
}

// tooLong reports whether s has more than n characters.
func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// ts is SCAPI's timestamp: UTC with exactly three fractional digits.
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// trimmed returns s without surrounding space.
func trimmed(s string) string { return strings.TrimSpace(s) }

// unmarshal decodes one raw JSON value.
func unmarshal(raw json.RawMessage, v any) error { return json.Unmarshal(raw, v) }
