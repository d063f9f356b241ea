package storetest

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// wantSigningKeys fails unless the stored keys are want, in order.
func wantSigningKeys(t *testing.T, s core.Store, want ...core.SigningKey) {
	t.Helper()
	got, err := s.ListSigningKeys(t.Context())
	must(t, err)
	if len(want) == 0 {
		if len(got) != 0 {
			t.Fatalf("got %d keys, want none", len(got))
		}
		return
	}
	wantEqual(t, got, want)
}

func signingKeyCases() []methodCases {
	return []methodCases{
		{"CreateSigningKey", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				k := newSigningKey(t, s, at(0))
				wantSigningKeys(t, s, *k)
			}},
			{"retired", func(t *testing.T, s core.Store) {
				k := signingKeyFixture()
				k.RetiredAt = ptr(at(time.Hour))
				must(t, s.CreateSigningKey(t.Context(), k))
				wantSigningKeys(t, s, *k)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				first := newSigningKey(t, s, at(0))
				dup := signingKeyFixture()
				dup.ID, dup.Public = first.ID, make([]byte, 32)
				wantErr(t, s.CreateSigningKey(t.Context(), dup), core.ErrConflict)
				wantSigningKeys(t, s, *first)
			}},
		}},
		{"ListSigningKeys", []testCase{
			{"oldest_first", func(t *testing.T, s core.Store) {
				mid := newSigningKey(t, s, at(time.Hour))
				old := newSigningKey(t, s, at(0))
				newest := newSigningKey(t, s, at(2*time.Hour))
				wantSigningKeys(t, s, *old, *mid, *newest)
			}},
			{"empty", func(t *testing.T, s core.Store) {
				wantSigningKeys(t, s)
			}},
		}},
		{"RetireSigningKey", []testCase{
			{"retires", func(t *testing.T, s core.Store) {
				k := newSigningKey(t, s, at(0))
				keep := newSigningKey(t, s, at(time.Hour))
				must(t, s.RetireSigningKey(t.Context(), k.ID, at(2*time.Hour)))
				k.RetiredAt = ptr(at(2 * time.Hour))
				wantSigningKeys(t, s, *k, *keep)
			}},
			{"keeps_first_time", func(t *testing.T, s core.Store) {
				// The first retirement is when the key stopped signing;
				// retiring again must not move that.
				k := newSigningKey(t, s, at(0))
				must(t, s.RetireSigningKey(t.Context(), k.ID, at(2*time.Hour)))
				must(t, s.RetireSigningKey(t.Context(), k.ID, at(3*time.Hour)))
				k.RetiredAt = ptr(at(2 * time.Hour))
				wantSigningKeys(t, s, *k)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				wantErr(t, s.RetireSigningKey(t.Context(), newID("kid_"), at(time.Hour)), core.ErrNotFound)
			}},
		}},
		{"DeleteSigningKey", []testCase{
			{"deletes", func(t *testing.T, s core.Store) {
				k := newSigningKey(t, s, at(0))
				keep := newSigningKey(t, s, at(time.Hour))
				must(t, s.DeleteSigningKey(t.Context(), k.ID))
				wantSigningKeys(t, s, *keep)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				keep := newSigningKey(t, s, at(0))
				wantErr(t, s.DeleteSigningKey(t.Context(), newID("kid_")), core.ErrNotFound)
				wantSigningKeys(t, s, *keep)
			}},
		}},
	}
}

func secretCases() []methodCases {
	constant := func(v string) func() ([]byte, error) {
		return func() ([]byte, error) { return []byte(v), nil }
	}
	return []methodCases{
		{"Secret", []testCase{
			{"first_value_stays", func(t *testing.T, s core.Store) {
				got, err := s.Secret(t.Context(), "cookie", constant("first"))
				must(t, err)
				wantEqual(t, got, []byte("first"))
				got, err = s.Secret(t.Context(), "cookie", constant("second"))
				must(t, err)
				wantEqual(t, got, []byte("first"))
			}},
			{"names_are_separate", func(t *testing.T, s core.Store) {
				a, err := s.Secret(t.Context(), "a", constant("value-a"))
				must(t, err)
				b, err := s.Secret(t.Context(), "b", constant("value-b"))
				must(t, err)
				wantEqual(t, a, []byte("value-a"))
				wantEqual(t, b, []byte("value-b"))
			}},
			{"binary_value", func(t *testing.T, s core.Store) {
				v := []byte{0, 1, 2, 0xff, 0xfe, 0}
				got, err := s.Secret(t.Context(), "bin", func() ([]byte, error) { return bytes.Clone(v), nil })
				must(t, err)
				wantEqual(t, got, v)
			}},
			{"gen_error", func(t *testing.T, s core.Store) {
				boom := errors.New("entropy exhausted")
				_, err := s.Secret(t.Context(), "cookie", func() ([]byte, error) { return nil, boom })
				wantErr(t, err, boom)
				// Nothing was stored: the next call generates afresh.
				got, err := s.Secret(t.Context(), "cookie", constant("later"))
				must(t, err)
				wantEqual(t, got, []byte("later"))
			}},
			{"concurrent_first_use", func(t *testing.T, s core.Store) {
				// Nodes starting together each generate a value; all must
				// end up with the one that was stored first.
				vals := make([][]byte, 10)
				errs := concurrently(len(vals), func(i int) error {
					v, err := s.Secret(t.Context(), "cookie", func() ([]byte, error) {
						return []byte{byte(i), 'x'}, nil
					})
					vals[i] = v
					return err
				})
				for i, err := range errs {
					must(t, err)
					if !bytes.Equal(vals[i], vals[0]) {
						t.Fatalf("call %d got %x, call 0 got %x", i, vals[i], vals[0])
					}
				}
				got, err := s.Secret(t.Context(), "cookie", constant("late"))
				must(t, err)
				wantEqual(t, got, vals[0])
			}},
		}},
	}
}
