package clixml

import (
	"html"
	"strings"
)

// Stream names a PowerShell record stream as CLIXML writes it in the S attribute.
type Stream string

// The streams that reach stderr, spelled as powershell.exe spells them.
const (
	Error   Stream = "Error"
	Warning Stream = "warning"
	Verbose Stream = "verbose"
	Debug   Stream = "debug"
)

// prefixes are what the console host prints before a record of each stream; the Decoder puts them back so the
// text lines read as they would in a console ("WARNING: ..."), which is what the step executor looks for.
var prefixes = []struct {
	stream Stream
	prefix string
}{
	{Warning, "WARNING: "},
	{Verbose, "VERBOSE: "},
	{Debug, "DEBUG: "},
}

// Classify splits a console stderr line into its stream and text: "WARNING: x" is the warning record "x", and a
// line without a known prefix is a line of an error record.
func Classify(line string) (Stream, string) {
	for _, p := range prefixes {
		if strings.HasPrefix(line, p.prefix) {
			return p.stream, line[len(p.prefix):]
		}
	}
	return Error, line
}

// Encoder writes stderr lines as powershell.exe does when stderr is redirected. It is not safe for concurrent
// use.
type Encoder struct {
	open bool
}

// Line returns the bytes for one console stderr line (see Classify); the first call also returns the header and
// the opening <Objs> tag.
func (e *Encoder) Line(line string) []byte {
	s, text := Classify(line)
	return e.Record(s, text)
}

// Record returns the bytes for one line of a record of stream s.
func (e *Encoder) Record(s Stream, text string) []byte {
	var b strings.Builder
	if !e.open {
		e.open = true
		b.WriteString(Header + "\r\n<Objs Version=\"1.1.0.1\" xmlns=\"" + Namespace + "\">")
	}
	b.WriteString(`<S S="`)
	b.WriteString(html.EscapeString(string(s)))
	b.WriteString(`">`)
	b.WriteString(xmlText(Escape(text + "\r\n")))
	b.WriteString("</S>")
	return []byte(b.String())
}

// Close returns the closing </Objs> tag if a record was written, and nothing otherwise.
func (e *Encoder) Close() []byte {
	if !e.open {
		return nil
	}
	e.open = false
	return []byte("</Objs>")
}

// xmlText escapes the three characters XML character data cannot hold as they are.
func xmlText(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}
