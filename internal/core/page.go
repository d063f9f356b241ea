package core

import (
	"encoding/base64"
	"strings"
)

// Page limits.
const (
	DefaultPageLimit = 20
	MaxPageLimit     = 100
)

// cursorPrefix versions the cursor format so it can change later without
// misreading old cursors.
const cursorPrefix = "c1:"

// pageArgs validates a Page and returns the id to list after and the limit.
// Cursors are opaque to clients: base64url of a versioned id.
func pageArgs(p Page) (after string, limit int, err error) {
	limit = p.Limit
	if limit == 0 {
		limit = DefaultPageLimit
	}
	if limit < 1 || limit > MaxPageLimit {
		return "", 0, fieldErr("limit", FieldInvalid, "limit must be between 1 and 100")
	}
	if p.Cursor == "" {
		return "", limit, nil
	}
	raw, derr := base64.RawURLEncoding.DecodeString(p.Cursor)
	if derr != nil || !strings.HasPrefix(string(raw), cursorPrefix) || len(raw) > 100 {
		return "", 0, fieldErr("cursor", FieldInvalid, "cursor is not one this API returned")
	}
	return strings.TrimPrefix(string(raw), cursorPrefix), limit, nil
}

// encodeCursor makes the opaque cursor for an id.
func encodeCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id))
}

// PageOf is one page of a list and the cursor of the next, if any.
type PageOf[T any] struct {
	Items []T
	Next  string // empty on the last page
}

// listPage runs a store list method that takes (after, limit) with limit+1
// and cuts the result into a page. id returns an item's id.
func listPage[T any](p Page, id func(T) string, list func(after string, limit int) ([]T, error)) (PageOf[T], error) {
	after, limit, err := pageArgs(p)
	if err != nil {
		return PageOf[T]{}, err
	}
	items, err := list(after, limit+1)
	if err != nil {
		return PageOf[T]{}, err
	}
	out := PageOf[T]{Items: items}
	if len(items) > limit {
		out.Items = items[:limit]
		out.Next = encodeCursor(id(items[limit-1]))
	}
	if out.Items == nil {
		out.Items = []T{}
	}
	return out, nil
}
