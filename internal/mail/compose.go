package mail

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clientele/clientele/internal/core"
)

// ErrHeader is returned when a value that becomes a header (From, To,
// Subject) holds a line break or another control character, or is not
// valid UTF-8. Such a value is rejected rather than cleaned: a CR/LF in a
// subject is either a bug or an attempt to inject headers (Bcc:), and
// sending something other than what the caller asked for would hide both.
var ErrHeader = errors.New("mail: invalid header value")

// maxLine is RFC 5322's limit on a line without its CRLF. An 8bit body must
// keep to it, so longer lines force quoted-printable.
const maxLine = 998

// foldAt is the line length RFC 5322 recommends; long headers are folded
// at spaces to stay under it.
const foldAt = 78

// checkHeader rejects values that could end a header line early.
func checkHeader(field, v string) error {
	if !utf8.ValidString(v) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrHeader, field)
	}
	for _, r := range v {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return fmt.Errorf("%w: %s holds control character %U", ErrHeader, field, r)
		}
	}
	return nil
}

// parseAddress accepts exactly one address, so a To of "a@x, b@y" cannot
// fan a message (and its token) out to a second mailbox.
func parseAddress(field, v string) (*mail.Address, error) {
	if err := checkHeader(field, v); err != nil {
		return nil, err
	}
	a, err := mail.ParseAddress(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrHeader, field, err)
	}
	return a, nil
}

// Compose renders m as the complete RFC 5322 message the sinks deliver
// (exactly what Dir writes to a .eml file), sent from the address from at
// now. It exists for previews; a sink checks from once at start instead.
func Compose(from string, m core.Message, now time.Time) ([]byte, error) {
	a, err := parseAddress("From", from)
	if err != nil {
		return nil, err
	}
	data, _, err := compose(a, m, now, true)
	return data, err
}

// compose renders m as a complete RFC 5322 message with CRLF line endings
// and returns it with the bare recipient address for the SMTP envelope.
// allow8bit is false when the transport cannot carry 8-bit data (an SMTP
// server without 8BITMIME); non-ASCII bodies are then quoted-printable.
func compose(from *mail.Address, m core.Message, now time.Time, allow8bit bool) (data []byte, rcpt string, err error) {
	to, err := parseAddress("To", m.To)
	if err != nil {
		return nil, "", err
	}
	if err := checkHeader("Subject", m.Subject); err != nil {
		return nil, "", err
	}
	if !utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML) {
		return nil, "", errors.New("mail: body is not valid UTF-8")
	}

	var b bytes.Buffer
	writeHeader(&b, "From", from.String())
	writeHeader(&b, "To", to.String())
	writeHeader(&b, "Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	writeHeader(&b, "Date", now.Format(time.RFC1123Z))
	writeHeader(&b, "Message-ID", messageID(from.Address))
	writeHeader(&b, "MIME-Version", "1.0")
	if m.HTML == "" {
		body, cte := encodeBody(m.Text, allow8bit)
		writeHeader(&b, "Content-Type", "text/plain; charset=utf-8")
		writeHeader(&b, "Content-Transfer-Encoding", cte)
		b.WriteString("\r\n")
		b.Write(body)
		return b.Bytes(), to.Address, nil
	}
	writeAlternative(&b, m.Text, m.HTML, allow8bit)
	return b.Bytes(), to.Address, nil
}

// writeAlternative writes a multipart/alternative body: the text part
// first and the HTML part last, because clients show the last part they
// can display (RFC 2046 §5.1.4), and text-only clients get a readable
// message rather than markup.
func writeAlternative(b *bytes.Buffer, text, html string, allow8bit bool) {
	w := multipart.NewWriter(b) // random boundary, never found in a QP or 8bit part by chance
	writeHeader(b, "Content-Type", `multipart/alternative; boundary="`+w.Boundary()+`"`)
	b.WriteString("\r\n")
	for _, p := range []struct{ typ, body string }{{"text/plain", text}, {"text/html", html}} {
		body, cte := encodeBody(p.body, allow8bit)
		h := textproto.MIMEHeader{}
		h.Set("Content-Type", p.typ+"; charset=utf-8")
		h.Set("Content-Transfer-Encoding", cte)
		pw, _ := w.CreatePart(h) // writes to a bytes.Buffer cannot fail
		_, _ = pw.Write(body)
	}
	_ = w.Close()
}

// writeHeader writes "Name: value" folded at spaces, so long subjects stay
// within the recommended line length; unfolding restores the value.
func writeHeader(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteByte(':')
	n := len(name) + 1
	for i, word := range strings.Split(value, " ") {
		// Never fold before an empty word: that could leave a line of
		// only whitespace, which RFC 5322 forbids.
		if i > 0 && word != "" && n+1+len(word) > foldAt {
			b.WriteString("\r\n")
			n = 0
		}
		b.WriteByte(' ')
		b.WriteString(word)
		n += 1 + len(word)
	}
	b.WriteString("\r\n")
}

// encodeBody prefers 8bit, so a reset link appears verbatim in the message
// (and in a .eml file, greppable as "token="). Quoted-printable is the
// fallback only when 8bit would break the rules: a line over 998 octets, a
// NUL, or non-ASCII text on a transport that cannot carry 8-bit data.
func encodeBody(text string, allow8bit bool) ([]byte, string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	if fits8bit(text, allow8bit) {
		return []byte(strings.ReplaceAll(text, "\n", "\r\n")), "8bit"
	}
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b) // not Binary: "\n" becomes CRLF
	_, _ = w.Write([]byte(text))       // writes to a bytes.Buffer cannot fail
	_ = w.Close()
	return b.Bytes(), "quoted-printable"
}

func fits8bit(text string, allow8bit bool) bool {
	for line := range strings.SplitSeq(text, "\n") {
		if len(line) > maxLine {
			return false
		}
	}
	if strings.IndexByte(text, 0) >= 0 {
		return false
	}
	if !allow8bit {
		for i := 0; i < len(text); i++ {
			if text[i] >= 0x80 {
				return false
			}
		}
	}
	return true
}
