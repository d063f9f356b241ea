package core

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// fields collects field errors of one request.
type fields []FieldError

func (f *fields) add(field, code, msg string) {
	*f = append(*f, FieldError{Field: field, Code: code, Message: msg})
}

// err returns the collected errors as a ValidationError, or nil.
func (f fields) err() error {
	if len(f) == 0 {
		return nil
	}
	return &ValidationError{Code: CodeValidationFailed, Fields: f}
}

// text checks an optional free-text field: valid UTF-8, no control
// characters, at most max characters.
func (f *fields) text(field, v string, max int) {
	if !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl) {
		f.add(field, FieldInvalid, field+" contains invalid characters")
	} else if utf8.RuneCountInString(v) > max {
		f.add(field, FieldTooLong, field+" is longer than "+strconv.Itoa(max)+" characters")
	}
}

// required checks a mandatory text field.
func (f *fields) required(field, v string, max int) {
	if strings.TrimSpace(v) == "" {
		f.add(field, FieldRequired, field+" is required")
		return
	}
	f.text(field, v, max)
}

// metadata checks a metadata object: at most 50 keys of 1–40 bytes, 8 KiB
// of JSON in all.
func (f *fields) metadata(field string, m map[string]any) {
	if m == nil {
		return
	}
	b, _ := json.Marshal(m)
	switch {
	case len(m) > maxMetadataKeys:
		f.add(field, FieldTooLong, field+" has more than 50 keys")
	case len(b) > maxMetadataBytes:
		f.add(field, FieldTooLong, field+" is larger than 8 KiB")
	default:
		for k := range m {
			if k == "" || len(k) > maxMetadataKey {
				f.add(field, FieldInvalid, field+" keys are 1 to 40 bytes")
				return
			}
		}
	}
}
