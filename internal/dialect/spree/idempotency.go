package spree

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// idempotent honours the Idempotency-Key the SDK sends on every write
// (contract §1) for a customer's resource mutations: the same key with
// the same request replays the first answer with Idempotent-Replayed:
// true. The rules (fingerprint, scope per store and customer, what is
// replayable, the 24 h window) are core's; this only carries the bytes.
// Token-bearing routes (register, login, refresh, reset) never pass
// through here: their retries are handled by the refresh grace window.
func (a *API) idempotent(next httpx.HandlerFunc) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		key, p := r.Header.Get("Idempotency-Key"), principalOf(r)
		if key == "" || p == nil || p.CustomerID == "" {
			return next(w, r)
		}
		body, err := readBody(w, r)
		if err != nil {
			return err
		}
		ctx := r.Context()
		call, err := a.svc.BeginIdempotent(ctx, core.IdempotentRequest{
			ShopID: p.ShopID, CustomerID: p.CustomerID, Key: key, Method: r.Method, Path: r.URL.RequestURI(), Body: body,
		})
		if err != nil {
			if core.CodeOf(err) == core.CodeIdempotencyKeyInUse {
				w.Header().Set("Retry-After", "1")
			}
			return err
		}
		if rep := call.Replay; rep != nil {
			h := w.Header()
			if rep.ContentType != "" {
				h.Set("Content-Type", rep.ContentType)
			}
			h.Set("Cache-Control", "no-store")
			h.Set("Idempotent-Replayed", "true")
			w.WriteHeader(rep.Status)
			_, err := w.Write(rep.Body)
			return err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		buf := &bufferWriter{header: w.Header(), status: http.StatusOK}
		finished := false
		defer func() {
			if !finished { // the handler panicked: free the key for a retry
				_ = call.Abandon(ctx)
			}
		}()
		if err := next(buf, r); err != nil {
			render(buf, r, err)
		}
		finished = true
		if err := call.Finish(ctx, core.IdempotentResponse{
			Status: buf.status, ContentType: buf.header.Get("Content-Type"), Body: buf.buf.Bytes(),
		}); err != nil {
			a.log.WarnContext(ctx, "idempotency: storing the response failed", "err", err)
		}
		w.WriteHeader(buf.status)
		_, err = w.Write(buf.buf.Bytes())
		return err
	}
}

// readBody reads the whole body under the dialect's limit (413 beyond).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > maxBody {
		return nil, &httpx.Error{Status: http.StatusRequestEntityTooLarge, Code: httpx.CodeBodyTooLarge, Message: "body too large"}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &httpx.Error{Status: http.StatusRequestEntityTooLarge, Code: httpx.CodeBodyTooLarge, Message: "body too large"}
		}
		return nil, newErr(http.StatusBadRequest, codeInvalidRequest, "The request body could not be read")
	}
	return body, nil
}
