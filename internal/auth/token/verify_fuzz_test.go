package token

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary strings to the access-token verifier, the
// entry point every bearer token of every surface goes through. It must
// never panic, and it may accept only a token whose claims are exactly the
// ones the ring signed.
func FuzzVerify(f *testing.F) {
	r, _ := newRing(f)
	valid, err := r.Sign(validClaims())
	if err != nil {
		f.Fatal(err)
	}
	p := strings.Split(valid, ".")
	for _, s := range []string{
		valid, "", ".", "..", "a.b.c", p[0] + "." + p[1] + ".", p[0] + ".." + p[2],
		"eyJhbGciOiJub25lIn0." + p[1] + ".",
		`{"payload":"` + p[1] + `","protected":"` + p[0] + `","signature":"` + p[2] + `"}`,
		valid + "=", valid + "\n", strings.ToUpper(valid),
	} {
		f.Add(s)
	}
	want := validClaims()
	f.Fuzz(func(t *testing.T, s string) {
		c, err := r.Verify(s, now.Add(time.Minute))
		if err != nil {
			if !reflect.DeepEqual(c, Claims{}) {
				t.Fatalf("claims returned with an error: %+v", c)
			}
			return
		}
		if !reflect.DeepEqual(c, want) {
			t.Fatalf("accepted %q with claims %+v, which were never signed", s, c)
		}
	})
}
