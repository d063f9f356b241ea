package httpapi

import (
	"net/http"
	"strconv"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/httpx"
)

// pageOf reads ?limit= and ?cursor= into a core.Page.
func pageOf(r *http.Request) (core.Page, error) {
	q := r.URL.Query()
	p := core.Page{Cursor: q.Get("cursor")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			return p, &httpx.Error{Status: http.StatusBadRequest, Code: httpx.CodeMalformedJSON, Field: "limit", Message: "limit must be a whole number from 1 to 100"}
		}
		p.Limit = n
	}
	return p, nil
}

// listOf renders a core page with a converter as {"data": [...], "next_cursor": ...}.
func listOf[T, W any](p core.PageOf[T], conv func(T) W) listJSON[W] {
	out := listJSON[W]{Data: make([]W, 0, len(p.Items))}
	for _, it := range p.Items {
		out.Data = append(out.Data, conv(it))
	}
	if p.Next != "" {
		next := p.Next
		out.NextCursor = &next
	}
	return out
}
