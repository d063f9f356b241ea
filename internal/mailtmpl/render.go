package mailtmpl

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"regexp"
	"strconv"
	"strings"
	texttemplate "text/template"

	"github.com/clientele/clientele/internal/core"
)

// Rendered is one message ready for the sink.
type Rendered struct {
	Subject, Text, HTML string
}

// maxOutput bounds what one part may render to, so a template looping or
// padding ({{printf "%099999999d" 0}}) cannot exhaust memory.
const maxOutput = 512 << 10

// ErrUnknownKind is returned for a kind with no default template.
var ErrUnknownKind = errors.New("mailtmpl: no template for this kind")

var funcs = map[string]any{"join": strings.Join}

// Render renders kind with vars, using the parts of override that are set
// and the default for the rest. Errors are *core.MailTemplateError.
func Render(kind string, override *core.MailTemplate, vars core.MailVars) (Rendered, error) {
	d, ok := defaults[kind]
	if !ok {
		return Rendered{}, ErrUnknownKind
	}
	subject, text, html := d.subject, d.text, layoutHead+d.body+layoutFoot
	if override != nil {
		subject = pick(override.Subject, subject)
		text = pick(override.Text, text)
		html = pick(override.HTML, html)
	}
	var out Rendered
	var err error
	if out.Subject, err = renderText("subject", subject, vars); err != nil {
		return Rendered{}, err
	}
	out.Subject = oneLine(out.Subject)
	if out.Text, err = renderText("text", text, vars); err != nil {
		return Rendered{}, err
	}
	if out.HTML, err = renderHTML(html, vars); err != nil {
		return Rendered{}, err
	}
	return out, nil
}

// Check is the core.MailTemplateChecker: it parses every part t sets and
// renders it with the sample data of t.Kind.
func Check(t core.MailTemplate) error {
	_, err := Render(t.Kind, &t, Sample(t.Kind))
	if errors.Is(err, ErrUnknownKind) {
		return &core.MailTemplateError{Part: "kind", Problem: err.Error()}
	}
	if err == nil && t.Subject != "" && strings.TrimSpace(oneLine(mustText(t.Subject, Sample(t.Kind)))) == "" {
		return &core.MailTemplateError{Part: "subject", Problem: "renders empty"}
	}
	return err
}

func mustText(src string, vars core.MailVars) string {
	s, _ := renderText("subject", src, vars)
	return s
}

func pick(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// oneLine folds a rendered subject into one line: a line break in a
// header would be an injection, and the mail package refuses it.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '\t' || r == ' ' || r < 0x20 || r == 0x7f
	}), " ")
}

func renderText(part, src string, vars core.MailVars) (string, error) {
	t, err := texttemplate.New(part).Funcs(funcs).Option("missingkey=error").Parse(src)
	if err != nil {
		return "", templateError(part, err)
	}
	var b limitedBuffer
	if err := t.Execute(&b, vars); err != nil {
		return "", templateError(part, err)
	}
	return b.String(), nil
}

func renderHTML(src string, vars core.MailVars) (string, error) {
	t, err := htmltemplate.New("html").Funcs(funcs).Option("missingkey=error").Parse(helpers)
	if err == nil {
		_, err = t.Parse(src)
	}
	if err != nil {
		return "", templateError("html", err)
	}
	var b limitedBuffer
	if err := t.Execute(&b, vars); err != nil {
		return "", templateError("html", err)
	}
	return b.String(), nil
}

// posRE finds "name:line:col:" or "name:line:" in the errors of
// text/template and html/template (parse, escape and exec errors alike).
var posRE = regexp.MustCompile(`(?:template: |html/template:)(?:[a-z]+):(\d+)(?::(\d+))?:? ?`)

// templateError turns a template error into a core.MailTemplateError with
// its position and without Go type names a store has no use for.
func templateError(part string, err error) *core.MailTemplateError {
	msg := err.Error()
	e := &core.MailTemplateError{Part: part}
	if m := posRE.FindStringSubmatchIndex(msg); m != nil {
		e.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		if m[4] >= 0 {
			e.Column, _ = strconv.Atoi(msg[m[4]:m[5]])
		}
		msg = msg[:m[0]] + msg[m[1]:]
	}
	msg = strings.ReplaceAll(msg, "core.MailVars", "the mail data")
	e.Problem = strings.TrimSpace(msg)
	return e
}

// limitedBuffer fails writes beyond maxOutput.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > maxOutput {
		return 0, fmt.Errorf("renders more than %d KiB", maxOutput>>10)
	}
	return b.Buffer.Write(p)
}
