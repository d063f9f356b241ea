package core

import (
	"testing"
)

// FuzzCursor feeds arbitrary cursors (from query strings) to page-argument
// decoding: it must not panic, and a cursor it accepts must name an id
// that encodes back to a cursor decoding to the same id.
func FuzzCursor(f *testing.F) {
	for _, s := range []string{"", encodeCursor("addr_01J0000000000000000000000"), "YzE6", "c1:", "!!!", "YzE6" + "QUFB", "==", "YzI6eA"} {
		f.Add(s, 20)
	}
	f.Fuzz(func(t *testing.T, cursor string, limit int) {
		after, got, err := pageArgs(Page{Cursor: cursor, Limit: limit})
		if err != nil {
			return
		}
		if got < 1 || got > MaxPageLimit {
			t.Fatalf("limit %d accepted as %d", limit, got)
		}
		if cursor == "" {
			return
		}
		again, _, err := pageArgs(Page{Cursor: encodeCursor(after)})
		if err != nil || again != after {
			t.Fatalf("cursor %q → %q does not round-trip (%q, %v)", cursor, after, again, err)
		}
	})
}
