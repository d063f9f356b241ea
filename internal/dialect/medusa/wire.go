package medusa

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/clientele/clientele/internal/httpx"
)

const maxBody = 64 << 10

// decode reads a JSON body into dst. An empty body means {}. strict refuses
// unknown fields (Medusa's validators); the auth provider bodies are lenient.
// A non-JSON content type is refused, so a cross-site form post cannot ride
// the session cookie.
func decode(w http.ResponseWriter, r *http.Request, dst any, strict bool) error {
	return decodeAs(w, r, dst, strict, false)
}

// decodeAs is decode with v1's unknown-field message when v1 is set.
func decodeAs(w http.ResponseWriter, r *http.Request, dst any, strict, v1 bool) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &httpx.Error{Status: http.StatusUnsupportedMediaType, Code: httpx.CodeUnsupportedMedia, Message: "send the body as application/json"}
		}
	} else if r.ContentLength > 0 {
		return &httpx.Error{Status: http.StatusUnsupportedMediaType, Code: httpx.CodeUnsupportedMedia, Message: "send the body as application/json"}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &httpx.Error{Status: http.StatusRequestEntityTooLarge, Code: httpx.CodeBodyTooLarge, Message: "too large"}
		}
		return errInvalid("Invalid request: the body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if strict {
		if err := unknownFields(body, dst, v1); err != nil {
			return err
		}
		return httpx.Unmarshal(body, dst)
	}
	if err := json.Unmarshal(body, dst); err != nil {
		return errInvalid("Invalid request: the body is not valid JSON")
	}
	return nil
}

// unknownFields lists every top-level key of body that dst's json tags do
// not declare, in Medusa's message.
func unknownFields(body []byte, dst any, v1 bool) error {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return nil // let the strict decoder describe it
	}
	known := map[string]bool{}
	t := reflectType(dst)
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		known[name] = true
	}
	var bad []string
	for k := range m {
		if !known[k] {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sortStrings(bad)
	if v1 {
		return errInvalid("property " + bad[0] + " should not exist")
	}
	return errInvalid("Invalid request: Unrecognized fields: '" + strings.Join(bad, ", ") + "'")
}

// nstr is an optional, nullable JSON string: absent, null or a value.
type nstr struct {
	set  bool
	null bool
	v    string
}

// UnmarshalJSON records that the field was present.
func (n *nstr) UnmarshalJSON(b []byte) error {
	n.set = true
	if string(b) == "null" {
		n.null = true
		return nil
	}
	return json.Unmarshal(b, &n.v)
}

// ptr is nil when absent, "" when null, else the value.
func (n nstr) ptr() *string {
	if !n.set {
		return nil
	}
	s := n.v
	return &s
}

// nmeta is an optional, nullable JSON object.
type nmeta struct {
	set  bool
	null bool
	v    map[string]any
}

// UnmarshalJSON records that the field was present.
func (n *nmeta) UnmarshalJSON(b []byte) error {
	n.set = true
	if string(b) == "null" {
		n.null = true
		return nil
	}
	return json.Unmarshal(b, &n.v)
}

// nbool is an optional, nullable JSON boolean.
type nbool struct {
	set bool
	v   bool
}

// UnmarshalJSON records that the field was present.
func (n *nbool) UnmarshalJSON(b []byte) error {
	n.set = true
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, &n.v)
}

func (n nbool) ptr() *bool {
	if !n.set {
		return nil
	}
	v := n.v
	return &v
}

// writeJSON writes v with Medusa's content type.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// jsonUnmarshal decodes a nested value strictly.
func jsonUnmarshal(b []byte, dst any) error { return httpx.Unmarshal(b, dst) }
