package bagisto

import (
	"net/http"
	"sort"
	"strconv"
	"time"
)

// row is one item of a list with what it can be sorted by.
type row struct {
	num              int64
	created, updated time.Time
	total            int64 // orders' grand total; 0 elsewhere
	view             any
}

// Page sizes (contract §5.6).
const (
	defaultPerPage = 10
	maxPerPage     = 100
)

// sortRows orders rows by ?sort (id, created_at, updated_at, and
// grand_total when byTotal) and ?order (asc, desc; default desc); other
// values are ignored. Ties fall back to id.
func sortRows(r *http.Request, rows []row, byTotal bool) {
	q := r.URL.Query()
	asc := q.Get("order") == "asc"
	key := func(x row) int64 { return x.num }
	switch q.Get("sort") {
	case "created_at":
		key = func(x row) int64 { return x.created.UnixMicro() }
	case "updated_at":
		key = func(x row) int64 { return x.updated.UnixMicro() }
	case "grand_total":
		if byTotal {
			key = func(x row) int64 { return x.total }
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := key(rows[i]), key(rows[j])
		if a == b {
			a, b = rows[i].num, rows[j].num
		}
		if asc {
			return a < b
		}
		return a > b
	})
}

// views returns the rows' rendered items.
func views(rows []row) []any {
	out := make([]any, 0, len(rows))
	for _, x := range rows {
		out = append(out, x.view)
	}
	return out
}

// paginate answers Laravel's resource-collection envelope for rows
// (already sorted), or {"data": [...]} with ?pagination=0.
func paginate(r *http.Request, rows []row) obj {
	q := r.URL.Query()
	if q.Get("pagination") == "0" {
		return obj{{"data", views(rows)}}
	}
	per, valid := atoi(q.Get("limit"))
	if !valid || per < 1 {
		per = defaultPerPage
	}
	per = min(per, maxPerPage)
	page, valid := atoi(q.Get("page"))
	if !valid || page < 1 {
		page = 1
	}
	total := len(rows)
	last := max(1, (total+per-1)/per)
	from, to := any(nil), any(nil)
	var items []row
	if start := (page - 1) * per; start < total {
		end := min(start+per, total)
		items = rows[start:end]
		from, to = start+1, end
	}
	path := pagePath(r)
	url := func(n int) any {
		if n < 1 || n > last {
			return nil
		}
		return path + "?page=" + strconv.Itoa(n)
	}
	links := obj{{"first", url(1)}, {"last", url(last)}, {"prev", url(page - 1)}, {"next", url(page + 1)}}
	if page-1 > last {
		links[2].v = path + "?page=" + strconv.Itoa(page-1) // Laravel links back past the end too
	}
	meta := obj{{"current_page", page}, {"from", from}, {"last_page", last},
		{"links", pageLinks(page, last, url)}, {"path", path}, {"per_page", per}, {"to", to}, {"total", total}}
	return obj{{"data", views(items)}, {"links", links}, {"meta", meta}}
}

// pagePath is the absolute URL of the request without its query.
func pagePath(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + stateOf(r).base + r.URL.Path
}

// pageLinks is Laravel's meta.links: previous, the page window (all pages
// below 14, else Laravel's slider with 3 on each side and "..."), next.
func pageLinks(page, last int, url func(int) any) []obj {
	link := func(u any, label string, active bool) obj {
		return obj{{"url", u}, {"label", label}, {"active", active}}
	}
	out := []obj{link(url(page-1), "&laquo; Previous", false)}
	pages := func(from, to int) {
		for n := from; n <= to; n++ {
			out = append(out, link(url(n), strconv.Itoa(n), n == page))
		}
	}
	dots := func() { out = append(out, link(nil, "...", false)) }
	const each = 3
	const window = each + 4
	switch {
	case last < each*2+8:
		pages(1, last)
	case page <= window:
		pages(1, window+each)
		dots()
		pages(last-1, last)
	case page > last-window:
		pages(1, 2)
		dots()
		pages(last-(window+each-1), last)
	default:
		pages(1, 2)
		dots()
		pages(page-each, page+each)
		dots()
		pages(last-1, last)
	}
	return append(out, link(url(page+1), "Next &raquo;", false))
}
