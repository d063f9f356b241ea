package bagisto

import (
	"strconv"
	"strings"
	"testing"
)

// TestPageLinksWindow pins Laravel's slider for 14 pages and more: 3 on
// each side of the current page, the first two and last two, "..."
// between.
func TestPageLinksWindow(t *testing.T) {
	url := func(n int) any {
		if n < 1 || n > 20 {
			return nil
		}
		return "p" + strconv.Itoa(n)
	}
	tests := []struct {
		page, last int
		want       string
	}{
		{1, 13, "1 2 3 4 5 6 7 8 9 10 11 12 13"},
		{1, 20, "1 2 3 4 5 6 7 8 9 10 ... 19 20"},
		{7, 20, "1 2 3 4 5 6 7 8 9 10 ... 19 20"},
		{10, 20, "1 2 ... 7 8 9 10 11 12 13 ... 19 20"},
		{14, 20, "1 2 ... 11 12 13 14 15 16 17 18 19 20"},
		{20, 20, "1 2 ... 11 12 13 14 15 16 17 18 19 20"},
	}
	for _, tt := range tests {
		links := pageLinks(tt.page, tt.last, url)
		var labels []string
		for _, l := range links[1 : len(links)-1] {
			labels = append(labels, l[1].v.(string))
			if l[1].v == "..." && l[0].v != nil {
				t.Fatalf("separator with a url")
			}
			if active := l[2].v.(bool); active != (l[1].v == strconv.Itoa(tt.page)) {
				t.Fatalf("page %d: %q active=%v", tt.page, l[1].v, active)
			}
		}
		if got := strings.Join(labels, " "); got != tt.want {
			t.Errorf("page %d of %d: %s, want %s", tt.page, tt.last, got, tt.want)
		}
	}
}

// TestMoney pins Bagisto's decimal strings and formatted twins.
func TestMoney(t *testing.T) {
	tests := []struct {
		minor      int64
		cur        string
		dec, human string
	}{
		{10000, "USD", "100.0000", "$100.00"},
		{11325, "USD", "113.2500", "$113.25"},
		{-250, "EUR", "-2.5000", "-€2.50"},
		{1234, "JPY", "1234.0000", "¥1234.00"},
		{1005, "KWD", "1.0050", "KWD 1.01"},
		{1999, "XYZ", "19.9900", "XYZ 19.99"},
	}
	for _, tt := range tests {
		if d, h := money(tt.minor, tt.cur); d != tt.dec || h != tt.human {
			t.Errorf("money(%d %s) = %s %s, want %s %s", tt.minor, tt.cur, d, h, tt.dec, tt.human)
		}
	}
}

// TestNoHTMLEscaping: labels go out as Laravel writes them.
func TestNoHTMLEscaping(t *testing.T) {
	b, err := marshal(obj{{"label", "&laquo; Previous"}, {"list", []obj{{{"a", "<b>"}}}}})
	if err != nil || string(b) != `{"label":"&laquo; Previous","list":[{"a":"<b>"}]}` {
		t.Fatalf("%s %v", b, err)
	}
}
