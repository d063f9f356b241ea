package token

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestKeyFromSeed(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	tests := []struct {
		name string
		id   string
		seed []byte
		ok   bool
	}{
		{"valid", "k1", seed, true},
		{"short seed", "k1", seed[:31], false},
		{"long seed", "k1", append(bytes.Clone(seed), 0), false},
		{"nil seed", "k1", nil, false},
		{"no id", "", seed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := KeyFromSeed(tt.id, tt.seed)
			if (err == nil) != tt.ok {
				t.Fatalf("KeyFromSeed error = %v, want ok=%v", err, tt.ok)
			}
			if !tt.ok {
				return
			}
			again, _ := KeyFromSeed(tt.id, tt.seed)
			if !k.Public.Equal(again.Public) || !bytes.Equal(k.Private.Seed(), tt.seed) {
				t.Fatal("KeyFromSeed is not deterministic or lost the seed")
			}
		})
	}
}

func TestGenerateKey(t *testing.T) {
	a, err := GenerateKey("a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := GenerateKey("b")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "a" || a.Public.Equal(b.Public) || !a.Public.Equal(a.Private.Public()) {
		t.Fatalf("GenerateKey gave %v and %v", a, b)
	}
	if _, err := GenerateKey(""); err == nil {
		t.Fatal("GenerateKey accepted an empty id")
	}
}

// TestKeyRedacts checks that the usual ways of printing a Key never show the
// private half (STYLE.md §7 rule 23).
func TestKeyRedacts(t *testing.T) {
	k := seedKey(t, "k1", 1)
	secret := fmt.Sprintf("%x", k.Private.Seed())
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("key", "key", k)
	outputs := map[string]string{
		"%v":     fmt.Sprintf("%v", k),
		"%+v":    fmt.Sprintf("%+v", k),
		"%#v":    fmt.Sprintf("%#v", k),
		"Sprint": fmt.Sprint(k),
		"slog":   logged.String(),
	}
	for name, out := range outputs {
		if strings.Contains(out, secret) || !strings.Contains(out, "k1") {
			t.Errorf("%s: %s", name, out)
		}
	}
}
