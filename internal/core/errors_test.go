package core_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

func TestCodeOfAndKinds(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code string
		kind error
	}{
		{"validation", &core.ValidationError{Fields: []core.FieldError{{Field: "email", Code: "invalid"}}}, core.CodeValidationFailed, core.ErrInvalid},
		{"rate_limited", &core.RateLimitError{RetryAfter: 3 * time.Second}, core.CodeRateLimited, core.ErrRateLimited},
		{"overloaded", &core.OverloadError{RetryAfter: time.Second}, core.CodeOverloaded, core.ErrOverloaded},
		{"wrapped_unavailable", fmt.Errorf("db: %w", core.ErrUnavailable), core.CodeUnavailable, core.ErrUnavailable},
		{"not_found", core.ErrNotFound, core.CodeNotFound, core.ErrNotFound},
		{"unauthenticated", core.Unauthenticated(), core.CodeUnauthenticated, core.ErrUnauthenticated},
		{"unknown", errors.New("boom"), core.CodeInternal, nil},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			if got := core.CodeOf(tt.err); got != tt.code {
				t.Fatalf("CodeOf = %q, want %q", got, tt.code)
			}
			if tt.kind != nil && !errors.Is(tt.err, tt.kind) {
				t.Fatalf("errors.Is(%v, %v) = false", tt.err, tt.kind)
			}
		})
	}
	if d := core.RetryAfter(&core.RateLimitError{RetryAfter: 3 * time.Second}); d != 3*time.Second {
		t.Fatalf("RetryAfter = %v", d)
	}
	if d := core.RetryAfter(errors.New("x")); d != 0 {
		t.Fatalf("RetryAfter of plain error = %v", d)
	}
}
