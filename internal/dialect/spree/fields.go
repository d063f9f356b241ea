package spree

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// sparseFields applies Spree's sparse fieldsets (?fields=a,b) to a GET's
// 200 answer: only the listed top-level keys of the resource (or of each
// item of a list) are kept; id and expanded keys always are.
func sparseFields(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs := r.URL.Query().Get("fields")
		if r.Method != http.MethodGet || strings.TrimSpace(fs) == "" {
			next.ServeHTTP(w, r)
			return
		}
		keep := map[string]bool{"id": true}
		for _, f := range strings.Split(fs, ",") {
			keep[strings.TrimSpace(f)] = true
		}
		for _, e := range strings.Split(r.URL.Query().Get("expand"), ",") {
			keep[strings.TrimSpace(e)] = true
		}
		bw := &bufferWriter{header: w.Header(), status: http.StatusOK}
		next.ServeHTTP(bw, r)
		body := bw.buf.Bytes()
		if bw.status == http.StatusOK {
			if out, ok := filterFields(body, keep); ok {
				body = out
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			}
		}
		w.WriteHeader(bw.status)
		_, _ = w.Write(body)
	})
}

func filterFields(body []byte, keep map[string]bool) ([]byte, bool) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil, false
	}
	pick := func(m map[string]json.RawMessage) {
		for k := range m {
			if !keep[k] {
				delete(m, k)
			}
		}
	}
	if data, ok := obj["data"]; ok && obj["meta"] != nil {
		var items []map[string]json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, false
		}
		for _, it := range items {
			pick(it)
		}
		b, err := json.Marshal(items)
		if err != nil {
			return nil, false
		}
		obj["data"] = b
	} else {
		pick(obj)
	}
	out, err := json.Marshal(obj)
	return out, err == nil
}

type bufferWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (b *bufferWriter) Header() http.Header         { return b.header }
func (b *bufferWriter) Write(p []byte) (int, error) { return b.buf.Write(p) }
func (b *bufferWriter) WriteHeader(s int)           { b.status = s }
