package password

import (
	"crypto/rand"
	"strings"
	"sync"
	"testing"
)

func TestIsCommon(t *testing.T) {
	tests := []struct {
		password string
		want     bool
	}{
		{"password", true},
		{"PASSWORD", true},
		{"Password", true},
		{"PASSWORD1", true},
		{"password1", true},
		{"123456", true},
		{"qwerty", true},
		{"iloveyou", true},
		{"trustno1", true},
		{"pic's", true}, // the one entry with an escape in zxcvbn's source
		{"", false},
		{" password", false},
		{"password ", false},
		{"correct horse battery staple", false},
		{rand.Text(), false},
	}
	for _, tt := range tests {
		t.Run(tt.password, func(t *testing.T) {
			if got := IsCommon(tt.password); got != tt.want {
				t.Fatalf("IsCommon(%q) = %v, want %v", tt.password, got, tt.want)
			}
		})
	}
}

func TestCommonCount(t *testing.T) {
	if n := CommonCount(); n < 10000 || n != 30000 {
		t.Fatalf("CommonCount() = %d, want the 30000 entries of zxcvbn's list", n)
	}
}

// TestCommonListIsNormalised guards IsCommon's lower-casing: an entry with an
// upper-case letter, stray whitespace or a carriage return could never match.
func TestCommonListIsNormalised(t *testing.T) {
	for i, line := range strings.Split(strings.TrimSuffix(commonPasswords, "\n"), "\n") {
		if line == "" || line != strings.ToLower(line) || line != strings.TrimSpace(line) || strings.ContainsAny(line, "\r\\") {
			t.Errorf("line %d = %q: want a non-empty, lower-case, trimmed entry", i+1, line)
		}
	}
}

func TestIsCommonConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if !IsCommon("letmein") || IsCommon("not-on-any-list-7f3a") {
				t.Error("IsCommon gave a wrong answer under concurrency")
			}
		})
	}
	wg.Wait()
}

func BenchmarkIsCommon(b *testing.B) {
	IsCommon("warm up")
	for b.Loop() {
		IsCommon("CorrectHorseBatteryStaple")
	}
}
