package bagisto

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clientele/clientele/internal/httpx"
)

// maxBody is the request body limit (contract §2).
const maxBody = 64 << 10

// input is a request's fields: the body only, never the query (contract
// §2: credentials in URLs end up in logs). JSON values keep their types;
// form values are strings.
type input map[string]any

// readInput reads the body of a POST, PUT, PATCH or DELETE as JSON, a
// URL-encoded form or a multipart form without files (file parts are
// ignored). An empty body is {}.
func readInput(w http.ResponseWriter, r *http.Request) (input, error) {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return input{}, nil
	}
	if r.ContentLength > maxBody {
		return nil, &httpx.Error{Status: http.StatusRequestEntityTooLarge, Code: httpx.CodeBodyTooLarge}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &httpx.Error{Status: http.StatusRequestEntityTooLarge, Code: httpx.CodeBodyTooLarge}
		}
		return nil, &httpx.Error{Status: http.StatusBadRequest, Code: httpx.CodeMalformedJSON}
	}
	ct := r.Header.Get("Content-Type")
	if len(bytes.TrimSpace(body)) == 0 && ct == "" {
		return input{}, nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" {
		mt, err = "application/json", nil
	}
	switch {
	case err != nil:
		return unsupported(r)
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		if len(bytes.TrimSpace(body)) == 0 {
			return input{}, nil
		}
		var in input
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&in); err != nil || in == nil || dec.More() {
			return nil, &httpx.Error{Status: http.StatusBadRequest, Code: httpx.CodeMalformedJSON}
		}
		return in, nil
	case mt == "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, &httpx.Error{Status: http.StatusBadRequest, Code: httpx.CodeMalformedJSON}
		}
		return formInput(vals), nil
	case mt == "multipart/form-data":
		form, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(maxBody)
		if err != nil {
			return nil, &httpx.Error{Status: http.StatusBadRequest, Code: httpx.CodeMalformedJSON}
		}
		defer func() { _ = form.RemoveAll() }()
		return formInput(form.Value), nil
	}
	return unsupported(r)
}

// unsupported is 415 for a body-carrying method; a GET or DELETE with an
// odd content type has its body ignored.
func unsupported(r *http.Request) (input, error) {
	if r.Method == http.MethodDelete {
		return input{}, nil
	}
	return nil, &httpx.Error{Status: http.StatusUnsupportedMediaType, Code: httpx.CodeUnsupportedMedia}
}

// formInput turns form values into fields: "a[]" and "a[0]" keys build
// arrays (PHP's convention, used for address lines), others keep their
// last value.
func formInput(vals map[string][]string) input {
	in := input{}
	for k, vs := range vals {
		if i := strings.IndexByte(k, '['); i > 0 && strings.HasSuffix(k, "]") {
			name := k[:i]
			arr, _ := in[name].([]any)
			for _, v := range vs {
				arr = append(arr, v)
			}
			in[name] = arr
			continue
		}
		if len(vs) > 0 {
			in[k] = vs[len(vs)-1]
		}
	}
	return in
}

// has reports whether the field was sent at all (null included).
func (in input) has(k string) bool {
	_, ok := in[k]
	return ok
}

// str returns a text field trimmed, with Laravel's empty-string-is-null:
// set is false when the field is absent, null or blank; isText is false
// for a value that is not a string (a number is taken as its text).
func (in input) str(k string) (v string, set, isText bool) {
	switch x := in[k].(type) {
	case nil:
		return "", false, true
	case string:
		v = strings.TrimSpace(x)
		return v, v != "", true
	case json.Number:
		return x.String(), true, true
	}
	return "", true, false
}

// secret returns a password field byte for byte ("" when absent, null or
// not a string).
func (in input) secret(k string) string {
	s, _ := in[k].(string)
	return s
}

// boolean reads Laravel's boolean: true, 1, "1", "true", "on", "yes".
func (in input) boolean(k string) bool {
	switch x := in[k].(type) {
	case bool:
		return x
	case json.Number:
		return x.String() == "1"
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "1", "true", "on", "yes":
			return true
		}
	}
	return false
}

// lines reads an array of strings; isArray is false for anything else.
func (in input) lines(k string) (out []string, isArray bool) {
	arr, ok := in[k].([]any)
	if !ok {
		return nil, false
	}
	for _, v := range arr {
		switch x := v.(type) {
		case string:
			out = append(out, strings.TrimSpace(x))
		case json.Number:
			out = append(out, x.String())
		case nil:
			out = append(out, "")
		default:
			return nil, false
		}
	}
	return out, true
}

// pathNum parses a path id: a positive decimal integer that fits an
// alias. ok is false otherwise (the route answers 404).
func pathNum(s string) (int64, bool) {
	if s == "" || len(s) > 10 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 1 && n <= 1<<31-1
}
