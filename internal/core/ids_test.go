package core

import (
	"crypto/rand"
	"sort"
	"testing"
	"time"
)

// Ids made in one millisecond still sort in the order they were made, and
// a clock that steps back never makes an id sort before an earlier one.
func TestULIDsAreMonotonic(t *testing.T) {
	var g ulidGen
	now := time.Now()
	var ids []string
	for i := range 1000 {
		at := now
		if i == 500 {
			at = now.Add(-time.Second) // clock stepped back
		}
		ids = append(ids, newULID(&g, at, rand.Reader))
	}
	if !sort.StringsAreSorted(ids) {
		t.Fatal("ids made in one millisecond are not in creation order")
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if len(id) != 26 || seen[id] {
			t.Fatalf("bad or duplicate id %q", id)
		}
		seen[id] = true
	}
}
