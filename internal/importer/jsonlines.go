package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

// maxLine bounds one customer's JSON line; a longer one is a malformed
// row, skipped without holding it in memory.
const maxLine = 4 << 20

// jsonLines reads one JSON object a line and maps it with conv.
type jsonLines struct {
	r    *bufio.Reader
	line int
	conv func(line []byte) (core.ImportRecord, error)
}

func newJSONLines(r io.Reader, conv func([]byte) (core.ImportRecord, error)) *jsonLines {
	return &jsonLines{r: bufio.NewReaderSize(r, 64<<10), conv: conv}
}

// Next returns the next non-blank line's record.
func (j *jsonLines) Next() (core.ImportRecord, error) {
	for {
		line, tooLong, err := j.readLine()
		if err != nil {
			return core.ImportRecord{}, err
		}
		j.line++
		if tooLong {
			return core.ImportRecord{}, &RowError{Line: j.line, Msg: "line longer than 4 MiB"}
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		rec, err := j.conv(line)
		if err != nil {
			return core.ImportRecord{}, &RowError{Line: j.line, Msg: err.Error()}
		}
		rec.Line = j.line
		return rec, nil
	}
}

// readLine reads up to '\n'; a line over maxLine is consumed and reported.
func (j *jsonLines) readLine() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := j.r.ReadSlice('\n')
		if len(buf)+len(chunk) <= maxLine {
			buf = append(buf, chunk...)
		} else {
			tooLong = true
		}
		switch {
		case err == nil:
			return buf, tooLong, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && (len(buf) > 0 || tooLong):
			return buf, tooLong, nil
		default:
			return nil, false, err
		}
	}
}

// decodeClientele reads Clientele's own format: core.ImportRecord's JSON,
// unknown keys refused (the format is ours, so one is a mistake).
func decodeClientele(line []byte) (core.ImportRecord, error) {
	var rec core.ImportRecord
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	if err := d.Decode(&rec); err != nil {
		return rec, fmt.Errorf("not a Clientele import record: %v", err)
	}
	if d.More() {
		return rec, errors.New("more than one JSON value on the line")
	}
	return rec, nil
}

// object is one platform row decoded generically; take* methods remove
// the keys they read, and rest returns what is left for metadata.
type object map[string]any

func decodeObject(line []byte) (object, error) {
	var o object
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	if err := d.Decode(&o); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	if o == nil {
		return nil, errors.New("not a JSON object")
	}
	return o, nil
}

// str takes a key as a string: JSON strings as they are, numbers in their
// decimal form, null and absent as "".
func (o object) str(key string) string {
	v, ok := o[key]
	delete(o, key)
	if !ok {
		return ""
	}
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// flag takes a key as a boolean: true, 1, "1", "t", "true", "yes".
func (o object) flag(key string) bool {
	switch strings.ToLower(strings.TrimSpace(o.str(key))) {
	case "true", "t", "1", "yes":
		return true
	}
	return false
}

// array takes a key holding a JSON array; null and absent are none.
func (o object) array(key string) ([]any, error) {
	v, ok := o[key]
	delete(o, key)
	if !ok || v == nil {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s is not an array", key)
	}
	return arr, nil
}

// list takes a key holding an array of objects.
func (o object) list(key string) ([]object, error) {
	arr, err := o.array(key)
	if err != nil {
		return nil, err
	}
	out := make([]object, 0, len(arr))
	for _, it := range arr {
		m, ok := it.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s holds a non-object", key)
		}
		out = append(out, object(m))
	}
	return out, nil
}

// strings takes a key holding an array of strings (null entries skipped).
func (o object) strings(key string) ([]string, error) {
	arr, err := o.array(key)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, it := range arr {
		switch s := it.(type) {
		case string:
			out = append(out, s)
		case nil:
		default:
			return nil, fmt.Errorf("%s holds a non-string", key)
		}
	}
	return out, nil
}

// meta takes a key holding a JSON object (or a JSON object in a string).
func (o object) meta(key string) (map[string]any, error) {
	v, ok := o[key]
	delete(o, key)
	switch v := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return v, nil
	case string:
		if strings.TrimSpace(v) == "" {
			return nil, nil
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(v), &m); err != nil {
			return nil, fmt.Errorf("%s is not a JSON object", key)
		}
		return m, nil
	}
	if !ok {
		return nil, nil
	}
	return nil, fmt.Errorf("%s is not a JSON object", key)
}

// secretKeys are platform columns that are credentials of the old system
// (API and session tokens): never copied into metadata, where admins and
// webhooks could read them. docs/migrate.md lists them.
var secretKeys = map[string]bool{
	"api_token": true, "remember_token": true, "spree_api_key": true, "authentication_token": true,
	"reset_password_token": true, "confirmation_token": true, "unlock_token": true, "persistence_token": true,
	"perishable_token": true, "token": true, "password_salt": true,
}

// rest moves every key not taken, with a value, into metadata under
// prefix+key, so nothing the platform exported is dropped, secrets aside.
func (o object) rest(meta map[string]any, prefix string) map[string]any {
	for k, v := range o {
		if v == nil || v == "" || secretKeys[k] {
			continue
		}
		if meta == nil {
			meta = map[string]any{}
		}
		meta[prefix+k] = v
	}
	return meta
}
