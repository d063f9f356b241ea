package core_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantCode       string // field code when invalid
	}{
		{name: "plain", in: "jane@example.com", want: "jane@example.com"},
		{name: "trim_and_lower", in: "  Jane@EXAMPLE.com ", want: "jane@example.com"},
		{name: "full_width", in: "Ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", want: "jane@example.com"},
		{name: "nfd_to_composed", in: "Jose\u0301@example.com", want: "jos\u00e9@example.com"},
		{name: "idn_unicode_domain", in: "a@bücher.example", want: "a@bücher.example"},
		{name: "plus_tag_kept", in: "a+tag@example.com", want: "a+tag@example.com"},
		{name: "empty", in: "   ", wantCode: core.FieldRequired},
		{name: "no_at", in: "jane.example.com", wantCode: core.FieldInvalid},
		{name: "no_domain", in: "jane@", wantCode: core.FieldInvalid},
		{name: "no_local", in: "@example.com", wantCode: core.FieldInvalid},
		{name: "single_label_domain", in: "jane@localhost", wantCode: core.FieldInvalid},
		{name: "two_ats", in: "a@b@example.com", wantCode: core.FieldInvalid},
		{name: "quoted_local", in: `"jane doe"@example.com`, wantCode: core.FieldInvalid},
		{name: "nul_byte", in: "jane\x00@example.com", wantCode: core.FieldInvalid},
		{name: "zero_width_space", in: "ja\u200bne@example.com", wantCode: core.FieldInvalid},
		{name: "rtl_override", in: "jane\u202e@example.com", wantCode: core.FieldInvalid},
		{name: "inner_space", in: "ja ne@example.com", wantCode: core.FieldInvalid},
		{name: "double_dot", in: "ja..ne@example.com", wantCode: core.FieldInvalid},
		{name: "hyphen_label", in: "jane@-example.com", wantCode: core.FieldInvalid},
		{name: "too_long", in: strings.Repeat("a", 60) + "@" + strings.Repeat("b", 200) + ".com", wantCode: core.FieldTooLong},
		{name: "local_too_long", in: strings.Repeat("a", 65) + "@example.com", wantCode: core.FieldInvalid},
		{name: "sql_injection", in: "' OR 1=1--@example.com", wantCode: core.FieldInvalid},
	}
	for _, tt := range tests {
		t.Run("case="+tt.name, func(t *testing.T) {
			got, err := core.NormalizeEmail(tt.in)
			if tt.wantCode == "" {
				if err != nil || got != tt.want {
					t.Fatalf("NormalizeEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			var ve *core.ValidationError
			if !errors.As(err, &ve) || ve.Fields[0].Code != tt.wantCode || ve.Fields[0].Field != "email" {
				t.Fatalf("NormalizeEmail(%q) = %q, %v; want field error %s", tt.in, got, err, tt.wantCode)
			}
			if !errors.Is(err, core.ErrInvalid) {
				t.Fatalf("error does not match ErrInvalid")
			}
		})
	}
}

func TestMaskEmail(t *testing.T) {
	if got := core.MaskEmail("jane@example.com"); got != "j***@example.com" {
		t.Fatalf("got %q", got)
	}
	if got := core.MaskEmail("nonsense"); got != "***" {
		t.Fatalf("got %q", got)
	}
}
