package sfcc

import (
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
)

func TestISB(t *testing.T) {
	sess := &core.Session{GuestID: "gst_01ARZ3NDEKTSV4RRFFQ69G5FAV", CustomerID: "cus_01BX5ZZKBKACTAV9WEVGEMMVRZ"}
	long := strings.Repeat("a", 200) + ":" + strings.Repeat("b", 100)
	cases := []struct {
		name      string
		sess      *core.Session
		c         *core.Customer
		wantParts int
		check     func(t *testing.T, parts []string)
	}{
		{"guest", &core.Session{GuestID: sess.GuestID}, nil, 5, func(t *testing.T, p []string) {
			if p[1] != "upn:Guest" || p[3] != "gcid:01ARZ3NDEKTSV4RRFFQ69G5FAV" || p[4] != "chid:RefArch" {
				t.Errorf("%v", p)
			}
		}},
		{"registered", sess, &core.Customer{Email: "a:b@example.com", FirstName: "Ada", LastName: "Lovelace"}, 6, func(t *testing.T, p []string) {
			if p[1] != "upn:a%3Ab@example.com" || p[2] != "uidn:Ada Lovelace" || p[4] != "rcid:01BX5ZZKBKACTAV9WEVGEMMVRZ" {
				t.Errorf("%v", p)
			}
		}},
		{"no name uses the login", sess, &core.Customer{Email: "x@example.com"}, 6, func(t *testing.T, p []string) {
			if p[2] != "uidn:x@example.com" {
				t.Errorf("%v", p)
			}
		}},
		{"long name is cut first", sess, &core.Customer{Email: "x@example.com", FirstName: long}, 6, func(t *testing.T, p []string) {
			if p[1] != "upn:x@example.com" || strings.HasSuffix(p[2], "%") || strings.HasSuffix(p[2], "%3") {
				t.Errorf("%v", p)
			}
		}},
		{"long login is cut next", sess, &core.Customer{Email: strings.Repeat("l", 240) + "@example.com", FirstName: long}, 6, func(t *testing.T, p []string) {
			if p[2] != "uidn:-" || !strings.HasPrefix(p[1], "upn:lll") {
				t.Errorf("%v", p)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := isb("RefArch", c.sess, c.c)
			if len(got) > maxISB {
				t.Errorf("isb is %d characters", len(got))
			}
			parts := strings.Split(got, "::")
			if len(parts) != c.wantParts {
				t.Fatalf("%d parts: %q", len(parts), got)
			}
			c.check(t, parts)
		})
	}
}
