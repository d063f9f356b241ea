package password

import (
	"crypto/rand"
	"errors"
	"strings"
	"sync"
	"testing"
)

// testHasher is shared by tests that only need some hasher with TestParams;
// building it once keeps the suite fast.
var testHasher = New(TestParams())

func TestHashVerifyRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		password string
	}{
		{"ascii", "correct horse battery staple"},
		{"empty", ""},
		{"unicode", "pâsswörd-密码-🔑"},
		{"long", strings.Repeat("a", 256)},
		{"dollar and comma", "$argon2id$v=19$m=1,t=1,p=1$,"},
		{"nul byte", "pass\x00word"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			encoded, err := testHasher.Hash(tt.password)
			if err != nil {
				t.Fatalf("Hash: %v", err)
			}
			if want := "$argon2id$v=19$m=64,t=1,p=1$"; !strings.HasPrefix(encoded, want) {
				t.Fatalf("Hash = %q, want prefix %q", encoded, want)
			}
			ok, rehash, err := testHasher.Verify(tt.password, encoded)
			if !ok || rehash || err != nil {
				t.Fatalf("Verify(right password) = %v, %v, %v; want true, false, nil", ok, rehash, err)
			}
		})
	}
}

// TestDefaultParams is the only test that pays for production parameters: it
// pins the PHC string new hashes get in production.
func TestDefaultParams(t *testing.T) {
	h := New(DefaultParams())
	encoded, err := h.Hash("hunter2hunter2")
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	if want := "$argon2id$v=19$m=19456,t=2,p=1$"; !strings.HasPrefix(encoded, want) {
		t.Fatalf("Hash = %q, want prefix %q", encoded, want)
	}
	parts := strings.Split(encoded, "$")
	if len(parts[4]) != 22 || len(parts[5]) != 43 {
		t.Fatalf("salt/hash encodings have %d/%d chars, want 22/43 (16/32 bytes)", len(parts[4]), len(parts[5]))
	}
	if ok, rehash, err := h.Verify("hunter2hunter2", encoded); !ok || rehash || err != nil {
		t.Fatalf("Verify = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
}

// TestVerifyReferenceVectors checks interoperability with hashes written by
// the argon2 reference implementation (libargon2, argon2id_hash_encoded), so
// customers imported from other systems can log in.
func TestVerifyReferenceVectors(t *testing.T) {
	const password = "correct horse battery staple"
	tests := []struct {
		name    string
		encoded string
	}{
		{"m=64,t=1,p=1", "$argon2id$v=19$m=64,t=1,p=1$Y2xpZW50ZWxlLXNhbHQxNg$vRGs4DaLRHdWS73II6rRBTeUxp7xF+HGaUhvw0fkjGQ"},
		{"m=256,t=2,p=2", "$argon2id$v=19$m=256,t=2,p=2$Y2xpZW50ZWxlLXNhbHQxNg$/+f9g3mUS2rPEJrNPWHQSrvU5WJdLoUoO+kl2TgWI9E"},
		// m is not a multiple of 4·p: both implementations round it down.
		{"m=100,t=3,p=3", "$argon2id$v=19$m=100,t=3,p=3$Y2xpZW50ZWxlLXNhbHQxNg$GsK1AEzK4PejrGASRN/eaZU91cgPI+p1qigKNbB6F4w"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, _, err := testHasher.Verify(password, tt.encoded)
			if !ok || err != nil {
				t.Fatalf("Verify(right password) = %v, %v; want true, nil", ok, err)
			}
			ok, _, err = testHasher.Verify(password+"!", tt.encoded)
			if ok || err != nil {
				t.Fatalf("Verify(wrong password) = %v, %v; want false, nil", ok, err)
			}
		})
	}
}

func TestVerifyWrongPassword(t *testing.T) {
	encoded, err := testHasher.Hash("right password")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		guess string
	}{
		{"different", "wrong password"},
		{"empty", ""},
		{"case", "Right password"},
		{"prefix", "right passwor"},
		{"suffix", "right password "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := testHasher.Verify(tt.guess, encoded)
			if ok || rehash || err != nil {
				t.Fatalf("Verify = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
		})
	}
}

func TestVerifyNeedsRehash(t *testing.T) {
	encoded, err := testHasher.Hash("pw")
	if err != nil {
		t.Fatal(err)
	}
	base := TestParams()
	tests := []struct {
		name   string
		modify func(p *Params)
		want   bool
	}{
		{"same params", func(*Params) {}, false},
		{"memory", func(p *Params) { p.Memory = 128 }, true},
		{"time", func(p *Params) { p.Time = 2 }, true},
		{"threads", func(p *Params) { p.Threads = 2 }, true},
		{"salt length", func(p *Params) { p.SaltLen = 24 }, true},
		{"key length", func(p *Params) { p.KeyLen = 16 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			tt.modify(&p)
			h := New(p)
			ok, rehash, err := h.Verify("pw", encoded)
			if !ok || rehash != tt.want || err != nil {
				t.Fatalf("Verify(right) = %v, %v, %v; want true, %v, nil", ok, rehash, err, tt.want)
			}
			// A failed verify never asks for a rehash.
			ok, rehash, err = h.Verify("not pw", encoded)
			if ok || rehash || err != nil {
				t.Fatalf("Verify(wrong) = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
		})
	}
}

func TestHashUsesFreshSalt(t *testing.T) {
	a, err := testHasher.Hash("same")
	if err != nil {
		t.Fatal(err)
	}
	b, err := testHasher.Hash("same")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatalf("two hashes of one password are identical: %q", a)
	}
}

func TestDummyHash(t *testing.T) {
	h := New(TestParams())
	d := h.DummyHash()
	if d == "" || d != h.DummyHash() {
		t.Fatalf("DummyHash() = %q, then %q; want one fixed non-empty hash", d, h.DummyHash())
	}
	stored, err := decodePHC(d)
	if err != nil {
		t.Fatalf("DummyHash does not parse: %v", err)
	}
	if stored.params != h.params {
		t.Fatalf("DummyHash params = %+v, want the hasher's %+v (same work)", stored.params, h.params)
	}
	if other := New(TestParams()).DummyHash(); other == d {
		t.Fatal("two hashers share a dummy hash; it must come from a random password")
	}
	tests := []string{"", "password", "123456", d, rand.Text(), rand.Text(), rand.Text()}
	for _, guess := range tests {
		ok, rehash, err := h.Verify(guess, d)
		if ok || rehash || err != nil {
			t.Fatalf("Verify(%q, dummy) = %v, %v, %v; want false, false, nil", guess, ok, rehash, err)
		}
	}
}

func TestNewPanicsOnInvalidParams(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("New(Params{}) did not panic")
		}
	}()
	New(Params{})
}

func TestZeroHasherRefusesToHash(t *testing.T) {
	var h Argon2id
	if _, err := h.Hash("pw"); !errors.Is(err, ErrParamsOutOfBounds) {
		t.Fatalf("zero Argon2id Hash error = %v, want ErrParamsOutOfBounds", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	encoded, err := testHasher.Hash("shared")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 8 {
		wg.Go(func() {
			if _, err := testHasher.Hash("x"); err != nil {
				errs <- err
			}
			if ok, _, err := testHasher.Verify("shared", encoded); !ok || err != nil {
				errs <- errors.New("concurrent Verify failed")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func BenchmarkHashDefault(b *testing.B) {
	h := New(DefaultParams())
	for b.Loop() {
		if _, err := h.Hash("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyDefault(b *testing.B) {
	h := New(DefaultParams())
	encoded, err := h.Hash("correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, _, err := h.Verify("correct horse battery staple", encoded); !ok || err != nil {
			b.Fatal("Verify failed")
		}
	}
}
