package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// DefaultMaxBody is the request body limit unless a route needs more.
const DefaultMaxBody = 64 << 10

// DecodeJSON reads r's body into dst strictly: the content type must be
// JSON, the body at most max bytes (413 past it, without buffering the
// rest), unknown fields are refused (so a typo or an attempt at mass
// assignment fails loudly), and nothing may follow the value.
func DecodeJSON(w http.ResponseWriter, r *http.Request, dst any, max int64) error {
	if max <= 0 {
		max = DefaultMaxBody
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &Error{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMedia, Message: "send the body as application/json"}
		}
	} else if r.ContentLength != 0 {
		return &Error{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMedia, Message: "send the body as application/json"}
	}
	if r.ContentLength > max {
		return tooLarge(max)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(max)
		}
		return &Error{Status: http.StatusBadRequest, Code: CodeMalformedJSON, Message: "the request body could not be read"}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	return Unmarshal(body, dst)
}

// Unmarshal decodes one JSON value strictly (see DecodeJSON).
func Unmarshal(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return &Error{Status: http.StatusBadRequest, Code: CodeMalformedJSON, Message: "unexpected data after the JSON value"}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &Error{Status: http.StatusBadRequest, Code: CodeMalformedJSON, Message: "unexpected data after the JSON value"}
	}
	return nil
}

func tooLarge(max int64) error {
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: CodeBodyTooLarge, Message: fmt.Sprintf("the request body is larger than %d bytes", max)}
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &Error{Status: http.StatusBadRequest, Code: CodeMalformedJSON, Message: "the request body is not valid JSON"}
	case errors.As(err, &typ):
		f := typ.Field
		return &Error{Status: http.StatusBadRequest, Code: CodeMalformedJSON, Field: f, Message: fmt.Sprintf("field %q must be a %s", f, jsonKind(typ.Type.Kind().String()))}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &Error{Status: http.StatusBadRequest, Code: CodeUnknownField, Field: f, Message: fmt.Sprintf("unknown field %q", f)}
	}
	return &Error{Status: http.StatusBadRequest, Code: CodeMalformedJSON, Message: "the request body is not valid JSON"}
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "map", "struct":
		return "object"
	case "slice", "array":
		return "array"
	}
	return "number"
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}
