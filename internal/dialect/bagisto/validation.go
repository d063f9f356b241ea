package bagisto

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// laravel builds Laravel's validation messages (contract §4): Laravel 8
// wording for the legacy family, Laravel 11 wording for v1.
type laravel struct {
	v1   bool
	errs validationError
}

// attr is Laravel's attribute name: the field with "_" as spaces.
func attr(field string) string { return strings.ReplaceAll(field, "_", " ") }

// field11 is " field" in Laravel 11 wording, "" in Laravel 8's.
func (l *laravel) field11() string {
	if l.v1 {
		return " field"
	}
	return ""
}

func (l *laravel) add(field, msg string) { l.errs.add(field, msg) }

func (l *laravel) required(field string) {
	l.add(field, "The "+attr(field)+" field is required.")
}

func (l *laravel) notString(field string) {
	l.add(field, "The "+attr(field)+l.field11()+" must be a string.")
}

func (l *laravel) badEmail(field string) {
	l.add(field, "The "+attr(field)+l.field11()+" must be a valid email address.")
}

func (l *laravel) notConfirmed(field string) {
	l.add(field, "The "+attr(field)+l.field11()+" confirmation does not match.")
}

func (l *laravel) notIn(field string) { l.add(field, "The selected "+attr(field)+" is invalid.") }

func (l *laravel) tooLong(field string, n int) {
	if l.v1 {
		l.add(field, "The "+attr(field)+" field must not be greater than "+strconv.Itoa(n)+" characters.")
		return
	}
	l.add(field, "The "+attr(field)+" may not be greater than "+strconv.Itoa(n)+" characters.")
}

func (l *laravel) requiredWith(field, other string) {
	l.add(field, "The "+attr(field)+" field is required when "+attr(other)+" is present.")
}

// text checks a string field: required when req, a string when sent, at
// most max characters. It returns the trimmed value and whether it is set.
func (l *laravel) text(in input, field string, req bool, max int) (string, bool) {
	v, set, isText := in.str(field)
	switch {
	case !isText:
		l.notString(field)
		return "", false
	case !set && req:
		l.required(field)
		return "", false
	case len([]rune(v)) > max:
		l.tooLong(field, max)
	}
	return v, set
}

// email checks an e-mail field (required when req).
func (l *laravel) email(in input, field string, req bool) (string, bool) {
	v, set := l.text(in, field, req, 255)
	if set && !l.errs.has(field) {
		if _, err := core.NormalizeEmail(v); err != nil {
			l.badEmail(field)
		}
	}
	return v, set
}

var (
	phoneFormat    = regexp.MustCompile(`^\+?\d+$`)
	postcodeFormat = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 -]{0,30}[A-Za-z0-9]$|^[A-Za-z0-9]$`)
)

// phone checks the phone format `^\+?\d+$`.
func (l *laravel) phone(field, v string) {
	if v != "" && !phoneFormat.MatchString(v) {
		l.add(field, "The "+attr(field)+" must be valid phone number.")
	}
}

// postcode checks the postcode format (v1).
func (l *laravel) postcode(field, v string) {
	if v != "" && !postcodeFormat.MatchString(v) {
		l.add(field, "The "+attr(field)+" must be valid postcode.")
	}
}

// dateBeforeToday checks a date of birth.
func (l *laravel) dateBeforeToday(field, v string, now time.Time) {
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		if l.v1 {
			l.add(field, "The "+attr(field)+" field must be a valid date.")
		} else {
			l.add(field, "The "+attr(field)+" is not a valid date.")
		}
		return
	}
	if !d.Before(now.UTC().Truncate(24 * time.Hour)) {
		l.add(field, "The "+attr(field)+l.field11()+" must be a date before today.")
	}
}

// policy adds the messages of a core password-policy failure on field.
func (l *laravel) policy(err error, field string, minLen int) {
	var ve *core.ValidationError
	if !errors.As(err, &ve) {
		return
	}
	for _, f := range ve.Fields {
		switch f.Code {
		case core.FieldRequired:
			l.required(field)
		case core.FieldTooShort:
			l.add(field, "The "+attr(field)+l.field11()+" must be at least "+strconv.Itoa(minLen)+" characters.")
		case core.FieldTooLong:
			l.tooLong(field, core.MaxPasswordLength)
		case core.FieldCommonPassword:
			l.add(field, "The given password has appeared in a data leak. Please choose a different password.")
		case core.FieldSameAsEmail:
			l.add(field, "The "+attr(field)+l.field11()+" and email must be different.")
		default:
			l.add(field, "The "+attr(field)+" is invalid.")
		}
	}
}

// coreFields turns the field errors core found into Laravel messages on
// the dialect's field names (rename maps core's name to the wire's; an
// unlisted field keeps its name). Other errors pass through.
func (l *laravel) coreFields(err error, rename map[string]string) error {
	var ve *core.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	for _, f := range ve.Fields {
		name := f.Field
		if n, ok := rename[name]; ok {
			name = n
		}
		switch f.Code {
		case core.FieldRequired:
			l.required(name)
		case core.FieldTooLong:
			l.add(name, "The "+attr(name)+l.field11()+" must not be greater than the allowed length.")
		case core.FieldLimitReached:
			l.add(name, f.Message)
		default:
			l.add(name, "The "+attr(name)+" is invalid.")
		}
	}
	return l.err()
}

// err is the collected 422, or nil.
func (l *laravel) err() error { return l.errs.err() }
