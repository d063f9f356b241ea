package bagisto

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
)

// kv is one member of an ordered JSON object.
type kv struct {
	k string
	v any
}

// obj is a JSON object that keeps its members in the order given: Laravel
// resources have a fixed key order, and clients that print or diff them
// (and 422 "errors", whose order is the rule order) see it.
type obj []kv

// MarshalJSON writes the members in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(m.k)
		if err != nil {
			return nil, err
		}
		v, err := marshal(m.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping: Laravel writes "&" and
// "<" as they are (pagination labels are "&laquo; Previous").
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// with returns o with a member appended.
func (o obj) with(k string, v any) obj { return append(o, kv{k, v}) }

// laravelTime is Carbon's JSON form: UTC with six fraction digits.
const laravelTime = "2006-01-02T15:04:05.000000Z"

// ts renders a timestamp, or null for the zero time.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(laravelTime)
}

// orNull is s, or null when empty.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// writeJSON answers v with status; every answer of the dialect is JSON.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// ok answers 200 with v: Bagisto answers every success, creates and
// deletes included, with 200.
func ok(w http.ResponseWriter, v any) error { return writeJSON(w, http.StatusOK, v) }
