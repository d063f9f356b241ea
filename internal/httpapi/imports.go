package httpapi

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
	"github.com/clientele/clientele/internal/importer"
)

// PepperHeader carries a Devise pepper to POST /admin/v1/imports. A header,
// not a query parameter: URLs end up in access logs, proxies' logs and
// browser histories, and a pepper is a secret.
const PepperHeader = "Clientele-Legacy-Pepper"

// importUploadTimeout replaces the server's read and write deadlines for
// an upload: --read-timeout (15 s by default) is sized for JSON bodies,
// and a 256 MiB file takes longer than that on most links.
const importUploadTimeout = 15 * time.Minute

type importJobJSON struct {
	ID         string                `json:"id"`
	Status     string                `json:"status"`
	Format     string                `json:"format"`
	SizeBytes  int64                 `json:"size_bytes"`
	Peppered   bool                  `json:"peppered"`
	Counts     core.ImportJobCounts  `json:"counts"`
	Errors     []core.ImportJobError `json:"errors"`
	Failure    *string               `json:"failure"`
	CreatedAt  string                `json:"created_at"`
	StartedAt  *string               `json:"started_at"`
	FinishedAt *string               `json:"finished_at"`
}

func toImportJob(j core.ImportJob) importJobJSON {
	out := importJobJSON{ID: j.ID, Status: string(j.Status), Format: j.Format, SizeBytes: j.SizeBytes, Peppered: j.Peppered,
		Counts: j.Counts, Errors: j.Errors, CreatedAt: stamp(j.CreatedAt)}
	if out.Errors == nil {
		out.Errors = []core.ImportJobError{}
	}
	if j.Failure != "" {
		out.Failure = &j.Failure
	}
	if j.StartedAt != nil {
		s := stamp(*j.StartedAt)
		out.StartedAt = &s
	}
	if j.FinishedAt != nil {
		s := stamp(*j.FinishedAt)
		out.FinishedAt = &s
	}
	return out
}

func (a *API) adminCreateImport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if q.Has("pepper") {
		return &httpx.Error{Status: http.StatusBadRequest, Code: core.CodeInvalidRequest, Field: "pepper",
			Message: "send the pepper in the " + PepperHeader + " header, never in the URL (URLs are logged)"}
	}
	format := q.Get("format")
	if !importer.ValidFormat(format) {
		// Checked before the body is read: a wrong format wastes no upload.
		return &core.ValidationError{Code: core.CodeValidationFailed, Fields: []core.FieldError{{Field: "format", Code: core.FieldInvalid,
			Message: "format must be one of " + strings.Join(importer.Formats, ", ")}}}
	}
	if r.ContentLength > a.imports.MaxUpload() {
		return tooLarge(a.imports.MaxUpload())
	}
	rc := http.NewResponseController(w)
	deadline := time.Now().Add(importUploadTimeout)
	// Not every ResponseWriter supports deadlines (tests' recorders); the
	// server's own timeouts then stay, which is safe.
	_ = rc.SetReadDeadline(deadline)
	_ = rc.SetWriteDeadline(deadline)
	job, err := a.imports.Submit(r.Context(), adminShop(r), format, r.Header.Get(PepperHeader), r.Body)
	var tl *importer.TooLargeError
	if errors.As(err, &tl) {
		return tooLarge(tl.Limit)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/admin/v1/imports/"+job.ID)
	return httpx.WriteJSON(w, http.StatusAccepted, toImportJob(*job))
}

func tooLarge(limit int64) error {
	return &httpx.Error{Status: http.StatusRequestEntityTooLarge, Code: httpx.CodeBodyTooLarge,
		Message: (&importer.TooLargeError{Limit: limit}).Error()}
}

func (a *API) adminGetImport(w http.ResponseWriter, r *http.Request) error {
	j, err := a.svc.ImportJob(r.Context(), adminShop(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, toImportJob(*j))
}

func (a *API) adminListImports(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	page, err := a.svc.ImportJobs(r.Context(), adminShop(r).ID, p)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, listOf(page, toImportJob))
}
